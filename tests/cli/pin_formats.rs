//! `tlsctl pin --format`: the same SPKI SHA-256 in the spellings of NATS
//! (hex), certtool (`pin-sha256:` base64), curl (`sha256//`) and HPKP
//! (RFC 7469), checked against certtool on every fixture key type.

use crate::interop::{enabled, run_tool};
use crate::support::{fixture, fixtures, json_of, openssl_pins, stdout_of, tlsctl};

const CERTS: [&str; 7] = [
    "certs/ed25519.pem",
    "certs/p256.pem",
    "certs/p384.pem",
    "certs/p521.pem",
    "certs/rsa2048.pem",
    "certs/rsa3072.pem",
    "certs/rsa4096.pem",
];

fn hex_to_base64(hex: &str) -> String {
    // An independent base64 (RFC 4648) so the test does not reuse the code.
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, b| (n << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
        out.push_str(&"=".repeat(3 - chunk.len()));
    }
    out
}

#[test]
fn hex_stays_the_default_and_base64_is_the_same_digest() {
    let openssl: std::collections::HashMap<String, String> =
        openssl_pins().into_iter().map(|(p, f)| (f, p)).collect();
    for cert in CERTS {
        let hex = stdout_of(tlsctl().args(["pin", "--bare", cert]));
        let explicit = stdout_of(tlsctl().args(["pin", "--bare", "--format", "hex", cert]));
        assert_eq!(hex, explicit);
        assert_eq!(hex.trim(), openssl[cert]);
        let b64 = hex_to_base64(hex.trim());
        assert_eq!(
            stdout_of(tlsctl().args(["pin", "--bare", "--format", "base64", cert])).trim(),
            b64
        );
        assert_eq!(
            stdout_of(tlsctl().args(["pin", "--format", "curl", cert])),
            format!("sha256//{b64}  {cert}\n")
        );
        assert_eq!(
            stdout_of(tlsctl().args(["pin", "--bare", "--format", "rfc7469", cert])),
            format!("pin-sha256=\"{b64}\"\n")
        );
    }
}

#[test]
fn json_carries_the_format_and_the_written_pin_beside_the_hex() {
    let doc = json_of(tlsctl().args(["--json", "pin", "--format", "curl", "certs/p256.pem"]));
    assert_eq!(doc["format"], "curl");
    let row = &doc["pins"][0];
    let hex = row["pin_sha256"].as_str().unwrap();
    assert_eq!(
        row["pin"].as_str().unwrap(),
        format!("sha256//{}", hex_to_base64(hex))
    );
    assert_eq!(row["file"], "certs/p256.pem");
    // Without --format the document keeps its old shape.
    let plain = json_of(tlsctl().args(["--json", "pin", "certs/p256.pem"]));
    assert!(plain.get("format").is_none());
    assert!(plain["pins"][0].get("pin").is_none());
}

#[test]
fn nats_blocks_are_hex_only() {
    tlsctl()
        .args(["pin", "--nats", "--format", "base64", "certs/p256.pem"])
        .assert()
        .code(2);
}

#[test]
fn base64_pins_equal_certtool_pin_sha256_for_every_key_type() {
    if !enabled() {
        return;
    }
    for cert in CERTS {
        let info = run_tool(
            "certtool",
            &[
                "--certificate-info",
                "--infile",
                fixture(cert).to_str().unwrap(),
            ],
            &fixtures(),
        );
        let certtool = info
            .lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix("pin-sha256:"))
            .unwrap_or_else(|| panic!("certtool printed no pin-sha256 line for {cert}"));
        let ours = stdout_of(tlsctl().args(["pin", "--bare", "--format", "base64", cert]));
        assert_eq!(ours.trim(), certtool, "{cert}");
        // The public key and the private key give the same line.
        let stem = cert.trim_start_matches("certs/").trim_end_matches(".pem");
        let key = format!("keys/{stem}.pem");
        let key_info = run_tool(
            "certtool",
            &[
                "--pubkey-info",
                "--load-privkey",
                fixture(&key).to_str().unwrap(),
            ],
            &fixtures(),
        );
        assert!(
            key_info.contains(&format!("pin-sha256:{certtool}")),
            "{key}: {key_info}"
        );
        let ours = stdout_of(tlsctl().args(["pin", "--bare", "--format", "base64", &key]));
        assert_eq!(ours.trim(), certtool, "{key}");
    }
}
