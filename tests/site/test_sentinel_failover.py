"""The cache and the Celery broker follow a Redis Sentinel failover (issue #15, deploy/cluster/).

Real processes on loopback: two redis-server (a primary and its replica), three redis-sentinel watching them, a
Celery worker in a process of its own. The cache and the broker are configured exactly as production's settings make
them from ``sentinel://`` URLs (asked of a production settings process). The primary is killed with SIGKILL; the
cache must answer throughout (misses, never an error), serve again from the new master within a bounded time with
what was written before the failover, and a task sent after the failover must run.
"""

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.core.cache import caches

from tests.site.test_production_settings import settings_in

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
MASTER = "cctv"
# Loopback ports for this test (the suite's other servers take free ports chosen by the system).
REDIS_PORTS = range(6391, 6400)
SENTINEL_PORTS = range(26391, 26400)
FAILOVER_WITHIN = 30.0  # seconds from the kill until the cache serves from the new master
TASK_WITHIN = 60.0

WORKER_APP = """
import json, os, pathlib
from celery import Celery

app = Celery("drill")
app.conf.broker_url = os.environ["DRILL_BROKER_URL"]
app.conf.broker_transport_options = json.loads(os.environ["DRILL_TRANSPORT_OPTIONS"])
app.conf.task_acks_late = True
app.conf.worker_prefetch_multiplier = 1
app.conf.broker_connection_retry_on_startup = True


@app.task(name="drill.mark")
def mark(path, text):
    pathlib.Path(path).write_text(text)
"""


def binaries() -> tuple[str, str]:
    server, sentinel = shutil.which("redis-server"), shutil.which("redis-sentinel")
    if not (server and sentinel):
        pytest.skip("redis-server and redis-sentinel are not installed (Debian packages; `make system-packages`)")
    return server, sentinel


def free_ports(candidates: range, count: int) -> list[int]:
    free = []
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        free.append(port)
        if len(free) == count:
            return free
    pytest.fail(f"fewer than {count} free ports in {candidates}")


def wait_for(check, *, within: float, what: str, every: float = 0.1):
    deadline = time.monotonic() + within
    while True:
        try:
            result = check()
        except (redis.RedisError, OSError):
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {within} s")
        time.sleep(every)


class Cluster:
    """A primary, its replica and three Sentinels (quorum 2), as deploy/cluster/ runs them on three VMs."""

    def __init__(self, directory: Path):
        server, sentinel = binaries()
        self.directory = directory
        self.primary_port, self.replica_port = free_ports(REDIS_PORTS, 2)
        self.sentinel_ports = free_ports(SENTINEL_PORTS, 3)
        self.processes: dict[str, subprocess.Popen] = {}
        common = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--protected-mode", "no"]
        for name, port, extra in (
            ("primary", self.primary_port, []),
            ("replica", self.replica_port, ["--replicaof", "127.0.0.1", str(self.primary_port)]),
        ):
            data = directory / name
            data.mkdir()
            self.start(name, [server, "--port", str(port), "--dir", str(data), *common, *extra])
            wait_for(lambda port=port: self.redis(port).ping(), within=10, what=f"redis {name} answers")
        wait_for(
            lambda: self.redis(self.replica_port).info("replication")["master_link_status"] == "up",
            within=15,
            what="the replica is in sync",
        )
        for index, port in enumerate(self.sentinel_ports):
            conf = directory / f"sentinel-{index}.conf"  # Sentinel rewrites its file: one each, writable
            conf.write_text(
                f"port {port}\nbind 127.0.0.1\nprotected-mode no\ndir {directory}\n"
                f"sentinel monitor {MASTER} 127.0.0.1 {self.primary_port} 2\n"
                f"sentinel down-after-milliseconds {MASTER} 1000\n"
                f"sentinel failover-timeout {MASTER} 10000\n"
                f"sentinel parallel-syncs {MASTER} 1\n"
            )
            self.start(f"sentinel-{index}", [sentinel, str(conf)])
        for port in self.sentinel_ports:  # each knows the replica and the two other Sentinels
            wait_for(
                lambda port=port: (
                    self.redis(port).execute_command("SENTINEL", "MASTER", MASTER) is not None
                    and len(self.redis(port).sentinel_sentinels(MASTER)) == 2
                    and len(self.redis(port).sentinel_slaves(MASTER)) == 1
                ),
                within=20,
                what=f"sentinel {port} sees the others and the replica",
            )

    def start(self, name: str, command: list[str]) -> None:
        log = (self.directory / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603

    @staticmethod
    def redis(port: int, db: int = 0) -> redis.Redis:
        return redis.Redis(port=port, db=db, socket_timeout=1, socket_connect_timeout=1)

    def master_port(self) -> int | None:
        answer = self.redis(self.sentinel_ports[0]).sentinel_get_master_addr_by_name(MASTER)
        return int(answer[1]) if answer else None

    def kill(self, name: str) -> None:
        self.processes[name].kill()
        self.processes[name].wait()

    def stop(self) -> None:
        for process in self.processes.values():
            process.kill()
            process.wait()

    def sentinel_url(self, db: int) -> str:
        return ";".join(f"sentinel://127.0.0.1:{port}/{db}" for port in self.sentinel_ports)


@pytest.fixture
def cluster(tmp_path):
    running = Cluster(tmp_path)
    yield running
    running.stop()


SETTINGS = (
    "import json; from django.conf import settings; print(json.dumps({'cache': settings.CACHES['default'], "
    "'broker': settings.CELERY_BROKER_URL, 'transport': settings.CELERY_BROKER_TRANSPORT_OPTIONS, "
    "'publish_retry': settings.CELERY_TASK_PUBLISH_RETRY_POLICY}))"
)


def production_settings(cluster: Cluster) -> dict:
    return settings_in(
        "cctv.settings.production",
        SETTINGS,
        CACHE_URL=cluster.sentinel_url(1),
        CELERY_BROKER_URL=cluster.sentinel_url(0),
        REDIS_SENTINEL_MASTER=MASTER,
    )


def start_worker(tmp_path: Path, configured: dict) -> subprocess.Popen:
    (tmp_path / "drill_app.py").write_text(WORKER_APP)
    log = (tmp_path / "worker.log").open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "drill_app", "worker", "--pool", "solo", "--loglevel", "INFO"],
        cwd=tmp_path,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(tmp_path),
            "DRILL_BROKER_URL": configured["broker"],
            "DRILL_TRANSPORT_OPTIONS": json.dumps(configured["transport"]),
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def test_cache_and_celery_follow_a_sentinel_failover(cluster, settings, tmp_path):
    configured = production_settings(cluster)
    assert configured["cache"]["BACKEND"] == "cctv.caching.redis_client.RedisCache"
    assert configured["transport"]["master_name"] == MASTER
    settings.CACHES = {"default": configured["cache"]}
    cache = caches["default"]

    producer = Celery("drill", broker=configured["broker"])
    producer.conf.broker_transport_options = configured["transport"]
    worker = start_worker(tmp_path, configured)
    try:
        before, after = tmp_path / "before.txt", tmp_path / "after.txt"
        cache.set("drill:before", "written before the failover", timeout=300)
        assert cache.get("drill:before") == "written before the failover"
        producer.send_task("drill.mark", args=[str(before), "ran"], retry=True)
        wait_for(before.exists, within=TASK_WITHIN, what="the task sent before the failover runs")
        # Replicated before the primary dies (Redis replication is asynchronous: WAIT for the one replica).
        assert cluster.redis(cluster.primary_port).execute_command("WAIT", 1, 2000) == 1

        killed = time.monotonic()
        cluster.kill("primary")
        answers = []

        def serves_again():
            # Never an exception while Redis is away: a miss, then the value once the new master answers.
            value = cache.get("drill:before")
            answers.append(value)
            cache.set("drill:after", "written after the failover", timeout=300)
            return value is not None and cache.get("drill:after") is not None

        wait_for(serves_again, within=FAILOVER_WITHIN, what="the cache serves from the new master", every=0.2)
        outage = time.monotonic() - killed
        assert cluster.master_port() == cluster.replica_port
        assert None in answers  # the failover was seen (answered as misses), not skipped by timing
        assert answers[-1] == "written before the failover"
        assert cluster.redis(cluster.replica_port).info("replication")["role"] == "master"
        assert cluster.redis(cluster.replica_port, db=1).exists(":1:drill:after") == 1  # Django's key prefix, version 1

        producer.send_task("drill.mark", args=[str(after), "ran"], retry=True, retry_policy=configured["publish_retry"])
        wait_for(after.exists, within=TASK_WITHIN, what="the task sent after the failover runs")
        assert after.read_text() == "ran"
        print(f"cache served again {outage:.1f} s after the primary was killed")  # noqa: T201
    finally:
        worker.kill()
        worker.wait()
        producer.close()
