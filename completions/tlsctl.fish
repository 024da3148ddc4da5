# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tlsctl_global_optspecs
    string join \n json store= q/quiet color= h/help V/version
end

function __fish_tlsctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_tlsctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_tlsctl_using_subcommand
    set -l cmd (__fish_tlsctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c tlsctl -n "__fish_tlsctl_needs_command" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_needs_command" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_needs_command" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -f -a "ca" -d 'Create, list, show and export CAs in the store'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -f -a "cert" -d 'Issue and renew leaf certificates'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -f -a "pin" -d 'Print the SPKI SHA-256 pins (NATS pinned_certs values) of certificates and keys'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -f -a "inspect" -d 'Show what certificates, keys, public keys and CSRs say'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -f -a "lint" -d 'Check certificates for a job (route, gateway, client...): findings with fixes'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -f -a "verify" -d 'Build and check a chain against a bundle, as a TLS peer (Go, NATS) would'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -f -a "bundle" -d 'Trust bundles: add, remove, list, lint, and diff before a rotation'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -f -a "nats" -d 'NATS configuration: a ready TLS block, checked'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -f -a "probe" -d 'Connect to a TLS or NATS endpoint: its chain, pins, and whether it verifies'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -f -a "serve" -d 'A TLS (or mTLS) endpoint that reloads its material, for rehearsing a rotation'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -f -a "tui" -d 'The terminal UI: the store, bundles, a diff, forms and pins'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -f -a "completions" -d 'Print a shell completion script on stdout'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and not __fish_seen_subcommand_from create list show export import help" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and not __fish_seen_subcommand_from create list show export import help" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and not __fish_seen_subcommand_from create list show export import help" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and not __fish_seen_subcommand_from create list show export import help" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and not __fish_seen_subcommand_from create list show export import help" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and not __fish_seen_subcommand_from create list show export import help" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and not __fish_seen_subcommand_from create list show export import help" -f -a "create" -d 'Create a root CA, or an intermediate under --parent'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and not __fish_seen_subcommand_from create list show export import help" -f -a "list" -d 'List the store\'s CAs: roots with their intermediates as a tree'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and not __fish_seen_subcommand_from create list show export import help" -f -a "show" -d 'Show one CA'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and not __fish_seen_subcommand_from create list show export import help" -f -a "export" -d 'Print a CA certificate (never its key)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and not __fish_seen_subcommand_from create list show export import help" -f -a "import" -d 'Bring an existing CA (an openssl-made root, an intermediate) and its key into the store'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and not __fish_seen_subcommand_from create list show export import help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from create" -l parent -d 'Make an intermediate signed by this store CA' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from create" -l cn -d 'Common name [default: NAME]' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from create" -l org -d 'Organisation [default: tlsctl]' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from create" -l key-type -d 'Key type' -r -f -a "ecdsa-p256\t''
ecdsa-p384\t''
ecdsa-p521\t''
ed25519\t''
rsa-2048\t''
rsa-3072\t''
rsa-4096\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from create" -l days -d 'Validity in days [default: 3650 for a root, 1825 for an intermediate]' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from create" -l path-len -d 'Path length constraint [default: none for a root, 0 for an intermediate]' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from create" -l not-before -d 'Start of validity (2026-12-01 or RFC 3339); in the future, it stages a standby CA' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from create" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from create" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from create" -l force -d 'Replace an existing CA of that name'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from create" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from list" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from list" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from list" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from show" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from show" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from show" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from export" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from export" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from export" -l chain -d 'Also print the CA\'s issuers, up to the root'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from export" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from export" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from import" -l cert -d 'The CA certificate (certificates after it are its chain)' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from import" -l key -d 'Its private key (PKCS#8, PKCS#1 or SEC1; an encrypted PKCS#8 key asks for its password)' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from import" -l chain -d 'The certificates above it (intermediates, the root), when its issuer is not in the store' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from import" -l key-password-file -d 'Read the encrypted key\'s password from this file (its first line)' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from import" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from import" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from import" -l force -d 'Replace an existing CA of that name'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from import" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a root CA, or an intermediate under --parent'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the store\'s CAs: roots with their intermediates as a tree'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one CA'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from help" -f -a "export" -d 'Print a CA certificate (never its key)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from help" -f -a "import" -d 'Bring an existing CA (an openssl-made root, an intermediate) and its key into the store'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand ca; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and not __fish_seen_subcommand_from issue renew sign p12 help" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and not __fish_seen_subcommand_from issue renew sign p12 help" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and not __fish_seen_subcommand_from issue renew sign p12 help" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and not __fish_seen_subcommand_from issue renew sign p12 help" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and not __fish_seen_subcommand_from issue renew sign p12 help" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and not __fish_seen_subcommand_from issue renew sign p12 help" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and not __fish_seen_subcommand_from issue renew sign p12 help" -f -a "issue" -d 'Issue a leaf certificate (dual-use by default: serverAuth + clientAuth)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and not __fish_seen_subcommand_from issue renew sign p12 help" -f -a "renew" -d 'Renew a leaf: same subject, SANs and usage, new serial and validity'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and not __fish_seen_subcommand_from issue renew sign p12 help" -f -a "sign" -d 'Sign a certificate signing request (openssl req, certtool) with a store CA'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and not __fish_seen_subcommand_from issue renew sign p12 help" -f -a "p12" -d 'Pack a certificate, its chain and key into a PKCS#12 file (Java, .NET, Windows)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and not __fish_seen_subcommand_from issue renew sign p12 help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from issue" -l ca -d 'Store CA to sign with [default: "default", created on first use]' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from issue" -l name -d 'Name for the store record and default directory [default: the first SAN]' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from issue" -l cn -d 'Common name [default: the first SAN]' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from issue" -l usage -d 'Extended key usage' -r -f -a "dual\t'serverAuth + clientAuth (NATS routes need both)'
server\t'serverAuth only'
client\t'clientAuth only'"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from issue" -l key-type -d 'Key type' -r -f -a "ecdsa-p256\t''
ecdsa-p384\t''
ecdsa-p521\t''
ed25519\t''
rsa-2048\t''
rsa-3072\t''
rsa-4096\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from issue" -l days -d 'Validity in days (capped at the CA\'s expiry)' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from issue" -l out -d 'Write DIR/cert.pem, key.pem and ca.pem (versioned: renewals switch them at once)' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from issue" -l cert-out -d 'Write the certificate to this file' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from issue" -l key-out -d 'Write the private key to this file (0600)' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from issue" -l reuse-key -d 'Issue for this existing private key (the pin stays the same)' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from issue" -l k8s-secret -d 'Also write NAME.yaml: a kubernetes.io/tls Secret manifest (tls.crt with the chain, tls.key, ca.crt; 0600)' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from issue" -l namespace -d 'The Secret\'s namespace' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from issue" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from issue" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from issue" -l chain -d 'Put the CA\'s intermediates after the leaf in the certificate file'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from issue" -l force -d 'Replace existing files'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from issue" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from issue" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from issue" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from issue" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from renew" -l ca -d 'Store CA to sign with [default: the one that issued CERT]' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from renew" -l key -d 'With --rekey: where the new key goes [default: the key tlsctl recorded for CERT]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from renew" -l days -d 'Validity in days [default: the current certificate\'s]' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from renew" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from renew" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from renew" -l rekey -d 'Generate a new key (this changes the pin); without it the key and pin stay'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from renew" -l force -d 'Renew even from a CA that is not valid yet (the renewed certificate will not verify until it is)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from renew" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from renew" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from renew" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from renew" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from sign" -l ca -d 'Store CA to sign with [default: "default", created on first use]' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from sign" -l usage -d 'Extended key usage' -r -f -a "dual\t'serverAuth + clientAuth (NATS routes need both)'
server\t'serverAuth only'
client\t'clientAuth only'"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from sign" -l days -d 'Validity in days (capped at the CA\'s expiry)' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from sign" -l out -d 'Write DIR/cert.pem and DIR/ca.pem (versioned, as cert issue --out)' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from sign" -l cert-out -d 'Write the certificate to this file [default: stdout]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from sign" -l san -d 'SANs that replace the request\'s (repeatable; kind from the text)' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from sign" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from sign" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from sign" -l chain -d 'Put the CA\'s intermediates after the leaf'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from sign" -l force -d 'Replace existing files'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from sign" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from sign" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from sign" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from sign" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from p12" -l cert -d 'The certificate, optionally followed by its chain' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from p12" -l key -d 'Its private key' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from p12" -l chain -d 'More chain certificates (intermediates; the root if readers want it)' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from p12" -l out -d 'The PKCS#12 file to write (0600)' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from p12" -l password-file -d 'Read the password from this file (its first line) [default: ask on the terminal]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from p12" -l alias -d 'The entry\'s friendly name [default: the certificate\'s CN]' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from p12" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from p12" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from p12" -l legacy -d '3DES and a SHA-1 MAC, for readers before OpenSSL 3, Java 8u301 or Windows Server 2019'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from p12" -l force -d 'Replace an existing file'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from p12" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from p12" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from p12" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from p12" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from help" -f -a "issue" -d 'Issue a leaf certificate (dual-use by default: serverAuth + clientAuth)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from help" -f -a "renew" -d 'Renew a leaf: same subject, SANs and usage, new serial and validity'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from help" -f -a "sign" -d 'Sign a certificate signing request (openssl req, certtool) with a store CA'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from help" -f -a "p12" -d 'Pack a certificate, its chain and key into a PKCS#12 file (Java, .NET, Windows)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand cert; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand pin" -l format -d 'How to write each pin: hex (NATS), base64 (as certtool prints after pin-sha256:), curl (sha256//BASE64 for --pinnedpubkey), rfc7469 (HPKP pin-sha256="BASE64")' -r -f -a "hex\t''
base64\t''
curl\t''
rfc7469\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand pin" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand pin" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand pin" -l nats -d 'Print a NATS `pinned_certs: [...]` block, a comment naming each subject'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand pin" -l bare -d 'Print only the hex pins, one per line'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand pin" -l leaf-only -d 'Only the first certificate (or key) of each file: the leaf of a chain file'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand pin" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand pin" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand pin" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand pin" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand inspect" -l password-file -d 'The password of PKCS#12 files (its first line) [default: ask on the terminal]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand inspect" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand inspect" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand inspect" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand inspect" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand inspect" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand inspect" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand lint" -l role -d 'The job the certificate is for' -r -f -a "server\t''
client\t''
nats-client\t''
nats-route\t''
nats-gateway\t''
nats-leafnode\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand lint" -l host -d 'A name peers connect to (repeatable)' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand lint" -l expires-within -d 'Exit 1 when any certificate (the leaf or its chain) expires within this window (30d, 12h, 90m), like openssl x509 -checkend' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand lint" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand lint" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand lint" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand lint" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand lint" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand lint" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand verify" -l bundle -d 'The trust bundle (every certificate in it is a trust anchor)' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand verify" -l untrusted -d 'More intermediates to build the chain with' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand verify" -l purpose -d 'What the certificate must be good for' -r -f -a "server\t''
client\t''
both\t'serverAuth and clientAuth, as NATS routes need'"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand verify" -l host -d 'The name (DNS or IP) peers connect to' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand verify" -l at -d 'Check at this time instead of now (2027-01-01, RFC 3339, or +30d from now)' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand verify" -l expires-within -d 'Exit 1 also when the leaf, its chain or the anchor it verified through expires within this window (30d, 12h, 90m), like openssl x509 -checkend' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand verify" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand verify" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand verify" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand verify" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand verify" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and not __fish_seen_subcommand_from add remove list lint diff help" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and not __fish_seen_subcommand_from add remove list lint diff help" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and not __fish_seen_subcommand_from add remove list lint diff help" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and not __fish_seen_subcommand_from add remove list lint diff help" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and not __fish_seen_subcommand_from add remove list lint diff help" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and not __fish_seen_subcommand_from add remove list lint diff help" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and not __fish_seen_subcommand_from add remove list lint diff help" -f -a "add" -d 'Create or extend a trust bundle with CA certificates'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and not __fish_seen_subcommand_from add remove list lint diff help" -f -a "remove" -d 'Remove certificates by pin, fingerprint, subject or expiry'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and not __fish_seen_subcommand_from add remove list lint diff help" -f -a "list" -d 'List a bundle\'s certificates'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and not __fish_seen_subcommand_from add remove list lint diff help" -f -a "lint" -d 'Check a bundle: duplicates, expiry, non-CAs, intermediates only, keys, headers'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and not __fish_seen_subcommand_from add remove list lint diff help" -f -a "diff" -d 'What a rotation from OLD to NEW changes, and which peers it cuts off'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and not __fish_seen_subcommand_from add remove list lint diff help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from add" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from add" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from add" -l allow-leaf -d 'Allow certificates that are not CAs (each becomes a trust anchor by itself)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from add" -l dry-run -d 'Show what would change; write nothing'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from add" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from remove" -l pin -d 'Remove the certificates with this SPKI pin (or its first 8+ digits, as `bundle list` shows)' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from remove" -l fingerprint -d 'Remove the certificate with this SHA-256 fingerprint (or its first 8+ digits)' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from remove" -l subject -d 'Remove certificates whose subject contains TEXT (case-insensitive)' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from remove" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from remove" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from remove" -l expired -d 'Remove expired certificates'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from remove" -l dry-run -d 'Show what would go; write nothing'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Remove several certificates without asking'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from remove" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from list" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from list" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from list" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from lint" -l expires-within -d 'Exit 1 when any certificate of the bundle expires within this window (30d, 12h, 90m), like openssl x509 -checkend' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from lint" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from lint" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from lint" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from lint" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from lint" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from lint" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from diff" -l peer -d 'Peers that must keep connecting: each file a leaf, optionally followed by its chain; after OLD NEW (`--peer a.pem b.pem`, or `--peer a.pem --peer b.pem`)' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from diff" -l at -d 'Judge as of this time (RFC 3339 or YYYY-MM-DD) instead of now: rehearse a roll to a staged CA' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from diff" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from diff" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from diff" -l check -d 'Exit 1 when any peer would not be trusted by NEW (lost, or never trusted)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from diff" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from diff" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from diff" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from help" -f -a "add" -d 'Create or extend a trust bundle with CA certificates'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove certificates by pin, fingerprint, subject or expiry'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from help" -f -a "list" -d 'List a bundle\'s certificates'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from help" -f -a "lint" -d 'Check a bundle: duplicates, expiry, non-CAs, intermediates only, keys, headers'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from help" -f -a "diff" -d 'What a rotation from OLD to NEW changes, and which peers it cuts off'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand bundle; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and not __fish_seen_subcommand_from config help" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and not __fish_seen_subcommand_from config help" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and not __fish_seen_subcommand_from config help" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and not __fish_seen_subcommand_from config help" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and not __fish_seen_subcommand_from config help" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and not __fish_seen_subcommand_from config help" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and not __fish_seen_subcommand_from config help" -f -a "config" -d 'Print a ready NATS TLS config block for a certificate, key and CA bundle'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and not __fish_seen_subcommand_from config help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and __fish_seen_subcommand_from config" -l cert -d 'This node\'s certificate (leaf first, then its chain)' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and __fish_seen_subcommand_from config" -l key -d 'This node\'s private key' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and __fish_seen_subcommand_from config" -l ca -d 'The trust bundle (ca_file)' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and __fish_seen_subcommand_from config" -l block -d 'Which block the TLS settings are for' -r -f -a "tls\t''
cluster\t''
gateway\t''
leafnodes\t''
websocket\t''
mqtt\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and __fish_seen_subcommand_from config" -l pin -d 'A pin for pinned_certs: a certificate or key file, or 64 hex digits (repeatable)' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and __fish_seen_subcommand_from config" -l timeout -d 'TLS handshake timeout in seconds' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and __fish_seen_subcommand_from config" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and __fish_seen_subcommand_from config" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and __fish_seen_subcommand_from config" -l verify -d 'Require and verify client certificates'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and __fish_seen_subcommand_from config" -l verify-and-map -d 'Require, verify and map client certificates to users'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and __fish_seen_subcommand_from config" -l verify-known-urls -d 'verify_cert_and_check_known_urls (cluster and gateway only)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and __fish_seen_subcommand_from config" -l handshake-first -d 'handshake_first: TLS before INFO (nats-server 2.10.4 and later)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and __fish_seen_subcommand_from config" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and __fish_seen_subcommand_from config" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and __fish_seen_subcommand_from config" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and __fish_seen_subcommand_from config" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and __fish_seen_subcommand_from help" -f -a "config" -d 'Print a ready NATS TLS config block for a certificate, key and CA bundle'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand nats; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand probe" -l ca -d 'Verify the served chain against this bundle (for the server name)' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand probe" -l cert -d 'Present this client certificate (mTLS)' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand probe" -l key -d 'The client certificate\'s key' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand probe" -l sni -d 'Server name to send (SNI) and verify against [default: the host]' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand probe" -l pin -d 'Expected pin of the served leaf: 64 hex digits, or a certificate or key file (repeatable)' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand probe" -l timeout -d 'Give up after this many seconds' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand probe" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand probe" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand probe" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand probe" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand probe" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand probe" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand serve" -l cert -d 'The certificate to serve (leaf first, then its chain)' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand serve" -l key -d 'Its private key' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand serve" -l ca -d 'Require client certificates that verify against this bundle (mTLS)' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand serve" -l listen -d 'Address to listen on (port 0 picks a free one)' -r
complete -c tlsctl -n "__fish_tlsctl_using_subcommand serve" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand serve" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand serve" -l watch -d 'Reload cert, key and bundle when the files change'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand serve" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand serve" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand serve" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand serve" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand tui" -l diff -d 'Open the diff view of two bundles' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand tui" -l peer -d 'With --diff: a peer (leaf, optionally followed by its chain) to check against both; repeat for several' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand tui" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand tui" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand tui" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand tui" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand tui" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand tui" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand completions" -l store -d 'The store of CAs and issued certificates [env: TLSCTL_HOME] [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand completions" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand completions" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand completions" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and not __fish_seen_subcommand_from ca cert pin inspect lint verify bundle nats probe serve tui completions help" -f -a "ca" -d 'Create, list, show and export CAs in the store'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and not __fish_seen_subcommand_from ca cert pin inspect lint verify bundle nats probe serve tui completions help" -f -a "cert" -d 'Issue and renew leaf certificates'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and not __fish_seen_subcommand_from ca cert pin inspect lint verify bundle nats probe serve tui completions help" -f -a "pin" -d 'Print the SPKI SHA-256 pins (NATS pinned_certs values) of certificates and keys'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and not __fish_seen_subcommand_from ca cert pin inspect lint verify bundle nats probe serve tui completions help" -f -a "inspect" -d 'Show what certificates, keys, public keys and CSRs say'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and not __fish_seen_subcommand_from ca cert pin inspect lint verify bundle nats probe serve tui completions help" -f -a "lint" -d 'Check certificates for a job (route, gateway, client...): findings with fixes'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and not __fish_seen_subcommand_from ca cert pin inspect lint verify bundle nats probe serve tui completions help" -f -a "verify" -d 'Build and check a chain against a bundle, as a TLS peer (Go, NATS) would'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and not __fish_seen_subcommand_from ca cert pin inspect lint verify bundle nats probe serve tui completions help" -f -a "bundle" -d 'Trust bundles: add, remove, list, lint, and diff before a rotation'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and not __fish_seen_subcommand_from ca cert pin inspect lint verify bundle nats probe serve tui completions help" -f -a "nats" -d 'NATS configuration: a ready TLS block, checked'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and not __fish_seen_subcommand_from ca cert pin inspect lint verify bundle nats probe serve tui completions help" -f -a "probe" -d 'Connect to a TLS or NATS endpoint: its chain, pins, and whether it verifies'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and not __fish_seen_subcommand_from ca cert pin inspect lint verify bundle nats probe serve tui completions help" -f -a "serve" -d 'A TLS (or mTLS) endpoint that reloads its material, for rehearsing a rotation'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and not __fish_seen_subcommand_from ca cert pin inspect lint verify bundle nats probe serve tui completions help" -f -a "tui" -d 'The terminal UI: the store, bundles, a diff, forms and pins'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and not __fish_seen_subcommand_from ca cert pin inspect lint verify bundle nats probe serve tui completions help" -f -a "completions" -d 'Print a shell completion script on stdout'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and not __fish_seen_subcommand_from ca cert pin inspect lint verify bundle nats probe serve tui completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and __fish_seen_subcommand_from ca" -f -a "create" -d 'Create a root CA, or an intermediate under --parent'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and __fish_seen_subcommand_from ca" -f -a "list" -d 'List the store\'s CAs: roots with their intermediates as a tree'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and __fish_seen_subcommand_from ca" -f -a "show" -d 'Show one CA'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and __fish_seen_subcommand_from ca" -f -a "export" -d 'Print a CA certificate (never its key)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and __fish_seen_subcommand_from ca" -f -a "import" -d 'Bring an existing CA (an openssl-made root, an intermediate) and its key into the store'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and __fish_seen_subcommand_from cert" -f -a "issue" -d 'Issue a leaf certificate (dual-use by default: serverAuth + clientAuth)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and __fish_seen_subcommand_from cert" -f -a "renew" -d 'Renew a leaf: same subject, SANs and usage, new serial and validity'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and __fish_seen_subcommand_from cert" -f -a "sign" -d 'Sign a certificate signing request (openssl req, certtool) with a store CA'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and __fish_seen_subcommand_from cert" -f -a "p12" -d 'Pack a certificate, its chain and key into a PKCS#12 file (Java, .NET, Windows)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and __fish_seen_subcommand_from bundle" -f -a "add" -d 'Create or extend a trust bundle with CA certificates'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and __fish_seen_subcommand_from bundle" -f -a "remove" -d 'Remove certificates by pin, fingerprint, subject or expiry'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and __fish_seen_subcommand_from bundle" -f -a "list" -d 'List a bundle\'s certificates'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and __fish_seen_subcommand_from bundle" -f -a "lint" -d 'Check a bundle: duplicates, expiry, non-CAs, intermediates only, keys, headers'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and __fish_seen_subcommand_from bundle" -f -a "diff" -d 'What a rotation from OLD to NEW changes, and which peers it cuts off'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and __fish_seen_subcommand_from nats" -f -a "config" -d 'Print a ready NATS TLS config block for a certificate, key and CA bundle'
