"""The cluster of deploy/cluster/ on one machine, for `make drill` (bench/drill.py): the three VMs' addresses
10.0.0.11-13 become 127.0.0.11-13 (loopback answers them all), and each engine runs from its production file,
rendered for that node, with only what one machine needs changed (data folders, secrets files, log targets).

- etcd: three members (etcd.conf.yml);
- Patroni 3 with PostgreSQL 15: three nodes (patroni.yml), run as the postgres user, with the drill's shorter
  timings (below) so that a failover fits its 30-second budget on a loaded 2-core machine;
- HAProxy (haproxy.cfg): the database's read-write port 127.0.0.1:5000, plus, for the drill, the web nodes behind
  127.0.0.1:8100 (on the VMs that is the municipality's load balancer);
- Redis: a primary and a replica (redis.conf), three Sentinels (sentinel.conf);
- moto's standalone S3 server, the private files' object store;
- two gunicorn web nodes and two Celery workers (deploy/*.service, one worker process each here).
"""

import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path
from string import Template

import yaml

ROOT = Path(__file__).resolve().parents[1]
CLUSTER = ROOT / "deploy" / "cluster"
VAR = ROOT / "var" / "drill"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
NODES = (1, 2, 3)
HAPROXY_DB = "127.0.0.1:5000"
WEB_BALANCER = "http://127.0.0.1:8100"
WEB_PORTS = {1: 8101, 2: 8102}
S3_PORT = 9390
SECRETS = {
    "PATRONI_SUPERUSER_PASSWORD": "drill-superuser",
    "PATRONI_REPLICATION_PASSWORD": "drill-replication",
    "PATRONI_REWIND_PASSWORD": "drill-superuser",
    "PATRONI_RESTAPI_PASSWORD": "drill-restapi",
}
APP_PASSWORD = "drill-app"
# Patroni's loop on this machine: the leader key lives 15 s (production: 30 s, deploy/cluster/patroni.yml),
# so that a dead leader is replaced within the drill's 30-second budget. loop_wait + 2 * retry_timeout <= ttl.
DCS_TIMINGS = {"ttl": 15, "loop_wait": 3, "retry_timeout": 5}


def ip(node: int) -> str:
    return f"127.0.0.1{node}"


def render(name: str, node: int) -> str:
    """A production file for ``node``, as RUNBOOK.md renders it, with the loopback addresses."""
    values = {
        key: value.replace("10.0.0.", "127.0.0.")
        for line in (CLUSTER / "nodes.env").read_text().splitlines()
        if "=" in line and not line.startswith("#")
        for key, value in [line.split("=", 1)]
    }
    values.update(NODE_NAME=f"cctv{node}", NODE_IP=ip(node))
    # haproxy.cfg names the nodes' addresses itself.
    return Template((CLUSTER / name).read_text()).substitute(values).replace("10.0.0.", "127.0.0.")


def port_open(address: str) -> bool:
    host, port = address.rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except OSError:
        return False
    return True


def wait_for(check, *, within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"drill: {what} did not happen within {within:.0f} s (logs in {VAR})")


def http_status(url: str, timeout: float = 2) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class Cluster:
    """Every process of the drill by name; each in its own session, so that a kill takes its children too."""

    def __init__(self):
        self.processes: dict[str, subprocess.Popen] = {}
        self.commands: dict[str, tuple] = {}
        self.supervised: set[str] = set()  # restarted when they exit by themselves, as systemd's Restart=always
        self.dead: set[str] = set()  # killed by the drill: their VM is gone
        self.restarts: list[tuple[float, str]] = []
        self.stopping = threading.Event()

    def supervise(self, *names: str) -> None:
        """deploy/cctv-web.service and cctv-worker@.service restart a process that exits (a crash, a worker that
        gives up on its broker); here a thread does what systemd would, one second later."""
        self.supervised.update(names)
        if len(self.supervised) == len(names):
            threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        while not self.stopping.wait(1):
            for name in sorted(self.supervised - self.dead):
                if self.processes[name].poll() is not None:
                    self.restarts.append((time.monotonic(), name))
                    self.restart(name)

    def start(self, name: str, args: list[str], *, env: dict | None = None, user: str | None = None, cwd=None):
        log = (VAR / "logs" / f"{name}.log").open("ab")
        self.commands[name] = (args, env, user, cwd)
        self.processes[name] = subprocess.Popen(
            args, env=env, user=user, cwd=cwd or ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self.processes[name]

    def restart(self, name: str):
        self.dead.discard(name)
        args, env, user, cwd = self.commands[name]
        return self.start(name, args, env=env, user=user, cwd=cwd)

    def kill(self, name: str) -> None:
        """SIGKILL to the process and everything it started: a VM losing power, as far as one process goes."""
        process = self.processes[name]
        self.dead.add(name)
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(30)

    def stop_all(self) -> None:
        self.stopping.set()
        for name in reversed(list(self.processes)):
            process = self.processes[name]
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        deadline = time.monotonic() + 20
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        # Postmasters Patroni started live on in their own sessions: stop them by their pid files.
        for node in NODES:
            pid_file = VAR / f"pg{node}" / "data" / "postmaster.pid"
            if pid_file.exists():
                try:
                    os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass


def fresh_folders() -> None:
    if VAR.exists():
        shutil.rmtree(VAR)
    (VAR / "logs").mkdir(parents=True)


def start_etcd(cluster: Cluster) -> None:
    for node in NODES:
        config = yaml.safe_load(render("etcd.conf.yml", node))
        config["data-dir"] = str(VAR / f"etcd{node}")
        config["listen-client-urls"] = config["advertise-client-urls"]  # 127.0.0.1:2379 is the machine's own
        path = VAR / f"etcd{node}.yml"
        path.write_text(yaml.safe_dump(config))
        cluster.start(f"etcd{node}", [shutil.which("etcd"), "--config-file", str(path)])
    for node in NODES:
        wait_for(lambda node=node: http_status(f"http://{ip(node)}:2379/health") == 200, within=60, what="etcd up")


# PostgreSQL refuses to run as root: as root, Patroni runs as the postgres user Debian's package makes.
PG_USER = "postgres" if os.geteuid() == 0 else None


def _owned_by_postgres(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    if PG_USER:
        shutil.chown(path, PG_USER, PG_USER)
    path.chmod(0o700)


def start_patroni(cluster: Cluster, node: int) -> None:
    config = yaml.safe_load(render("patroni.yml", node))
    folder = VAR / f"pg{node}"
    _owned_by_postgres(folder)
    config["bootstrap"]["dcs"].update(DCS_TIMINGS)
    config["bootstrap"]["dcs"]["postgresql"]["parameters"].update({"max_connections": 100, "shared_buffers": "64MB"})
    config["postgresql"]["data_dir"] = str(folder / "data")
    config["postgresql"]["pgpass"] = str(folder / "pgpass")
    config["postgresql"]["parameters"]["unix_socket_directories"] = str(folder)
    config["log"] = {"level": "WARNING"}
    path = folder / "patroni.yml"
    path.write_text(yaml.safe_dump(config))
    if PG_USER:
        shutil.chown(path, PG_USER, PG_USER)
    env = {**os.environ, **SECRETS, "HOME": str(folder)}
    cluster.start(f"patroni{node}", [shutil.which("patroni"), str(path)], env=env, user=PG_USER)


def leader() -> int | None:
    for node in NODES:
        try:
            if http_status(f"http://{ip(node)}:8008/primary", timeout=1) == 200:
                return node
        except OSError:
            continue
    return None


def kill_patroni_node(cluster: Cluster, node: int) -> None:
    """The node's Patroni and its PostgreSQL die at once."""
    pid_file = VAR / f"pg{node}" / "data" / "postmaster.pid"
    postmaster = int(pid_file.read_text().split()[0]) if pid_file.exists() else None
    cluster.kill(f"patroni{node}")
    if postmaster:
        try:
            os.killpg(os.getpgid(postmaster), signal.SIGKILL)
        except ProcessLookupError:
            pass


def start_postgres_cluster(cluster: Cluster) -> None:
    for node in NODES:
        start_patroni(cluster, node)
    wait_for(lambda: leader() is not None, within=120, what="a Patroni leader")
    replicas = lambda: sum(  # noqa: E731
        http_status(f"http://{ip(node)}:8008/replica", timeout=1) == 200 for node in NODES
    )
    wait_for(lambda: replicas() == 2, within=180, what="two streaming replicas")


def start_haproxy(cluster: Cluster) -> None:
    text = render("haproxy.cfg", 1)
    text = "\n".join(line for line in text.splitlines() if not line.strip().startswith("log "))
    text = text.replace("bind 127.0.0.1:7000", "bind 127.0.0.1:7090") + "\n"
    for name, config in (("haproxy", text), ("haproxy-web", web_balancer_config())):
        path = VAR / f"{name}.cfg"
        path.write_text(config)
        subprocess.run([shutil.which("haproxy"), "-c", "-q", "-f", str(path)], check=True)
        cluster.start(name, [shutil.which("haproxy"), "-db", "-f", str(path)])
    # Until its checks have run, HAProxy counts every node up: wait for the leader alone.
    wait_for(lambda: backends_up("postgres_primary") == [f"cctv{leader()}"], within=30, what="HAProxy on the leader")


def web_balancer_config(bind: str = "127.0.0.1:8100", nodes: dict[int, int] = WEB_PORTS, stats: int = 7091) -> str:
    """deploy/cluster/haproxy-web.cfg for the drill: the same two backends and checks in front of the drill's
    gunicorn ``nodes`` (number: port), on ``bind`` in plain HTTP. Here no nginx stands between them, so the balancer
    marks the requests HTTPS itself (the site's cookies are Secure), and the Host of its checks is the drill's
    site."""
    text = render("haproxy-web.cfg", 1).replace("cctv.example.go.th", "127.0.0.1")
    text = text.replace("/etc/haproxy/errors/", f"{CLUSTER}/")
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("log ", "option httplog", "server cctv", "http-request redirect", "bind :443")):
            continue
        if stripped == "bind :80":
            lines += [f"    bind {bind}", "    http-request set-header X-Forwarded-Proto https"]
            continue
        if stripped.startswith("default-server"):
            lines.append("    default-server inter 1s fall 2 rise 2 check")
            lines += [f"    server web{n} 127.0.0.1:{port}" for n, port in nodes.items()]
            continue
        lines.append(line.replace("bind 127.0.0.1:7001", f"bind 127.0.0.1:{stats}"))
    return "\n".join(lines) + "\n"


def backends_up(proxy: str) -> list[str]:
    """The servers of ``proxy`` HAProxy has up now (its stats page, as CSV)."""
    port = 7091 if proxy.startswith("web_") else 7090
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/;csv", timeout=2) as response:
        rows = [line.split(",") for line in response.read().decode().splitlines()]
    return [row[1] for row in rows if row[0] == proxy and row[1] not in ("FRONTEND", "BACKEND") and row[17] == "UP"]


def _redis_text(name: str, node: int) -> str:
    folder = VAR / f"{name}{node}"
    folder.mkdir(exist_ok=True)
    (folder / "secrets.conf").write_text("")
    (folder / "sentinel-secrets.conf").write_text("")
    text = render(f"{name}.conf", node).replace("/etc/redis/", f"{folder}/").replace("/var/lib/redis", str(folder))
    # On a VM 127.0.0.1 is its own; here the three nodes would fight over it, and a connection from any of them
    # comes from 127.0.0.1: each says which address is its own.
    text = text.replace(f"bind {ip(node)} 127.0.0.1", f"bind {ip(node)}")
    announce = "sentinel announce-ip" if name == "sentinel" else "replica-announce-ip"
    return text + f"\n{announce} {ip(node)}\n"


def start_redis(cluster: Cluster) -> None:
    for node in (1, 2):
        text = _redis_text("redis", node)
        if node == 2:
            text += f"\nreplicaof {ip(1)} 6379\n"
        path = VAR / f"redis{node}" / "redis.conf"
        path.write_text(text)
        cluster.start(f"redis{node}", [shutil.which("redis-server"), str(path)])
    for node in NODES:
        path = VAR / f"sentinel{node}" / "sentinel.conf"
        text = _redis_text("sentinel", node)
        path.write_text(text)
        cluster.start(f"sentinel{node}", [shutil.which("redis-sentinel"), str(path)])
    for node in NODES:
        wait_for(lambda node=node: port_open(f"{ip(node)}:26379"), within=20, what="Sentinels")


def sentinel_url(db: int) -> str:
    return ";".join(f"sentinel://{ip(node)}:26379" for node in NODES) + f"/{db}"


def start_s3(cluster: Cluster) -> None:
    cluster.start("s3", [shutil.which("moto_server") or "moto_server", "-H", "127.0.0.1", "-p", str(S3_PORT)])
    wait_for(lambda: port_open(f"127.0.0.1:{S3_PORT}"), within=30, what="the S3 server")


def start_web(cluster: Cluster, node: int, env: dict) -> None:
    args = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "cctv.wsgi:application",
        "--chdir",
        "site",
        "--bind",
        f"127.0.0.1:{WEB_PORTS[node]}",
        "--workers",
        "1",
        "--threads",
        "4",
        "--timeout",
        "60",
    ]
    cluster.start(f"web{node}", args, env=env)


def wait_for_web(node: int) -> None:
    url = f"http://127.0.0.1:{WEB_PORTS[node]}/health/live/"
    wait_for(lambda: http_status(url) == 200, within=60, what=f"web node {node}")


def start_worker(cluster: Cluster, node: int, env: dict) -> None:
    args = [
        PYTHON,
        "-m",
        "celery",
        "-A",
        "cctv",
        "worker",
        "--queues",
        "default,notifications,media",
        "--concurrency",
        "2",
        "--hostname",
        f"worker{node}@drill",
        "--loglevel",
        "WARNING",
    ]
    cluster.start(f"worker{node}", args, env=env, cwd=ROOT / "site")
