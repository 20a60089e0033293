#!/usr/bin/env python3
"""Holds N CONNECT tunnels open through a proxy at once and checks that every one still relays.

    bench/idle_tunnels.py echo PORT                      # the origin: echoes what it reads
    bench/idle_tunnels.py hold PROXY_PORT N HOLD_S [PID]  # the client

The client opens N connections to 127.0.0.1:PROXY_PORT (64 at a time), sends
`CONNECT s3.us-east-1.amazonaws.com:443`, and expects `200`. Once all are open it holds them
HOLD_S seconds, then writes 8 bytes into every tunnel and expects the same 8 bytes back from the
echo origin. It prints one RESULT line: tunnels opened, failed, still relaying after the hold,
seconds to open them, and, when PID is given (the proxy's), that process's CPU time (utime +
stime from /proc) spent while the tunnels were being opened (accept, CONNECT, policy, upstream
connect), per tunnel, with its RSS before and while holding. Needs `ulimit -n` above N on
both sides (the proxy holds 2 N descriptors).
"""
import asyncio
import os
import sys
import time

HOST = "s3.us-east-1.amazonaws.com"


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def echo(port):
    async def serve(reader, writer):
        try:
            while data := await reader.read(4096):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", port, backlog=4096)
    async with server:
        await server.serve_forever()


async def open_tunnel(port, sem):
    async with sem:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"CONNECT {HOST}:443 HTTP/1.1\r\nHost: {HOST}:443\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 200"):
            writer.close()
            raise ConnectionError(head.split(b"\r\n", 1)[0].decode(errors="replace"))
        return reader, writer


async def check(reader, writer, i):
    probe = b"%08d" % (i % 10**8)
    writer.write(probe)
    await writer.drain()
    return await asyncio.wait_for(reader.readexactly(len(probe)), 30) == probe


async def hold(port, n, hold_s, pid):
    sem = asyncio.Semaphore(64)
    rss0 = rss_kib(pid) if pid else 0
    c0 = cpu_ticks(pid) if pid else 0
    t0 = time.monotonic()
    results = await asyncio.gather(*(open_tunnel(port, sem) for _ in range(n)), return_exceptions=True)
    open_s = time.monotonic() - t0
    c1 = cpu_ticks(pid) if pid else 0
    tunnels = [r for r in results if not isinstance(r, BaseException)]
    errors = [r for r in results if isinstance(r, BaseException)]
    await asyncio.sleep(hold_s)
    rss_held = rss_kib(pid) if pid else 0
    alive = await asyncio.gather(*(check(r, w, i) for i, (r, w) in enumerate(tunnels)), return_exceptions=True)
    relaying = sum(1 for a in alive if a is True)
    for _, w in tunnels:
        w.close()
    tck = os.sysconf("SC_CLK_TCK")
    line = f"RESULT tunnels={n} opened={len(tunnels)} failed={len(errors)} relaying_after_hold={relaying} open_s={open_s:.1f}"
    if pid:
        cpu_us = (c1 - c0) * 1e6 / tck
        line += (f" proxy_cpu_open_s={cpu_us / 1e6:.2f} proxy_cpu_us_per_tunnel={cpu_us / max(1, len(tunnels)):.0f}"
                 f" rss_before_kib={rss0} rss_held_kib={rss_held}"
                 f" kib_per_tunnel={(rss_held - rss0) / max(1, len(tunnels)):.1f}")
    print(line)
    if errors:
        print("first error:", repr(errors[0]))


def main():
    if sys.argv[1] == "echo":
        asyncio.run(echo(int(sys.argv[2])))
    else:
        pid = int(sys.argv[5]) if len(sys.argv) > 5 else 0
        asyncio.run(hold(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), pid))


if __name__ == "__main__":
    main()
