"""The drill's own arithmetic and files (bench/drill.py, bench/drill_cluster.py); `make drill` runs the cluster."""

import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import drill
import drill_cluster


def test_each_production_file_renders_for_loopback_with_no_vm_address_left():
    for name in ("etcd.conf.yml", "haproxy.cfg", "haproxy-web.cfg", "patroni.yml", "redis.conf", "sentinel.conf"):
        for node in drill_cluster.NODES:
            text = drill_cluster.render(name, node)
            assert "10.0.0." not in text and "${" not in text, (name, node)
    assert "server cctv2 127.0.0.12:5432" in drill_cluster.render("haproxy.cfg", 1)
    patroni = yaml.safe_load(drill_cluster.render("patroni.yml", 3))
    assert patroni["restapi"]["listen"] == "127.0.0.13:8008"


def test_patronis_drill_timings_are_valid_and_fit_the_outage_budget():
    timings = drill_cluster.DCS_TIMINGS
    assert timings["loop_wait"] + 2 * timings["retry_timeout"] <= timings["ttl"]
    assert timings["ttl"] + timings["loop_wait"] < drill.OUTAGE_BUDGET


def test_an_outage_runs_from_the_kill_to_the_end_of_the_last_failed_request_before_the_next_fault():
    rows = [
        {"t": 9.0, "end": 9.5, "ok": False},  # before any fault: not counted
        {"t": 10.5, "end": 11.0, "ok": False},
        {"t": 12.0, "end": 18.2, "ok": False},
        {"t": 19.0, "end": 19.1, "ok": True},
        {"t": 31.0, "end": 31.4, "ok": True},
        {"t": 41.0, "end": 42.0, "ok": False},
    ]
    windows = drill.outages(rows, {"postgres leader": 10.0, "web node": 30.0, "worker": 40.0}, end=60.0)
    assert windows == {"postgres leader": 8.2, "web node": 0.0, "worker": 2.0}


class Node(BaseHTTPRequestHandler):
    """A web node whose database is failing over: alive, not ready, and it answers pages (Django waits reads out
    and answers writes with its own Thai page)."""

    def do_GET(self):
        status = {"/health/live/": 200, "/health/ready/": 503}.get(self.path, 200)
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"from the node" if status == 200 else b"not ready")

    def log_message(self, *args):
        pass


def test_the_balancer_sends_citizens_to_live_nodes_when_none_is_ready_and_answers_in_thai_when_none_is_alive(
    tmp_path,
):
    haproxy = shutil.which("haproxy")
    if not haproxy:
        pytest.skip("haproxy is not installed (a Debian package; `make system-packages`)")
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), Node) for _ in range(2)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    bind, stats = free_port(), free_port()
    config = tmp_path / "web.cfg"
    config.write_text(
        drill_cluster.web_balancer_config(
            bind=f"127.0.0.1:{bind}", nodes={n: s.server_port for n, s in enumerate(servers, 1)}, stats=stats
        )
    )
    balancer = subprocess.Popen([haproxy, "-db", "-f", str(config)], stderr=subprocess.DEVNULL)  # noqa: S603
    try:

        def up(backend: str) -> int:
            with urllib.request.urlopen(f"http://127.0.0.1:{stats}/;csv", timeout=2) as response:
                rows = [line.split(",") for line in response.read().decode().splitlines()]
            return sum(row[0] == backend and row[1].startswith("web") and row[17] == "UP" for row in rows)

        wait(lambda: up("web_ready") == 0 and up("web_live") == 2)
        answer = requests.get(f"http://127.0.0.1:{bind}/request/", timeout=5)
        assert answer.status_code == 200 and answer.text == "from the node"

        for server in servers:
            server.shutdown()
            server.server_close()
        wait(lambda: up("web_live") == 0)
        answer = requests.get(f"http://127.0.0.1:{bind}/request/", timeout=5)
        assert answer.status_code == 503
        assert answer.headers["Retry-After"] == "30"
        assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
        assert "ระบบไม่พร้อมให้บริการชั่วคราว" in answer.text and 'lang="th"' in answer.text
    finally:
        balancer.kill()
        balancer.wait(10)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait(check, within: float = 20) -> None:
    deadline = time.monotonic() + within
    while not _tried(check):
        assert time.monotonic() < deadline, "not within the time"
        time.sleep(0.2)


def _tried(check) -> bool:
    try:
        return bool(check())
    except OSError:
        return False
