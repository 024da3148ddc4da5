//! Signing a certificate signing request with a store CA (`tlsctl cert
//! sign REQ.csr`), as mkcert `-csr`, `step certificate sign` and `openssl
//! x509 -req` do: the request's signature checked, its subject and SANs
//! kept (or the SANs replaced), a CA request refused, key usage by key type.

use std::path::PathBuf;

use anyhow::{Context, Result, anyhow};
use serde::Serialize;

use super::issue::{cert_file_text, refuse_existing, resolve_ca, root_bundle_text, warn_capped};
use super::{Env, Outcome, Warnings, absolute};
use crate::pki::csr::{self, CsrError};
use crate::pki::issue::{self, BACKDATE, KeyType, LeafKey, LeafRequest, Usage, Window};
use crate::pki::reader::{self, Item};
use crate::pki::san::SanSpec;
use crate::pki::{CertInfo, CsrInfo};
use crate::store::{self, MODE_PUBLIC, Overwrite, VersionedFile};

/// Where the signed certificate goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignDestination {
    /// DIR/cert.pem and DIR/ca.pem, versioned as `cert issue --out` lays
    /// them out (no key: the requester keeps it).
    Dir(PathBuf),
    /// One certificate file.
    File(PathBuf),
    /// Nowhere: the caller prints the certificate.
    Stdout,
}

#[derive(Debug, Clone)]
pub struct SignSpec {
    pub csr: PathBuf,
    /// The store CA; the default CA (created on first use) when `None`.
    pub ca: Option<String>,
    pub usage: Usage,
    pub days: i64,
    pub destination: SignDestination,
    /// Put the CA's intermediates after the leaf.
    pub chain: bool,
    /// SANs that replace the request's.
    pub sans: Option<Vec<SanSpec>>,
    pub replace: bool,
}

/// A request for a server or dual-use certificate without SANs.
#[derive(Debug, thiserror::Error)]
#[error(
    "{csr}: the request names no SANs, and TLS clients (Go, NATS) ignore the CN ({subject}); \
     only a client certificate may go without"
)]
pub struct RequestWithoutSans {
    pub csr: String,
    pub subject: String,
}

#[derive(Debug, Serialize)]
pub struct SignReport {
    pub csr: String,
    pub request: CsrInfo,
    /// Whether the SANs came from the request (false: replaced).
    pub sans_from_request: bool,
    pub ca: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cert_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_path: Option<String>,
    pub created_default_ca: bool,
    pub capped_at_ca_expiry: bool,
    pub certificate: CertInfo,
    /// The certificate file's text (leaf, then the chain with `chain`).
    pub certificate_pem: String,
}

/// Signs the request at `spec.csr`.
pub fn sign(env: &Env, spec: &SignSpec) -> Result<Outcome<SignReport>> {
    let now = env.now();
    let mut warnings = Warnings::default();
    let input = store::k8s::read_input_or_manifest(&spec.csr, false)?;
    let items = reader::read_strict(&input.bytes).map_err(|e| anyhow!("{}: {e}", input.name))?;
    let der = items
        .iter()
        .find_map(|(_, item)| match item {
            Item::Csr(der) => Some(der.as_ref().to_vec()),
            _ => None,
        })
        .with_context(|| format!("{}: holds no certificate signing request", input.name))?;
    let request = csr::read_request(&der).map_err(|e: CsrError| anyhow!("{}: {e}", input.name))?;
    let sans_from_request = spec.sans.is_none();
    let sans = spec.sans.clone().unwrap_or_else(|| request.sans.clone());
    if sans.is_empty() && spec.usage != Usage::Client {
        return Err(RequestWithoutSans {
            csr: input.name.clone(),
            subject: request.info.subject.clone(),
        }
        .into());
    }
    let destination = match &spec.destination {
        SignDestination::Dir(d) => {
            let d = absolute(d);
            refuse_existing(
                &[&d.join("cert.pem"), &d.join("ca.pem")],
                spec.replace,
                true,
            )?;
            SignDestination::Dir(d)
        }
        SignDestination::File(f) => {
            let f = absolute(f);
            refuse_existing(&[f.as_path()], spec.replace, false)?;
            SignDestination::File(f)
        }
        SignDestination::Stdout => SignDestination::Stdout,
    };
    let window = Window::days_from(now - BACKDATE, spec.days)?;
    let rsa = KeyType::of_spki(&request.spki).is_some_and(KeyType::is_rsa);
    let public = issue::public_key(&request.spki)?;

    let store_dir = env.store()?;
    let _lock = store_dir.lock()?;
    let (stored_ca, signer, created_default) =
        resolve_ca(&store_dir, spec.ca.as_deref(), now, &mut warnings)?;
    let chain = super::ca::chain_from(&store_dir, stored_ca.clone())?;
    let req = LeafRequest {
        sans,
        subject: request.subject.clone(),
        usage: spec.usage,
        window,
        rsa,
    };
    let issued = issue::issue_leaf(&req, LeafKey::Public(&public), &signer, now)?;
    if issued.capped {
        warn_capped(&signer, &mut warnings);
    }
    let certificate = CertInfo::parse(&issued.cert, now)?;
    let cert_text = cert_file_text(&certificate, &issued.cert, &chain, spec.chain, now)?;
    let overwrite = if spec.replace {
        Overwrite::Allow
    } else {
        Overwrite::Never
    };
    let (cert_path, ca_path) = match &destination {
        SignDestination::Dir(dir) => {
            let ca_text = root_bundle_text(&chain, now)?;
            store::write_versioned(
                dir,
                &[
                    VersionedFile {
                        name: "cert.pem",
                        contents: cert_text.as_bytes(),
                        mode: MODE_PUBLIC,
                    },
                    VersionedFile {
                        name: "ca.pem",
                        contents: ca_text.as_bytes(),
                        mode: MODE_PUBLIC,
                    },
                ],
                overwrite,
            )?;
            (Some(dir.join("cert.pem")), Some(dir.join("ca.pem")))
        }
        SignDestination::File(f) => {
            store::write_atomic(f, cert_text.as_bytes(), MODE_PUBLIC, overwrite)?;
            (Some(f.clone()), None)
        }
        SignDestination::Stdout => (None, None),
    };
    Ok(warnings.finish(SignReport {
        csr: input.name,
        request: request.info,
        sans_from_request,
        ca: stored_ca.name,
        cert_path: cert_path.map(|p| p.display().to_string()),
        ca_path: ca_path.map(|p| p.display().to_string()),
        created_default_ca: created_default,
        capped_at_ca_expiry: issued.capped,
        certificate,
        certificate_pem: cert_text,
    }))
}
