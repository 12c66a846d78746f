#!/usr/bin/python3
"""A fault-injecting HTTP proxy in front of a test registry.

  fault-proxy.py PORT UPSTREAM_PORT DIR [--throttle N] [--retry-after S]
                 [--corrupt DIGEST]

--throttle N: the first N requests for manifests get 429 TOOMANYREQUESTS
  with "Retry-After: S" (default 1); each one is logged to
  DIR/throttled.log.
--corrupt DIGEST: GET /v2/<name>/blobs/DIGEST answers the real blob with
  one byte changed (same length), as a lying registry or a bad cache would.
Everything else is forwarded unchanged to 127.0.0.1:UPSTREAM_PORT.
"""
import http.client
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, UP, DIR = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
args = sys.argv[4:]
throttle, retry_after, corrupt = 0, "1", None
while args:
    a = args.pop(0)
    if a == "--throttle":
        throttle = int(args.pop(0))
    elif a == "--retry-after":
        retry_after = args.pop(0)
    elif a == "--corrupt":
        corrupt = args.pop(0)
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        sys.stderr.write("proxy: " + (fmt % a) + "\n")

    def forward(self):
        global throttle
        if "/manifests/" in self.path:
            with lock:
                hit = throttle > 0
                if hit:
                    throttle -= 1
            if hit:
                with open(os.path.join(DIR, "throttled.log"), "a") as f:
                    f.write(self.command + " " + self.path + "\n")
                body = b'{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}'
                self.send_response(429)
                self.send_header("Retry-After", retry_after)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
                return
        n = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(n) if n else None
        hdrs = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        c = http.client.HTTPConnection("127.0.0.1", UP, timeout=30)
        c.request(self.command, self.path, body=data, headers=hdrs)
        r = c.getresponse()
        body = r.read()
        if corrupt and self.command == "GET" and self.path.endswith("/blobs/" + corrupt) and body:
            body = bytes([body[0] ^ 0xff]) + body[1:]
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        c.close()

    do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = forward


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
