#!/usr/bin/env python3
"""The one-process Python comparison for `tlsctl bundle diff OLD NEW`: read
both bundles with `cryptography` and match certificates by DER, then by
subject and SPKI, then by subject, as tlsctl does; print the class counts."""
import sys
from collections import defaultdict

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def load(path):
    with open(path, "rb") as f:
        return x509.load_pem_x509_certificates(f.read())


def key_der(c):
    return c.public_bytes(Encoding.DER)


def key_subject_spki(c):
    return (c.subject.public_bytes(), c.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo))


def key_subject(c):
    return c.subject.public_bytes()


old, new = load(sys.argv[1]), load(sys.argv[2])
old_left, new_left = set(range(len(old))), set(range(len(new)))
counts = {}
for cls, key in (("unchanged", key_der), ("renewed", key_subject_spki), ("rekeyed", key_subject)):
    by_key = defaultdict(list)
    for n in sorted(new_left, reverse=True):
        by_key[key(new[n])].append(n)
    paired = 0
    for o in sorted(old_left):
        lst = by_key.get(key(old[o]))
        if lst:
            n = lst.pop()
            old_left.discard(o)
            new_left.discard(n)
            paired += 1
    counts[cls] = paired
counts["added"], counts["removed"] = len(new_left), len(old_left)
print(", ".join(f"{counts[c]} {c}" for c in ("unchanged", "renewed", "rekeyed", "added", "removed")))
