"""A stand-in for AWS's federation endpoint on 127.0.0.1 (kube-test.sh): getSigninToken issues a
random token, login redirects to the console. TLS with a certificate for the sign-in names."""
import http.server
import json
import secrets
import ssl
import sys
import urllib.parse


class Federation(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(url.query)
        action = q.get("Action", [""])[0]
        if url.path == "/federation" and action == "getSigninToken":
            body = json.dumps({"SigninToken": secrets.token_urlsafe(48)}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif url.path == "/federation" and action == "login":
            self.send_response(302)
            self.send_header("Location", q.get("Destination", ["https://console.aws.amazon.com/"])[0])
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def log_message(self, *args):
        pass


port, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3]
server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Federation)
tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
tls.load_cert_chain(cert, key)
server.socket = tls.wrap_socket(server.socket, server_side=True)
server.serve_forever()
