"""The files in deploy/ as Debian's nginx and systemd read them.

nginx gets deploy/nginx-cctv.conf included from http {}, as Debian's nginx.conf includes sites-enabled/*,
with the certificate, the log files and the listening ports moved into a temporary directory; one test
runs that nginx in front of a small upstream and reads its access log. systemd-analyze verifies the units
offline against a temporary root that holds stand-ins for their programs. Each test is skipped only when
its program is not installed (`make system-packages` installs them).
"""

import datetime
import os
import re
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.urls import reverse

from workflow.request.models import new_token

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX_SITE = DEPLOY / "nginx-cctv.conf"
UNITS = sorted(DEPLOY.glob("*.service"))
HOST = "cctv.example.go.th"
TIMEOUT = 20  # seconds, for every program and request here


def program(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if path is None:
        pytest.skip(f"{name} is not installed (make system-packages)")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "fullchain.pem", directory / "privkey.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def substitute(pattern: str, replacement, text: str, *, count: int | None = None) -> str:
    """re.subn that insists on finding what it replaces, so that a changed file cannot slip past untested."""
    text, found = re.subn(pattern, replacement, text, flags=re.MULTILINE)
    assert found if count is None else found == count, f"{pattern!r} found {found} times in {NGINX_SITE.name}"
    return text


class Nginx:
    """deploy/nginx-cctv.conf under a minimal main nginx.conf, everything it writes inside `directory`."""

    def __init__(self, directory: Path, *, upstream_port: int | None = None):
        self.directory = directory
        self.access_log = directory / "access.log"
        self.error_log = directory / "error.log"
        self.ports = {80: free_port(), 443: free_port()}
        cert, key = self_signed_certificate(directory)

        site = NGINX_SITE.read_text()
        site = substitute(r"^(\s*ssl_certificate\s+)\S+;", rf"\g<1>{cert};", site, count=1)
        site = substitute(r"^(\s*ssl_certificate_key\s+)\S+;", rf"\g<1>{key};", site, count=1)
        site = substitute(r"^(\s*access_log\s+)/\S+", rf"\g<1>{self.access_log}", site)
        site = re.sub(r"^(\s*error_log\s+)/\S+", rf"\g<1>{self.error_log}", site, flags=re.MULTILINE)
        listening = []

        def listen(match):
            listening.append(int(match[2]))
            return f"{match[1]}127.0.0.1:{self.ports[int(match[2])]}"

        site = substitute(r"^(\s*listen\s+)(\d+)\b", listen, site)
        assert sorted(listening) == [80, 443]
        if upstream_port is not None:
            site = substitute(
                r"(proxy_pass\s+http://)127\.0\.0\.1:8000\b", rf"\g<1>127.0.0.1:{upstream_port}", site, count=1
            )
        (directory / "cctv.conf").write_text(site)

        temp_paths = "".join(
            f"    {kind}_temp_path {directory / kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        self.conf = directory / "nginx.conf"
        self.conf.write_text(
            f"pid {directory / 'nginx.pid'};\n"
            f"error_log {self.error_log};\n"
            "worker_processes 1;\n"
            "events { worker_connections 64; }\n"
            "http {\n"
            "    include /etc/nginx/mime.types;\n"
            f"{temp_paths}"
            f"    include {directory / 'cctv.conf'};\n"
            "}\n"
        )

    def command(self, *args: str) -> list[str]:
        return [program("nginx"), "-p", f"{self.directory}/", "-e", str(self.error_log), "-c", str(self.conf), *args]


def test_nginx_lets_the_app_refuse_large_forms_itself():
    """A body the app would accept, or refuse with its own Thai page, is never cut off by nginx's English 413:
    the core form and four file questions an editor adds fit under client_max_body_size."""
    from forms.forms import CoreRequestForm
    from forms.kept_files import MAX_UPLOAD_BYTES

    (size,) = re.findall(r"^\s*client_max_body_size\s+(\d+)m;", (DEPLOY / "nginx-cctv.conf").read_text(), re.M)
    assert int(size) * 1024 * 1024 >= CoreRequestForm.max_body_bytes() + 4 * MAX_UPLOAD_BYTES


def test_nginx_accepts_the_site_conf(tmp_path):
    nginx = Nginx(tmp_path)
    result = subprocess.run(nginx.command("-t"), capture_output=True, text=True, timeout=TIMEOUT, check=False)  # noqa: S603
    assert result.returncode == 0, result.stderr
    assert "[warn]" not in result.stderr, result.stderr


class Upstream(BaseHTTPRequestHandler):
    """Stands in for gunicorn: 200 for everything, and remembers what nginx sent."""

    seen: list[tuple[str, dict[str, str]]]

    def do_GET(self):
        self.seen.append((self.path, dict(self.headers)))
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_for_port(port: int, process: subprocess.Popen, stderr: Path) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"nginx exited with {process.returncode}: {stderr.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"nginx did not listen on {port} within {TIMEOUT}s")


def token_paths(token: str) -> list[str]:
    """Every public URL that carries a status or download token, from forms/urls.py."""
    from forms import urls

    names = [pattern.name for pattern in urls.urlpatterns if "token" in pattern.pattern.converters]
    assert {"status", "copy_download"} <= set(names)
    # Other parts of a path (a receipt's check code) take a well-formed sample.
    samples = {"code": "0" * 30}

    def kwargs(pattern) -> dict:
        return {"token": token} | {name: samples[name] for name in pattern.pattern.converters if name != "token"}

    patterns = {pattern.name: pattern for pattern in urls.urlpatterns if "token" in pattern.pattern.converters}
    return [reverse(f"{urls.app_name}:{name}", kwargs=kwargs(patterns[name])) for name in names]


def test_nginx_logs_token_paths_masked(tmp_path):
    Upstream.seen = []
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    nginx = Nginx(tmp_path, upstream_port=upstream.server_port)
    stderr = tmp_path / "nginx.stderr"
    token = new_token()  # the app's own key maker: the URL converter takes only keys of its length
    paths = token_paths(token)
    # Query strings are left out too; an encoded slash still counts as the end of /status/.
    https_paths = [*paths, f"{paths[0]}?lang=th", f"/status%2F{token}/", "/status/"]

    https = ssl.create_default_context()
    https.check_hostname = False
    https.verify_mode = ssl.CERT_NONE
    with stderr.open("w") as stderr_file:
        process = subprocess.Popen(nginx.command("-g", "daemon off;"), stdout=subprocess.DEVNULL, stderr=stderr_file)  # noqa: S603
    try:
        wait_for_port(nginx.ports[443], process, stderr)
        for path in https_paths:
            request = urllib.request.Request(f"https://127.0.0.1:{nginx.ports[443]}{path}", headers={"Host": HOST})
            with urllib.request.urlopen(request, context=https, timeout=TIMEOUT) as response:  # noqa: S310
                assert response.status == 200
        # Plain HTTP only redirects, and logs as carefully.
        request = urllib.request.Request(f"http://127.0.0.1:{nginx.ports[80]}{paths[0]}", headers={"Host": HOST})
        with pytest.raises(urllib.error.HTTPError) as redirect:
            urllib.request.build_opener(NoRedirects).open(request, timeout=TIMEOUT)
        assert redirect.value.code == 301
        assert redirect.value.headers["Location"] == f"https://{HOST}{paths[0]}"
    finally:
        process.send_signal(signal.SIGQUIT)  # graceful: the log is complete once it has exited
        try:
            process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=TIMEOUT)
        upstream.shutdown()
        upstream.server_close()

    # gunicorn gets the real path and the client's address.
    assert [path for path, _headers in Upstream.seen] == https_paths
    for _path, headers in Upstream.seen:
        assert headers["Host"] == HOST
        assert headers["X-Forwarded-For"] == "127.0.0.1"
        assert headers["X-Real-IP"] == "127.0.0.1"
        assert headers["X-Forwarded-Proto"] == "https"

    log = nginx.access_log.read_text()
    assert token not in log
    assert "lang=th" not in log
    assert token not in nginx.error_log.read_text()
    logged = re.findall(r'"GET (\S*)" (\d{3}) ', log)
    masked = [path.replace(token, "-") for path in paths]
    assert logged == [
        *((path, "200") for path in masked),
        (masked[0], "200"),
        ("/status%2F-/", "200"),
        ("/status/", "200"),
        (masked[0], "301"),
    ]


@pytest.fixture(scope="module")
def systemd_root(tmp_path_factory):
    """A root for `systemd-analyze verify --root`: systemd's own units, ours, and stand-ins for their programs."""
    analyze = program("systemd-analyze")
    root = tmp_path_factory.mktemp("systemd-root")
    system_units = next(
        (path for path in (Path("/usr/lib/systemd/system"), Path("/lib/systemd/system")) if path.is_dir()), None
    )
    assert system_units is not None, "systemd-analyze is installed but systemd's units are not"
    shutil.copytree(system_units, root / "usr/lib/systemd/system", symlinks=True)
    unit_dir = root / "etc/systemd/system"
    unit_dir.mkdir(parents=True)
    for unit in UNITS:
        shutil.copy(unit, unit_dir)
        for command in re.findall(r"^Exec\w+=(.+)$", unit.read_text(), flags=re.MULTILINE):
            executable = shlex.split(command)[0].lstrip("-@:+!|")
            assert executable.startswith("/"), f"{unit.name}: {executable} is not an absolute path"
            stand_in = root / executable.lstrip("/")
            stand_in.parent.mkdir(parents=True, exist_ok=True)
            stand_in.write_text("#!/bin/sh\nexit 0\n")
            stand_in.chmod(0o755)
    return analyze, root


def unit_names() -> list[str]:
    """Plain units by name; a template (cctv-worker@.service) once per Celery queue, as it is enabled."""
    from django.conf import settings

    names = []
    for unit in UNITS:
        if unit.name.endswith("@.service"):
            names += [unit.name.replace("@.", f"@{queue}.") for queue in settings.CCTV_CELERY_QUEUES]
        else:
            names.append(unit.name)
    return names


@pytest.mark.parametrize("unit", unit_names())
def test_systemd_accepts_the_unit(systemd_root, unit):
    analyze, root = systemd_root
    result = subprocess.run(  # noqa: S603
        [analyze, "verify", "--man=no", f"--root={root}", unit],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        env={**os.environ, "SYSTEMD_LOG_COLOR": "0"},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # Unknown keys and values systemd cannot parse are only warnings: fail on any about our unit (a template's
    # warnings name its file, cctv-worker@.service).
    assert unit not in output, output
    assert re.sub(r"@[^.]+\.", "@.", unit) not in output, output


def unit_exec_start(unit: Path) -> list[str]:
    (command,) = re.findall(r"^ExecStart=(.+)$", unit.read_text(), flags=re.MULTILINE)
    return shlex.split(command.replace("%%", "%"))


def test_gunicorn_logs_no_paths():
    """Paths carry status and download tokens; only nginx logs requests, with the tokens masked."""
    args = unit_exec_start(DEPLOY / "cctv-web.service")
    assert args[0].endswith("/gunicorn")
    if any(arg == "--access-logfile" or arg.startswith("--access-logfile=") for arg in args):
        fmt = next((args[i + 1] for i, arg in enumerate(args[:-1]) if arg == "--access-logformat"), None)
        assert fmt is not None, "gunicorn's default access log format has the request line"
        assert not re.search(r"%\((r|U|q|f|\{raw_uri\}e|\{path_info\}e)\)s", fmt, flags=re.IGNORECASE), fmt
    assert "GUNICORN_CMD_ARGS" not in (DEPLOY / "env.example").read_text()


def test_env_example_is_an_environment_file():
    """KEY=value lines and comments, as systemd's EnvironmentFile= reads them, each key once."""
    env = {}
    for line in (DEPLOY / "env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            assert re.fullmatch(r"[A-Z][A-Z0-9_]*=\S*", line), line
            key, value = line.split("=", 1)
            assert key not in env, f"{key} twice"
            env[key] = value
    for unit in UNITS:
        assert "EnvironmentFile=/etc/cctv/env" in unit.read_text().splitlines(), unit.name
    # nginx connects to gunicorn from 127.0.0.1, so that is the proxy whose X-Forwarded-For is believed.
    assert "127.0.0.1" in env["CCTV_TRUSTED_PROXIES"].split(",")
    assert "proxy_pass http://127.0.0.1:8000;" in NGINX_SITE.read_text()
