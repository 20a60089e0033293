#!/usr/bin/env python3
"""Turns a proxy into something h2load can load (h2load has no proxy option): listens on
127.0.0.1:LISTEN, and for each accepted connection opens a CONNECT HOST:443 through the proxy at
127.0.0.1:PROXY, then copies bytes both ways. h2load then speaks TLS (its ALPN, its SNI) to the
proxy through the tunnel. Its own CPU is not counted as the proxy's.
Usage: connect_forwarder.py LISTEN PROXY HOST"""
import asyncio
import sys


async def pipe(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def handle(client_r, client_w, proxy_port, host):
    try:
        up_r, up_w = await asyncio.open_connection("127.0.0.1", proxy_port)
        up_w.write(f"CONNECT {host}:443 HTTP/1.1\r\nHost: {host}:443\r\n\r\n".encode())
        head = await up_r.readuntil(b"\r\n\r\n")
        if b" 200" not in head.split(b"\r\n", 1)[0]:
            client_w.close()
            up_w.close()
            return
        await asyncio.gather(pipe(client_r, up_w), pipe(up_r, client_w))
    except (ConnectionError, asyncio.IncompleteReadError):
        client_w.close()


async def main():
    listen, proxy_port, host = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    server = await asyncio.start_server(lambda r, w: handle(r, w, proxy_port, host), "127.0.0.1", listen)
    async with server:
        await server.serve_forever()


asyncio.run(main())
