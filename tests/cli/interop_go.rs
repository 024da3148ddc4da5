//! Go itself as the oracle: tests/interop/gox509 generates a matrix of odd
//! chains and judges each with the crypto/x509 of the Go that builds it
//! (Debian's Go 1.19 here, as in Debian's nats-server 2.9.10), the way
//! nats-server calls x509.Verify. tlsctl's library judges the same files;
//! both verdicts must agree, except for the rules that differ between Go
//! 1.19 and current Go (tlsctl's default), each named below. Run with
//! TLSCTL_INTEROP=1 (as .ci/run does); needs `go` (golang-go).

use std::path::{Path, PathBuf};
use std::process::Command;

use rustls_pki_types::CertificateDer;
use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use tlsctl::pki::verify::{self, Anchors, GoRelease, Purpose};

use crate::interop::enabled;

#[derive(Deserialize)]
struct Case {
    name: String,
    rule: String,
    chain: String,
    ca: String,
    purpose: String,
    #[serde(default)]
    host: Option<String>,
    time: String,
}

#[derive(Deserialize)]
struct GoVerdict {
    name: String,
    ok: bool,
    #[serde(default)]
    error: String,
}

/// Where current Go (tlsctl's default) and Go 1.19 part ways: (a part of
/// the case name, the rule). See `GoRelease` in src/pki/verify.rs.
const VERSION_DIFFERENCES: &[(&str, &str)] = &[
    (
        "-negative",
        "negative serial numbers: accepted by Go 1.19, a parse error since Go 1.23",
    ),
    (
        "key-rsa512",
        "RSA keys under 1024 bits: Go 1.19 verifies their signatures, Go 1.24+ refuses",
    ),
    (
        "aki-critical",
        "a critical AKI: accepted by Go 1.19, a parse error in current Go",
    ),
    (
        "ski-critical",
        "a critical SKI: accepted by Go 1.19, a parse error in current Go",
    ),
    (
        "aia-critical",
        "a critical AIA: accepted by Go 1.19, a parse error in current Go",
    ),
];

/// What tlsctl cannot do that every Go can: (a part of the case name, why).
const TLSCTL_LIMITS: &[(&str, &str)] = &[(
    "-key-p224",
    "a P-224 issuer: Go checks its ECDSA signatures, aws-lc-rs has no P-224 (tlsctl says \
     the signature cannot be checked)",
)];

/// Under Go1_19, RSA-512 issuers are a tlsctl limit too: aws-lc-rs checks
/// RSA from 1024 bits.
const TLSCTL_LIMITS_1_19: &[(&str, &str)] = &[(
    "key-rsa512",
    "an RSA-512 issuer: Go 1.19 checks its signatures, aws-lc-rs starts at 1024 bits",
)];

fn go_env(cmd: &mut Command, tmp: &Path) {
    cmd.env("GOCACHE", tmp.join("gocache"))
        .env("GOPATH", tmp.join("gopath"))
        .env("GOFLAGS", "-mod=mod")
        .env("GOPROXY", "off")
        .env("GOTOOLCHAIN", "local")
        .env("GO111MODULE", "on");
}

fn oracle_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop/gox509")
}

fn run_go(tmp: &Path) -> (Vec<Case>, Vec<GoVerdict>, PathBuf) {
    let bin = tmp.join("gox509");
    let mut build = Command::new("go");
    build
        .args(["build", "-o"])
        .arg(&bin)
        .arg(".")
        .current_dir(oracle_dir());
    go_env(&mut build, tmp);
    let out = build
        .output()
        .unwrap_or_else(|e| panic!("go could not be run ({e}); apt-get install golang-go"));
    assert!(
        out.status.success(),
        "go build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let matrix = tmp.join("matrix");
    let status = Command::new(&bin).arg("gen").arg(&matrix).status().unwrap();
    assert!(status.success(), "gox509 gen failed");
    let out = Command::new(&bin)
        .arg("verify")
        .arg(&matrix)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "gox509 verify failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cases: Vec<Case> =
        serde_json::from_slice(&std::fs::read(matrix.join("manifest.json")).unwrap()).unwrap();
    let verdicts: Vec<GoVerdict> = serde_json::from_slice(&out.stdout).unwrap();
    (cases, verdicts, matrix)
}

fn certs(path: &Path) -> Vec<CertificateDer<'static>> {
    pem::parse_many(std::fs::read(path).unwrap())
        .unwrap()
        .into_iter()
        .filter(|p| p.tag() == "CERTIFICATE")
        .map(|p| CertificateDer::from(p.into_contents()))
        .collect()
}

/// tlsctl's verdict on one case: Ok or Go's error text as tlsctl renders it.
fn tlsctl_verdict(dir: &Path, case: &Case, release: GoRelease) -> Result<(), String> {
    let chain = certs(&dir.join(&case.chain));
    let ca = certs(&dir.join(&case.ca));
    let at = OffsetDateTime::parse(&case.time, &Rfc3339).unwrap();
    let purpose = if case.purpose == "client" {
        Purpose::Client
    } else {
        Purpose::Server
    };
    let anchors = Anchors::new(ca, at);
    let (leaf, rest) = chain.split_first().unwrap();
    verify::go_verify(
        &anchors,
        leaf,
        rest,
        purpose,
        case.host.as_deref().filter(|h| !h.is_empty()),
        at,
        release,
    )
    .map(|_| ())
    .map_err(|f| f.go_error)
}

/// Go's error up to its first detail: "x509: certificate signed by unknown
/// authority", "x509: unhandled critical extension", ...
fn error_class(text: &str) -> &str {
    let text = text.split(" (possibly").next().unwrap_or(text);
    match text.match_indices(": ").nth(1) {
        Some((i, _)) if !text.starts_with("x509: certificate is valid for") => &text[..i],
        _ => text,
    }
}

struct Tally {
    cases: usize,
    agreed: usize,
    same_error: usize,
    documented: Vec<String>,
    disagreements: Vec<String>,
}

fn compare(
    cases: &[Case],
    verdicts: &[GoVerdict],
    dir: &Path,
    release: GoRelease,
    allowed: &[&[(&str, &str)]],
) -> Tally {
    let mut t = Tally {
        cases: 0,
        agreed: 0,
        same_error: 0,
        documented: Vec::new(),
        disagreements: Vec::new(),
    };
    for (case, go) in cases.iter().zip(verdicts) {
        assert_eq!(case.name, go.name);
        t.cases += 1;
        let ours = tlsctl_verdict(dir, case, release);
        if ours.is_ok() == go.ok {
            t.agreed += 1;
            match &ours {
                Ok(()) => t.same_error += 1,
                Err(e) if error_class(e) == error_class(&go.error) => t.same_error += 1,
                Err(e) => t.disagreements.push(format!(
                    "{} ({}): same verdict, other error: Go {:?}, tlsctl {:?}",
                    case.name, case.rule, go.error, e
                )),
            }
            continue;
        }
        let why = allowed
            .iter()
            .flat_map(|l| l.iter())
            .find(|(part, _)| case.name.contains(part));
        let line = format!(
            "{} ({}): Go 1.19 {:?}, tlsctl as {} {:?}",
            case.name,
            case.rule,
            if go.ok { "ok" } else { go.error.as_str() },
            release.name(),
            ours
        );
        match why {
            Some((_, why)) => t.documented.push(format!("{line}: {why}")),
            None => t.disagreements.push(line),
        }
    }
    t
}

#[test]
fn interop_go_x509_matrix_agrees_with_go_except_documented_version_differences() {
    if !enabled() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (cases, verdicts, dir) = run_go(tmp.path());
    check_matrix(&cases, &verdicts, &dir);
}

/// The same on the matrix recorded in tests/fixtures/gox509 with Go 1.19's
/// verdicts (`gox509 gen` then `gox509 verify`), so that plain `cargo test`
/// holds the verifier to Go without Go installed.
#[test]
fn recorded_go_1_19_verdicts_agree_except_documented_version_differences() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gox509");
    let cases: Vec<Case> =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let verdicts: Vec<GoVerdict> =
        serde_json::from_slice(&std::fs::read(dir.join("go1.19-verdicts.json")).unwrap()).unwrap();
    check_matrix(&cases, &verdicts, &dir);
}

fn check_matrix(cases: &[Case], verdicts: &[GoVerdict], dir: &Path) {
    assert!(cases.len() >= 150, "only {} cases", cases.len());
    assert_eq!(cases.len(), verdicts.len());
    // tlsctl's default (current Go) against Go 1.19.
    let current = compare(
        cases,
        verdicts,
        dir,
        GoRelease::Current,
        &[VERSION_DIFFERENCES, TLSCTL_LIMITS],
    );
    // tlsctl judging as Go 1.19 against Go 1.19: only tlsctl's limits.
    let old = compare(
        cases,
        verdicts,
        dir,
        GoRelease::Go1_19,
        &[TLSCTL_LIMITS, TLSCTL_LIMITS_1_19],
    );
    for (label, t) in [("current", &current), ("go1.19", &old)] {
        eprintln!(
            "gox509 matrix, tlsctl as {label}: {} cases, {} agreed ({} with Go's error too), {} \
             documented differences",
            t.cases,
            t.agreed,
            t.same_error,
            t.documented.len()
        );
        for d in &t.documented {
            eprintln!("  documented: {d}");
        }
    }
    let mut all = current.disagreements.clone();
    all.extend(old.disagreements.iter().map(|d| format!("[as go1.19] {d}")));
    assert!(
        all.is_empty(),
        "tlsctl and Go disagree on {} case(s):\n{}",
        all.len(),
        all.join("\n")
    );
    // Every documented difference is seen: the list stays honest.
    for (part, why) in VERSION_DIFFERENCES {
        assert!(
            current.documented.iter().any(|d| d.contains(why)),
            "documented difference {part:?} no longer occurs: remove it"
        );
    }
    // And as Go 1.19, none of the version differences remains.
    assert!(old.documented.iter().all(|d| {
        TLSCTL_LIMITS
            .iter()
            .chain(TLSCTL_LIMITS_1_19)
            .any(|(_, w)| d.contains(w))
    }));
}

/// Client certificates from the matrix presented to real nats-servers with
/// `verify: true`: each outcome is tlsctl's prediction for the server's Go
/// (2.9.10: Go 1.19, 2.15.1: current Go), made before the server starts.
/// This is where the version differences are measured on a current Go:
/// 2.15.1 refuses a negative serial and a critical AKI, SKI or AIA, 2.9.10
/// takes them. (RSA-512 and RSA-1024 issuers are left out: Python's OpenSSL will not
/// present such a chain, and tlsctl cannot check them as Go 1.19 does.)
#[test]
fn interop_go_matrix_client_certificates_are_judged_as_each_nats_server_release_does() {
    if !enabled() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (_, _, dir) = run_go(tmp.path());
    let find = |suffix: &str| -> String {
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(&format!("-{suffix}.chain.pem")))
            .collect();
        names.sort();
        names
            .first()
            .unwrap_or_else(|| panic!("no case {suffix}"))
            .trim_end_matches(".chain.pem")
            .to_owned()
    };
    let server = find("baseline");
    let cases = [
        "baseline",
        "serial-leaf-negative",
        "leaf-aki-critical",
        "leaf-ski-critical",
        "unknown-ext-leaf-critical",
        "leaf-eku-server",
        "intermediate-eku-server",
        "ca-true-leaf-issued-by-intermediate",
        "leaf-expired",
        "nc-intermediate-email-permitted-domain",
        "nc-intermediate-email-excluded-domain",
        "leaf-aia-critical",
        "intermediate-aki-critical",
        "root-v3-without-basic-constraints",
        "pathlen-0-root-self-issued-intermediate",
    ];
    let mut seen = Vec::new();
    for bin in crate::natsrv::nats_binaries() {
        let release = if bin.version.starts_with("2.9") {
            GoRelease::Go1_19
        } else {
            GoRelease::Current
        };
        for case in cases {
            let base = find(case);
            let chain = certs(&dir.join(format!("{base}.chain.pem")));
            let now = OffsetDateTime::now_utc();
            let anchors = Anchors::new(certs(&dir.join(format!("{base}.ca.pem"))), now);
            let predicted = verify::go_verify(
                &anchors,
                &chain[0],
                &chain[1..],
                Purpose::Client,
                None,
                now,
                release,
            );
            let port = crate::natsrv::free_port();
            let config = format!(
                "listen: 127.0.0.1:{port}\ntls {{\n  cert_file: \"{server}.chain.pem\"\n  \
                 key_file: \"{server}.key.pem\"\n  ca_file: \"{base}.ca.pem\"\n  verify: true\n  \
                 timeout: 2\n}}\n"
            );
            let srv = crate::natsrv::NatsServer::start_with(
                &bin,
                &dir,
                &format!("client-{case}-{}", bin.version),
                &config,
                port,
            );
            let (ok, _, err) = crate::natsrv::python_client(
                &dir,
                &[
                    &format!("127.0.0.1:{port}"),
                    "--ca",
                    &format!("{server}.ca.pem"),
                    "--cert",
                    &format!("{base}.chain.pem"),
                    "--key",
                    &format!("{base}.key.pem"),
                    "--sni",
                    "node.example.com",
                ],
            );
            assert_eq!(
                ok,
                predicted.is_ok(),
                "nats-server {} with client {case}: tlsctl predicted {:?}, the client {}: {err}\n{}",
                bin.version,
                predicted.as_ref().map_err(|f| &f.go_error),
                if ok { "connected" } else { "was refused" },
                srv.log_text()
            );
            if let Err(f) = &predicted {
                // nats-server logs Go's own words.
                let log = srv.log_text();
                let class = error_class(&f.go_error);
                let class = class.rsplit("tls: ").next().unwrap_or(class);
                let class = class.split(": x509: ").last().unwrap_or(class);
                assert!(
                    log.contains(class.trim_start_matches("x509: ")),
                    "nats-server {} log lacks {class:?}:\n{log}",
                    bin.version
                );
            }
            seen.push((bin.version, case, ok));
        }
    }
    for s in &seen {
        eprintln!(
            "agreed: nats-server {} client {}: {}",
            s.0,
            s.1,
            if s.2 { "accepted" } else { "refused" }
        );
    }
    let outcome = |v: &str, c: &str| seen.iter().find(|s| s.0 == v && s.1 == c).map(|s| s.2);
    assert_eq!(outcome("2.9.10", "serial-leaf-negative"), Some(true));
    assert_eq!(outcome("2.15.1", "serial-leaf-negative"), Some(false));
    assert_eq!(outcome("2.9.10", "leaf-aki-critical"), Some(true));
    assert_eq!(outcome("2.15.1", "leaf-aki-critical"), Some(false));
}
