#!/usr/bin/env python3
"""A tiny HTTP server for the db update tests: serves ROOT with ETag and
Last-Modified, answers conditional requests with 304, and injects faults:
  /flaky/N/PATH   the first N requests of PATH answer 503 (Retry-After: 0)
  /status/C/PATH  always answers status C
Every request is logged to LOG as "METHOD PATH STATUS INM IMS".
Usage: feed-server.py ROOT PORTFILE LOG   (binds 127.0.0.1, any port)
"""
import email.utils
import hashlib
import http.server
import os
import sys
import threading

root, portfile, logfile = sys.argv[1:4]
counts = {}
lock = threading.Lock()


class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def log(self, status):
        with lock, open(logfile, "a") as f:
            f.write("%s %s %d %s %s\n" % (self.command, self.path, status,
                    self.headers.get("If-None-Match", "-"),
                    (self.headers.get("If-Modified-Since") or "-").replace(" ", "_")))

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)
        self.log(status)

    def do_GET(self):
        path = self.path.split("?")[0]
        parts = path.split("/")
        if len(parts) > 3 and parts[1] == "flaky":
            with lock:
                counts[path] = counts.get(path, 0) + 1
                n = counts[path]
            if n <= int(parts[2]):
                return self.answer(503, b"busy\n", [("Retry-After", "0")])
            path = "/" + "/".join(parts[3:])
        elif len(parts) > 3 and parts[1] == "status":
            return self.answer(int(parts[2]), b"no\n")
        f = os.path.join(root, path.lstrip("/"))
        if not os.path.isfile(f):
            return self.answer(404, b"not found\n")
        body = open(f, "rb").read()
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
        mtime = int(os.stat(f).st_mtime)
        lm = email.utils.formatdate(mtime, usegmt=True)
        hdrs = [("ETag", etag), ("Last-Modified", lm)]
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if inm is not None:
            if inm == etag:
                return self.answer(304, headers=hdrs)
        elif ims is not None:
            t = email.utils.parsedate_to_datetime(ims).timestamp()
            if mtime <= t:
                return self.answer(304, headers=hdrs)
        self.answer(200, body, hdrs)


s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
with open(portfile + ".tmp", "w") as f:
    f.write(str(s.server_address[1]))
os.rename(portfile + ".tmp", portfile)
s.serve_forever()
