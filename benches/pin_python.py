#!/usr/bin/env python3
"""The one-process Python comparison for `tlsctl pin --bare`: read a PEM
bundle with `cryptography` and print the SPKI SHA-256 of every certificate."""
import hashlib
import sys

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

with open(sys.argv[1], "rb") as f:
    data = f.read()
out = []
for cert in x509.load_pem_x509_certificates(data):
    spki = cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    out.append(hashlib.sha256(spki).hexdigest())
sys.stdout.write("\n".join(out) + "\n")
