#!/usr/bin/env python3
"""A minimal NATS client over Python's ssl, for the interop tests.

usage: nats_tls_client.py HOST:PORT --ca BUNDLE [--cert C --key K] [--sni NAME]
                          [--pub SUBJECT MSG | --sub SUBJECT] [--timeout S]

Reads the server's INFO line, upgrades the socket to TLS (as NATS clients
do), sends CONNECT and PING, and expects PONG. With --sub it subscribes and
prints the first message's payload; with --pub it publishes one message.
Exit 0 on success; 1 with the reason on stderr when TLS or NATS says no.
"""
import argparse
import json
import socket
import ssl
import sys


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("addr")
    p.add_argument("--ca", required=True)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--sni", default="localhost")
    p.add_argument("--pub", nargs=2)
    p.add_argument("--sub")
    p.add_argument("--timeout", type=float, default=5.0)
    a = p.parse_args()
    host, port = a.addr.rsplit(":", 1)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(cafile=a.ca)
    # Every certificate in the CA file is a trust anchor, as in Go (and so
    # NATS); OpenSSL (under Python) needs this flag for intermediates.
    ctx.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    if a.cert:
        ctx.load_cert_chain(a.cert, a.key)
    raw = socket.create_connection((host, int(port)), timeout=a.timeout)
    f = raw.makefile("rb")
    line = f.readline()
    if not line.startswith(b"INFO "):
        print(f"no INFO from the server: {line!r}", file=sys.stderr)
        return 1
    info = json.loads(line[5:])
    try:
        tls = ctx.wrap_socket(raw, server_hostname=a.sni)
    except (ssl.SSLError, OSError) as e:
        print(f"TLS handshake failed: {e}", file=sys.stderr)
        return 1
    tls.settimeout(a.timeout)
    r = tls.makefile("rb")
    try:
        tls.sendall(b'CONNECT {"verbose":false,"pedantic":false,"tls_required":true}\r\n')
        if a.sub:
            tls.sendall(f"SUB {a.sub} 1\r\n".encode())
        if a.pub:
            subject, msg = a.pub
            tls.sendall(f"PUB {subject} {len(msg)}\r\n{msg}\r\n".encode())
        tls.sendall(b"PING\r\n")
        while True:
            reply = r.readline()
            if not reply:
                print("the server closed the connection", file=sys.stderr)
                return 1
            if reply.startswith(b"-ERR"):
                print(f"server said {reply.decode().strip()}", file=sys.stderr)
                return 1
            if reply.startswith(b"PONG"):
                if not a.sub:
                    break
                print("READY", flush=True)
                continue
            if reply.startswith(b"MSG "):
                size = int(reply.split()[-1])
                payload = r.read(size + 2)[:-2]
                print(payload.decode(), flush=True)
                break
    except (ssl.SSLError, OSError) as e:
        print(f"connection failed after the handshake: {e}", file=sys.stderr)
        return 1
    print(f"ok server_id={info.get('server_id', '?')}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
