//! CAs in the store: create (a root, or an intermediate under a parent),
//! list as a tree, load one with its key to sign, and its chain to the root.

use anyhow::{Context, Result, bail};
use serde::Serialize;
use time::OffsetDateTime;

use super::{Env, Outcome, Warnings};
use crate::pki::issue::{self, BACKDATE, CaRequest, KeyType, Signer, Window};
use crate::pki::{CertInfo, Validity, bundle};
use crate::store::{CaMeta, Overwrite, Store, StoredCa};

/// The CA `cert issue` uses (and creates) when none is named.
pub const DEFAULT_CA: &str = "default";

/// Default validity of a root, in days.
pub const ROOT_DAYS: i64 = 3650;
/// Default validity of an intermediate, in days.
pub const INTERMEDIATE_DAYS: i64 = 1825;

/// A CA to create.
#[derive(Debug, Clone)]
pub struct CaSpec {
    pub name: String,
    /// The store CA that signs it; `None` for a root.
    pub parent: Option<String>,
    /// Common name; the store name when `None`.
    pub cn: Option<String>,
    /// Organisation; "tlsctl" when `None`.
    pub org: Option<String>,
    pub key_type: KeyType,
    /// Validity; [`ROOT_DAYS`] or [`INTERMEDIATE_DAYS`] when `None`.
    pub days: Option<i64>,
    /// Path length; none for a root, 0 for an intermediate when `None`.
    pub path_len: Option<u8>,
    /// Start of validity; now (less a minute) when `None`. In the future,
    /// it stages a standby.
    pub not_before: Option<OffsetDateTime>,
    /// Replace an existing CA of that name.
    pub replace: bool,
}

impl CaSpec {
    /// A root with every default.
    pub fn root(name: &str) -> CaSpec {
        CaSpec {
            name: name.to_owned(),
            parent: None,
            cn: None,
            org: None,
            key_type: KeyType::EcdsaP256,
            days: None,
            path_len: None,
            not_before: None,
            replace: false,
        }
    }
}

/// A CA as the reports show it.
#[derive(Debug, Clone, Serialize)]
pub struct CaEntry {
    pub name: String,
    /// `root` or `intermediate`.
    pub role: &'static str,
    pub parent: Option<String>,
    pub key_type: String,
    pub cert_path: String,
    /// The certificate is not valid yet: a staged standby.
    pub staged: bool,
    pub certificate: CertInfo,
}

impl CaEntry {
    pub fn new(ca: &StoredCa, now: OffsetDateTime) -> Result<CaEntry> {
        let info = ca_info(ca, now)?;
        Ok(CaEntry {
            name: ca.name.clone(),
            role: if ca.meta.parent.is_some() {
                "intermediate"
            } else {
                "root"
            },
            parent: ca.meta.parent.clone(),
            key_type: ca.meta.key_type.clone(),
            cert_path: ca.cert_path().display().to_string(),
            staged: info.validity == Validity::NotYetValid,
            certificate: info,
        })
    }
}

/// What `create` did.
#[derive(Debug, Clone)]
pub struct Created {
    pub ca: StoredCa,
    pub entry: CaEntry,
    /// An existing CA of that name was replaced.
    pub replaced: bool,
}

/// Creates a CA, taking the store lock.
pub fn create(env: &Env, spec: &CaSpec) -> Result<Outcome<Created>> {
    let store = env.store()?;
    let lock = store.lock()?;
    let mut recovered = Warnings::default();
    recovered.recovered(&lock);
    let mut outcome = create_locked(&store, spec, env.now())?;
    let mut warnings = recovered.finish(()).warnings;
    warnings.append(&mut outcome.warnings);
    outcome.warnings = warnings;
    Ok(outcome)
}

/// Creates a CA in a store whose lock the caller holds (`cert issue`
/// creates the default CA this way).
pub fn create_locked(
    store: &Store,
    spec: &CaSpec,
    now: OffsetDateTime,
) -> Result<Outcome<Created>> {
    crate::store::layout::check_name(&spec.name)?;
    let overwrite = if spec.replace {
        Overwrite::Allow
    } else {
        Overwrite::Never
    };
    let existed = store.ca_exists(&spec.name);
    if existed && !spec.replace {
        return Err(crate::store::CaExists {
            name: spec.name.clone(),
            store: store.root.clone(),
        }
        .into());
    }
    let parent = match &spec.parent {
        Some(p) if *p == spec.name => bail!("a CA cannot be its own parent"),
        Some(p) => Some(signer(store, p, now)?),
        None => None,
    };
    let default_days = if parent.is_some() {
        INTERMEDIATE_DAYS
    } else {
        ROOT_DAYS
    };
    let start = spec.not_before.unwrap_or(now - BACKDATE);
    let window = Window::days_from(start, spec.days.unwrap_or(default_days))?;
    let key = spec.key_type.generate()?;
    let req = CaRequest {
        common_name: spec.cn.clone().unwrap_or_else(|| spec.name.clone()),
        organization: Some(spec.org.clone().unwrap_or_else(|| "tlsctl".to_owned())),
        window,
        path_len: match (&parent, spec.path_len) {
            (_, Some(n)) => Some(n),
            (Some(_), None) => Some(0),
            (None, None) => None,
        },
        parent: parent.as_ref().map(|(_, s)| s),
    };
    let der = issue::issue_ca(&req, &key, now).with_context(|| match &spec.parent {
        Some(p) => format!("creating {:?} under {p:?}", spec.name),
        None => format!("creating {:?}", spec.name),
    })?;
    let info = CertInfo::parse(&der, now)?;
    let meta = CaMeta {
        name: spec.name.clone(),
        parent: spec.parent.clone(),
        key_type: spec.key_type.name().to_owned(),
        created: now,
    };
    let cert_pem = bundle::render_entry(&info, &der);
    let key_pem = key.serialize_pem();
    // What the old CA issued chains to it, not to the new one: named below.
    let orphans = if existed {
        store.issued_by(&spec.name)?
    } else {
        Vec::new()
    };
    let written =
        store.write_ca_keeping(&meta, cert_pem.as_bytes(), key_pem.as_bytes(), overwrite)?;
    let ca = store.load_ca(&spec.name)?;
    let entry = CaEntry::new(&ca, now)?;
    let mut warnings = Warnings::default();
    if let Some(kept) = &written.kept {
        let default = if spec.name == DEFAULT_CA {
            "the default CA, which `cert issue` signs with when no CA is named, "
        } else {
            ""
        };
        warnings.push(
            "replaced-ca",
            format!(
                "replaced {}{:?}; the old CA is kept in {} (its key 0600)",
                default,
                spec.name,
                kept.display()
            ),
        );
    }
    if !orphans.is_empty() {
        let paths: Vec<String> = orphans
            .iter()
            .map(|r| r.cert.display().to_string())
            .collect();
        warnings.push(
            "orphaned-certificates",
            format!(
                "{} certificate{} issued by the old {:?} no longer chain to it, and peers \
                 trusting only the new CA will refuse them: {}; renew them from the new CA",
                orphans.len(),
                if orphans.len() == 1 { "" } else { "s" },
                spec.name,
                paths.join(", ")
            ),
        );
    }
    if existed {
        let children = store.children_of(&ca.name)?;
        if !children.is_empty() {
            warnings.push(
                "orphaned-intermediates",
                format!(
                    "{} was replaced; its intermediates ({}) were signed by the old key \
                     and no longer chain to it: recreate them, replacing them too",
                    ca.name,
                    children.join(", ")
                ),
            );
        }
    }
    Ok(warnings.finish(Created {
        ca,
        entry,
        replaced: existed,
    }))
}

/// The store's CAs in tree order: each root, then its descendants, with
/// their depth.
pub fn list(store: &Store, now: OffsetDateTime) -> Result<Vec<(usize, CaEntry)>> {
    let entries = store
        .list_cas()?
        .iter()
        .map(|ca| CaEntry::new(ca, now))
        .collect::<Result<Vec<_>>>()?;
    Ok(tree_order(entries))
}

/// Entries in tree order: each root, then its descendants.
pub fn tree_order(entries: Vec<CaEntry>) -> Vec<(usize, CaEntry)> {
    fn visit(
        name: Option<&str>,
        depth: usize,
        pool: &mut Vec<CaEntry>,
        out: &mut Vec<(usize, CaEntry)>,
    ) {
        let (mine, rest): (Vec<CaEntry>, Vec<CaEntry>) =
            pool.drain(..).partition(|e| e.parent.as_deref() == name);
        *pool = rest;
        for entry in mine {
            let child_name = entry.name.clone();
            out.push((depth, entry));
            visit(Some(&child_name), depth + 1, pool, out);
        }
    }
    let mut pool = entries;
    let mut out = Vec::new();
    visit(None, 0, &mut pool, &mut out);
    // Orphans (a parent missing from the store) at the top level.
    out.extend(pool.into_iter().map(|e| (0, e)));
    out
}

/// A store CA, loaded with its key, ready to sign.
pub fn signer(store: &Store, name: &str, now: OffsetDateTime) -> Result<(StoredCa, Signer)> {
    let ca = store.load_ca(name)?;
    if !crate::store::exists(&ca.key_path()) {
        bail!(
            "the CA {name:?} holds no key in the store (it came in as the chain of an imported \
             CA); to sign with it, import it with its key: tlsctl ca import {name} --cert \
             CERT --key KEY --force"
        );
    }
    let key = store.load_ca_key(&ca)?;
    let signer =
        Signer::new(name, ca.cert.clone(), key, now).with_context(|| format!("CA {name:?}"))?;
    Ok((ca, signer))
}

/// A CA and its ancestors, the CA first and the root last.
pub fn chain(store: &Store, name: &str) -> Result<Vec<StoredCa>> {
    chain_from(store, store.load_ca(name)?)
}

/// [`chain`] of a CA already loaded (a signer's): it is not read again.
pub fn chain_from(store: &Store, ca: StoredCa) -> Result<Vec<StoredCa>> {
    let name = ca.name.clone();
    let mut chain = vec![ca];
    while let Some(parent) = chain.last().and_then(|c| c.meta.parent.clone()) {
        if chain.iter().any(|c| c.name == parent) || chain.len() > 16 {
            bail!("the CA chain of {name:?} loops at {parent:?}; the store is damaged");
        }
        chain.push(store.load_ca(&parent)?);
    }
    Ok(chain)
}

/// The certificate model of a store CA.
pub fn ca_info(ca: &StoredCa, now: OffsetDateTime) -> Result<CertInfo> {
    CertInfo::parse(&ca.cert, now).with_context(|| format!("{}", ca.cert_path().display()))
}
