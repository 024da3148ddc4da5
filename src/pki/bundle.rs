//! Trust bundles: the canonical text tlsctl writes for a set of CA
//! certificates, each preceded by `#` comment lines (outside the PEM block:
//! Go's loader skips blocks that carry PEM headers).

use super::cert::CertInfo;
use super::reader::encode_pem;
use super::render::format_time;

/// One certificate in canonical form: comments, then the PEM block.
pub fn render_entry(info: &CertInfo, der: &[u8]) -> String {
    let mut s = String::new();
    s.push_str(&format!("# Subject: {}\n", one_line(&info.subject)));
    s.push_str(&format!("# Issuer: {}\n", one_line(&info.issuer)));
    s.push_str(&format!(
        "# Validity: {} to {}\n",
        format_time(info.not_before),
        format_time(info.not_after)
    ));
    s.push_str(&format!("# SPKI pin (sha256): {}\n", info.pin_sha256));
    s.push_str(&encode_pem("CERTIFICATE", der));
    s
}

/// Renders entries one after another, separated by blank lines.
pub fn render(entries: &[(CertInfo, Vec<u8>)]) -> String {
    entries
        .iter()
        .map(|(info, der)| render_entry(info, der))
        .collect::<Vec<_>>()
        .join("\n")
}

fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
