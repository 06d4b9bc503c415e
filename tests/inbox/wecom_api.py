"""A local stand-in for the WeCom message API (gettoken, message/send)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class StandIn:
    def __init__(self):
        self.tokens_issued = 0
        self.valid_tokens = set()
        self.sent = []  # (access_token, body) of each message/send
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def expire_tokens(self):
        self.valid_tokens.clear()

    def _handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, data):
                body = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                url = urlparse(self.path)
                query = parse_qs(url.query)
                if url.path == "/cgi-bin/gettoken" and query.get("corpsecret") == ["test-secret"]:
                    api.tokens_issued += 1
                    token = f"token-{api.tokens_issued}"
                    api.valid_tokens.add(token)
                    return self._answer(
                        {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}
                    )
                return self._answer({"errcode": 40001, "errmsg": "invalid credential"})

            def do_POST(self):
                url = urlparse(self.path)
                token = parse_qs(url.query).get("access_token", [""])[0]
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if url.path != "/cgi-bin/message/send":
                    return self._answer({"errcode": 404})
                if token not in api.valid_tokens:
                    return self._answer({"errcode": 42001, "errmsg": "access_token expired"})
                api.sent.append((token, body))
                return self._answer({"errcode": 0, "errmsg": "ok", "msgid": "m1"})

        return Handler

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
