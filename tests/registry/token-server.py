#!/usr/bin/python3
"""A token server for the tests, implementing the Docker registry token
spec (distribution docs/spec/auth/token.md): GET /token?service=&scope=
with optional Basic credentials answers {"token", "access_token",
"expires_in", "issued_at"}; the token is a JWT signed RS256 whose header
"kid" is the libtrust key ID of the signing key, and whose certificate is
written to DIR/token.crt for the registry's rootcertbundle.

  token-server.py PORT DIR
  env: TOKEN_USER, TOKEN_PASS (the one account; it gets every action it
  asks for), TOKEN_ANON_PULL=1 (anonymous callers get pull),
  TOKEN_EXPIRES (seconds, default 300), TOKEN_REFRESH (the refresh
  token of TOKEN_USER, see below). Requests are counted in
  DIR/token.count, one line per token issued: "METHOD USER SCOPES".

The OAuth2 flow of the spec (docs/spec/auth/oauth.md): POST /token with
an application/x-www-form-urlencoded body, grant_type=refresh_token,
refresh_token, service, scope (space-separated) and client_id (required)
answers {"access_token", "expires_in", "scope", "issued_at"}; a wrong or
missing refresh token gets 400 {"error": "invalid_grant"} (RFC 6749
5.2). While the file DIR/no-oauth exists, POST answers 404, as token
servers without OAuth2 do; GET then accepts TOKEN_USER with the refresh
token as the Basic password (what such registries do with identity
tokens).
"""
import base64
import datetime
import hashlib
import json
import os
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

PORT = int(sys.argv[1])
DIR = sys.argv[2]
USER = os.environ.get("TOKEN_USER", "")
PASS = os.environ.get("TOKEN_PASS", "")
ANON_PULL = os.environ.get("TOKEN_ANON_PULL") == "1"
EXPIRES = int(os.environ.get("TOKEN_EXPIRES", "300"))
REFRESH = os.environ.get("TOKEN_REFRESH", "")

key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test-token-issuer")])
now = datetime.datetime.utcnow()
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .sign(key, hashes.SHA256()))
spki = key.public_key().public_bytes(serialization.Encoding.DER,
                                     serialization.PublicFormat.SubjectPublicKeyInfo)
# libtrust key ID: base32 of the first 240 bits of sha256(SPKI DER),
# in 12 groups of 4 characters joined by ':'
b32 = base64.b32encode(hashlib.sha256(spki).digest()[:30]).decode().rstrip("=")
KID = ":".join(b32[i:i + 4] for i in range(0, 48, 4))
tmp = os.path.join(DIR, "token.crt.tmp")
with open(tmp, "wb") as f:
    f.write(cert.public_bytes(serialization.Encoding.PEM))
os.rename(tmp, os.path.join(DIR, "token.crt"))


def b64url(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt(claims):
    header = {"alg": "RS256", "typ": "JWT", "kid": KID}
    signing = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    sig = key.sign(signing.encode(), padding.PKCS1v15(), hashes.SHA256())
    return signing + "." + b64url(sig)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        sys.stderr.write("token: " + (fmt % args) + "\n")

    def do_GET(self):
        url = urlparse(self.path)
        if url.path != "/token":
            self.send_error(404)
            return
        q = parse_qs(url.query)
        user = ""
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            try:
                u, _, p = base64.b64decode(auth[6:]).decode().partition(":")
            except Exception:
                u, p = "", None
            if u != USER or (p != PASS and not (REFRESH and p == REFRESH)):
                body = b'{"details":"invalid credentials"}'
                self.send_response(401)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            user = u
        self.issue("GET", user, q.get("service", [""])[0], q.get("scope", []))

    def reply(self, code, doc):
        body = json.dumps(doc).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def issue(self, method, user, service, scopes):
        access = []
        for scope in scopes:
            for one in scope.split(" "):
                parts = one.split(":")
                if len(parts) < 3:
                    continue
                rtype, rname, actions = parts[0], ":".join(parts[1:-1]), parts[-1].split(",")
                if user:
                    granted = actions
                elif ANON_PULL:
                    granted = [a for a in actions if a == "pull"]
                else:
                    granted = []
                access.append({"type": rtype, "name": rname, "actions": granted})
        t = int(time.time())
        tok = jwt({"iss": "test-token-issuer", "sub": user,
                   "aud": service, "exp": t + EXPIRES,
                   "nbf": t - 10, "iat": t, "jti": uuid.uuid4().hex,
                   "access": access})
        with open(os.path.join(DIR, "token.count"), "a") as f:
            f.write("%s %s %s\n" % (method, user or "-", " ".join(scopes)))
        doc = {"access_token": tok, "expires_in": EXPIRES,
               "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))}
        if method == "GET":
            doc["token"] = tok
        else:
            # the OAuth2 answer has access_token only, and the scope
            doc["scope"] = " ".join(scopes)
        self.reply(200, doc)

    def do_POST(self):
        if urlparse(self.path).path != "/token" or os.path.exists(os.path.join(DIR, "no-oauth")):
            self.send_error(404)
            return
        n = int(self.headers.get("Content-Length", "0"))
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/x-www-form-urlencoded" \
                or n > 65536:
            self.reply(400, {"error": "invalid_request"})
            return
        form = parse_qs(self.rfile.read(n).decode(), keep_blank_values=True)
        one = lambda k: form.get(k, [""])[0]
        if one("grant_type") != "refresh_token" or not one("client_id"):
            self.reply(400, {"error": "invalid_request"})
            return
        if not REFRESH or one("refresh_token") != REFRESH:
            self.reply(400, {"error": "invalid_grant"})
            return
        scopes = [one("scope")] if one("scope") else []
        self.issue("POST", USER, one("service"), scopes)


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
