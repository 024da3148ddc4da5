//! The `Next:` lines `cert issue` prints, run exactly as printed (parsed
//! from its stdout, through `sh`): they give a `tls {}` block, and a
//! nats-server started with it serves a chain that a peer trusting the
//! printed CA file verifies. From the default CA, from an intermediate with
//! `--out` (the cert file carries the chain) and with `--cert-out` (two
//! lines: export the root, then the config). The nats-server part runs on
//! 2.9.10 and 2.15.1 under TLSCTL_INTEROP=1; the rest in every `cargo test`.

use std::process::Output;

use crate::interop::enabled;
use crate::natsrv::{NatsServer, free_port, nats_binaries};
use crate::support::Sandbox;

fn run(sb: &Sandbox, line: &str) -> Output {
    let out = sb.sh(line).output().unwrap();
    assert!(
        out.status.success(),
        "`{line}` failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The commands of the `Next:` paragraph: its first line and the lines
/// indented under it.
fn next_commands(stdout: &str) -> Vec<String> {
    let mut lines = stdout.lines().skip_while(|l| !l.starts_with("Next: "));
    let Some(first) = lines.next() else {
        panic!("no Next: line in\n{stdout}")
    };
    std::iter::once(first["Next: ".len()..].to_owned())
        .chain(
            lines
                .take_while(|l| l.starts_with("      "))
                .map(|l| l.trim().to_owned()),
        )
        .collect()
}

/// The value of `--ca` in a printed command.
fn ca_of(command: &str) -> String {
    let mut words = command.split_whitespace();
    words.find(|w| *w == "--ca");
    words.next().expect("the command names --ca").to_owned()
}

/// Issues with `issue` (a `tlsctl ...` line), runs its Next: lines as
/// printed, and returns the `tls {}` block the last one printed and the CA
/// file it names.
fn follow(sb: &Sandbox, issue: &str) -> (String, String) {
    let out = run(sb, issue);
    let commands = next_commands(&String::from_utf8(out.stdout).unwrap());
    let mut last = String::new();
    for c in &commands {
        last = String::from_utf8(run(sb, c).stdout).unwrap();
    }
    let config = commands.last().unwrap();
    assert!(config.starts_with("tlsctl nats config "), "{commands:?}");
    assert!(last.contains("tls {"), "{last}");
    (last, ca_of(config))
}

fn cases() -> Vec<(&'static str, Sandbox, String, String)> {
    let mut cases = Vec::new();

    // The default CA, made on first use; the files in the store.
    let sb = Sandbox::new();
    let (block, ca) = follow(&sb, "tlsctl cert issue localhost 127.0.0.1");
    cases.push(("default CA", sb, block, ca));

    // An intermediate, a versioned --out directory.
    let sb = Sandbox::new();
    run(&sb, "tlsctl ca create acme --cn 'Acme Root'");
    run(&sb, "tlsctl ca create x3 --parent acme --cn 'Acme X3'");
    let (block, ca) = follow(
        &sb,
        "tlsctl cert issue node-a.example 127.0.0.1 --ca x3 --out node-a",
    );
    cases.push(("intermediate, --out", sb, block, ca));

    // An intermediate, --cert-out/--key-out: the root is exported first.
    let sb = Sandbox::new();
    run(&sb, "tlsctl ca create acme --cn 'Acme Root'");
    run(&sb, "tlsctl ca create x3 --parent acme --cn 'Acme X3'");
    let (block, ca) = follow(
        &sb,
        "tlsctl cert issue node-b.example 127.0.0.1 --ca x3 --cert-out node-b.pem --key-out node-b.key",
    );
    assert_eq!(ca, "ca.pem");
    cases.push(("intermediate, --cert-out", sb, block, ca));
    cases
}

#[test]
fn the_printed_next_steps_give_a_config_whose_chain_the_printed_ca_verifies() {
    for (what, sb, block, ca) in cases() {
        // The cert file the block names verifies against the CA file the
        // line names, as a server (what a connecting peer checks).
        let cert = block
            .lines()
            .find_map(|l| l.trim().strip_prefix("cert_file: "))
            .unwrap()
            .trim_matches('"')
            .to_owned();
        let out = sb
            .sh(&format!(
                "tlsctl verify '{cert}' --bundle '{ca}' --purpose server --host 127.0.0.1"
            ))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{what}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn nats_server_started_from_the_printed_next_steps_is_verified_by_a_peer_trusting_the_printed_ca() {
    if !enabled() {
        return;
    }
    for (what, sb, block, ca) in cases() {
        for bin in nats_binaries() {
            let port = free_port();
            let name = format!("next-{}", bin.version);
            let server = NatsServer::start_with(
                &bin,
                sb.dir.path(),
                &name,
                &format!("port: {port}\n{block}"),
                port,
            );
            // A peer that trusts only the printed CA file: tlsctl probe
            // (CONNECT and PING after the handshake, verified chain).
            let probe = sb
                .sh(&format!("tlsctl probe {} --ca '{ca}'", server.addr()))
                .output()
                .unwrap();
            assert!(
                probe.status.success(),
                "{what} on {}: {}{}\n{}",
                bin.version,
                String::from_utf8_lossy(&probe.stdout),
                String::from_utf8_lossy(&probe.stderr),
                server.log_text()
            );
            // And Python's ssl through nats-py, an independent verifier.
            let (ok, stdout, stderr) = crate::natsrv::python_client(
                sb.dir.path(),
                &[&server.addr(), "--ca", &ca, "--sni", "127.0.0.1"],
            );
            assert!(
                ok,
                "{what} on {}: nats-py: {stdout}{stderr}\n{}",
                bin.version,
                server.log_text()
            );
        }
    }
}
