// The matrix: chains that exercise each rule of Go's chain verification.
// Each case is a chain file (leaf first), a CA file, a purpose, a host and
// a time; manifest.json lists them.
package main

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// Case is one line of the manifest.
type Case struct {
	Name    string `json:"name"`
	Rule    string `json:"rule"`
	Chain   string `json:"chain"`
	CA      string `json:"ca"`
	Purpose string `json:"purpose"`
	Host    string `json:"host,omitempty"`
	Time    string `json:"time"`
}

var (
	now       = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	notBefore = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	notAfter  = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	keys      = map[string]*Key{}
)

func key(kind string) *Key {
	if k, ok := keys[kind]; ok {
		return k
	}
	k := newKey(kind)
	keys[kind] = k
	return k
}

func caSpec(cn string, k *Key) Spec {
	return Spec{CN: cn, Key: k, NotBefore: notBefore, NotAfter: notAfter, BC: "ca", PathLen: -1, BCCritical: true, KU: []int{0, 5, 6}}
}

func leafSpec(cn string) Spec {
	return Spec{CN: cn, Key: key("p256"), NotBefore: notBefore, NotAfter: notAfter, BC: "leaf", PathLen: -1, BCCritical: true,
		KU: []int{0, 2}, EKU: []asnOID{oidEKUServer, oidEKUClient}, DNS: []string{"node.example.com"}, IPs: []net.IP{net.ParseIP("127.0.0.1")}}
}

type gen struct {
	dir   string
	cases []Case
	n     int
}

func pemOf(certs ...*Cert) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.DER})...)
	}
	return out
}

// add writes one case for each purpose given.
func (g *gen) add(name, rule string, chain, ca []*Cert, host string, at time.Time, purposes ...string) {
	g.n++
	base := fmt.Sprintf("%03d-%s", g.n, name)
	chainFile, caFile := base+".chain.pem", base+".ca.pem"
	if err := os.WriteFile(filepath.Join(g.dir, chainFile), pemOf(chain...), 0o644); err != nil {
		panic(err)
	}
	if err := os.WriteFile(filepath.Join(g.dir, caFile), pemOf(ca...), 0o644); err != nil {
		panic(err)
	}
	// The leaf's key, for the tests that present the chain to a real
	// nats-server.
	if key, err := x509.MarshalPKCS8PrivateKey(chain[0].Key.signer); err == nil {
		block := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key})
		if err := os.WriteFile(filepath.Join(g.dir, base+".key.pem"), block, 0o600); err != nil {
			panic(err)
		}
	}
	if len(purposes) == 0 {
		purposes = []string{"server", "client"}
	}
	for _, p := range purposes {
		h := ""
		if p == "server" {
			h = host
		}
		g.cases = append(g.cases, Case{Name: base + "/" + p, Rule: rule, Chain: chainFile, CA: caFile, Purpose: p, Host: h, Time: at.Format(time.RFC3339)})
	}
}

func runGen(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	g := &gen{dir: dir}
	matrix(g)
	raw, err := json.MarshalIndent(g.cases, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "manifest.json"), raw, 0o644)
}

func ipnet(cidr string) *net.IPNet {
	_, n, err := net.ParseCIDR(cidr)
	if err != nil {
		panic(err)
	}
	return n
}

func matrix(g *gen) {
	root := build(caSpec("Matrix Root", key("p384")), nil)
	interSpec := caSpec("Matrix Intermediate", key("rsa2048"))
	inter := build(interSpec, root)
	leaf := func(mod func(*Spec)) *Cert {
		s := leafSpec("node.example.com")
		if mod != nil {
			mod(&s)
		}
		return build(s, inter)
	}
	std := leaf(nil)
	host := "node.example.com"

	// Baseline.
	g.add("baseline", "baseline", []*Cert{std, inter}, []*Cert{root}, host, now)
	g.add("baseline-ip", "hostname", []*Cert{std, inter}, []*Cert{root}, "127.0.0.1", now, "server")
	g.add("no-intermediate-given", "chain building", []*Cert{std}, []*Cert{root}, host, now)
	g.add("intermediate-in-ca-file", "chain building: every CA-file certificate is a root", []*Cert{std}, []*Cert{inter}, host, now)
	g.add("intermediate-and-root-in-ca-file", "chain building", []*Cert{std}, []*Cert{root, inter}, host, now)
	g.add("chain-reversed-order", "chain building", []*Cert{std, root, inter}, []*Cert{root}, host, now)
	other := build(caSpec("Other Root", key("p256")), nil)
	g.add("wrong-root", "chain building", []*Cert{std, inter}, []*Cert{other}, host, now)
	g.add("leaf-in-ca-file", "leaf trusted directly", []*Cert{std}, []*Cert{std}, host, now)

	// Serials.
	for _, s := range []struct {
		name   string
		serial *big.Int
	}{
		{"negative", big.NewInt(-12345)},
		{"zero", big.NewInt(0)},
		{"one", big.NewInt(1)},
		{"20-bytes", new(big.Int).Lsh(big.NewInt(1), 158)},
		{"21-bytes", new(big.Int).Lsh(big.NewInt(1), 166)},
		{"30-bytes", new(big.Int).Lsh(big.NewInt(1), 238)},
	} {
		serial := s.serial
		l := leaf(func(sp *Spec) { sp.Serial = serial })
		g.add("serial-leaf-"+s.name, "serial", []*Cert{l, inter}, []*Cert{root}, host, now)
		is := interSpec
		is.Serial = serial
		i2 := build(is, root)
		g.add("serial-intermediate-"+s.name, "serial", []*Cert{build(leafSpec(host), i2), i2}, []*Cert{root}, host, now, "server")
		rs := caSpec("Serial Root", key("p256"))
		rs.Serial = serial
		r2 := build(rs, nil)
		g.add("serial-root-"+s.name, "serial", []*Cert{build(leafSpec(host), r2)}, []*Cert{r2}, host, now, "server")
	}

	// Keys: the leaf's key (never used by Verify) and the issuer's (used).
	for _, kind := range []string{"rsa512", "rsa1024", "rsa2048", "rsa4096", "p224", "p256", "p384", "p521", "ed25519", "p192"} {
		k := kind
		l := leaf(func(sp *Spec) { sp.Key = key(k) })
		g.add("leaf-key-"+k, "keys", []*Cert{l, inter}, []*Cert{root}, host, now, "server")
		if k == "p192" {
			continue
		}
		r := build(caSpec("Key Root "+k, key(k)), nil)
		g.add("root-key-"+k, "keys", []*Cert{build(leafSpec(host), r)}, []*Cert{r}, host, now, "server")
		is := caSpec("Key Intermediate "+k, key(k))
		i2 := build(is, root)
		g.add("intermediate-key-"+k, "keys", []*Cert{build(leafSpec(host), i2), i2}, []*Cert{root}, host, now, "server")
	}
	p192root := build(caSpec("P-192 Root", key("p192")), nil)
	g.add("root-key-p192-in-ca-file", "keys: a CA-file certificate Go cannot parse is skipped", []*Cert{std, inter}, []*Cert{p192root, root}, host, now, "server")

	// Signature algorithms.
	for _, h := range []string{"sha1", "md5", "sha384", "sha512"} {
		hh := h
		l := build(func() Spec { s := leafSpec(host); s.SigHash = hh; return s }(), inter)
		g.add("leaf-signed-rsa-"+h, "signature algorithm", []*Cert{l, inter}, []*Cert{root}, host, now, "server")
	}
	for _, h := range []string{"sha1", "sha384", "sha512"} {
		is := interSpec
		is.SigHash = h
		i2 := build(is, root)
		g.add("intermediate-signed-ecdsa-"+h, "signature algorithm", []*Cert{build(leafSpec(host), inter), i2}, []*Cert{root}, host, now, "server")
	}
	sha1root := func() *Cert { s := caSpec("SHA-1 Root", key("rsa2048")); s.SigHash = "sha1"; return build(s, nil) }()
	g.add("root-self-signed-sha1", "signature algorithm: a root's own signature is not checked", []*Cert{build(leafSpec(host), sha1root)}, []*Cert{sha1root}, host, now, "server")
	p256root := build(caSpec("P-256 Root", key("p256")), nil)
	for _, h := range []string{"sha384", "sha512"} {
		s := leafSpec(host)
		s.SigHash = h
		g.add("p256-issuer-signs-with-"+h, "signature algorithm", []*Cert{build(s, p256root)}, []*Cert{p256root}, host, now, "server")
	}
	for _, h := range []string{"pss256", "pss384", "pss512"} {
		s := leafSpec(host)
		s.SigHash = h
		g.add("leaf-signed-rsa-"+h, "signature algorithm: RSASSA-PSS", []*Cert{build(s, inter), inter}, []*Cert{root}, host, now, "server")
	}
	{
		s := leafSpec(host)
		s.SigHash = "ecdsa-null"
		g.add("p256-issuer-ecdsa-with-null-parameters", "signature algorithm: parameters ignored", []*Cert{build(s, p256root)}, []*Cert{p256root}, host, now, "server")
		edRoot := build(caSpec("Ed25519 Root", key("ed25519")), nil)
		s = leafSpec(host)
		s.SigHash = "ed25519-params"
		g.add("ed25519-issuer-with-parameters", "signature algorithm: Ed25519 takes none", []*Cert{build(s, edRoot)}, []*Cert{edRoot}, host, now, "server")
	}
	tampered := leaf(func(sp *Spec) { sp.Tamper = true })
	g.add("leaf-bad-signature", "signature", []*Cert{tampered, inter}, []*Cert{root}, host, now)
	tamperedInter := build(func() Spec { s := interSpec; s.Tamper = true; return s }(), root)
	g.add("intermediate-bad-signature", "signature", []*Cert{build(leafSpec(host), tamperedInter), tamperedInter}, []*Cert{root}, host, now, "server")

	// Unknown extensions at each level.
	for _, crit := range []bool{true, false} {
		label := "noncritical"
		if crit {
			label = "critical"
		}
		unknown := []pkix.Extension{{Id: oidExtUnknown, Critical: crit, Value: []byte{5, 0}}}
		l := leaf(func(sp *Spec) { sp.Extra = unknown })
		g.add("unknown-ext-leaf-"+label, "unknown extensions", []*Cert{l, inter}, []*Cert{root}, host, now)
		is := interSpec
		is.Extra = unknown
		i2 := build(is, root)
		g.add("unknown-ext-intermediate-"+label, "unknown extensions", []*Cert{build(leafSpec(host), i2), i2}, []*Cert{root}, host, now, "server")
		rs := caSpec("Unknown Ext Root", key("p256"))
		rs.Extra = unknown
		r2 := build(rs, nil)
		g.add("unknown-ext-root-"+label, "unknown extensions", []*Cert{build(leafSpec(host), r2)}, []*Cert{r2}, host, now, "server")
	}

	// basicConstraints.
	{
		rs := caSpec("No BC Root", key("p256"))
		rs.BC = "none"
		r := build(rs, nil)
		g.add("root-v3-without-basic-constraints", "basicConstraints", []*Cert{build(leafSpec(host), r)}, []*Cert{r}, host, now)
		rs.Version = 1
		rs.CN = "V1 Root"
		r1 := build(rs, nil)
		g.add("root-v1", "basicConstraints: a v1 issuer needs none", []*Cert{build(leafSpec(host), r1)}, []*Cert{r1}, host, now)
		rs = caSpec("Non-critical BC Root", key("p256"))
		rs.BCCritical = false
		r = build(rs, nil)
		g.add("root-basic-constraints-noncritical", "basicConstraints", []*Cert{build(leafSpec(host), r)}, []*Cert{r}, host, now, "server")
		rs = caSpec("CA FALSE Root", key("p256"))
		rs.BC = "leaf"
		r = build(rs, nil)
		g.add("root-ca-false", "basicConstraints", []*Cert{build(leafSpec(host), r)}, []*Cert{r}, host, now, "server")

		is := interSpec
		is.BC = "none"
		i2 := build(is, root)
		g.add("intermediate-without-basic-constraints", "basicConstraints", []*Cert{build(leafSpec(host), i2), i2}, []*Cert{root}, host, now, "server")
		is = interSpec
		is.BC = "leaf"
		i2 = build(is, root)
		g.add("intermediate-ca-false", "basicConstraints", []*Cert{build(leafSpec(host), i2), i2}, []*Cert{root}, host, now, "server")
		is = interSpec
		is.BCCritical = false
		i2 = build(is, root)
		g.add("intermediate-basic-constraints-noncritical", "basicConstraints", []*Cert{build(leafSpec(host), i2), i2}, []*Cert{root}, host, now, "server")
		is = interSpec
		is.Version = 1
		is.CN = "V1 Intermediate"
		i2 = build(is, root)
		g.add("intermediate-v1", "basicConstraints: a v1 intermediate is not a CA", []*Cert{build(leafSpec(host), i2), i2}, []*Cert{root}, host, now, "server")

		// Path length.
		for _, pl := range []int{0, 1, 2} {
			rs := caSpec(fmt.Sprintf("PathLen %d Root", pl), key("p256"))
			rs.PathLen = pl
			r := build(rs, nil)
			i1 := build(caSpec("PL Intermediate 1", key("p384")), r)
			i2 := build(caSpec("PL Intermediate 2", key("rsa2048")), i1)
			g.add(fmt.Sprintf("pathlen-%d-root-direct-leaf", pl), "path length", []*Cert{build(leafSpec(host), r)}, []*Cert{r}, host, now, "server")
			g.add(fmt.Sprintf("pathlen-%d-root-one-intermediate", pl), "path length", []*Cert{build(leafSpec(host), i1), i1}, []*Cert{r}, host, now, "server")
			g.add(fmt.Sprintf("pathlen-%d-root-two-intermediates", pl), "path length", []*Cert{build(leafSpec(host), i2), i2, i1}, []*Cert{r}, host, now, "server")
			// A self-issued intermediate (same name as the root, new key).
			si := caSpec(fmt.Sprintf("PathLen %d Root", pl), key("p521"))
			selfIssued := build(si, r)
			g.add(fmt.Sprintf("pathlen-%d-root-self-issued-intermediate", pl), "path length: self-issued intermediates count in Go", []*Cert{build(leafSpec(host), selfIssued), selfIssued}, []*Cert{r}, host, now, "server")
		}
		is = interSpec
		is.PathLen = 0
		i0 := build(is, root)
		sub := build(caSpec("Sub Intermediate", key("p256")), i0)
		g.add("intermediate-pathlen-0-with-sub-ca", "path length", []*Cert{build(leafSpec(host), sub), sub, i0}, []*Cert{root}, host, now, "server")
		g.add("intermediate-pathlen-0-leaf", "path length", []*Cert{build(leafSpec(host), i0), i0}, []*Cert{root}, host, now, "server")
	}

	// Key usage.
	{
		rs := caSpec("KU Without CertSign Root", key("p256"))
		rs.KU = []int{0}
		r := build(rs, nil)
		g.add("root-key-usage-without-certsign", "key usage", []*Cert{build(leafSpec(host), r)}, []*Cert{r}, host, now, "server")
		rs = caSpec("No KU Root", key("p256"))
		rs.KU = nil
		r = build(rs, nil)
		g.add("root-without-key-usage", "key usage", []*Cert{build(leafSpec(host), r)}, []*Cert{r}, host, now, "server")
		l := leaf(func(sp *Spec) { sp.KU = []int{2} })
		g.add("leaf-key-usage-key-encipherment-only", "key usage: Go ignores a leaf's", []*Cert{l, inter}, []*Cert{root}, host, now)
		l = leaf(func(sp *Spec) { sp.KU = []int{5} })
		g.add("leaf-key-usage-certsign-only", "key usage: Go ignores a leaf's", []*Cert{l, inter}, []*Cert{root}, host, now)
	}

	// EKU.
	{
		for _, e := range []struct {
			name string
			eku  []asnOID
		}{
			{"absent", nil},
			{"server", []asnOID{oidEKUServer}},
			{"client", []asnOID{oidEKUClient}},
			{"dual", []asnOID{oidEKUServer, oidEKUClient}},
			{"any", []asnOID{oidEKUAny}},
			{"codesigning", []asnOID{oidEKUCode}},
			{"unknown-oid", []asnOID{oidEKUOdd}},
			{"server-and-unknown", []asnOID{oidEKUServer, oidEKUOdd}},
		} {
			ek := e.eku
			l := leaf(func(sp *Spec) { sp.EKU = ek })
			g.add("leaf-eku-"+e.name, "EKU", []*Cert{l, inter}, []*Cert{root}, host, now)
			is := interSpec
			is.EKU = ek
			is.CN = "EKU Intermediate " + e.name
			i2 := build(is, root)
			g.add("intermediate-eku-"+e.name, "EKU nested", []*Cert{build(leafSpec(host), i2), i2}, []*Cert{root}, host, now)
			rs := caSpec("EKU Root "+e.name, key("p256"))
			rs.EKU = ek
			r2 := build(rs, nil)
			g.add("root-eku-"+e.name, "EKU nested", []*Cert{build(leafSpec(host), r2)}, []*Cert{r2}, host, now)
		}
		rs := caSpec("EKU Root client", key("p256"))
		rs.EKU = []asnOID{oidEKUClient}
		r2 := build(rs, nil)
		is := interSpec
		is.EKU = []asnOID{oidEKUServer}
		i2 := build(is, r2)
		g.add("eku-root-client-intermediate-server", "EKU nested", []*Cert{build(leafSpec(host), i2), i2}, []*Cert{r2}, host, now)
	}

	// CA as leaf.
	{
		selfCA := func(cn string, eku []asnOID) *Cert {
			s := caSpec(cn, key("p256"))
			s.DNS = []string{host}
			s.IPs = []net.IP{net.ParseIP("127.0.0.1")}
			s.EKU = eku
			s.KU = nil
			return build(s, nil)
		}
		ossl := selfCA(host, nil)
		g.add("ca-true-self-signed-leaf-in-ca-file", "CA as leaf", []*Cert{ossl}, []*Cert{ossl}, host, now)
		g.add("ca-true-self-signed-leaf-with-other-ca", "CA as leaf", []*Cert{ossl}, []*Cert{ossl, root}, host, now)
		g.add("ca-true-self-signed-leaf-not-trusted", "CA as leaf", []*Cert{ossl}, []*Cert{root}, host, now)
		srv := selfCA(host, []asnOID{oidEKUServer})
		g.add("ca-true-self-signed-leaf-server-eku", "CA as leaf", []*Cert{srv}, []*Cert{srv}, host, now)
		g.add("ca-true-self-signed-leaf-wrong-host", "CA as leaf", []*Cert{ossl}, []*Cert{ossl}, "other.example.com", now, "server")
		caLeaf := leaf(func(sp *Spec) { sp.BC = "ca"; sp.KU = []int{0, 5} })
		g.add("ca-true-leaf-issued-by-intermediate", "CA as leaf", []*Cert{caLeaf, inter}, []*Cert{root}, host, now)
		openssl := leaf(func(sp *Spec) { sp.BC = "ca"; sp.BCCritical = false; sp.KU = nil; sp.EKU = nil })
		g.add("ca-true-noncritical-leaf", "CA as leaf", []*Cert{openssl, inter}, []*Cert{root}, host, now)
		expiredSelf := func() *Cert {
			s := caSpec(host, key("p256"))
			s.DNS = []string{host}
			s.NotAfter = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			return build(s, nil)
		}()
		g.add("ca-true-self-signed-leaf-expired", "CA as leaf", []*Cert{expiredSelf}, []*Cert{expiredSelf}, host, now, "server")
	}

	// Name constraints.
	{
		type ncCase struct {
			name string
			nc   NameConstraints
			crit bool
			mod  func(*Spec)
		}
		emailLeaf := func(sp *Spec) {
			sp.DNS = nil
			sp.IPs = nil
			sp.Emails = []string{"alice@example.com"}
			sp.EKU = []asnOID{oidEKUClient}
		}
		uriLeaf := func(sp *Spec) { sp.URIs = []string{"spiffe://example.com/node"} }
		uriIPLeaf := func(sp *Spec) { sp.URIs = []string{"https://10.0.0.1/x"} }
		noSAN := func(sp *Spec) { sp.DNS = nil; sp.IPs = nil }
		cases := []ncCase{
			{"dns-permitted-match", NameConstraints{PermDNS: []string{"example.com"}}, true, func(sp *Spec) { sp.IPs = nil }},
			{"dns-permitted-match-ip-unconstrained", NameConstraints{PermDNS: []string{"example.com"}}, true, nil},
			{"dns-permitted-mismatch", NameConstraints{PermDNS: []string{"example.org"}}, true, func(sp *Spec) { sp.IPs = nil }},
			{"dns-permitted-leading-dot", NameConstraints{PermDNS: []string{".example.com"}}, true, func(sp *Spec) { sp.IPs = nil }},
			{"dns-permitted-leading-dot-apex", NameConstraints{PermDNS: []string{".example.com"}}, true, func(sp *Spec) { sp.IPs = nil; sp.DNS = []string{"example.com"} }},
			{"dns-excluded-match", NameConstraints{ExclDNS: []string{"example.com"}}, true, nil},
			{"dns-excluded-other", NameConstraints{ExclDNS: []string{"example.org"}}, true, nil},
			{"dns-permitted-case", NameConstraints{PermDNS: []string{"EXAMPLE.com"}}, true, func(sp *Spec) { sp.IPs = nil }},
			{"ip-permitted-match", NameConstraints{PermIP: []*net.IPNet{ipnet("127.0.0.0/8")}}, true, func(sp *Spec) { sp.DNS = nil }},
			{"ip-permitted-mismatch", NameConstraints{PermIP: []*net.IPNet{ipnet("10.0.0.0/8")}}, true, nil},
			{"ip-excluded-match", NameConstraints{ExclIP: []*net.IPNet{ipnet("127.0.0.0/8")}}, true, nil},
			{"ipv6-permitted-match", NameConstraints{PermIP: []*net.IPNet{ipnet("fd00::/8")}}, true, func(sp *Spec) { sp.DNS = nil; sp.IPs = []net.IP{net.ParseIP("fd00::1")} }},
			{"ipv6-constraint-v4-name", NameConstraints{PermIP: []*net.IPNet{ipnet("fd00::/8")}}, true, func(sp *Spec) { sp.DNS = nil }},
			{"email-permitted-domain", NameConstraints{PermEmail: []string{"example.com"}}, true, emailLeaf},
			{"email-permitted-subdomain-dot", NameConstraints{PermEmail: []string{".example.com"}}, true, emailLeaf},
			{"email-permitted-mailbox", NameConstraints{PermEmail: []string{"alice@example.com"}}, true, emailLeaf},
			{"email-permitted-other-mailbox", NameConstraints{PermEmail: []string{"bob@example.com"}}, true, emailLeaf},
			{"email-excluded-domain", NameConstraints{ExclEmail: []string{"example.com"}}, true, emailLeaf},
			{"email-leaf-under-dns-constraints", NameConstraints{PermDNS: []string{"example.org"}}, true, emailLeaf},
			{"uri-permitted-match", NameConstraints{PermURI: []string{"example.com"}}, true, uriLeaf},
			{"uri-permitted-mismatch", NameConstraints{PermURI: []string{"example.org"}}, true, uriLeaf},
			{"uri-excluded-match", NameConstraints{ExclURI: []string{"example.com"}}, true, uriLeaf},
			{"uri-with-ip-host-under-constraints", NameConstraints{PermURI: []string{"example.com"}}, true, uriIPLeaf},
			{"leaf-without-sans-under-constraints", NameConstraints{PermDNS: []string{"example.org"}}, true, noSAN},
			{"dirname-constraint-critical", NameConstraints{PermDirName: true}, true, nil},
			{"dirname-constraint-noncritical", NameConstraints{PermDirName: true}, false, nil},
			{"dns-noncritical-mismatch", NameConstraints{PermDNS: []string{"example.org"}}, false, func(sp *Spec) { sp.IPs = nil }},
		}
		for _, c := range cases {
			nc := c.nc
			is := interSpec
			is.CN = "NC Intermediate " + c.name
			is.NC = &nc
			is.NCCritical = c.crit
			i2 := build(is, root)
			ls := leafSpec(host)
			if c.mod != nil {
				c.mod(&ls)
			}
			l := build(ls, i2)
			purposes := []string{"server"}
			h := host
			if len(ls.DNS) == 0 {
				h = ""
			}
			if len(ls.Emails) > 0 {
				purposes = []string{"client"}
			}
			g.add("nc-intermediate-"+c.name, "name constraints", []*Cert{l, i2}, []*Cert{root}, h, now, purposes...)
		}
		// On the root, with the leaf directly under it.
		rs := caSpec("NC Root", key("p256"))
		rs.NC = &NameConstraints{PermDNS: []string{"example.org"}}
		r := build(rs, nil)
		ls := leafSpec(host)
		ls.IPs = nil
		g.add("nc-root-dns-mismatch", "name constraints", []*Cert{build(ls, r)}, []*Cert{r}, host, now, "server")
		rs = caSpec("NC Root Email", key("p256"))
		rs.NC = &NameConstraints{PermEmail: []string{"example.com"}, PermDNS: []string{"example.com"}}
		r = build(rs, nil)
		ls = leafSpec(host)
		ls.IPs = nil
		ls.Emails = []string{"alice@example.com"}
		g.add("nc-root-email-and-dns-match", "name constraints", []*Cert{build(ls, r)}, []*Cert{r}, host, now)
	}

	// Validity edges.
	{
		exp := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		l := leaf(func(sp *Spec) { sp.NotAfter = exp })
		g.add("leaf-expired", "validity", []*Cert{l, inter}, []*Cert{root}, host, now)
		g.add("leaf-at-not-after", "validity edge", []*Cert{l, inter}, []*Cert{root}, host, exp, "server")
		g.add("leaf-one-second-after", "validity edge", []*Cert{l, inter}, []*Cert{root}, host, exp.Add(time.Second), "server")
		nb := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
		l = leaf(func(sp *Spec) { sp.NotBefore = nb })
		g.add("leaf-not-yet-valid", "validity", []*Cert{l, inter}, []*Cert{root}, host, now, "server")
		g.add("leaf-at-not-before", "validity edge", []*Cert{l, inter}, []*Cert{root}, host, nb, "server")
		g.add("leaf-one-second-before", "validity edge", []*Cert{l, inter}, []*Cert{root}, host, nb.Add(-time.Second), "server")
		is := interSpec
		is.NotAfter = exp
		i2 := build(is, root)
		g.add("intermediate-expired", "validity", []*Cert{build(leafSpec(host), i2), i2}, []*Cert{root}, host, now, "server")
		rs := caSpec("Expired Root", key("p256"))
		rs.NotAfter = exp
		r := build(rs, nil)
		g.add("root-expired", "validity", []*Cert{build(leafSpec(host), r)}, []*Cert{r}, host, now, "server")
		rs = caSpec("Future Root", key("p256"))
		rs.NotBefore = nb
		r = build(rs, nil)
		g.add("root-not-yet-valid", "validity", []*Cert{build(leafSpec(host), r)}, []*Cert{r}, host, now, "server")
		// The same root renewed: one copy expired, one valid.
		rs = caSpec("Renewed Root", key("p256"))
		old := build(func() Spec { s := rs; s.NotAfter = exp; return s }(), nil)
		fresh := build(rs, nil)
		g.add("root-renewed-expired-copy-first", "validity: path building goes on", []*Cert{build(leafSpec(host), fresh)}, []*Cert{old, fresh}, host, now, "server")
		far := leaf(func(sp *Spec) { sp.NotAfter = time.Date(2055, 1, 1, 0, 0, 0, 0, time.UTC) })
		g.add("leaf-generalized-time", "validity", []*Cert{far, inter}, []*Cert{root}, host, now, "server")
	}

	// AKI / SKI / AIA.
	{
		for _, m := range []struct{ name, ski, aki string }{
			{"leaf-without-aki", "", "none"},
			{"leaf-without-ski", "none", ""},
			{"leaf-aki-critical", "", "critical"},
			{"leaf-ski-critical", "critical", ""},
			{"leaf-aki-wrong-key-id", "", "wrong"},
		} {
			mm := m
			l := leaf(func(sp *Spec) { sp.SKI = mm.ski; sp.AKI = mm.aki })
			g.add(m.name, "AKI/SKI", []*Cert{l, inter}, []*Cert{root}, host, now)
		}
		is := interSpec
		is.AKI = "critical"
		i2 := build(is, root)
		g.add("intermediate-aki-critical", "AKI/SKI", []*Cert{build(leafSpec(host), i2), i2}, []*Cert{root}, host, now, "server")
		rs := caSpec("Critical SKI Root", key("p256"))
		rs.SKI = "critical"
		r := build(rs, nil)
		g.add("root-ski-critical", "AKI/SKI", []*Cert{build(leafSpec(host), r)}, []*Cert{r}, host, now, "server")
		rs = caSpec("No SKI Root", key("p256"))
		rs.SKI = "none"
		r = build(rs, nil)
		g.add("root-without-ski", "AKI/SKI", []*Cert{build(leafSpec(host), r)}, []*Cert{r}, host, now, "server")

		aia := func(v []byte, crit bool) []pkix.Extension {
			return []pkix.Extension{{Id: oidExtAIA, Critical: crit, Value: v}}
		}
		goodAIA := must(asn1Marshal([]struct {
			Method asnOID
			Loc    asn1Raw
		}{{asnOID{1, 3, 6, 1, 5, 5, 7, 48, 1}, asn1Raw{Class: 2, Tag: 6, Bytes: []byte("http://ocsp.example.com")}}}))
		l := leaf(func(sp *Spec) { sp.Extra = aia(goodAIA, false) })
		g.add("leaf-aia", "AIA", []*Cert{l, inter}, []*Cert{root}, host, now, "server")
		l = leaf(func(sp *Spec) { sp.Extra = aia(goodAIA, true) })
		g.add("leaf-aia-critical", "AIA", []*Cert{l, inter}, []*Cert{root}, host, now, "server")
		l = leaf(func(sp *Spec) { sp.Extra = aia([]byte{0x30, 0x03, 0x02, 0x01, 0x00}, false) })
		g.add("leaf-aia-malformed", "malformed extensions", []*Cert{l, inter}, []*Cert{root}, host, now, "server")
		rs = caSpec("Malformed AIA Root", key("p256"))
		rs.Extra = aia([]byte{0x04, 0x00}, false)
		r = build(rs, nil)
		g.add("root-aia-malformed", "malformed extensions", []*Cert{build(leafSpec(host), r)}, []*Cert{r}, host, now, "server")
	}

	// Malformed and duplicate extensions.
	{
		for _, m := range []struct {
			name string
			e    pkix.Extension
		}{
			{"basic-constraints", pkix.Extension{Id: oidExtBC, Value: []byte{0x30, 0x03, 0x02, 0x01, 0x05}}},
			{"key-usage", pkix.Extension{Id: oidExtKU, Value: []byte{0x02, 0x01, 0x05}}},
			{"eku", pkix.Extension{Id: oidExtEKU, Value: []byte{0x30, 0x03, 0x02, 0x01, 0x05}}},
			{"san", pkix.Extension{Id: oidExtSAN, Value: []byte{0x04, 0x00}}},
			{"name-constraints", pkix.Extension{Id: oidExtNC, Value: []byte{0x30, 0x00}}},
			{"san-empty-sequence-critical", pkix.Extension{Id: oidExtSAN, Critical: true, Value: []byte{0x30, 0x00}}},
			{"ski", pkix.Extension{Id: oidExtSKI, Value: []byte{0x30, 0x00}}},
		} {
			mm := m
			l := leaf(func(sp *Spec) {
				switch mm.e.Id.String() {
				case oidExtBC.String():
					sp.BC = "none"
				case oidExtKU.String():
					sp.KU = nil
				case oidExtEKU.String():
					sp.EKU = nil
				case oidExtSAN.String():
					sp.DNS, sp.IPs = nil, nil
				case oidExtSKI.String():
					sp.SKI = "none"
				}
				sp.Extra = []pkix.Extension{mm.e}
			})
			g.add("leaf-malformed-"+m.name, "malformed extensions", []*Cert{l, inter}, []*Cert{root}, "", now, "server")
		}
		dup := leaf(func(sp *Spec) {
			sp.Extra = []pkix.Extension{{Id: oidExtUnknown, Value: []byte{5, 0}}, {Id: oidExtUnknown, Value: []byte{5, 0}}}
		})
		g.add("leaf-duplicate-extension", "malformed extensions", []*Cert{dup, inter}, []*Cert{root}, host, now, "server")
	}

	// Host names.
	{
		for _, h := range []struct{ name, dns, host string }{
			{"exact", "node.example.com", "node.example.com"},
			{"case", "Node.Example.com", "node.EXAMPLE.com"},
			{"wildcard", "*.example.com", "node.example.com"},
			{"wildcard-two-labels", "*.example.com", "a.node.example.com"},
			{"wildcard-apex", "*.example.com", "example.com"},
			{"trailing-dot-host", "node.example.com", "node.example.com."},
			{"ip-in-dns-san", "127.0.0.2", "127.0.0.2"},
			{"mismatch", "node.example.com", "other.example.com"},
		} {
			hh := h
			l := leaf(func(sp *Spec) { sp.DNS = []string{hh.dns}; sp.IPs = nil })
			g.add("host-"+h.name, "hostname", []*Cert{l, inter}, []*Cert{root}, h.host, now, "server")
		}
		cnOnly := leaf(func(sp *Spec) { sp.DNS = nil; sp.IPs = nil })
		g.add("host-cn-only", "hostname: Go ignores the CN", []*Cert{cnOnly, inter}, []*Cert{root}, host, now, "server")
		v6 := leaf(func(sp *Spec) { sp.IPs = []net.IP{net.ParseIP("::1")} })
		g.add("host-ipv6", "hostname", []*Cert{v6, inter}, []*Cert{root}, "::1", now, "server")
	}
}
