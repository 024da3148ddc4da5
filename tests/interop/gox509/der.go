// Certificates built by hand (TBS marshalled here, then signed), so that the
// matrix can hold what x509.CreateCertificate refuses to make: negative
// serials, critical AKI/SKI, malformed extensions, v3 CAs without
// basicConstraints, SHA-1 and MD5 signatures, P-192 keys.
package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"net"
	"time"
)

var (
	oidSHA256RSA  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidSHA384RSA  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}
	oidSHA512RSA  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}
	oidSHA1RSA    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 5}
	oidMD5RSA     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 4}
	oidECDSA256   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSA384   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidECDSA512   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	oidECDSASHA1  = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 1}
	oidEd25519    = asn1.ObjectIdentifier{1, 3, 101, 112}
	oidExtSKI     = asn1.ObjectIdentifier{2, 5, 29, 14}
	oidExtKU      = asn1.ObjectIdentifier{2, 5, 29, 15}
	oidExtSAN     = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidExtBC      = asn1.ObjectIdentifier{2, 5, 29, 19}
	oidExtNC      = asn1.ObjectIdentifier{2, 5, 29, 30}
	oidExtAKI     = asn1.ObjectIdentifier{2, 5, 29, 35}
	oidExtEKU     = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidExtAIA     = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 1}
	oidExtUnknown = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 55555, 1}
	oidEKUServer  = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 1}
	oidEKUClient  = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 2}
	oidEKUCode    = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 3}
	oidEKUAny     = asn1.ObjectIdentifier{2, 5, 29, 37, 0}
	oidEKUOdd     = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 55555, 2}
	oidECPub      = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidP192       = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 1}
)

// Key is a signing key with its public half as DER SPKI.
type Key struct {
	signer crypto.Signer
	spki   []byte
}

func newKey(kind string) *Key {
	var s crypto.Signer
	var err error
	switch kind {
	case "rsa512":
		s, err = rsa.GenerateKey(rand.Reader, 512)
	case "rsa1024":
		s, err = rsa.GenerateKey(rand.Reader, 1024)
	case "rsa2048":
		s, err = rsa.GenerateKey(rand.Reader, 2048)
	case "rsa4096":
		s, err = rsa.GenerateKey(rand.Reader, 4096)
	case "p224":
		s, err = ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	case "p256":
		s, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "p384":
		s, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case "p521":
		s, err = ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	case "ed25519":
		_, s, err = ed25519.GenerateKey(rand.Reader)
	case "p192":
		// Go has no P-192: a P-256 signer (never used to sign) with a
		// P-192 SPKI, for a leaf whose key nobody checks.
		s, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
		point := make([]byte, 49)
		point[0] = 4
		rand.Read(point[1:])
		spki, err := asn1.Marshal(struct {
			Alg struct {
				Alg   asn1.ObjectIdentifier
				Curve asn1.ObjectIdentifier
			}
			Key asn1.BitString
		}{struct {
			Alg   asn1.ObjectIdentifier
			Curve asn1.ObjectIdentifier
		}{oidECPub, oidP192}, asn1.BitString{Bytes: point, BitLength: 8 * len(point)}})
		if err != nil {
			panic(err)
		}
		return &Key{signer: s, spki: spki}
	default:
		panic("unknown key kind " + kind)
	}
	if err != nil {
		panic(err)
	}
	spki, err := x509.MarshalPKIXPublicKey(s.Public())
	if err != nil {
		panic(err)
	}
	return &Key{signer: s, spki: spki}
}

// Spec is one certificate to build.
type Spec struct {
	CN        string
	Key       *Key
	Serial    *big.Int
	Version   int // 1 or 3 (0 means 3)
	NotBefore time.Time
	NotAfter  time.Time
	SigHash   string // "", "sha1", "md5", "sha384", "sha512"
	// basicConstraints: BC "none" | "ca" | "leaf"; PathLen -1 for none.
	BC         string
	PathLen    int
	BCCritical bool
	KU         []int // bit numbers; nil: no extension
	EKU        []asn1.ObjectIdentifier
	DNS        []string
	IPs        []net.IP
	Emails     []string
	URIs       []string
	NC         *NameConstraints
	NCCritical bool
	SKI        string // "" auto, "none", "critical"
	AKI        string // "" auto, "none", "critical", "wrong"
	Extra      []pkix.Extension
	Tamper     bool // flip a signature bit
}

type NameConstraints struct {
	PermDNS, ExclDNS     []string
	PermIP, ExclIP       []*net.IPNet
	PermEmail, ExclEmail []string
	PermURI, ExclURI     []string
	PermDirName          bool
}

// Cert is a built certificate.
type Cert struct {
	DER  []byte
	Key  *Key
	Name []byte // raw subject
	SKI  []byte
	Spec Spec
}

func ski(spki []byte) []byte {
	var info struct {
		Alg asn1.RawValue
		Key asn1.BitString
	}
	if _, err := asn1.Unmarshal(spki, &info); err != nil {
		panic(err)
	}
	h := sha1.Sum(info.Key.Bytes)
	return h[:]
}

func ext(oid asn1.ObjectIdentifier, critical bool, value []byte) pkix.Extension {
	return pkix.Extension{Id: oid, Critical: critical, Value: value}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func generalNames(dns []string, ips []net.IP, emails, uris []string) []asn1.RawValue {
	var names []asn1.RawValue
	for _, d := range dns {
		names = append(names, asn1.RawValue{Class: 2, Tag: 2, Bytes: []byte(d)})
	}
	for _, e := range emails {
		names = append(names, asn1.RawValue{Class: 2, Tag: 1, Bytes: []byte(e)})
	}
	for _, u := range uris {
		names = append(names, asn1.RawValue{Class: 2, Tag: 6, Bytes: []byte(u)})
	}
	for _, ip := range ips {
		b := ip.To4()
		if b == nil {
			b = ip.To16()
		}
		names = append(names, asn1.RawValue{Class: 2, Tag: 7, Bytes: b})
	}
	return names
}

func subtrees(dns []string, ips []*net.IPNet, emails, uris []string, dirName bool) []byte {
	var out []byte
	add := func(rv asn1.RawValue) {
		out = append(out, must(asn1.Marshal(struct{ Base asn1.RawValue }{rv}))...)
	}
	for _, d := range dns {
		add(asn1.RawValue{Class: 2, Tag: 2, Bytes: []byte(d)})
	}
	for _, n := range ips {
		ip := n.IP.To4()
		mask := []byte(n.Mask)
		if ip == nil || len(mask) == 16 {
			ip = n.IP.To16()
		}
		add(asn1.RawValue{Class: 2, Tag: 7, Bytes: append(append([]byte{}, ip...), mask...)})
	}
	for _, e := range emails {
		add(asn1.RawValue{Class: 2, Tag: 1, Bytes: []byte(e)})
	}
	for _, u := range uris {
		add(asn1.RawValue{Class: 2, Tag: 6, Bytes: []byte(u)})
	}
	if dirName {
		name := must(asn1.Marshal(pkix.Name{Organization: []string{"Constrained"}}.ToRDNSequence()))
		add(asn1.RawValue{Class: 2, Tag: 4, IsCompound: true, Bytes: name})
	}
	return out
}

func (nc *NameConstraints) der() []byte {
	var body []byte
	perm := subtrees(nc.PermDNS, nc.PermIP, nc.PermEmail, nc.PermURI, nc.PermDirName)
	excl := subtrees(nc.ExclDNS, nc.ExclIP, nc.ExclEmail, nc.ExclURI, false)
	if len(perm) > 0 {
		body = append(body, must(asn1.Marshal(asn1.RawValue{Class: 2, Tag: 0, IsCompound: true, Bytes: perm}))...)
	}
	if len(excl) > 0 {
		body = append(body, must(asn1.Marshal(asn1.RawValue{Class: 2, Tag: 1, IsCompound: true, Bytes: excl}))...)
	}
	return must(asn1.Marshal(asn1.RawValue{Tag: 16, IsCompound: true, Bytes: body}))
}

func keyUsage(bits []int) []byte {
	var b [2]byte
	max := 0
	for _, bit := range bits {
		b[bit/8] |= 0x80 >> uint(bit%8)
		if bit+1 > max {
			max = bit + 1
		}
	}
	n := 1
	if max > 8 {
		n = 2
	}
	return must(asn1.Marshal(asn1.BitString{Bytes: b[:n], BitLength: max}))
}

var (
	oidRSAPSS = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	oidMGF1   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 8}
	oidSHA256 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
)

// pssParams marshals RSASSA-PSS parameters as Go writes them (hash with
// NULL parameters, MGF1 with the same hash, salt = hash length).
func pssParams(hash asn1.ObjectIdentifier, salt int) asn1.RawValue {
	h := pkix.AlgorithmIdentifier{Algorithm: hash, Parameters: asn1.NullRawValue}
	mgfParams := must(asn1.Marshal(h))
	v := struct {
		Hash pkix.AlgorithmIdentifier `asn1:"explicit,tag:0"`
		MGF  pkix.AlgorithmIdentifier `asn1:"explicit,tag:1"`
		Salt int                      `asn1:"explicit,tag:2"`
	}{h, pkix.AlgorithmIdentifier{Algorithm: oidMGF1, Parameters: asn1.RawValue{FullBytes: mgfParams}}, salt}
	return asn1.RawValue{FullBytes: must(asn1.Marshal(v))}
}

func sigAlg(key *Key, hash string) (asn1.ObjectIdentifier, crypto.Hash, bool) {
	switch key.signer.(type) {
	case *rsa.PrivateKey:
		switch hash {
		case "pss256":
			return oidRSAPSS, crypto.SHA256, false
		case "pss384":
			return oidRSAPSS, crypto.SHA384, false
		case "pss512":
			return oidRSAPSS, crypto.SHA512, false
		case "sha1":
			return oidSHA1RSA, crypto.SHA1, true
		case "md5":
			return oidMD5RSA, crypto.MD5, true
		case "sha384":
			return oidSHA384RSA, crypto.SHA384, true
		case "sha512":
			return oidSHA512RSA, crypto.SHA512, true
		}
		return oidSHA256RSA, crypto.SHA256, true
	case *ecdsa.PrivateKey:
		switch hash {
		case "sha1":
			return oidECDSASHA1, crypto.SHA1, false
		case "sha384":
			return oidECDSA384, crypto.SHA384, false
		case "sha512":
			return oidECDSA512, crypto.SHA512, false
		}
		return oidECDSA256, crypto.SHA256, false
	}
	return oidEd25519, crypto.Hash(0), false
}

func digest(h crypto.Hash, data []byte) []byte {
	switch h {
	case crypto.SHA1:
		s := sha1.Sum(data)
		return s[:]
	case crypto.MD5:
		s := md5.Sum(data)
		return s[:]
	case crypto.SHA384:
		s := sha512.Sum384(data)
		return s[:]
	case crypto.SHA512:
		s := sha512.Sum512(data)
		return s[:]
	case crypto.SHA256:
		s := sha256.Sum256(data)
		return s[:]
	}
	return data
}

type algID struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

func utcOrGeneralized(t time.Time) asn1.RawValue {
	t = t.UTC()
	if t.Year() >= 1950 && t.Year() < 2050 {
		return asn1.RawValue{Tag: asn1.TagUTCTime, Bytes: []byte(t.Format("060102150405Z"))}
	}
	return asn1.RawValue{Tag: asn1.TagGeneralizedTime, Bytes: []byte(t.Format("20060102150405Z"))}
}

// build makes spec, signed by issuer (nil: self-signed).
func build(spec Spec, issuer *Cert) *Cert {
	if spec.Version == 0 {
		spec.Version = 3
	}
	if spec.Serial == nil {
		spec.Serial = new(big.Int).SetBytes(must(randomBytes(16)))
		spec.Serial.SetBit(spec.Serial, 126, 1)
	}
	name := must(asn1.Marshal(pkix.Name{CommonName: spec.CN, Organization: []string{"tlsctl matrix"}}.ToRDNSequence()))
	signerKey, issuerName, issuerSKI := spec.Key, name, ski(spec.Key.spki)
	if issuer != nil {
		signerKey, issuerName, issuerSKI = issuer.Key, issuer.Name, issuer.SKI
	}
	oid, hash, rsaNull := sigAlg(signerKey, spec.SigHash)
	alg := algID{Algorithm: oid}
	if rsaNull || spec.SigHash == "ecdsa-null" {
		alg.Parameters = asn1.NullRawValue
	}
	if oid.Equal(oidRSAPSS) {
		alg.Parameters = map[crypto.Hash]asn1.RawValue{
			crypto.SHA256: pssParams(oidSHA256, 32),
			crypto.SHA384: pssParams(oidSHA384, 48),
			crypto.SHA512: pssParams(oidSHA512, 64),
		}[hash]
	}
	if spec.SigHash == "ed25519-params" {
		alg.Parameters = asn1.NullRawValue
	}
	var exts []pkix.Extension
	if spec.Version == 3 {
		switch spec.BC {
		case "ca":
			v := struct {
				IsCA    bool `asn1:"optional"`
				PathLen int  `asn1:"optional,default:-1"`
			}{true, spec.PathLen}
			exts = append(exts, ext(oidExtBC, spec.BCCritical, must(asn1.Marshal(v))))
		case "leaf":
			exts = append(exts, ext(oidExtBC, spec.BCCritical, []byte{0x30, 0x00}))
		}
		if spec.KU != nil {
			exts = append(exts, ext(oidExtKU, true, keyUsage(spec.KU)))
		}
		if spec.EKU != nil {
			exts = append(exts, ext(oidExtEKU, false, must(asn1.Marshal(spec.EKU))))
		}
		if names := generalNames(spec.DNS, spec.IPs, spec.Emails, spec.URIs); len(names) > 0 {
			exts = append(exts, ext(oidExtSAN, false, must(asn1.Marshal(names))))
		}
		if spec.NC != nil {
			exts = append(exts, ext(oidExtNC, spec.NCCritical, spec.NC.der()))
		}
		mySKI := ski(spec.Key.spki)
		if spec.SKI != "none" {
			exts = append(exts, ext(oidExtSKI, spec.SKI == "critical", must(asn1.Marshal(mySKI))))
		}
		if spec.AKI != "none" && issuer != nil {
			id := issuerSKI
			if spec.AKI == "wrong" {
				id = []byte{1, 2, 3, 4}
			}
			v := must(asn1.Marshal(struct {
				ID []byte `asn1:"optional,tag:0"`
			}{id}))
			exts = append(exts, ext(oidExtAKI, spec.AKI == "critical", v))
		}
		exts = append(exts, spec.Extra...)
	}
	type validity struct{ NotBefore, NotAfter asn1.RawValue }
	tbs := struct {
		Version    int `asn1:"optional,explicit,default:0,tag:0"`
		Serial     *big.Int
		Alg        algID
		Issuer     asn1.RawValue
		Validity   validity
		Subject    asn1.RawValue
		SPKI       asn1.RawValue
		Extensions []pkix.Extension `asn1:"omitempty,optional,explicit,tag:3"`
	}{
		Version:    spec.Version - 1,
		Serial:     spec.Serial,
		Alg:        alg,
		Issuer:     asn1.RawValue{FullBytes: issuerName},
		Validity:   validity{utcOrGeneralized(spec.NotBefore), utcOrGeneralized(spec.NotAfter)},
		Subject:    asn1.RawValue{FullBytes: name},
		SPKI:       asn1.RawValue{FullBytes: spec.Key.spki},
		Extensions: exts,
	}
	tbsDER := must(asn1.Marshal(tbs))
	var sig []byte
	var err error
	if hash == crypto.Hash(0) {
		sig, err = signerKey.signer.Sign(rand.Reader, tbsDER, crypto.Hash(0))
	} else if oid.Equal(oidRSAPSS) {
		sig, err = signerKey.signer.Sign(rand.Reader, digest(hash, tbsDER), &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: hash})
	} else {
		sig, err = signerKey.signer.Sign(rand.Reader, digest(hash, tbsDER), hash)
	}
	if err != nil {
		panic(err)
	}
	if spec.Tamper {
		sig[len(sig)/2] ^= 0x01
	}
	der := must(asn1.Marshal(struct {
		TBS asn1.RawValue
		Alg algID
		Sig asn1.BitString
	}{asn1.RawValue{FullBytes: tbsDER}, alg, asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)}}))
	return &Cert{DER: der, Key: spec.Key, Name: name, SKI: ski(spec.Key.spki), Spec: spec}
}

func randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	_, err := rand.Read(b)
	return b, err
}

type asnOID = asn1.ObjectIdentifier
type asn1Raw = asn1.RawValue

func asn1Marshal(v interface{}) ([]byte, error) { return asn1.Marshal(v) }
