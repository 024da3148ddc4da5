
use builtin;
use str;

set edit:completion:arg-completer[tlsctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'tlsctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'tlsctl'= {
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand ca 'Create, list, show and export CAs in the store'
            cand cert 'Issue and renew leaf certificates'
            cand pin 'Print the SPKI SHA-256 pins (NATS pinned_certs values) of certificates and keys'
            cand inspect 'Show what certificates, keys, public keys and CSRs say'
            cand lint 'Check certificates for a job (route, gateway, client...): findings with fixes'
            cand verify 'Build and check a chain against a bundle, as a TLS peer (Go, NATS) would'
            cand bundle 'Trust bundles: add, remove, list, lint, and diff before a rotation'
            cand nats 'NATS configuration: a ready TLS block, checked'
            cand probe 'Connect to a TLS or NATS endpoint: its chain, pins, and whether it verifies'
            cand serve 'A TLS (or mTLS) endpoint that reloads its material, for rehearsing a rotation'
            cand tui 'The terminal UI: the store, bundles, a diff, forms and pins'
            cand completions 'Print a shell completion script on stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsctl;ca'= {
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a root CA, or an intermediate under --parent'
            cand list 'List the store''s CAs: roots with their intermediates as a tree'
            cand show 'Show one CA'
            cand export 'Print a CA certificate (never its key)'
            cand import 'Bring an existing CA (an openssl-made root, an intermediate) and its key into the store'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsctl;ca;create'= {
            cand --parent 'Make an intermediate signed by this store CA'
            cand --cn 'Common name [default: NAME]'
            cand --org 'Organisation [default: tlsctl]'
            cand --key-type 'Key type'
            cand --days 'Validity in days [default: 3650 for a root, 1825 for an intermediate]'
            cand --path-len 'Path length constraint [default: none for a root, 0 for an intermediate]'
            cand --not-before 'Start of validity (2026-12-01 or RFC 3339); in the future, it stages a standby CA'
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --force 'Replace an existing CA of that name'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;ca;list'= {
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;ca;show'= {
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;ca;export'= {
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --chain 'Also print the CA''s issuers, up to the root'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;ca;import'= {
            cand --cert 'The CA certificate (certificates after it are its chain)'
            cand --key 'Its private key (PKCS#8, PKCS#1 or SEC1; an encrypted PKCS#8 key asks for its password)'
            cand --chain 'The certificates above it (intermediates, the root), when its issuer is not in the store'
            cand --key-password-file 'Read the encrypted key''s password from this file (its first line)'
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --force 'Replace an existing CA of that name'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;ca;help'= {
            cand create 'Create a root CA, or an intermediate under --parent'
            cand list 'List the store''s CAs: roots with their intermediates as a tree'
            cand show 'Show one CA'
            cand export 'Print a CA certificate (never its key)'
            cand import 'Bring an existing CA (an openssl-made root, an intermediate) and its key into the store'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsctl;ca;help;create'= {
        }
        &'tlsctl;ca;help;list'= {
        }
        &'tlsctl;ca;help;show'= {
        }
        &'tlsctl;ca;help;export'= {
        }
        &'tlsctl;ca;help;import'= {
        }
        &'tlsctl;ca;help;help'= {
        }
        &'tlsctl;cert'= {
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand issue 'Issue a leaf certificate (dual-use by default: serverAuth + clientAuth)'
            cand renew 'Renew a leaf: same subject, SANs and usage, new serial and validity'
            cand sign 'Sign a certificate signing request (openssl req, certtool) with a store CA'
            cand p12 'Pack a certificate, its chain and key into a PKCS#12 file (Java, .NET, Windows)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsctl;cert;issue'= {
            cand --ca 'Store CA to sign with [default: "default", created on first use]'
            cand --name 'Name for the store record and default directory [default: the first SAN]'
            cand --cn 'Common name [default: the first SAN]'
            cand --usage 'Extended key usage'
            cand --key-type 'Key type'
            cand --days 'Validity in days (capped at the CA''s expiry)'
            cand --out 'Write DIR/cert.pem, key.pem and ca.pem (versioned: renewals switch them at once)'
            cand --cert-out 'Write the certificate to this file'
            cand --key-out 'Write the private key to this file (0600)'
            cand --reuse-key 'Issue for this existing private key (the pin stays the same)'
            cand --k8s-secret 'Also write NAME.yaml: a kubernetes.io/tls Secret manifest (tls.crt with the chain, tls.key, ca.crt; 0600)'
            cand --namespace 'The Secret''s namespace'
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --chain 'Put the CA''s intermediates after the leaf in the certificate file'
            cand --force 'Replace existing files'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;cert;renew'= {
            cand --ca 'Store CA to sign with [default: the one that issued CERT]'
            cand --key 'With --rekey: where the new key goes [default: the key tlsctl recorded for CERT]'
            cand --days 'Validity in days [default: the current certificate''s]'
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --rekey 'Generate a new key (this changes the pin); without it the key and pin stay'
            cand --force 'Renew even from a CA that is not valid yet (the renewed certificate will not verify until it is)'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;cert;sign'= {
            cand --ca 'Store CA to sign with [default: "default", created on first use]'
            cand --usage 'Extended key usage'
            cand --days 'Validity in days (capped at the CA''s expiry)'
            cand --out 'Write DIR/cert.pem and DIR/ca.pem (versioned, as cert issue --out)'
            cand --cert-out 'Write the certificate to this file [default: stdout]'
            cand --san 'SANs that replace the request''s (repeatable; kind from the text)'
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --chain 'Put the CA''s intermediates after the leaf'
            cand --force 'Replace existing files'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;cert;p12'= {
            cand --cert 'The certificate, optionally followed by its chain'
            cand --key 'Its private key'
            cand --chain 'More chain certificates (intermediates; the root if readers want it)'
            cand --out 'The PKCS#12 file to write (0600)'
            cand --password-file 'Read the password from this file (its first line) [default: ask on the terminal]'
            cand --alias 'The entry''s friendly name [default: the certificate''s CN]'
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --legacy '3DES and a SHA-1 MAC, for readers before OpenSSL 3, Java 8u301 or Windows Server 2019'
            cand --force 'Replace an existing file'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;cert;help'= {
            cand issue 'Issue a leaf certificate (dual-use by default: serverAuth + clientAuth)'
            cand renew 'Renew a leaf: same subject, SANs and usage, new serial and validity'
            cand sign 'Sign a certificate signing request (openssl req, certtool) with a store CA'
            cand p12 'Pack a certificate, its chain and key into a PKCS#12 file (Java, .NET, Windows)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsctl;cert;help;issue'= {
        }
        &'tlsctl;cert;help;renew'= {
        }
        &'tlsctl;cert;help;sign'= {
        }
        &'tlsctl;cert;help;p12'= {
        }
        &'tlsctl;cert;help;help'= {
        }
        &'tlsctl;pin'= {
            cand --format 'How to write each pin: hex (NATS), base64 (as certtool prints after pin-sha256:), curl (sha256//BASE64 for --pinnedpubkey), rfc7469 (HPKP pin-sha256="BASE64")'
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --nats 'Print a NATS `pinned_certs: [...]` block, a comment naming each subject'
            cand --bare 'Print only the hex pins, one per line'
            cand --leaf-only 'Only the first certificate (or key) of each file: the leaf of a chain file'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;inspect'= {
            cand --password-file 'The password of PKCS#12 files (its first line) [default: ask on the terminal]'
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;lint'= {
            cand --role 'The job the certificate is for'
            cand --host 'A name peers connect to (repeatable)'
            cand --expires-within 'Exit 1 when any certificate (the leaf or its chain) expires within this window (30d, 12h, 90m), like openssl x509 -checkend'
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;verify'= {
            cand --bundle 'The trust bundle (every certificate in it is a trust anchor)'
            cand --untrusted 'More intermediates to build the chain with'
            cand --purpose 'What the certificate must be good for'
            cand --host 'The name (DNS or IP) peers connect to'
            cand --at 'Check at this time instead of now (2027-01-01, RFC 3339, or +30d from now)'
            cand --expires-within 'Exit 1 also when the leaf, its chain or the anchor it verified through expires within this window (30d, 12h, 90m), like openssl x509 -checkend'
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;bundle'= {
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Create or extend a trust bundle with CA certificates'
            cand remove 'Remove certificates by pin, fingerprint, subject or expiry'
            cand list 'List a bundle''s certificates'
            cand lint 'Check a bundle: duplicates, expiry, non-CAs, intermediates only, keys, headers'
            cand diff 'What a rotation from OLD to NEW changes, and which peers it cuts off'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsctl;bundle;add'= {
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --allow-leaf 'Allow certificates that are not CAs (each becomes a trust anchor by itself)'
            cand --dry-run 'Show what would change; write nothing'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;bundle;remove'= {
            cand --pin 'Remove the certificates with this SPKI pin (or its first 8+ digits, as `bundle list` shows)'
            cand --fingerprint 'Remove the certificate with this SHA-256 fingerprint (or its first 8+ digits)'
            cand --subject 'Remove certificates whose subject contains TEXT (case-insensitive)'
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --expired 'Remove expired certificates'
            cand --dry-run 'Show what would go; write nothing'
            cand -y 'Remove several certificates without asking'
            cand --yes 'Remove several certificates without asking'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;bundle;list'= {
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;bundle;lint'= {
            cand --expires-within 'Exit 1 when any certificate of the bundle expires within this window (30d, 12h, 90m), like openssl x509 -checkend'
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;bundle;diff'= {
            cand --peer 'Peers that must keep connecting: each file a leaf, optionally followed by its chain; after OLD NEW (`--peer a.pem b.pem`, or `--peer a.pem --peer b.pem`)'
            cand --at 'Judge as of this time (RFC 3339 or YYYY-MM-DD) instead of now: rehearse a roll to a staged CA'
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --check 'Exit 1 when any peer would not be trusted by NEW (lost, or never trusted)'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;bundle;help'= {
            cand add 'Create or extend a trust bundle with CA certificates'
            cand remove 'Remove certificates by pin, fingerprint, subject or expiry'
            cand list 'List a bundle''s certificates'
            cand lint 'Check a bundle: duplicates, expiry, non-CAs, intermediates only, keys, headers'
            cand diff 'What a rotation from OLD to NEW changes, and which peers it cuts off'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsctl;bundle;help;add'= {
        }
        &'tlsctl;bundle;help;remove'= {
        }
        &'tlsctl;bundle;help;list'= {
        }
        &'tlsctl;bundle;help;lint'= {
        }
        &'tlsctl;bundle;help;diff'= {
        }
        &'tlsctl;bundle;help;help'= {
        }
        &'tlsctl;nats'= {
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand config 'Print a ready NATS TLS config block for a certificate, key and CA bundle'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsctl;nats;config'= {
            cand --cert 'This node''s certificate (leaf first, then its chain)'
            cand --key 'This node''s private key'
            cand --ca 'The trust bundle (ca_file)'
            cand --block 'Which block the TLS settings are for'
            cand --pin 'A pin for pinned_certs: a certificate or key file, or 64 hex digits (repeatable)'
            cand --timeout 'TLS handshake timeout in seconds'
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --verify 'Require and verify client certificates'
            cand --verify-and-map 'Require, verify and map client certificates to users'
            cand --verify-known-urls 'verify_cert_and_check_known_urls (cluster and gateway only)'
            cand --handshake-first 'handshake_first: TLS before INFO (nats-server 2.10.4 and later)'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;nats;help'= {
            cand config 'Print a ready NATS TLS config block for a certificate, key and CA bundle'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsctl;nats;help;config'= {
        }
        &'tlsctl;nats;help;help'= {
        }
        &'tlsctl;probe'= {
            cand --ca 'Verify the served chain against this bundle (for the server name)'
            cand --cert 'Present this client certificate (mTLS)'
            cand --key 'The client certificate''s key'
            cand --sni 'Server name to send (SNI) and verify against [default: the host]'
            cand --pin 'Expected pin of the served leaf: 64 hex digits, or a certificate or key file (repeatable)'
            cand --timeout 'Give up after this many seconds'
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;serve'= {
            cand --cert 'The certificate to serve (leaf first, then its chain)'
            cand --key 'Its private key'
            cand --ca 'Require client certificates that verify against this bundle (mTLS)'
            cand --listen 'Address to listen on (port 0 picks a free one)'
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --watch 'Reload cert, key and bundle when the files change'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;tui'= {
            cand --diff 'Open the diff view of two bundles'
            cand --peer 'With --diff: a peer (leaf, optionally followed by its chain) to check against both; repeat for several'
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;completions'= {
            cand --store 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsctl;help'= {
            cand ca 'Create, list, show and export CAs in the store'
            cand cert 'Issue and renew leaf certificates'
            cand pin 'Print the SPKI SHA-256 pins (NATS pinned_certs values) of certificates and keys'
            cand inspect 'Show what certificates, keys, public keys and CSRs say'
            cand lint 'Check certificates for a job (route, gateway, client...): findings with fixes'
            cand verify 'Build and check a chain against a bundle, as a TLS peer (Go, NATS) would'
            cand bundle 'Trust bundles: add, remove, list, lint, and diff before a rotation'
            cand nats 'NATS configuration: a ready TLS block, checked'
            cand probe 'Connect to a TLS or NATS endpoint: its chain, pins, and whether it verifies'
            cand serve 'A TLS (or mTLS) endpoint that reloads its material, for rehearsing a rotation'
            cand tui 'The terminal UI: the store, bundles, a diff, forms and pins'
            cand completions 'Print a shell completion script on stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsctl;help;ca'= {
            cand create 'Create a root CA, or an intermediate under --parent'
            cand list 'List the store''s CAs: roots with their intermediates as a tree'
            cand show 'Show one CA'
            cand export 'Print a CA certificate (never its key)'
            cand import 'Bring an existing CA (an openssl-made root, an intermediate) and its key into the store'
        }
        &'tlsctl;help;ca;create'= {
        }
        &'tlsctl;help;ca;list'= {
        }
        &'tlsctl;help;ca;show'= {
        }
        &'tlsctl;help;ca;export'= {
        }
        &'tlsctl;help;ca;import'= {
        }
        &'tlsctl;help;cert'= {
            cand issue 'Issue a leaf certificate (dual-use by default: serverAuth + clientAuth)'
            cand renew 'Renew a leaf: same subject, SANs and usage, new serial and validity'
            cand sign 'Sign a certificate signing request (openssl req, certtool) with a store CA'
            cand p12 'Pack a certificate, its chain and key into a PKCS#12 file (Java, .NET, Windows)'
        }
        &'tlsctl;help;cert;issue'= {
        }
        &'tlsctl;help;cert;renew'= {
        }
        &'tlsctl;help;cert;sign'= {
        }
        &'tlsctl;help;cert;p12'= {
        }
        &'tlsctl;help;pin'= {
        }
        &'tlsctl;help;inspect'= {
        }
        &'tlsctl;help;lint'= {
        }
        &'tlsctl;help;verify'= {
        }
        &'tlsctl;help;bundle'= {
            cand add 'Create or extend a trust bundle with CA certificates'
            cand remove 'Remove certificates by pin, fingerprint, subject or expiry'
            cand list 'List a bundle''s certificates'
            cand lint 'Check a bundle: duplicates, expiry, non-CAs, intermediates only, keys, headers'
            cand diff 'What a rotation from OLD to NEW changes, and which peers it cuts off'
        }
        &'tlsctl;help;bundle;add'= {
        }
        &'tlsctl;help;bundle;remove'= {
        }
        &'tlsctl;help;bundle;list'= {
        }
        &'tlsctl;help;bundle;lint'= {
        }
        &'tlsctl;help;bundle;diff'= {
        }
        &'tlsctl;help;nats'= {
            cand config 'Print a ready NATS TLS config block for a certificate, key and CA bundle'
        }
        &'tlsctl;help;nats;config'= {
        }
        &'tlsctl;help;probe'= {
        }
        &'tlsctl;help;serve'= {
        }
        &'tlsctl;help;tui'= {
        }
        &'tlsctl;help;completions'= {
        }
        &'tlsctl;help;help'= {
        }
    ]
    $completions[$command]
}
