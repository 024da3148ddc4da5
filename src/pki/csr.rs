//! Certificate signing requests to sign (`tlsctl cert sign REQ.csr`): the
//! request's own signature checked (proof that its sender holds the key),
//! its subject and SANs taken through the same SAN rules as `cert issue`,
//! and a request for a CA certificate refused.

use rcgen::DistinguishedName;
use thiserror::Error;
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer;

use super::cert::CsrInfo;
use super::issue::{self, IssueError};
use super::san::{self, SanSpec};

#[derive(Debug, Error)]
pub enum CsrError {
    #[error("not a certificate signing request: {0}")]
    Malformed(String),
    #[error(
        "the request's signature does not verify: it was altered, or not made with the key it \
         names"
    )]
    BadSignature,
    #[error("the request asks for a CA certificate (CA:TRUE); tlsctl signs leaves only")]
    RequestsCa,
    #[error("the request's SAN {value:?} is refused: {reason}")]
    San { value: String, reason: String },
    #[error("the request holds a SAN of a kind tlsctl does not issue ({0})")]
    UnsupportedSan(String),
    #[error(transparent)]
    Issue(#[from] IssueError),
}

/// What a request asks for, checked.
pub struct SigningRequest {
    /// The subject, attribute by attribute as the request spells it.
    pub subject: DistinguishedName,
    /// The SANs, through the SAN rules (kind from the text, wildcards).
    pub sans: Vec<SanSpec>,
    /// The requester's public key (DER SubjectPublicKeyInfo).
    pub spki: Vec<u8>,
    /// The model `inspect` shows (subject text, key, signature algorithm).
    pub info: CsrInfo,
}

/// Reads a request from DER: its signature verified, CA:TRUE refused, the
/// SANs checked by the rules `cert issue` applies.
pub fn read_request(der: &[u8]) -> Result<SigningRequest, CsrError> {
    let (_, csr) =
        X509CertificationRequest::from_der(der).map_err(|e| CsrError::Malformed(e.to_string()))?;
    csr.verify_signature().map_err(|_| CsrError::BadSignature)?;
    let info = &csr.certification_request_info;
    let mut sans: Vec<SanSpec> = Vec::new();
    if let Some(exts) = csr.requested_extensions() {
        for ext in exts {
            match ext {
                ParsedExtension::BasicConstraints(bc) if bc.ca => return Err(CsrError::RequestsCa),
                ParsedExtension::SubjectAlternativeName(names) => {
                    for name in &names.general_names {
                        let text = san_text(name)?;
                        let spec = san::parse_san(&text).map_err(|e| CsrError::San {
                            value: text.clone(),
                            reason: e.reason,
                        })?;
                        if !sans.contains(&spec) {
                            sans.push(spec);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    Ok(SigningRequest {
        subject: issue::dn_of(&info.subject)?,
        sans,
        spki: info.subject_pki.raw.to_vec(),
        info: CsrInfo::parse(der).map_err(|e| CsrError::Malformed(e.to_string()))?,
    })
}

/// A SAN as the text `cert issue` takes for it.
fn san_text(name: &GeneralName<'_>) -> Result<String, CsrError> {
    Ok(match name {
        GeneralName::DNSName(s) | GeneralName::RFC822Name(s) | GeneralName::URI(s) => {
            (*s).to_owned()
        }
        GeneralName::IPAddress(bytes) => {
            if let Ok(b) = <[u8; 4]>::try_from(*bytes) {
                std::net::Ipv4Addr::from(b).to_string()
            } else if let Ok(b) = <[u8; 16]>::try_from(*bytes) {
                std::net::Ipv6Addr::from(b).to_string()
            } else {
                return Err(CsrError::UnsupportedSan(
                    "an IP address of odd length".into(),
                ));
            }
        }
        other => return Err(CsrError::UnsupportedSan(format!("{other}"))),
    })
}
