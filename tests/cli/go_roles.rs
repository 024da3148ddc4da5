//! The Go-semantics verifier and the NATS role helpers, through the
//! library, on certificates made here with rcgen: what nats-server (Go's
//! crypto/x509) does with a CA:TRUE leaf, a self-issued intermediate under
//! a path length, a negative serial, and one-way route certificates.
//! The same outcomes are measured against real nats-servers in
//! interop_roles.rs and against Go itself in interop_go.rs.

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose as Eku, IsCa, Issuer,
    KeyPair, KeyUsagePurpose,
};
use rustls_pki_types::CertificateDer;
use time::OffsetDateTime;

use tlsctl::pki::cert::CertInfo;
use tlsctl::pki::lint::{self, Node, Role, RouteForms};
use tlsctl::pki::verify::{self, Anchors, GoRelease, Purpose, Reason};

pub fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
}

pub struct Ca {
    pub params: CertificateParams,
    pub key: KeyPair,
    pub der: CertificateDer<'static>,
}

/// Valid at the pinned `now()` and at the real time (interop_roles.rs
/// starts real servers with this material).
fn window(p: &mut CertificateParams) {
    let real = OffsetDateTime::now_utc();
    p.not_before = now().min(real) - time::Duration::days(1);
    p.not_after = now().max(real) + time::Duration::days(365);
}

pub fn ca(cn: &str, path_len: Option<u8>, parent: Option<&Ca>) -> Ca {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name.push(DnType::CommonName, cn);
    params.is_ca = IsCa::Ca(match path_len {
        Some(n) => BasicConstraints::Constrained(n),
        None => BasicConstraints::Unconstrained,
    });
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    window(&mut params);
    let der = match parent {
        None => params.self_signed(&key).unwrap().der().clone(),
        Some(p) => params
            .signed_by(&key, &Issuer::from_params(&p.params, &p.key))
            .unwrap()
            .der()
            .clone(),
    };
    Ca { params, key, der }
}

pub fn leaf(names: &[&str], ekus: Vec<Eku>, issuer: &Ca) -> CertificateDer<'static> {
    leaf_keyed(names, ekus, issuer).0
}

/// A leaf and its key (PKCS#8 PEM).
pub fn leaf_keyed(
    names: &[&str],
    ekus: Vec<Eku>,
    issuer: &Ca,
) -> (CertificateDer<'static>, String) {
    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
    params.distinguished_name.push(DnType::CommonName, names[0]);
    params.extended_key_usages = ekus;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    window(&mut params);
    let cert = params
        .signed_by(&key, &Issuer::from_params(&issuer.params, &issuer.key))
        .unwrap()
        .der()
        .clone();
    (cert, key.serialize_pem())
}

fn anchors(certs: &[&CertificateDer<'static>]) -> Anchors {
    Anchors::new(certs.iter().map(|c| (*c).clone()).collect(), now())
}

#[test]
fn a_ca_true_leaf_like_openssl_req_x509_makes_verifies_as_go_accepts_it() {
    // openssl req -x509 -addext subjectAltName=...: self-signed, CA:TRUE.
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec!["node-a.example".to_owned()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "node-a.example");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    window(&mut params);
    let cert = params.self_signed(&key).unwrap().der().clone();
    let trust = anchors(&[&cert]);
    for purpose in [Purpose::Server, Purpose::Client] {
        verify::verify(&trust, &cert, &[], purpose, Some("node-a.example"), now())
            .unwrap_or_else(|r| panic!("{purpose:?}: {r}"));
    }
    // And lint, for a route, warns (rustls refuses it) but finds no error.
    let info = CertInfo::parse(&cert, now()).unwrap();
    let findings = lint::lint_chain(&[info], Some(Role::NatsRoute), &[]);
    assert!(!lint::has_errors(&findings), "{findings:?}");
    let ca_leaf = findings.iter().find(|f| f.code == "ca-as-leaf").unwrap();
    assert!(!ca_leaf.message.contains("peers reject"));
}

#[test]
fn a_self_issued_intermediate_under_path_length_zero_is_a_path_length_failure() {
    let root = ca("Root", Some(0), None);
    // Same name as the root, a new key: self-issued. Go counts it.
    let again = ca("Root", None, Some(&root));
    let node = leaf(&["node.example"], vec![Eku::ServerAuth], &again);
    let err = verify::verify(
        &anchors(&[&root.der]),
        &node,
        std::slice::from_ref(&again.der),
        Purpose::Server,
        None,
        now(),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Reason::PathLenExceeded {
                max_path_len: 0,
                intermediates: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.to_string().contains("signature"), "{err}");
}

#[test]
fn verify_without_purpose_checks_what_the_eku_allows() {
    let root = ca("Root", None, None);
    let server = leaf(&["mkcert.example"], vec![Eku::ServerAuth], &root);
    let dual = leaf(
        &["dual.example"],
        vec![Eku::ServerAuth, Eku::ClientAuth],
        &root,
    );
    let client = leaf(&["alice"], vec![Eku::ClientAuth], &root);
    let p = |c: &CertificateDer<'_>| verify::purposes_for(&CertInfo::parse(c, now()).unwrap());
    assert_eq!(p(&server), vec![Purpose::Server]);
    assert_eq!(p(&client), vec![Purpose::Client]);
    assert_eq!(p(&dual), vec![Purpose::Server, Purpose::Client]);
}

pub fn node<'a>(name: &'a str, cert: &'a CertificateDer<'static>, trust: &'a Anchors) -> Node<'a> {
    Node {
        name,
        leaf: cert,
        chain: &[],
        anchors: trust,
        host: Some("127.0.0.1"),
    }
}

pub struct Material {
    pub root: Ca,
    pub server_only: CertificateDer<'static>,
    pub client_only: CertificateDer<'static>,
    pub dual: CertificateDer<'static>,
    pub dual2: CertificateDer<'static>,
}

pub fn material() -> Material {
    let root = ca("Fleet Root", None, None);
    let names = ["localhost", "127.0.0.1"];
    Material {
        server_only: leaf(&names, vec![Eku::ServerAuth], &root),
        client_only: leaf(&names, vec![Eku::ClientAuth], &root),
        dual: leaf(&names, vec![Eku::ServerAuth, Eku::ClientAuth], &root),
        dual2: leaf(&names, vec![Eku::ServerAuth, Eku::ClientAuth], &root),
        root,
    }
}

#[test]
fn a_route_forms_when_either_direction_works() {
    let m = material();
    let trust = anchors(&[&m.root.der]);
    let route = |a: &CertificateDer<'static>, b: &CertificateDer<'static>| {
        lint::route(
            &node("A", a, &trust),
            &node("B", b, &trust),
            now(),
            GoRelease::Current,
        )
    };
    assert_eq!(route(&m.dual, &m.dual2), RouteForms::BothWays);
    // A serves only: B's dials work (A verifies B as a client, B verifies A
    // as a server); A's dials fail at B (A is no client).
    match route(&m.server_only, &m.dual) {
        RouteForms::OnlyWhileDials { dialer, other_way } => {
            assert_eq!(dialer, "B");
            assert_eq!(other_way.refused_by, "B");
            assert_eq!(other_way.purpose, Purpose::Client);
        }
        other => panic!("{other:?}"),
    }
    let text = route(&m.client_only, &m.dual).to_string();
    assert!(
        text.starts_with("the route forms only while A dials: fragile"),
        "{text}"
    );
    assert!(matches!(
        route(&m.server_only, &m.server_only),
        RouteForms::Never { .. }
    ));
}

#[test]
fn a_leafnode_hub_needs_server_auth_and_a_remote_client_auth_only_under_verify() {
    let m = material();
    let trust = anchors(&[&m.root.der]);
    let node = |name, cert| node(name, cert, &trust);
    let hub_client_only = node("hub", &m.client_only);
    let remote = node("remote", &m.server_only);
    let err =
        lint::leafnode(&remote, &hub_client_only, false, now(), GoRelease::Current).unwrap_err();
    assert_eq!(
        (err.refused_by.as_str(), err.purpose),
        ("remote", Purpose::Server)
    );
    let hub = node("hub", &m.server_only);
    assert!(lint::leafnode(&remote, &hub, false, now(), GoRelease::Current).is_ok());
    let err = lint::leafnode(&remote, &hub, true, now(), GoRelease::Current).unwrap_err();
    assert_eq!(
        (err.refused_by.as_str(), err.purpose),
        ("hub", Purpose::Client)
    );
    // lint: the hub role errs on a client-only certificate, the remote role
    // only warns on a server-only one.
    let info = |c: &CertificateDer<'_>| CertInfo::parse(c, now()).unwrap();
    let hub_lint = lint::lint_chain(&[info(&m.client_only)], Some(Role::NatsLeafnodeHub), &[]);
    assert!(lint::has_errors(&hub_lint), "{hub_lint:?}");
    let undecided = lint::lint_chain(&[info(&m.client_only)], Some(Role::NatsLeafnode), &[]);
    assert!(lint::has_errors(&undecided), "{undecided:?}");
    let remote_lint =
        lint::lint_chain(&[info(&m.server_only)], Some(Role::NatsLeafnodeRemote), &[]);
    assert!(!lint::has_errors(&remote_lint), "{remote_lint:?}");
    assert!(remote_lint.iter().any(|f| f.code == "eku"));
}

#[test]
fn a_client_certificate_is_never_matched_against_a_host() {
    let m = material();
    let trust = anchors(&[&m.root.der]);
    // nats-server verifies a client without a name; only the dialer matches.
    assert!(
        verify::verify(
            &trust,
            &m.dual,
            &[],
            Purpose::Client,
            Some("other.example"),
            now()
        )
        .is_ok()
    );
    let err = verify::verify(
        &trust,
        &m.dual,
        &[],
        Purpose::Server,
        Some("other.example"),
        now(),
    )
    .unwrap_err();
    assert!(matches!(err, Reason::NameMismatch { .. }), "{err:?}");
}
