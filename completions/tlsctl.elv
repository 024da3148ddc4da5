
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
            cand --store 'The store of CAs and issued certificates [default: the platform data dir]'
            cand --color 'When to colour human output (NO_COLOR is honoured under auto)'
            cand --json 'Machine output: one JSON document on stdout, stable field names'
            cand -q 'Print only results and errors: no hints, no progress'
            cand --quiet 'Print only results and errors: no hints, no progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand pin 'Print the SPKI SHA-256 pins (NATS pinned_certs values) of certificates and keys'
            cand inspect 'Show what certificates, keys, public keys and CSRs say'
            cand completions 'Print a shell completion script on stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsctl;pin'= {
            cand --store 'The store of CAs and issued certificates [default: the platform data dir]'
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
            cand --store 'The store of CAs and issued certificates [default: the platform data dir]'
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
            cand --store 'The store of CAs and issued certificates [default: the platform data dir]'
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
            cand pin 'Print the SPKI SHA-256 pins (NATS pinned_certs values) of certificates and keys'
            cand inspect 'Show what certificates, keys, public keys and CSRs say'
            cand completions 'Print a shell completion script on stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsctl;help;pin'= {
        }
        &'tlsctl;help;inspect'= {
        }
        &'tlsctl;help;completions'= {
        }
        &'tlsctl;help;help'= {
        }
    ]
    $completions[$command]
}
