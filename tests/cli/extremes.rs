//! Numbers and times at their extremes in every argument that takes one:
//! each is a value that works or exit 2 with a message, never a panic.

use std::time::Duration;

use crate::support::{Sandbox, fixture};

#[test]
fn extreme_numbers_and_times_are_answered_not_panicked_on() {
    let sb = Sandbox::new();
    for f in ["root.pem", "inter.pem", "leaf.pem", "leaf.key"] {
        std::fs::copy(fixture(&format!("chain/{f}")), sb.path(f)).unwrap();
    }
    sb.cmd().args(["ca", "create", "base"]).assert().success();
    let numbers = [
        "0",
        "-1",
        "1",
        "3650",
        "99999999",
        "9223372036854775807",
        "-9223372036854775808",
        "18446744073709551616",
        "1e300",
        "nan",
        "inf",
        "-inf",
        "0.0000001",
        "",
    ];
    let times = [
        "0001-01-01",
        "1969-12-31",
        "1970-01-01",
        "9999-12-31",
        "9999-12-31T23:59:59Z",
        "2027-02-30",
        "-0001-01-01",
        "",
    ];
    let mut runs: Vec<Vec<String>> = Vec::new();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    for (i, n) in numbers.iter().enumerate() {
        runs.push(s(&["ca", "create", &format!("d{i}"), "--days", n]));
        runs.push(s(&["ca", "create", &format!("p{i}"), "--path-len", n]));
        runs.push(s(&[
            "cert",
            "issue",
            "a.example",
            "--ca",
            "base",
            "--days",
            n,
            "--cert-out",
            &format!("c{i}.pem"),
            "--key-out",
            &format!("c{i}.key"),
        ]));
        runs.push(s(&["probe", "127.0.0.1:9", "--timeout", n]));
        runs.push(s(&[
            "nats",
            "config",
            "--cert",
            "leaf.pem",
            "--key",
            "leaf.key",
            "--ca",
            "root.pem",
            "--timeout",
            n,
        ]));
    }
    for (i, t) in times.iter().enumerate() {
        runs.push(s(&["ca", "create", &format!("t{i}"), "--not-before", t]));
        runs.push(s(&[
            "ca",
            "create",
            &format!("u{i}"),
            "--not-before",
            t,
            "--days",
            "3650000",
        ]));
        runs.push(s(&[
            "verify",
            "leaf.pem",
            "--bundle",
            "root.pem",
            "--untrusted",
            "inter.pem",
            "--at",
            t,
        ]));
        runs.push(s(&[
            "bundle",
            "diff",
            "root.pem",
            "inter.pem",
            "--peer",
            "leaf.pem",
            "--at",
            t,
        ]));
    }
    // Clocks at the extremes, for every command that reads one.
    let mut clocks = Vec::new();
    for now in ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"] {
        for args in [
            &[
                "cert",
                "issue",
                "z.example",
                "--cert-out",
                "z.pem",
                "--key-out",
                "z.key",
                "--force",
            ][..],
            &["inspect", "leaf.pem"],
            &["bundle", "list", "root.pem"],
            &["verify", "leaf.pem", "--bundle", "root.pem"],
        ] {
            clocks.push((now, s(args)));
        }
    }
    let mut checked = 0;
    let check = |args: &[String], now: Option<&str>| {
        let mut cmd = sb.cmd();
        if let Some(now) = now {
            cmd.env("TLSCTL_NOW", now);
        }
        let out = cmd
            .args(args)
            .timeout(Duration::from_secs(10))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("panicked"),
            "{args:?} (now {now:?}) panicked:\n{stderr}"
        );
        let code = out.status.code();
        assert!(
            matches!(code, Some(0..=2)),
            "{args:?} (now {now:?}): exit {code:?}\n{stderr}"
        );
        if code == Some(2) {
            assert!(
                stderr.starts_with("tlsctl: ") || stderr.starts_with("error: "),
                "{args:?}: {stderr}"
            );
        }
    };
    for args in &runs {
        check(args, None);
        checked += 1;
    }
    for (now, args) in &clocks {
        check(args, Some(now));
        checked += 1;
    }
    eprintln!("{checked} runs with extreme numbers, times and clocks");
}
