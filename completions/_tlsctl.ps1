
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'tlsctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'tlsctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'tlsctl' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('ca', 'ca', [CompletionResultType]::ParameterValue, 'Create, list, show and export CAs in the store')
            [CompletionResult]::new('cert', 'cert', [CompletionResultType]::ParameterValue, 'Issue and renew leaf certificates')
            [CompletionResult]::new('pin', 'pin', [CompletionResultType]::ParameterValue, 'Print the SPKI SHA-256 pins (NATS pinned_certs values) of certificates and keys')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show what certificates, keys, public keys and CSRs say')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check certificates for a job (route, gateway, client...): findings with fixes')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Build and check a chain against a bundle, as a TLS peer (Go, NATS) would')
            [CompletionResult]::new('bundle', 'bundle', [CompletionResultType]::ParameterValue, 'Trust bundles: add, remove, list, lint, and diff before a rotation')
            [CompletionResult]::new('nats', 'nats', [CompletionResultType]::ParameterValue, 'NATS configuration: a ready TLS block, checked')
            [CompletionResult]::new('probe', 'probe', [CompletionResultType]::ParameterValue, 'Connect to a TLS or NATS endpoint: its chain, pins, and whether it verifies')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'A TLS (or mTLS) endpoint that reloads its material, for rehearsing a rotation')
            [CompletionResult]::new('tui', 'tui', [CompletionResultType]::ParameterValue, 'The terminal UI: the store, bundles, a diff, forms and pins')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script on stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tlsctl;ca' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a root CA, or an intermediate under --parent')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the store''s CAs: roots with their intermediates as a tree')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one CA')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a CA certificate (never its key)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Bring an existing CA (an openssl-made root, an intermediate) and its key into the store')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tlsctl;ca;create' {
            [CompletionResult]::new('--parent', '--parent', [CompletionResultType]::ParameterName, 'Make an intermediate signed by this store CA')
            [CompletionResult]::new('--cn', '--cn', [CompletionResultType]::ParameterName, 'Common name [default: NAME]')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Organisation [default: tlsctl]')
            [CompletionResult]::new('--key-type', '--key-type', [CompletionResultType]::ParameterName, 'Key type')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Validity in days [default: 3650 for a root, 1825 for an intermediate]')
            [CompletionResult]::new('--path-len', '--path-len', [CompletionResultType]::ParameterName, 'Path length constraint [default: none for a root, 0 for an intermediate]')
            [CompletionResult]::new('--not-before', '--not-before', [CompletionResultType]::ParameterName, 'Start of validity (2026-12-01 or RFC 3339); in the future, it stages a standby CA')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing CA of that name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;ca;list' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;ca;show' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;ca;export' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--chain', '--chain', [CompletionResultType]::ParameterName, 'Also print the CA''s issuers, up to the root')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;ca;import' {
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'The CA certificate (certificates after it are its chain)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Its private key (PKCS#8, PKCS#1 or SEC1; an encrypted PKCS#8 key asks for its password)')
            [CompletionResult]::new('--chain', '--chain', [CompletionResultType]::ParameterName, 'The certificates above it (intermediates, the root), when its issuer is not in the store')
            [CompletionResult]::new('--key-password-file', '--key-password-file', [CompletionResultType]::ParameterName, 'Read the encrypted key''s password from this file (its first line)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing CA of that name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;ca;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a root CA, or an intermediate under --parent')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the store''s CAs: roots with their intermediates as a tree')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one CA')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a CA certificate (never its key)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Bring an existing CA (an openssl-made root, an intermediate) and its key into the store')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tlsctl;ca;help;create' {
            break
        }
        'tlsctl;ca;help;list' {
            break
        }
        'tlsctl;ca;help;show' {
            break
        }
        'tlsctl;ca;help;export' {
            break
        }
        'tlsctl;ca;help;import' {
            break
        }
        'tlsctl;ca;help;help' {
            break
        }
        'tlsctl;cert' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('issue', 'issue', [CompletionResultType]::ParameterValue, 'Issue a leaf certificate (dual-use by default: serverAuth + clientAuth)')
            [CompletionResult]::new('renew', 'renew', [CompletionResultType]::ParameterValue, 'Renew a leaf: same subject, SANs and usage, new serial and validity')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Sign a certificate signing request (openssl req, certtool) with a store CA')
            [CompletionResult]::new('p12', 'p12', [CompletionResultType]::ParameterValue, 'Pack a certificate, its chain and key into a PKCS#12 file (Java, .NET, Windows)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tlsctl;cert;issue' {
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'Store CA to sign with [default: "default", created on first use]')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name for the store record and default directory [default: the first SAN]')
            [CompletionResult]::new('--cn', '--cn', [CompletionResultType]::ParameterName, 'Common name [default: the first SAN]')
            [CompletionResult]::new('--usage', '--usage', [CompletionResultType]::ParameterName, 'Extended key usage')
            [CompletionResult]::new('--key-type', '--key-type', [CompletionResultType]::ParameterName, 'Key type')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Validity in days (capped at the CA''s expiry)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write DIR/cert.pem, key.pem and ca.pem (versioned: renewals switch them at once)')
            [CompletionResult]::new('--cert-out', '--cert-out', [CompletionResultType]::ParameterName, 'Write the certificate to this file')
            [CompletionResult]::new('--key-out', '--key-out', [CompletionResultType]::ParameterName, 'Write the private key to this file (0600)')
            [CompletionResult]::new('--reuse-key', '--reuse-key', [CompletionResultType]::ParameterName, 'Issue for this existing private key (the pin stays the same)')
            [CompletionResult]::new('--k8s-secret', '--k8s-secret', [CompletionResultType]::ParameterName, 'Also write NAME.yaml: a kubernetes.io/tls Secret manifest (tls.crt with the chain, tls.key, ca.crt; 0600)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The Secret''s namespace')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--chain', '--chain', [CompletionResultType]::ParameterName, 'Put the CA''s intermediates after the leaf in the certificate file')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace existing files')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;cert;renew' {
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'Store CA to sign with [default: the one that issued CERT]')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'With --rekey: where the new key goes [default: the key tlsctl recorded for CERT]')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Validity in days [default: the current certificate''s]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--rekey', '--rekey', [CompletionResultType]::ParameterName, 'Generate a new key (this changes the pin); without it the key and pin stay')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Renew even from a CA that is not valid yet (the renewed certificate will not verify until it is)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;cert;sign' {
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'Store CA to sign with [default: "default", created on first use]')
            [CompletionResult]::new('--usage', '--usage', [CompletionResultType]::ParameterName, 'Extended key usage')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Validity in days (capped at the CA''s expiry)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write DIR/cert.pem and DIR/ca.pem (versioned, as cert issue --out)')
            [CompletionResult]::new('--cert-out', '--cert-out', [CompletionResultType]::ParameterName, 'Write the certificate to this file [default: stdout]')
            [CompletionResult]::new('--san', '--san', [CompletionResultType]::ParameterName, 'SANs that replace the request''s (repeatable; kind from the text)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--chain', '--chain', [CompletionResultType]::ParameterName, 'Put the CA''s intermediates after the leaf')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace existing files')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;cert;p12' {
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'The certificate, optionally followed by its chain')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Its private key')
            [CompletionResult]::new('--chain', '--chain', [CompletionResultType]::ParameterName, 'More chain certificates (intermediates; the root if readers want it)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'The PKCS#12 file to write (0600)')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from this file (its first line) [default: ask on the terminal]')
            [CompletionResult]::new('--alias', '--alias', [CompletionResultType]::ParameterName, 'The entry''s friendly name [default: the certificate''s CN]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--legacy', '--legacy', [CompletionResultType]::ParameterName, '3DES and a SHA-1 MAC, for readers before OpenSSL 3, Java 8u301 or Windows Server 2019')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing file')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;cert;help' {
            [CompletionResult]::new('issue', 'issue', [CompletionResultType]::ParameterValue, 'Issue a leaf certificate (dual-use by default: serverAuth + clientAuth)')
            [CompletionResult]::new('renew', 'renew', [CompletionResultType]::ParameterValue, 'Renew a leaf: same subject, SANs and usage, new serial and validity')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Sign a certificate signing request (openssl req, certtool) with a store CA')
            [CompletionResult]::new('p12', 'p12', [CompletionResultType]::ParameterValue, 'Pack a certificate, its chain and key into a PKCS#12 file (Java, .NET, Windows)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tlsctl;cert;help;issue' {
            break
        }
        'tlsctl;cert;help;renew' {
            break
        }
        'tlsctl;cert;help;sign' {
            break
        }
        'tlsctl;cert;help;p12' {
            break
        }
        'tlsctl;cert;help;help' {
            break
        }
        'tlsctl;pin' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to write each pin: hex (NATS), base64 (as certtool prints after pin-sha256:), curl (sha256//BASE64 for --pinnedpubkey), rfc7469 (HPKP pin-sha256="BASE64")')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--nats', '--nats', [CompletionResultType]::ParameterName, 'Print a NATS `pinned_certs: [...]` block, a comment naming each subject')
            [CompletionResult]::new('--bare', '--bare', [CompletionResultType]::ParameterName, 'Print only the hex pins, one per line')
            [CompletionResult]::new('--leaf-only', '--leaf-only', [CompletionResultType]::ParameterName, 'Only the first certificate (or key) of each file: the leaf of a chain file')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;inspect' {
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'The password of PKCS#12 files (its first line) [default: ask on the terminal]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;lint' {
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'The job the certificate is for')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'A name peers connect to (repeatable)')
            [CompletionResult]::new('--expires-within', '--expires-within', [CompletionResultType]::ParameterName, 'Exit 1 when any certificate (the leaf or its chain) expires within this window (30d, 12h, 90m), like openssl x509 -checkend')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;verify' {
            [CompletionResult]::new('--bundle', '--bundle', [CompletionResultType]::ParameterName, 'The trust bundle (every certificate in it is a trust anchor)')
            [CompletionResult]::new('--untrusted', '--untrusted', [CompletionResultType]::ParameterName, 'More intermediates to build the chain with')
            [CompletionResult]::new('--purpose', '--purpose', [CompletionResultType]::ParameterName, 'What the certificate must be good for')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The name (DNS or IP) peers connect to')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Check at this time instead of now (2027-01-01, RFC 3339, or +30d from now)')
            [CompletionResult]::new('--expires-within', '--expires-within', [CompletionResultType]::ParameterName, 'Exit 1 also when the leaf, its chain or the anchor it verified through expires within this window (30d, 12h, 90m), like openssl x509 -checkend')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;bundle' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create or extend a trust bundle with CA certificates')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove certificates by pin, fingerprint, subject or expiry')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List a bundle''s certificates')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check a bundle: duplicates, expiry, non-CAs, intermediates only, keys, headers')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'What a rotation from OLD to NEW changes, and which peers it cuts off')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tlsctl;bundle;add' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--allow-leaf', '--allow-leaf', [CompletionResultType]::ParameterName, 'Allow certificates that are not CAs (each becomes a trust anchor by itself)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change; write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;bundle;remove' {
            [CompletionResult]::new('--pin', '--pin', [CompletionResultType]::ParameterName, 'Remove the certificates with this SPKI pin (or its first 8+ digits, as `bundle list` shows)')
            [CompletionResult]::new('--fingerprint', '--fingerprint', [CompletionResultType]::ParameterName, 'Remove the certificate with this SHA-256 fingerprint (or its first 8+ digits)')
            [CompletionResult]::new('--subject', '--subject', [CompletionResultType]::ParameterName, 'Remove certificates whose subject contains TEXT (case-insensitive)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--expired', '--expired', [CompletionResultType]::ParameterName, 'Remove expired certificates')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would go; write nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Remove several certificates without asking')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Remove several certificates without asking')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;bundle;list' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;bundle;lint' {
            [CompletionResult]::new('--expires-within', '--expires-within', [CompletionResultType]::ParameterName, 'Exit 1 when any certificate of the bundle expires within this window (30d, 12h, 90m), like openssl x509 -checkend')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;bundle;diff' {
            [CompletionResult]::new('--peer', '--peer', [CompletionResultType]::ParameterName, 'Peers that must keep connecting: each file a leaf, optionally followed by its chain; after OLD NEW (`--peer a.pem b.pem`, or `--peer a.pem --peer b.pem`)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Judge as of this time (RFC 3339 or YYYY-MM-DD) instead of now: rehearse a roll to a staged CA')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Exit 1 when any peer would not be trusted by NEW (lost, or never trusted)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;bundle;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create or extend a trust bundle with CA certificates')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove certificates by pin, fingerprint, subject or expiry')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List a bundle''s certificates')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check a bundle: duplicates, expiry, non-CAs, intermediates only, keys, headers')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'What a rotation from OLD to NEW changes, and which peers it cuts off')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tlsctl;bundle;help;add' {
            break
        }
        'tlsctl;bundle;help;remove' {
            break
        }
        'tlsctl;bundle;help;list' {
            break
        }
        'tlsctl;bundle;help;lint' {
            break
        }
        'tlsctl;bundle;help;diff' {
            break
        }
        'tlsctl;bundle;help;help' {
            break
        }
        'tlsctl;nats' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Print a ready NATS TLS config block for a certificate, key and CA bundle')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tlsctl;nats;config' {
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'This node''s certificate (leaf first, then its chain)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'This node''s private key')
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'The trust bundle (ca_file)')
            [CompletionResult]::new('--block', '--block', [CompletionResultType]::ParameterName, 'Which block the TLS settings are for')
            [CompletionResult]::new('--pin', '--pin', [CompletionResultType]::ParameterName, 'A pin for pinned_certs: a certificate or key file, or 64 hex digits (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'TLS handshake timeout in seconds')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Require and verify client certificates')
            [CompletionResult]::new('--verify-and-map', '--verify-and-map', [CompletionResultType]::ParameterName, 'Require, verify and map client certificates to users')
            [CompletionResult]::new('--verify-known-urls', '--verify-known-urls', [CompletionResultType]::ParameterName, 'verify_cert_and_check_known_urls (cluster and gateway only)')
            [CompletionResult]::new('--handshake-first', '--handshake-first', [CompletionResultType]::ParameterName, 'handshake_first: TLS before INFO (nats-server 2.10.4 and later)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;nats;help' {
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Print a ready NATS TLS config block for a certificate, key and CA bundle')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tlsctl;nats;help;config' {
            break
        }
        'tlsctl;nats;help;help' {
            break
        }
        'tlsctl;probe' {
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'Verify the served chain against this bundle (for the server name)')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Present this client certificate (mTLS)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The client certificate''s key')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'Server name to send (SNI) and verify against [default: the host]')
            [CompletionResult]::new('--pin', '--pin', [CompletionResultType]::ParameterName, 'Expected pin of the served leaf: 64 hex digits, or a certificate or key file (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this many seconds')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;serve' {
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'The certificate to serve (leaf first, then its chain)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Its private key')
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'Require client certificates that verify against this bundle (mTLS)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free one)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Reload cert, key and bundle when the files change')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;tui' {
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Open the diff view of two bundles')
            [CompletionResult]::new('--peer', '--peer', [CompletionResultType]::ParameterName, 'With --diff: a peer (leaf, optionally followed by its chain) to check against both; repeat for several')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;completions' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured under auto)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout, stable field names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no hints, no progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsctl;help' {
            [CompletionResult]::new('ca', 'ca', [CompletionResultType]::ParameterValue, 'Create, list, show and export CAs in the store')
            [CompletionResult]::new('cert', 'cert', [CompletionResultType]::ParameterValue, 'Issue and renew leaf certificates')
            [CompletionResult]::new('pin', 'pin', [CompletionResultType]::ParameterValue, 'Print the SPKI SHA-256 pins (NATS pinned_certs values) of certificates and keys')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show what certificates, keys, public keys and CSRs say')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check certificates for a job (route, gateway, client...): findings with fixes')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Build and check a chain against a bundle, as a TLS peer (Go, NATS) would')
            [CompletionResult]::new('bundle', 'bundle', [CompletionResultType]::ParameterValue, 'Trust bundles: add, remove, list, lint, and diff before a rotation')
            [CompletionResult]::new('nats', 'nats', [CompletionResultType]::ParameterValue, 'NATS configuration: a ready TLS block, checked')
            [CompletionResult]::new('probe', 'probe', [CompletionResultType]::ParameterValue, 'Connect to a TLS or NATS endpoint: its chain, pins, and whether it verifies')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'A TLS (or mTLS) endpoint that reloads its material, for rehearsing a rotation')
            [CompletionResult]::new('tui', 'tui', [CompletionResultType]::ParameterValue, 'The terminal UI: the store, bundles, a diff, forms and pins')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script on stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tlsctl;help;ca' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a root CA, or an intermediate under --parent')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the store''s CAs: roots with their intermediates as a tree')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one CA')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a CA certificate (never its key)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Bring an existing CA (an openssl-made root, an intermediate) and its key into the store')
            break
        }
        'tlsctl;help;ca;create' {
            break
        }
        'tlsctl;help;ca;list' {
            break
        }
        'tlsctl;help;ca;show' {
            break
        }
        'tlsctl;help;ca;export' {
            break
        }
        'tlsctl;help;ca;import' {
            break
        }
        'tlsctl;help;cert' {
            [CompletionResult]::new('issue', 'issue', [CompletionResultType]::ParameterValue, 'Issue a leaf certificate (dual-use by default: serverAuth + clientAuth)')
            [CompletionResult]::new('renew', 'renew', [CompletionResultType]::ParameterValue, 'Renew a leaf: same subject, SANs and usage, new serial and validity')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Sign a certificate signing request (openssl req, certtool) with a store CA')
            [CompletionResult]::new('p12', 'p12', [CompletionResultType]::ParameterValue, 'Pack a certificate, its chain and key into a PKCS#12 file (Java, .NET, Windows)')
            break
        }
        'tlsctl;help;cert;issue' {
            break
        }
        'tlsctl;help;cert;renew' {
            break
        }
        'tlsctl;help;cert;sign' {
            break
        }
        'tlsctl;help;cert;p12' {
            break
        }
        'tlsctl;help;pin' {
            break
        }
        'tlsctl;help;inspect' {
            break
        }
        'tlsctl;help;lint' {
            break
        }
        'tlsctl;help;verify' {
            break
        }
        'tlsctl;help;bundle' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create or extend a trust bundle with CA certificates')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove certificates by pin, fingerprint, subject or expiry')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List a bundle''s certificates')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check a bundle: duplicates, expiry, non-CAs, intermediates only, keys, headers')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'What a rotation from OLD to NEW changes, and which peers it cuts off')
            break
        }
        'tlsctl;help;bundle;add' {
            break
        }
        'tlsctl;help;bundle;remove' {
            break
        }
        'tlsctl;help;bundle;list' {
            break
        }
        'tlsctl;help;bundle;lint' {
            break
        }
        'tlsctl;help;bundle;diff' {
            break
        }
        'tlsctl;help;nats' {
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Print a ready NATS TLS config block for a certificate, key and CA bundle')
            break
        }
        'tlsctl;help;nats;config' {
            break
        }
        'tlsctl;help;probe' {
            break
        }
        'tlsctl;help;serve' {
            break
        }
        'tlsctl;help;tui' {
            break
        }
        'tlsctl;help;completions' {
            break
        }
        'tlsctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
