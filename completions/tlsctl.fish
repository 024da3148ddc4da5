complete --keep-order --exclusive --command tlsctl --arguments "(COMPLETE=fish tlsctl -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
