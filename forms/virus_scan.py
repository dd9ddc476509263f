"""Optional virus scanning of uploads with ClamAV's clamd (INSTREAM over a Unix or TCP socket).

Off unless CCTV_CLAMAV_SOCKET is set ("/run/clamav/clamd.ctl" or "127.0.0.1:3310"). When on, it fails
closed: if clamd cannot be reached, the file is refused rather than accepted unchecked.
"""

import socket
import struct

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CHUNK = 64 * 1024


def _connect(address: str) -> socket.socket:
    timeout = settings.CCTV_CLAMAV_TIMEOUT
    if address.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(address)
        return sock
    host, _sep, port = address.rpartition(":")
    return socket.create_connection((host, int(port)), timeout=timeout)


def scan(content: bytes) -> None:
    address = settings.CCTV_CLAMAV_SOCKET
    if not address:
        return
    try:
        with _connect(address) as sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(content), CHUNK):
                chunk = content[start : start + CHUNK]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                data = sock.recv(4096)
                if not data:
                    break
                reply += data
    except OSError as exc:
        raise ValidationError(
            _("The file could not be checked for viruses just now. Please try again in a few minutes."),
            code="scan_unavailable",
        ) from exc
    answer = reply.rstrip(b"\0").decode("utf-8", "replace")
    if answer.endswith("OK"):
        return
    if answer.endswith("FOUND"):
        raise ValidationError(_("This file contains a virus and cannot be accepted."), code="virus_found")
    raise ValidationError(
        _("The file could not be checked for viruses just now. Please try again in a few minutes."),
        code="scan_unavailable",
    )
