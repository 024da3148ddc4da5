#!/usr/bin/env python3
"""Publish and receive one message over mTLS with nats-py (a real NATS client).

usage: natspy_pubsub.py URL --ca BUNDLE --cert C --key K [--timeout S]

Exit 0 when the message came back; 1 with the reason on stderr when the
connection or the exchange failed.
"""
import argparse
import asyncio
import ssl
import sys

import nats


async def run(a) -> int:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(cafile=a.ca)
    ctx.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    ctx.load_cert_chain(a.cert, a.key)
    errors = []

    async def on_error(e):
        errors.append(e)

    try:
        nc = await nats.connect(
            servers=[a.url],
            tls=ctx,
            tls_hostname="localhost",
            connect_timeout=a.timeout,
            allow_reconnect=False,
            max_reconnect_attempts=0,
            error_cb=on_error,
        )
    except Exception as e:  # noqa: BLE001 - any failure is the answer
        print(f"connect failed: {type(e).__name__}: {e} {errors}", file=sys.stderr)
        return 1
    try:
        sub = await nc.subscribe("tlsctl.interop")
        await nc.publish("tlsctl.interop", b"hello over mTLS")
        msg = await sub.next_msg(timeout=a.timeout)
        print(msg.data.decode())
        return 0 if msg.data == b"hello over mTLS" else 1
    except Exception as e:  # noqa: BLE001
        print(f"exchange failed: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    finally:
        await nc.close()


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("--ca", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--timeout", type=float, default=3.0)
    return asyncio.run(run(p.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
