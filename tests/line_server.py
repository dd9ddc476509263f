"""A local stand-in for LINE's Messaging API, the endpoints the service uses: push, reply and profile.

It checks what LINE checks (the bearer token, a JSON body with the fields the endpoint needs, a retry key that is
a UUID) and answers as LINE does, a repeated retry key included (409: accepted before, sent once). It records
every request it got and every message it "sent", and can be told to fail the next pushes with 429 or 500.

    with line_api(token="t0ken") as api:
        settings.CCTV_LINE_API_BASE = api.base
        ...
        api.sent  # [{"to": "U...", "messages": [...], "retry_key": "..."}]
"""

import json
import re
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer

import pytest

from tests.local_http import JsonHandler

TOKEN = "line-channel-access-token-for-tests"
SECRET = "0123456789abcdef0123456789abcdef"
BASIC_ID = "@cctvtest"
# LINE user ids are "U" and 32 hex digits.
SOMCHAI = "U" + "1" * 32
MALEE = "U" + "2" * 32

PROFILE = re.compile(r"^/v2/bot/profile/(U[0-9a-f]{32})$")


@dataclass
class LineApi:
    token: str
    base: str = ""
    requests: list[dict] = field(default_factory=list)  # every request: method, path, headers, body
    sent: list[dict] = field(default_factory=list)  # pushes LINE accepted, each once
    replies: list[dict] = field(default_factory=list)
    fail_with: list[int] = field(default_factory=list)  # statuses for the next pushes, one each
    refuse_users: set[str] = field(default_factory=set)  # pushes to them get 400 (e.g. blocked the account)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _keys: set[str] = field(default_factory=set)


def _handler(api: LineApi):
    class Handler(JsonHandler):
        def _body(self) -> dict | None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                return json.loads(raw) if raw else {}
            except ValueError:
                return None

        def _record(self, body) -> bool:
            with api.lock:
                api.requests.append(
                    {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
                )
            if self.headers.get("Authorization") != f"Bearer {api.token}":
                self._answer(401, {"message": "Authentication failed. Confirm that the access token is valid."})
                return False
            return True

        def do_GET(self):
            if not self._record(None):
                return
            if match := PROFILE.match(self.path):
                self._answer(200, {"userId": match.group(1), "displayName": "LINE user", "language": "th"})
            else:
                self._answer(404, {"message": "Not found"})

        def do_POST(self):
            body = self._body()
            if not self._record(body):
                return
            if body is None:
                self._answer(400, {"message": "The request body has 1 error(s)"})
            elif self.path == "/v2/bot/message/push":
                self._push(body)
            elif self.path == "/v2/bot/message/reply":
                if not body.get("replyToken") or not body.get("messages"):
                    self._answer(400, {"message": "The request body has 1 error(s)"})
                    return
                with api.lock:
                    api.replies.append(body)
                self._answer(200, {"sentMessages": [{"id": "1"}]})
            else:
                self._answer(404, {"message": "Not found"})

        def _push(self, body: dict) -> None:
            key = self.headers.get("X-Line-Retry-Key")
            if key is not None:
                try:
                    uuid.UUID(key)
                except ValueError:
                    self._answer(400, {"message": "The retry key is not a UUID"})
                    return
            to, messages = body.get("to", ""), body.get("messages") or []
            if not re.fullmatch(r"U[0-9a-f]{32}", to) or not 1 <= len(messages) <= 5:
                self._answer(400, {"message": "The request body has 1 error(s)"})
                return
            with api.lock:
                if api.fail_with:
                    status = api.fail_with.pop(0)
                    self._answer(status, {"message": "The API rate limit has been exceeded. Try again later."})
                    return
                if to in api.refuse_users:
                    self._answer(400, {"message": "Failed to send messages"})
                    return
                if key is not None and key in api._keys:
                    self._answer(409, {"message": "The retry key is already accepted"})
                    return
                if key is not None:
                    api._keys.add(key)
                api.sent.append({"to": to, "messages": messages, "retry_key": key})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("x-line-request-id", str(uuid.uuid4()))
            self.end_headers()
            self.wfile.write(b'{"sentMessages":[{"id":"1","quoteToken":"q"}]}')

    return Handler


@contextmanager
def line_api(*, token: str):
    api = LineApi(token=token)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    api.base = f"http://127.0.0.1:{server.server_port}"
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def line(settings):
    """The installation's LINE channel, pointed at a local Messaging API (import this fixture to use it)."""
    with line_api(token=TOKEN) as api:
        settings.CCTV_LINE_API_BASE = api.base
        settings.CCTV_LINE_CHANNEL_ACCESS_TOKEN = TOKEN
        settings.CCTV_LINE_CHANNEL_SECRET = SECRET
        settings.CCTV_LINE_BASIC_ID = BASIC_ID
        yield api


def link_line(footage_request, line_user_id: str = SOMCHAI):
    """What the citizen's "send the code" does: a new one-time code for the request, sent from ``line_user_id``."""
    from workflow.line import links

    code = links.issue_code(footage_request)
    return links.link_with_code(organisation_id=footage_request.organisation_id, line_user_id=line_user_id, code=code)
