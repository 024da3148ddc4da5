// The oracle half: judges each case of a manifest the way nats-server does,
// with the crypto/x509 of the Go that builds this program.
//
// nats-server loads ca_file with CertPool.AppendCertsFromPEM (a certificate
// Go cannot parse is skipped; none parsed is a config error), and crypto/tls
// parses every presented certificate (one failure ends the handshake) and
// calls Verify with Roots = that pool, Intermediates = the presented chain
// after the leaf, KeyUsages = serverAuth (dialer judging the acceptor, with
// DNSName = the host dialled) or clientAuth (acceptor judging the dialer).
package main

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

type verdict struct {
	Name  string `json:"name"`
	OK    bool   `json:"ok"`
	Stage string `json:"stage,omitempty"`
	Error string `json:"error,omitempty"`
}

func judge(dir string, c Case) verdict {
	v := verdict{Name: c.Name}
	chainPEM, err := os.ReadFile(filepath.Join(dir, c.Chain))
	if err != nil {
		v.Stage, v.Error = "io", err.Error()
		return v
	}
	caPEM, err := os.ReadFile(filepath.Join(dir, c.CA))
	if err != nil {
		v.Stage, v.Error = "io", err.Error()
		return v
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPEM) {
		v.Stage, v.Error = "ca", "no certificate in the CA file could be parsed"
		return v
	}
	var chain []*x509.Certificate
	rest := chainPEM
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			if c.Purpose == "client" {
				v.Error = "tls: failed to parse client certificate: " + err.Error()
			} else {
				v.Error = "tls: failed to parse certificate from server: " + err.Error()
			}
			v.Stage = "parse"
			return v
		}
		chain = append(chain, cert)
	}
	if len(chain) == 0 {
		v.Stage, v.Error = "io", "no certificate in the chain file"
		return v
	}
	at, err := time.Parse(time.RFC3339, c.Time)
	if err != nil {
		v.Stage, v.Error = "io", err.Error()
		return v
	}
	opts := x509.VerifyOptions{
		Roots:         roots,
		Intermediates: x509.NewCertPool(),
		CurrentTime:   at,
	}
	for _, cert := range chain[1:] {
		opts.Intermediates.AddCert(cert)
	}
	if c.Purpose == "client" {
		opts.KeyUsages = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	} else {
		opts.KeyUsages = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		opts.DNSName = c.Host
	}
	if _, err := chain[0].Verify(opts); err != nil {
		v.Stage, v.Error = "verify", err.Error()
		return v
	}
	v.OK = true
	return v
}

func runVerify(dir string) error {
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return err
	}
	var cases []Case
	if err := json.Unmarshal(raw, &cases); err != nil {
		return err
	}
	out := make([]verdict, 0, len(cases))
	for _, c := range cases {
		out = append(out, judge(dir, c))
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	return enc.Encode(out)
}

func main() {
	if len(os.Args) != 3 || (os.Args[1] != "gen" && os.Args[1] != "verify") {
		fmt.Fprintln(os.Stderr, "usage: gox509 gen DIR | gox509 verify DIR")
		os.Exit(2)
	}
	var err error
	if os.Args[1] == "gen" {
		err = runGen(os.Args[2])
	} else {
		err = runVerify(os.Args[2])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gox509:", err)
		os.Exit(1)
	}
}
