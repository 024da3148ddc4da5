//! Go's Certificate.Verify (verify.go) as nats-server calls it: isValid,
//! buildChains with findPotentialParents' order, CheckSignatureFrom,
//! checkChainForKeyUsage. Each failure keeps the data Go's error has.

use aws_lc_rs::signature::{self, UnparsedPublicKey, VerificationAlgorithm};

use super::gocert::{Curve, GoCert, KU_CERT_SIGN, PublicKey, SigAlg};
use super::{GoRelease, Purpose, names};

/// Which pool a certificate of a chain came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Leaf,
    Root(usize),
    Intermediate(usize),
}

/// Why CheckSignatureFrom(parent) failed: Go's hint in
/// "certificate signed by unknown authority (possibly because of ...)".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// ConstraintViolationError: the parent is not a CA (v3 without
    /// basicConstraints, CA:FALSE) or its key usage lacks keyCertSign.
    CannotSign(&'static str),
    Insecure(SigAlg),
    Unsupported(String),
    Verification(&'static str),
    /// Go 1.24+: RSA keys under 1024 bits.
    KeyTooSmall(usize),
    /// A signature Go checks that tlsctl cannot (P-224, RSA outside
    /// 1024..=8192 bits): judged as not verifying.
    Uncheckable(String),
}

impl Hint {
    pub fn go_text(&self, release: GoRelease) -> String {
        match self {
            Hint::CannotSign(_) => {
                "x509: invalid signature: parent certificate cannot sign this kind of certificate"
                    .to_owned()
            }
            Hint::Insecure(alg) => {
                let sha1 = matches!(alg, SigAlg::RsaSha1 | SigAlg::EcdsaSha1);
                format!(
                    "x509: cannot verify signature: insecure algorithm {}{}",
                    alg.go_name(),
                    if sha1 && release == GoRelease::Go1_19 {
                        " (temporarily override with GODEBUG=x509sha1=1)"
                    } else {
                        ""
                    }
                )
            }
            Hint::Unsupported(s) | Hint::Uncheckable(s) => s.clone(),
            Hint::Verification(s) => (*s).to_owned(),
            Hint::KeyTooSmall(bits) => format!(
                "crypto/rsa: {bits}-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)"
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GoErr {
    UnhandledCritical(Who),
    Expired(Who),
    NotYetValid(Who),
    Hostname(String),
    NameConstraint(Who, String),
    NotAuthorizedToSign(Who),
    TooManyIntermediates(Who, usize),
    IncompatibleUsage(Vec<Who>),
    UnknownAuthority(Who, Option<(Who, Hint)>),
    SignatureLimit,
}

pub struct Pools<'a> {
    pub leaf: &'a GoCert,
    pub roots: &'a [&'a GoCert],
    pub intermediates: &'a [&'a GoCert],
    pub at: i64,
    pub release: GoRelease,
}

const MAX_SIGNATURE_CHECKS: usize = 100;

impl<'a> Pools<'a> {
    pub fn cert(&self, who: Who) -> &'a GoCert {
        match who {
            Who::Leaf => self.leaf,
            Who::Root(i) => self.roots.get(i).copied().unwrap_or(self.leaf),
            Who::Intermediate(i) => self.intermediates.get(i).copied().unwrap_or(self.leaf),
        }
    }

    /// Certificate.Verify: the chain found first, leaf to root.
    pub fn verify(&self, purpose: Purpose, host: Option<&str>) -> Result<Vec<Who>, GoErr> {
        self.is_valid(Who::Leaf, &[])?;
        if let Some(host) = host.filter(|h| !h.is_empty()) {
            names::verify_hostname(self.leaf, host).map_err(GoErr::Hostname)?;
        }
        let chains = if self.roots.iter().any(|r| r.raw == self.leaf.raw) {
            vec![vec![Who::Leaf]]
        } else {
            let mut checks = 0;
            self.build_chains(vec![Who::Leaf], &mut checks)?
        };
        let first = chains.first().cloned().unwrap_or_default();
        chains
            .into_iter()
            .find(|c| self.chain_allows(c, purpose))
            .ok_or(GoErr::IncompatibleUsage(first))
    }

    /// checkChainForKeyUsage for one requested usage.
    pub fn chain_allows(&self, chain: &[Who], purpose: Purpose) -> bool {
        chain.iter().all(|&w| cert_allows(self.cert(w), purpose))
    }

    fn is_valid(&self, who: Who, chain: &[Who]) -> Result<(), GoErr> {
        let c = self.cert(who);
        if !c.unhandled_critical.is_empty() {
            return Err(GoErr::UnhandledCritical(who));
        }
        if self.at < c.not_before {
            return Err(GoErr::NotYetValid(who));
        }
        if self.at > c.not_after {
            return Err(GoErr::Expired(who));
        }
        if who != Who::Leaf && c.has_name_constraints {
            let mut to_check = Vec::new();
            if self.leaf.has_san {
                to_check.push(self.leaf);
            }
            if c.has_san {
                to_check.push(c);
            }
            let mut count = 0;
            for san_cert in to_check {
                names::check_constraints(c, san_cert, &mut count)
                    .map_err(|detail| GoErr::NameConstraint(who, detail))?;
            }
        }
        if matches!(who, Who::Intermediate(_)) && (!c.bc_valid || !c.is_ca) {
            return Err(GoErr::NotAuthorizedToSign(who));
        }
        let intermediates = chain.len().saturating_sub(1);
        if c.bc_valid
            && c.max_path_len >= 0
            && i64::try_from(intermediates).unwrap_or(i64::MAX) > c.max_path_len
        {
            return Err(GoErr::TooManyIntermediates(who, intermediates));
        }
        Ok(())
    }

    fn potential_parents(&self, child: &GoCert, roots: bool) -> Vec<Who> {
        let pool = if roots {
            self.roots
        } else {
            self.intermediates
        };
        let mut matching = Vec::new();
        let mut one = Vec::new();
        let mut mismatch = Vec::new();
        for (i, c) in pool.iter().enumerate() {
            if c.raw_subject() != child.raw_issuer() {
                continue;
            }
            let who = if roots {
                Who::Root(i)
            } else {
                Who::Intermediate(i)
            };
            let ski = &c.subject_key_id;
            let aki = &child.authority_key_id;
            if ski == aki {
                matching.push(who);
            } else if ski.is_empty() != aki.is_empty() {
                one.push(who);
            } else {
                mismatch.push(who);
            }
        }
        matching.extend(one);
        matching.extend(mismatch);
        matching
    }

    fn already_in_chain(&self, candidate: &GoCert, chain: &[Who]) -> bool {
        chain.iter().any(|&w| {
            let c = self.cert(w);
            c.raw_subject() == candidate.raw_subject()
                && c.key == candidate.key
                && match (c.has_san, candidate.has_san) {
                    (false, false) => true,
                    (true, true) => c.sans == candidate.sans,
                    _ => false,
                }
        })
    }

    fn build_chains(&self, chain: Vec<Who>, checks: &mut usize) -> Result<Vec<Vec<Who>>, GoErr> {
        let Some(&last) = chain.last() else {
            return Ok(Vec::new());
        };
        let child = self.cert(last);
        let mut hint: Option<(Who, Hint)> = None;
        let mut err: Option<GoErr> = None;
        let mut chains = Vec::new();
        let candidates: Vec<Who> = self
            .potential_parents(child, true)
            .into_iter()
            .chain(self.potential_parents(child, false))
            .collect();
        for who in candidates {
            let candidate = self.cert(who);
            if self.already_in_chain(candidate, &chain) {
                continue;
            }
            *checks += 1;
            if *checks > MAX_SIGNATURE_CHECKS {
                err = Some(GoErr::SignatureLimit);
                continue;
            }
            if let Err(h) = check_signature_from(child, candidate, self.release) {
                if hint.is_none() {
                    hint = Some((who, h));
                }
                continue;
            }
            if let Err(e) = self.is_valid(who, &chain) {
                err = Some(e);
                continue;
            }
            let mut next = chain.clone();
            next.push(who);
            match who {
                Who::Root(_) => chains.push(next),
                _ => match self.build_chains(next, checks) {
                    Ok(found) => {
                        err = None;
                        chains.extend(found);
                    }
                    Err(e) => err = Some(e),
                },
            }
        }
        if !chains.is_empty() {
            return Ok(chains);
        }
        Err(err.unwrap_or(GoErr::UnknownAuthority(last, hint)))
    }
}

/// Whether a certificate's EKU lets `purpose` through (checkChainForKeyUsage).
pub fn cert_allows(c: &GoCert, purpose: Purpose) -> bool {
    if c.ekus.is_empty() && c.unknown_ekus == 0 {
        return true;
    }
    c.ekus
        .iter()
        .any(|e| *e == "anyExtendedKeyUsage" || *e == purpose.eku_name())
}

/// Certificate.CheckSignatureFrom.
pub fn check_signature_from(
    child: &GoCert,
    parent: &GoCert,
    release: GoRelease,
) -> Result<(), Hint> {
    if parent.version == 3 && !parent.bc_valid {
        return Err(Hint::CannotSign(
            "it is a v3 certificate without basicConstraints",
        ));
    }
    if parent.bc_valid && !parent.is_ca {
        return Err(Hint::CannotSign("it is not a CA (CA:FALSE)"));
    }
    if parent.key_usage != 0 && parent.key_usage & KU_CERT_SIGN == 0 {
        return Err(Hint::CannotSign("its key usage lacks keyCertSign"));
    }
    if parent.key == PublicKey::Unknown {
        return Err(Hint::Unsupported(
            "x509: cannot verify signature: algorithm unimplemented".to_owned(),
        ));
    }
    check_signature(
        child.sig_alg,
        child.tbs(),
        &child.signature,
        &parent.key,
        release,
    )
}

fn check_signature(
    alg: SigAlg,
    signed: &[u8],
    sig: &[u8],
    key: &PublicKey,
    release: GoRelease,
) -> Result<(), Hint> {
    use SigAlg as A;
    let unimplemented =
        || Hint::Unsupported("x509: cannot verify signature: algorithm unimplemented".to_owned());
    match alg {
        A::RsaMd5 | A::RsaSha1 | A::EcdsaSha1 => return Err(Hint::Insecure(alg)),
        A::Other => return Err(unimplemented()),
        _ => {}
    }
    let mismatch = |wants: &str| {
        Hint::Unsupported(format!(
            "x509: signature algorithm specifies an {wants} public key, but have public key of type {}",
            match key {
                PublicKey::Rsa { .. } => "*rsa.PublicKey",
                PublicKey::Ec { .. } => "*ecdsa.PublicKey",
                PublicKey::Ed25519(_) => "ed25519.PublicKey",
                PublicKey::Unknown => "unknown",
            }
        ))
    };
    let (verifier, public): (&'static dyn VerificationAlgorithm, &[u8]) = match (alg, key) {
        (A::RsaSha256 | A::RsaSha384 | A::RsaSha512, PublicKey::Rsa { pkcs1, bits }) => {
            let bits = *bits;
            if bits < 1024 {
                return Err(if release.rejects_small_rsa() {
                    Hint::KeyTooSmall(bits)
                } else {
                    Hint::Uncheckable(format!(
                        "tlsctl cannot check signatures by {bits}-bit RSA keys (Go 1.19 can)"
                    ))
                });
            }
            if bits > 8192 {
                return Err(Hint::Uncheckable(format!(
                    "tlsctl cannot check signatures by {bits}-bit RSA keys"
                )));
            }
            let v: &'static dyn VerificationAlgorithm = match alg {
                A::RsaSha256 => &signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
                A::RsaSha512 => &signature::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
                _ if bits >= 2048 => &signature::RSA_PKCS1_2048_8192_SHA384,
                _ => {
                    return Err(Hint::Uncheckable(format!(
                        "tlsctl cannot check SHA-384 signatures by {bits}-bit RSA keys"
                    )));
                }
            };
            (v, pkcs1.as_slice())
        }
        (A::RsaPssSha256 | A::RsaPssSha384 | A::RsaPssSha512, PublicKey::Rsa { pkcs1, bits }) => {
            let bits = *bits;
            if bits < 1024 && release.rejects_small_rsa() {
                return Err(Hint::KeyTooSmall(bits));
            }
            if !(2048..=8192).contains(&bits) {
                return Err(Hint::Uncheckable(format!(
                    "tlsctl cannot check RSASSA-PSS signatures by {bits}-bit RSA keys"
                )));
            }
            let v: &'static dyn VerificationAlgorithm = match alg {
                A::RsaPssSha256 => &signature::RSA_PSS_2048_8192_SHA256,
                A::RsaPssSha384 => &signature::RSA_PSS_2048_8192_SHA384,
                _ => &signature::RSA_PSS_2048_8192_SHA512,
            };
            (v, pkcs1.as_slice())
        }
        (
            A::RsaSha256
            | A::RsaSha384
            | A::RsaSha512
            | A::RsaPssSha256
            | A::RsaPssSha384
            | A::RsaPssSha512,
            _,
        ) => return Err(mismatch("RSA")),
        (A::EcdsaSha256 | A::EcdsaSha384 | A::EcdsaSha512, PublicKey::Ec { curve, point }) => {
            let v: &'static dyn VerificationAlgorithm = match (curve, alg) {
                (Curve::P256, A::EcdsaSha256) => &signature::ECDSA_P256_SHA256_ASN1,
                (Curve::P256, A::EcdsaSha384) => &signature::ECDSA_P256_SHA384_ASN1,
                (Curve::P256, _) => &signature::ECDSA_P256_SHA512_ASN1,
                (Curve::P384, A::EcdsaSha256) => &signature::ECDSA_P384_SHA256_ASN1,
                (Curve::P384, A::EcdsaSha384) => &signature::ECDSA_P384_SHA384_ASN1,
                (Curve::P384, _) => &signature::ECDSA_P384_SHA512_ASN1,
                (Curve::P521, A::EcdsaSha256) => &signature::ECDSA_P521_SHA256_ASN1,
                (Curve::P521, A::EcdsaSha384) => &signature::ECDSA_P521_SHA384_ASN1,
                (Curve::P521, _) => &signature::ECDSA_P521_SHA512_ASN1,
                (Curve::P224, _) => {
                    return Err(Hint::Uncheckable(
                        "tlsctl cannot check P-224 signatures (Go can)".to_owned(),
                    ));
                }
            };
            (v, point.as_slice())
        }
        (A::EcdsaSha256 | A::EcdsaSha384 | A::EcdsaSha512, _) => return Err(mismatch("ECDSA")),
        (A::Ed25519, PublicKey::Ed25519(k)) => (&signature::ED25519, k.as_slice()),
        (A::Ed25519, _) => return Err(mismatch("Ed25519")),
        _ => return Err(unimplemented()),
    };
    UnparsedPublicKey::new(verifier, public)
        .verify(signed, sig)
        .map_err(|_| {
            Hint::Verification(match key {
                PublicKey::Rsa { .. } => "crypto/rsa: verification error",
                PublicKey::Ec { .. } => "x509: ECDSA verification failure",
                _ => "x509: Ed25519 verification failure",
            })
        })
}
