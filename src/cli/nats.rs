//! `tlsctl nats config`: a ready NATS TLS block, with absolute paths and
//! pins, checked before it is printed: the certificate and key match, the
//! certificate's EKU fits the block, the options are ones nats-server takes
//! there, and the node's own certificate verifies against the bundle.

mod check;
mod explain;

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, anyhow, bail};
use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use serde::Serialize;

use super::lazy::Lazy;
use super::{Ctx, Status, output};
use crate::ops::{self, Warning, Warnings, absolute};
use crate::pki::nats::{self, Block, ConfigBlock, NamedPin, VerifyMode};
use crate::pki::render::format_time;
use crate::pki::verify::{self, Anchors, Purpose};
use crate::pki::{CertInfo, Validity, bundle, pin, reader};
use crate::store;

#[derive(Debug, Subcommand)]
pub enum NatsCommand {
    /// Print a ready NATS TLS config block for a certificate, key and CA bundle
    Config(Lazy<NatsConfigArgs>),
    /// Check nats-server configs: every TLS block, and which route, gateway or leafnode breaks
    Check(Lazy<check::NatsCheckArgs>),
    /// Explain nats-server log lines about TLS and authentication, naming the local files
    Explain(Lazy<explain::NatsExplainArgs>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BlockArg {
    Tls,
    Cluster,
    Gateway,
    Leafnodes,
    Websocket,
    Mqtt,
}

impl From<BlockArg> for Block {
    fn from(b: BlockArg) -> Block {
        match b {
            BlockArg::Tls => Block::Tls,
            BlockArg::Cluster => Block::Cluster,
            BlockArg::Gateway => Block::Gateway,
            BlockArg::Leafnodes => Block::Leafnodes,
            BlockArg::Websocket => Block::Websocket,
            BlockArg::Mqtt => Block::Mqtt,
        }
    }
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("verify_mode").args(["verify", "verify_and_map", "verify_known_urls"])))]
pub struct NatsConfigArgs {
    /// This node's certificate (leaf first, then its chain)
    #[arg(long, value_name = "FILE")]
    pub cert: PathBuf,
    /// This node's private key
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// The trust bundle (ca_file)
    #[arg(long, value_name = "BUNDLE")]
    pub ca: PathBuf,
    /// Which block the TLS settings are for
    #[arg(long, value_enum, default_value_t = BlockArg::Tls)]
    pub block: BlockArg,
    /// Require and verify client certificates
    #[arg(long)]
    pub verify: bool,
    /// Require, verify and map client certificates to users
    #[arg(long)]
    pub verify_and_map: bool,
    /// verify_cert_and_check_known_urls (cluster and gateway only)
    #[arg(long)]
    pub verify_known_urls: bool,
    /// A pin for pinned_certs: a certificate or key file, or 64 hex digits (repeatable)
    #[arg(long, value_name = "CERT_OR_HEX")]
    pub pin: Vec<String>,
    /// TLS handshake timeout in seconds
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// handshake_first: TLS before INFO (nats-server 2.10.4 and later; leafnodes 2.10.0)
    #[arg(long)]
    pub handshake_first: bool,
    /// Where the pod mounts the Secret given as --cert/--key (a Kubernetes
    /// manifest): the block names DIR/KEY (the NATS Helm chart: /etc/nats-certs/NAME)
    #[arg(long, value_name = "DIR")]
    pub mount_dir: Option<PathBuf>,
    /// Where the pod mounts the Secret or ConfigMap given as --ca (default: --mount-dir)
    #[arg(long, value_name = "DIR")]
    pub ca_mount_dir: Option<PathBuf>,
    /// A leafnode remote to dial (repeatable; --block leafnodes): writes
    /// remotes: [{url, tls {...}}], the tls block inside the remote
    #[arg(long, value_name = "URL")]
    pub remote: Vec<String>,
    /// Under --verify-and-map on a client or leafnodes block: a client
    /// certificate whose mapped user to print (repeatable)
    #[arg(long, value_name = "CERT", requires = "verify_and_map")]
    pub map_client: Vec<PathBuf>,
    /// The nats-server release the block is for (2.9.10, 2.15.1): options
    /// it does not know are refused
    #[arg(long, value_name = "V")]
    pub server_version: Option<String>,
}

/// The path the block names for an input: the file itself, or, for a
/// manifest, DIR/KEY where the pod mounts it; and the path to read (a
/// manifest named alone reads its `default` key, the one the block names).
fn block_path(
    path: &std::path::Path,
    flag: &str,
    default: &str,
    mount: Option<&std::path::Path>,
    mount_flag: &str,
) -> Result<(String, PathBuf)> {
    let Some((read, key)) = store::k8s::mounted_key(path, default)? else {
        return Ok((absolute(path).display().to_string(), path.to_path_buf()));
    };
    let Some(dir) = mount else {
        bail!(
            "{flag} {}: is a Kubernetes manifest, and nats-server reads its key {key:?} as a file \
             where the pod mounts it; pass {mount_flag} DIR (the NATS Helm chart mounts at \
             /etc/nats-certs/NAME)",
            crate::pki::text::escape_controls(&path.display().to_string())
        );
    };
    if !dir.is_absolute() {
        bail!(
            "{mount_flag} {}: give the absolute directory where the pod mounts it",
            dir.display()
        );
    }
    Ok((dir.join(&key).display().to_string(), read))
}

pub fn run_nats(cmd: &NatsCommand, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    match cmd {
        NatsCommand::Config(args) => run_nats_config(args, ctx, out),
        NatsCommand::Check(args) => check::run(args, ctx, out),
        NatsCommand::Explain(args) => explain::run(args, ctx, out),
    }
}

#[derive(Debug, Serialize)]
struct ConfigReport {
    config: String,
    block: ConfigBlock,
    certificate: CertInfo,
    warnings: Vec<Warning>,
}

/// A `--pin` value: hex as given, or the pin of a file's first item.
fn named_pin(text: &str, now: time::OffsetDateTime) -> Result<NamedPin> {
    let (pin, from) = super::shared::pin_argument(text)?;
    let comment = match from {
        None => "pin given as hex".to_owned(),
        Some((name, item)) => {
            let who = match &item {
                reader::Item::Certificate(der) => match CertInfo::parse(der, now) {
                    // NATS compares pinned_certs with the peer's leaf only.
                    Ok(info) if info.is_ca => bail!(
                        "--pin {text}: {} is a CA certificate, and NATS compares pinned_certs \
                         with the SPKI of the peer's own leaf, so a CA's pin admits no one; pin \
                         the peers' leaf certificates (tlsctl pin --nats LEAF...)",
                        info.subject
                    ),
                    Ok(info) => info.subject,
                    Err(_) => "certificate".to_owned(),
                },
                other => other.kind_name().to_owned(),
            };
            format!("{who} ({name})")
        }
    };
    Ok(NamedPin { pin, comment })
}

fn run_nats_config(args: &NatsConfigArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<Status> {
    let block: Block = args.block.into();
    let verify_mode = if args.verify {
        VerifyMode::Verify
    } else if args.verify_and_map {
        VerifyMode::VerifyAndMap
    } else if args.verify_known_urls {
        VerifyMode::KnownUrls
    } else {
        VerifyMode::Default
    };
    let now = ctx.now();
    let mut warnings = Warnings::default();

    // What the block names, and what is read to check it.
    let mount = args.mount_dir.as_deref();
    let (cert_file, cert_path) = block_path(&args.cert, "--cert", "tls.crt", mount, "--mount-dir")?;
    let (key_file, key_path) = block_path(&args.key, "--key", "tls.key", mount, "--mount-dir")?;
    let (ca_file, ca_path) = block_path(
        &args.ca,
        "--ca",
        "ca.crt",
        args.ca_mount_dir.as_deref().or(mount),
        "--ca-mount-dir",
    )?;

    // The certificate and key match.
    let (cert_name, certs) = store::read_certificates(&cert_path)?;
    let leaf = certs
        .first()
        .ok_or_else(|| anyhow!("{cert_name}: holds no certificate"))?;
    let info = CertInfo::parse(leaf, now).map_err(|e| anyhow!("{cert_name}: {e}"))?;
    let (key_input, key) = store::read_private_key(&key_path)?;
    let key_pin = crate::pki::key::public_spki(&key)
        .map(|spki| pin::spki_pin(&spki))
        .map_err(|e| anyhow!("{}: {e}", key_input.name))?;
    if key_pin != info.pin_sha256 {
        bail!(
            "{cert_name} and {} do not belong together (the certificate's pin is {}, the key's \
             {key_pin}); give the key the certificate was issued for",
            key_input.name,
            info.pin_sha256
        );
    }

    let version = match &args.server_version {
        None => None,
        Some(v) => Some(crate::pki::natscheck::parse_version(v).ok_or_else(|| {
            anyhow!("--server-version {v:?} is not a nats-server version (2.9.10, 2.15.1)")
        })?),
    };
    if !args.remote.is_empty() && block != Block::Leafnodes {
        bail!("--remote: leafnode remotes go in the leafnodes block; add --block leafnodes");
    }
    let remote = !args.remote.is_empty();
    // The certificate fits the block (a remote is a TLS client of its hub).
    let (server, mut client) = if remote {
        (false, false)
    } else {
        block.needs()
    };
    if remote && !info.allows_client_auth() {
        warnings.push(
            "remote-no-client-auth",
            format!(
                "{cert_name}: {} lacks clientAuth: a hub whose leafnodes block verifies \
                 (verify: true) refuses it; reissue it with --usage dual or client",
                info.subject
            ),
        );
    }
    let missing = info.missing_ekus(server, client);
    // A route forms when either direction verifies (nats-server dials from
    // both ends): one usage missing makes it fragile, not down.
    if block == Block::Cluster && missing.len() == 1 {
        let (lacks, only_while) = if info.allows_server_auth() {
            ("clientAuth", "the other node dials this one")
        } else {
            ("serverAuth", "this node dials the other")
        };
        warnings.push(
            "route-one-way",
            format!(
                "{cert_name}: {} lacks {lacks}: a route forms when either direction verifies, \
                 so routes with this node form only while {only_while}: fragile; reissue it \
                 with --usage dual",
                info.subject
            ),
        );
        client = info.allows_client_auth();
    } else if !missing.is_empty() {
        let why = match block {
            Block::Cluster => {
                "route connections verify both ends, so each node is a TLS server and client"
            }
            Block::Gateway => {
                "gateway connections verify both ends, so each node is a TLS server and client"
            }
            _ => "the node serves TLS to its peers",
        };
        bail!(
            "{cert_name}: {} lacks {} for the {} block: {why}; reissue it with --usage dual",
            info.subject,
            missing.join(" and "),
            block.name()
        );
    }
    if info.is_ca {
        bail!(
            "{cert_name}: {} is a CA certificate; give the node's own leaf",
            info.subject
        );
    }
    match info.validity {
        Validity::Expired => warnings.push(
            "expired",
            format!(
                "{cert_name} expired on {}; peers will refuse it",
                format_time(info.not_after)
            ),
        ),
        Validity::NotYetValid => warnings.push(
            "not-yet-valid",
            format!(
                "{cert_name} is not valid until {}",
                format_time(info.not_before)
            ),
        ),
        Validity::Valid if info.days_left < 30 => warnings.push(
            "expires-soon",
            format!(
                "{cert_name} expires in {}; renew it with tlsctl cert renew",
                crate::pki::render::duration_words(time::Duration::seconds(info.seconds_left))
            ),
        ),
        Validity::Valid => {}
    }

    // The bundle: readable, not intermediates only, and it trusts this node
    // (peers usually share it).
    let trusted = ops::bundle::read_trust_bundle(&ca_path, now)?;
    warnings.extend(trusted.warnings);
    let (ca_name, parsed) = trusted.value;
    for finding in bundle::lint(&parsed) {
        if finding.code == "intermediates-only" {
            warnings.push(
                "intermediates-only",
                format!(
                    "{}: {} ({})",
                    ca_name,
                    finding.message,
                    finding.fix.unwrap_or_default()
                ),
            );
        }
    }
    let anchors = Anchors::new(parsed.entries.iter().map(|e| e.der.clone()).collect(), now);
    let chain: Vec<_> = certs.iter().skip(1).cloned().collect();
    // The purposes the node uses its certificate for (a one-way route node
    // only the one its usage allows).
    let mut purposes = Vec::new();
    if remote {
        purposes.push(Purpose::Client);
    } else {
        if block != Block::Cluster || info.allows_server_auth() {
            purposes.push(Purpose::Server);
        }
        if client {
            purposes.push(Purpose::Client);
        }
    }
    for purpose in &purposes {
        if let Err(reason) = verify::verify(&anchors, leaf, &chain, *purpose, None, now) {
            let fix = match &reason {
                verify::Reason::UnknownIssuer { issuer, .. } if chain.is_empty() => format!(
                    "; {cert_name} carries no chain: if its issuer ({issuer}) is an \
                     intermediate, append it, as `tlsctl cert issue` does unless --no-chain; otherwise \
                     add that issuer to {}",
                    ca_name
                ),
                _ => String::new(),
            };
            warnings.push(
                "does-not-verify",
                format!(
                    "{cert_name} does not verify against {} ({reason}): peers that trust this \
                 bundle will refuse this node{fix}",
                    ca_name
                ),
            );
            break;
        }
    }

    // Pins.
    let pins = args
        .pin
        .iter()
        .map(|p| named_pin(p, now))
        .collect::<Result<Vec<_>>>()?;
    if !pins.is_empty() && block.always_verifies() && !pins.iter().any(|p| p.pin == info.pin_sha256)
    {
        warnings.push(
            "own-pin-missing",
            format!(
                "the pins lack this node's own key ({}, pin {}): nodes that share this list \
                 will refuse this node's {} connections; add --pin {}",
                info.subject,
                info.pin_sha256,
                block.name(),
                args.cert.display()
            ),
        );
    }
    let requests_certs = block.always_verifies() || verify_mode != VerifyMode::Default;
    if !pins.is_empty() && !requests_certs {
        warnings.push("pins-without-verify", format!(
            "pinned_certs without --verify in the {} block: nats-server does not ask clients for \
             a certificate there, so no pin can match and it refuses every client \
             (\"certificate not pinned\"); add --verify",
            block.name()
        ));
    }
    // verify_cert_and_check_known_urls: nats-server compares the dialer's
    // DNS SANs (only those) with the hosts of the acceptor's own URLs.
    if verify_mode == VerifyMode::KnownUrls
        && matches!(block, Block::Cluster | Block::Gateway)
        && !info
            .sans
            .iter()
            .any(|s| s.kind == crate::pki::cert::SanKind::Dns)
    {
        bail!(
            "--verify-known-urls: {cert_name} ({}) has no DNS SAN. nats-server admits a \
             {} peer under verify_cert_and_check_known_urls only when one of the dialer's DNS \
             SANs matches the host of a URL in the acceptor's own {} list (IP SANs and IP URLs \
             never match), so peers with certificates like this one are refused; reissue the \
             certificates with the DNS names the URLs use, or use --verify",
            info.subject,
            block.name(),
            if block == Block::Cluster {
                "routes"
            } else {
                "gateways"
            }
        );
    }
    // verify_and_map: the names nats-server will map to.
    let mut map_users = Vec::new();
    if verify_mode == VerifyMode::VerifyAndMap {
        if block == Block::Cluster && !args.map_client.is_empty() {
            bail!(
                "--map-client: a cluster maps every route to its one authorization user (printed \
                 from --cert); --map-client is for client and leafnodes blocks"
            );
        }
        if block == Block::Cluster {
            let names = crate::pki::natscheck::map_candidates(&info);
            let Some(first) = names.first() else {
                bail!(
                    "--verify-and-map: {cert_name} has no email or URI SAN and an empty \
                     subject, so nats-server maps it to no name and refuses every route"
                );
            };
            map_users.push(NamedPin {
                pin: first.clone(),
                comment: format!(
                    "{}'s first name of {}",
                    info.subject,
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
            warnings.push(
                "map-cluster-user",
                format!(
                    "cluster verify_and_map compares each peer's certificate with the one \
                     cluster.authorization.user `{first}`: every route certificate must carry \
                     this name (its first email, DNS or URI SAN, or its subject DN)"
                ),
            );
        } else if args.map_client.is_empty() {
            warnings.push(
                "map-users",
                "verify_and_map maps each client's certificate to a user (its email, DNS or \
                 URI SAN, else its subject DN): give --map-client CERT to print the users \
                 block for them"
                    .to_string(),
            );
        }
        for path in &args.map_client {
            let (name, certs) = store::read_certificates(path)?;
            let leaf = certs
                .first()
                .ok_or_else(|| anyhow!("{name}: holds no certificate"))?;
            let ci = CertInfo::parse(leaf, now).map_err(|e| anyhow!("{name}: {e}"))?;
            let names = crate::pki::natscheck::map_candidates(&ci);
            let Some(first) = names.first() else {
                bail!(
                    "--map-client {name}: the certificate maps to no name (no SAN, empty subject)"
                );
            };
            map_users.push(NamedPin {
                pin: first.clone(),
                comment: format!("{} ({name})", ci.subject),
            });
        }
    } else if !args.map_client.is_empty() {
        bail!("--map-client needs --verify-and-map");
    }
    if args.handshake_first {
        let (since, need) = if block == Block::Leafnodes {
            ("2.10.0", (2, 10, 0))
        } else {
            ("2.10.4", (2, 10, 4))
        };
        if let Some(v) = version
            && v < need
        {
            bail!(
                "--handshake-first: nats-server {}.{}.{} does not know handshake_first in the {} \
                 block (it came in {since}) and refuses the config; drop --handshake-first or \
                 upgrade",
                v.0,
                v.1,
                v.2,
                block.name()
            );
        }
    }
    if args.handshake_first && version.is_none() {
        let since = if block == Block::Leafnodes {
            "2.10.0"
        } else {
            "2.10.4"
        };
        warnings.push(
            "handshake-first-version",
            format!(
                "handshake_first in the {} block needs nats-server {since} or later; 2.9 \
                 refuses the config (unknown field)",
                block.name()
            ),
        );
    }

    let cfg = ConfigBlock {
        block,
        cert_file,
        key_file,
        ca_file,
        verify: verify_mode,
        pins,
        timeout: args.timeout,
        handshake_first: args.handshake_first,
        remotes: args.remote.clone(),
        map_users,
        header: vec![format!(
            "tlsctl nats config: {} ({}), valid until {}",
            info.subject,
            info.extended_key_usage
                .as_deref()
                .map_or_else(|| "any usage".to_owned(), |e| e.join(" + ")),
            format_time(info.not_after)
        )],
    };
    nats::check(&cfg)?;
    let text = nats::render(&cfg);
    let warnings = warnings.finish(()).warnings;
    ctx.warnings(&warnings);
    if ctx.json {
        output::json(
            out,
            &ConfigReport {
                config: text,
                block: cfg,
                certificate: info,
                warnings,
            },
        )?;
    } else {
        out.write_all(text.as_bytes())?;
    }
    Ok(Status::Success)
}
