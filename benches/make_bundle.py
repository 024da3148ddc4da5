#!/usr/bin/env python3
"""Writes a benchmark bundle: N certificates, half RSA-2048 and half P-256.

usage: make_bundle.py OUT.pem [N] [--seed S]

RSA key generation dominates (about 50 ms a key), so RSA keys come from a
pool of 64 and repeat; every certificate is still distinct (serial, subject),
and pinning costs the same whatever the key. Every P-256 key is fresh.
Needs the `cryptography` package.
"""
import datetime
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID


def main() -> None:
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bench CA")])
    rsa_pool = [rsa.generate_private_key(65537, 2048) for _ in range(64)]
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    with open(out, "wb") as f:
        for i in range(n):
            key = rsa_pool[i % len(rsa_pool)] if i % 2 == 0 else ec.generate_private_key(ec.SECP256R1())
            name = x509.Name([
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "tlsctl bench"),
                x509.NameAttribute(NameOID.COMMON_NAME, f"node-{i}.bench.example"),
            ])
            cert = (
                x509.CertificateBuilder()
                .subject_name(name)
                .issuer_name(ca_name)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now)
                .not_valid_after(now + datetime.timedelta(days=3650))
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .add_extension(
                    x509.SubjectAlternativeName([x509.DNSName(f"node-{i}.bench.example")]),
                    critical=False,
                )
                .sign(ca_key, hashes.SHA256())
            )
            f.write(cert.public_bytes(serialization.Encoding.PEM))


if __name__ == "__main__":
    main()
