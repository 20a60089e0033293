#!/usr/bin/env python3
"""Mixed traffic for bench/soak.sh: a fixed rate of operations through Sekisho, on loopback only.

Every operation opens its own client connection to the proxy and checks the outcome it must
have (status, X-Sekisho-Reason, body length); anything else counts as failed. Kinds, by weight:

  tunnel       CONNECT to a host that is allowed but not intercepted; TLS to the origin
               (origin CA) inside; 1-3 kept-alive GETs of /small
  s3-allow     intercepted S3 GETs signed (SigV4) with the company's key: 200
  s3-deny      the same signed with a foreign account's key: 403 AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED
  sts-allow    intercepted STS POST form (body inspected), company key: 200
  sts-deny     the same, foreign key: 403
  http         absolute-form http:// GETs, 1-3 kept alive: 200
  deny-connect CONNECT to a domain not allowed: 403 DOMAIN_NOT_ALLOWED
  deny-http    absolute-form GET to a domain not allowed: 403 DOMAIN_NOT_ALLOWED
  abort        intercepted 1 MiB download cut after 16 KiB with a reset (client gone mid-response)

Bounded: at most RATE x DURATION operations, none started after DURATION, at most
--concurrency open at once (the schedule waits for a free one), each socket with a timeout. Cumulative counts go to --counters (rewritten every second, and at the end with done=1).
"""
import argparse
import concurrent.futures
import datetime
import hashlib
import hmac
import http.client
import os
import random
import socket
import ssl
import struct
import sys
import threading
import time

S3 = "s3.us-east-1.amazonaws.com"
STS = "sts.us-east-1.amazonaws.com"
TUNNEL = "tunnel.soak.example.com"
PLAIN = "plain.soak.example.com"
BLOCKED = "blocked.example.net"
COMPANY_KEY = "AKIAISOAKCOMPANY2345"  # aws.keys -> 111122223333 (allowed) in bench/sekisho-soak.yaml
FOREIGN_KEY = "AKIAJSOAKFOREIGN2345"  # aws.keys -> 999988887777 (not allowed)
SECRET = "soak-secret-not-checked-by-the-proxy"
TIMEOUT = 10

WEIGHTS = {"tunnel": 20, "s3-allow": 20, "s3-deny": 10, "sts-allow": 8, "sts-deny": 4,
           "http": 20, "deny-connect": 6, "deny-http": 6, "abort": 6}


class Failed(Exception):
    pass


def sigv4(method, host, path, body, key, service, region="us-east-1"):
    """Headers of an AWS Signature Version 4 request (the proxy reads the key, not the signature)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    payload = hashlib.sha256(body).hexdigest()
    headers = {"host": host, "x-amz-content-sha256": payload, "x-amz-date": amz_date}
    if body:
        headers["content-type"] = "application/x-www-form-urlencoded; charset=utf-8"
    names = ";".join(sorted(headers))
    canonical = "\n".join([method, path, "", "".join(f"{k}:{headers[k]}\n" for k in sorted(headers)),
                           names, payload])
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    k = ("AWS4" + SECRET).encode()
    for part in (day, region, service, "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (f"AWS4-HMAC-SHA256 Credential={key}/{scope}, SignedHeaders={names}, "
                                f"Signature={signature}")
    return headers


def expect(resp, status, length=None, reason=None):
    body = resp.read()
    if resp.status != status:
        raise Failed(f"status {resp.status}, expected {status} ({resp.getheader('X-Sekisho-Reason')})")
    if length is not None and len(body) != length:
        raise Failed(f"{len(body)} bytes, expected {length}")
    if reason is not None and resp.getheader("X-Sekisho-Reason") != reason:
        raise Failed(f"reason {resp.getheader('X-Sekisho-Reason')}, expected {reason}")


class Driver:
    def __init__(self, a):
        self.a = a
        self.proxy_host, port = a.proxy.rsplit(":", 1)
        self.proxy_port = int(port)
        self.proxy_tls = ssl.create_default_context(cafile=a.proxy_ca)
        self.origin_tls = ssl.create_default_context(cafile=a.origin_ca)
        self.rng = random.Random(a.seed)
        self.lock = threading.Lock()
        self.counts = {k: [0, 0] for k in WEIGHTS}
        self.errors_logged = 0

    def tunnelled(self, host, tls):
        c = http.client.HTTPSConnection(self.proxy_host, self.proxy_port, timeout=TIMEOUT, context=tls)
        c.set_tunnel(host, 443, headers={"Host": f"{host}:443"})
        return c

    def op_tunnel(self, n):
        c = self.tunnelled(TUNNEL, self.origin_tls)
        try:
            for _ in range(n):
                c.request("GET", "/small")
                expect(c.getresponse(), 200, 1024)
        finally:
            c.close()

    def op_s3(self, n, key, status, reason=None):
        c = self.tunnelled(S3, self.proxy_tls)
        try:
            for _ in range(n):
                c.request("GET", "/soak-bucket/small", headers=sigv4("GET", S3, "/soak-bucket/small", b"", key, "s3"))
                expect(c.getresponse(), status, 1024 if status == 200 else None, reason)
        finally:
            c.close()

    def op_sts(self, key, status, reason=None):
        body = b"Action=GetCallerIdentity&Version=2011-06-15"
        c = self.tunnelled(STS, self.proxy_tls)
        try:
            c.request("POST", "/", body=body, headers=sigv4("POST", STS, "/", body, key, "sts"))
            expect(c.getresponse(), status, None, reason)
        finally:
            c.close()

    def op_http(self, n, host, status, reason=None):
        c = http.client.HTTPConnection(self.proxy_host, self.proxy_port, timeout=TIMEOUT)
        try:
            for _ in range(n):
                c.request("GET", f"http://{host}/small", headers={"Host": host})
                expect(c.getresponse(), status, 1024 if status == 200 else None, reason)
        finally:
            c.close()

    def op_deny_connect(self):
        c = self.tunnelled(BLOCKED, self.proxy_tls)
        try:
            c.connect()
            raise Failed("CONNECT to a denied domain was answered 200")
        except OSError as e:
            if "403" not in str(e):
                raise Failed(f"CONNECT refused otherwise than with 403: {e}") from e
        finally:
            c.close()

    def op_abort(self):
        c = self.tunnelled(S3, self.proxy_tls)
        try:
            c.request("GET", "/soak-bucket/large",
                      headers=sigv4("GET", S3, "/soak-bucket/large", b"", COMPANY_KEY, "s3"))
            r = c.getresponse()
            if r.status != 200 or len(r.read(16384)) != 16384:
                raise Failed(f"abort: status {r.status}")
            # SO_LINGER 0: the close sends a reset, as a killed client would.
            c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        finally:
            c.close()

    def run_op(self, kind, n):
        try:
            if kind == "tunnel":
                self.op_tunnel(n)
            elif kind == "s3-allow":
                self.op_s3(n, COMPANY_KEY, 200)
            elif kind == "s3-deny":
                self.op_s3(1, FOREIGN_KEY, 403, "AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED")
            elif kind == "sts-allow":
                self.op_sts(COMPANY_KEY, 200)
            elif kind == "sts-deny":
                self.op_sts(FOREIGN_KEY, 403, "AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED")
            elif kind == "http":
                self.op_http(n, PLAIN, 200)
            elif kind == "deny-http":
                self.op_http(1, BLOCKED, 403, "DOMAIN_NOT_ALLOWED")
            elif kind == "deny-connect":
                self.op_deny_connect()
            else:
                self.op_abort()
            self.count(kind, 0)
        except Exception as e:  # noqa: BLE001 - every failure of an operation is counted, whatever it is
            self.count(kind, 1, f"{kind}: {type(e).__name__}: {e}")

    def count(self, kind, failed, error=None):
        with self.lock:
            self.counts[kind][failed] += 1
            if error and self.errors_logged < 50:
                self.errors_logged += 1
                print(f"{time.strftime('%H:%M:%S')} FAILED {error}", file=sys.stderr, flush=True)

    def write_counters(self, done=False):
        with self.lock:
            ok = sum(v[0] for v in self.counts.values())
            failed = sum(v[1] for v in self.counts.values())
            kinds = " ".join(f"{k}={v[0]}/{v[1]}" for k, v in self.counts.items())
        tmp = self.a.counters + ".tmp"
        with open(tmp, "w") as f:
            f.write(f"ok={ok} failed={failed} done={int(done)} {kinds}\n")
        os.replace(tmp, self.a.counters)

    def run(self):
        kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
        total = int(self.a.rate * self.a.duration)
        slots = threading.BoundedSemaphore(self.a.concurrency)
        start = time.monotonic()
        end = start + self.a.duration
        last_write = 0.0
        with concurrent.futures.ThreadPoolExecutor(self.a.concurrency) as pool:
            for i in range(total):
                due = start + i / self.a.rate
                now = time.monotonic()
                if due >= end or now >= end:
                    break
                if due > now:
                    time.sleep(due - now)
                kind = self.rng.choices(kinds, weights)[0]
                n = self.rng.randint(1, 3)
                # --concurrency operations still open: wait for one to end (the rate drops, which
                # the per-interval counts show); a slot that stays taken for TIMEOUT is a failure.
                if not slots.acquire(timeout=TIMEOUT):
                    self.count(kind, 1, f"{kind}: not started, {self.a.concurrency} operations open for {TIMEOUT} s")
                    continue
                fut = pool.submit(self.run_op, kind, n)
                fut.add_done_callback(lambda _f: slots.release())
                if time.monotonic() - last_write >= 1:
                    self.write_counters()
                    last_write = time.monotonic()
        self.write_counters(done=True)
        with self.lock:
            for k, (ok, failed) in self.counts.items():
                print(f"{k:13s} ok={ok} failed={failed}", file=sys.stderr)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--proxy", required=True, help="host:port of Sekisho")
    p.add_argument("--proxy-ca", required=True, help="Sekisho's CA (intercepted hosts)")
    p.add_argument("--origin-ca", required=True, help="the origin's CA (the plain tunnel)")
    p.add_argument("--rate", type=float, default=50, help="operations per second")
    p.add_argument("--duration", type=float, required=True, help="seconds")
    p.add_argument("--concurrency", type=int, default=32, help="most operations open at once")
    p.add_argument("--counters", required=True, help="file rewritten with the cumulative counts")
    p.add_argument("--seed", type=int, default=18)
    a = p.parse_args()
    if not a.proxy.split(":")[0].startswith("127."):
        sys.exit("the soak stays on loopback: --proxy must be 127.x.x.x:port")
    Driver(a).run()


if __name__ == "__main__":
    main()
