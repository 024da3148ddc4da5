module tlsctl.test/gox509

go 1.19
