"""A local HTTP server for the outside services the tests stand in for (an SMS provider's JSON API): a handler
base that reads a posted form and answers JSON, and a context manager that serves it on a free port."""

import json
import threading
import urllib.parse
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class JsonHandler(BaseHTTPRequestHandler):
    def read_form(self) -> dict[str, str]:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        return {name: values[0] for name, values in urllib.parse.parse_qs(body).items()}

    def _answer(self, status: int, payload) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(payload).encode())

    def log_message(self, *args):
        pass


@contextmanager
def serving(handler: type[JsonHandler]):
    """``handler`` served on 127.0.0.1; yields the base address, "http://127.0.0.1:<port>/"."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
