"""The clamd client against a loopback peer that speaks clamd's INSTREAM protocol."""

import socket
import struct
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from forms.uploads import sanitise_upload
from tests.factories import png_bytes

EICAR_MARK = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"


def fake_clamd():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    received = []

    def serve():
        conn, _addr = server.accept()
        with conn:
            assert conn.recv(10) == b"zINSTREAM\0"
            data = b""
            while True:
                size = struct.unpack("!L", conn.recv(4))[0]
                if size == 0:
                    break
                while size:
                    part = conn.recv(size)
                    data += part
                    size -= len(part)
            received.append(data)
            verdict = b"stream: Eicar-Signature FOUND\0" if EICAR_MARK in data else b"stream: OK\0"
            conn.sendall(verdict)
        server.close()

    threading.Thread(target=serve, daemon=True).start()
    return f"127.0.0.1:{server.getsockname()[1]}", received


def png_with(marker: bytes) -> bytes:
    return png_bytes() + marker  # trailing bytes after IEND: still sniffed as PNG before re-encoding


def test_clean_file_passes_the_scan(settings):
    settings.CCTV_CLAMAV_SOCKET, received = fake_clamd()
    result = sanitise_upload(SimpleUploadedFile("a.png", png_bytes(), content_type="image/png"))
    assert result.kind == "png"
    assert received and received[0] == png_bytes()


def test_infected_file_is_refused(settings):
    settings.CCTV_CLAMAV_SOCKET, _received = fake_clamd()
    with pytest.raises(ValidationError) as raised:
        sanitise_upload(SimpleUploadedFile("a.png", png_with(EICAR_MARK), content_type="image/png"))
    assert raised.value.code == "virus_found"


def test_unreachable_scanner_fails_closed(settings):
    settings.CCTV_CLAMAV_SOCKET = "127.0.0.1:9"  # nothing listens
    settings.CCTV_CLAMAV_TIMEOUT = 2
    with pytest.raises(ValidationError) as raised:
        sanitise_upload(SimpleUploadedFile("a.png", png_bytes(), content_type="image/png"))
    assert raised.value.code == "scan_unavailable"


def test_scanning_is_off_by_default(settings):
    settings.CCTV_CLAMAV_SOCKET = ""
    assert sanitise_upload(SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")).kind == "png"
