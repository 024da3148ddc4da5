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

complete -c tlsctl -n "__fish_tlsctl_needs_command" -l store -d 'The store of CAs and issued certificates [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_needs_command" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_needs_command" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -f -a "pin" -d 'Print the SPKI SHA-256 pins (NATS pinned_certs values) of certificates and keys'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -f -a "inspect" -d 'Show what certificates, keys, public keys and CSRs say'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -f -a "completions" -d 'Print a shell completion script on stdout'
complete -c tlsctl -n "__fish_tlsctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand pin" -l store -d 'The store of CAs and issued certificates [default: the platform data dir]' -r -F
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
complete -c tlsctl -n "__fish_tlsctl_using_subcommand inspect" -l store -d 'The store of CAs and issued certificates [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand inspect" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand inspect" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand inspect" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand inspect" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand inspect" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand completions" -l store -d 'The store of CAs and issued certificates [default: the platform data dir]' -r -F
complete -c tlsctl -n "__fish_tlsctl_using_subcommand completions" -l color -d 'When to colour human output (NO_COLOR is honoured under auto)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tlsctl -n "__fish_tlsctl_using_subcommand completions" -l json -d 'Machine output: one JSON document on stdout, stable field names'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand completions" -s q -l quiet -d 'Print only results and errors: no hints, no progress'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and not __fish_seen_subcommand_from pin inspect completions help" -f -a "pin" -d 'Print the SPKI SHA-256 pins (NATS pinned_certs values) of certificates and keys'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and not __fish_seen_subcommand_from pin inspect completions help" -f -a "inspect" -d 'Show what certificates, keys, public keys and CSRs say'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and not __fish_seen_subcommand_from pin inspect completions help" -f -a "completions" -d 'Print a shell completion script on stdout'
complete -c tlsctl -n "__fish_tlsctl_using_subcommand help; and not __fish_seen_subcommand_from pin inspect completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
