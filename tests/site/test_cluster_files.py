# ruff: noqa: S603, S310 -- the programs are the Debian packages' and the URLs the test's own loopback servers.
"""deploy/cluster/, checked offline: each template renders for each of the three VMs, and each engine accepts the
file it is given (haproxy -c, patroni --validate-config) or starts from it (three etcd members form a cluster,
Redis keeps its AOF and refuses writes without a replica, three Sentinels agree on the master with quorum 2).

The VMs' addresses 10.0.0.11-13 become 127.0.0.11-13 here (loopback answers them all); only what a single machine
cannot share is moved: data directories into the test's directory, and Redis's fixed port to a free one.
"""

import json
import re
import shutil
import socket
import string
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
import redis
import yaml

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
CLUSTER = ROOT / "deploy" / "cluster"
NAMES = ("cctv1", "cctv2", "cctv3")


def nodes_env() -> dict[str, str]:
    lines = (CLUSTER / "nodes.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def render(name: str, node: int, *, loopback: bool = False) -> str:
    """The file as `envsubst` makes it on VM ``node`` (1-3); every placeholder must be filled."""
    values = nodes_env()
    if loopback:
        values = {key: value.replace("10.0.0.", "127.0.0.") for key, value in values.items()}
    values |= {"NODE_NAME": NAMES[node - 1], "NODE_IP": values[f"NODE{node}_IP"]}
    return string.Template((CLUSTER / name).read_text()).substitute(values)


def binary(name: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed (a Debian package; `make system-packages`)")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, *, within: float, what: str):
    deadline = time.monotonic() + within
    while True:
        try:
            if result := check():
                return result
        except (OSError, redis.RedisError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {within} s")
        time.sleep(0.2)


@pytest.fixture
def processes():
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        process.kill()
        process.wait(10)


CONFIGS = sorted(path.name for path in CLUSTER.iterdir() if path.suffix not in (".env", ".md", ".http"))


def test_the_templates_are_the_ones_the_runbook_names():
    runbook = (CLUSTER / "RUNBOOK.md").read_text()
    assert CONFIGS == ["etcd.conf.yml", "haproxy-web.cfg", "haproxy.cfg", "patroni.yml", "redis.conf", "sentinel.conf"]
    assert all(name in runbook for name in [*CONFIGS, "nodes.env", "cctv-unavailable.http"])


@pytest.mark.parametrize("name", CONFIGS)
def test_each_template_renders_for_each_node(name):
    rendered = [render(name, node) for node in (1, 2, 3)]
    assert all("${" not in text for text in rendered)
    if name.endswith((".yml", ".yaml")):
        assert all(isinstance(yaml.safe_load(text), dict) for text in rendered)


def test_haproxy_accepts_its_file_and_would_refuse_a_broken_one(tmp_path):
    haproxy = binary("haproxy")
    good, bad = tmp_path / "good.cfg", tmp_path / "bad.cfg"
    good.write_text(render("haproxy.cfg", 1))
    bad.write_text(good.read_text().replace("option httpchk", "option httpcheckk"))
    assert subprocess.run([haproxy, "-c", "-q", "-f", good], capture_output=True).returncode == 0
    assert subprocess.run([haproxy, "-c", "-q", "-f", bad], capture_output=True).returncode != 0


def test_the_load_balancer_accepts_its_file_with_a_certificate_and_the_thai_page(tmp_path):
    """haproxy-web.cfg as installed: its certificate and its page for "no web VM answers" where RUNBOOK.md puts
    them (here the test's directory); the page is a whole HTTP response, in Thai, that HAProxy accepts."""
    haproxy, openssl = binary("haproxy"), binary("openssl")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subject = "/CN=cctv.example.go.th"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            subject,
            "-keyout",
            key,
            "-out",
            cert,
        ],
        check=True,
        capture_output=True,
    )
    (tmp_path / "cctv.pem").write_bytes(cert.read_bytes() + key.read_bytes())
    text = render("haproxy-web.cfg", 1).replace("/etc/haproxy/cctv.pem", str(tmp_path / "cctv.pem"))
    config = tmp_path / "web.cfg"
    config.write_text(text.replace("/etc/haproxy/errors/", f"{CLUSTER}/"))
    checked = subprocess.run([haproxy, "-c", "-f", config], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "errorfile" not in checked.stdout + checked.stderr  # no warning about the page
    servers = re.findall(r"server (\S+) (\S+)$", text, flags=re.MULTILINE)
    env = nodes_env()
    expected = [(name, f"{env[f'NODE{i}_IP']}:443") for i, name in enumerate(NAMES, 1)]
    assert servers == expected * 2  # web_ready and web_live: the same three VMs
    page = (CLUSTER / "cctv-unavailable.http").read_bytes()
    head, body = page.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 503 ") and b"charset=utf-8" in head and b"Retry-After: 30" in head
    assert "ระบบไม่พร้อมให้บริการชั่วคราว" in body.decode() and len(page) < 16384  # HAProxy's buffer


def test_haproxy_sends_the_database_port_to_patronis_leader_and_checks_its_rest_api():
    haproxy, patroni = render("haproxy.cfg", 1), yaml.safe_load(render("patroni.yml", 1))
    rest_port = patroni["restapi"]["listen"].rsplit(":", 1)[1]
    pg_port = patroni["postgresql"]["listen"].rsplit(":", 1)[1]
    primary = haproxy.split("listen postgres_primary", 1)[1].split("listen ", 1)[0]
    assert "bind 127.0.0.1:5000" in primary and "GET /primary" in primary
    servers = re.findall(r"server (\S+) (\S+) .*check port (\d+)", primary)
    env = nodes_env()
    assert servers == [(name, f"{env[f'NODE{i}_IP']}:{pg_port}", rest_port) for i, name in enumerate(NAMES, 1)]
    # The cluster's DATABASE_URL in deploy/env.example is HAProxy's read-write port.
    assert "postgres://cctv:CHANGE-ME@127.0.0.1:5000/cctv" in (ROOT / "deploy" / "env.example").read_text()


@pytest.fixture(scope="module")
def etcd_cluster(tmp_path_factory):
    """The three etcd members of etcd.conf.yml, on 127.0.0.11-13; yields the client URLs."""
    etcd = binary("etcd")
    directory = tmp_path_factory.mktemp("etcd")
    started, urls = [], []
    for node in (1, 2, 3):
        config = yaml.safe_load(render("etcd.conf.yml", node, loopback=True))
        config["data-dir"] = str(directory / f"etcd{node}")
        config["listen-client-urls"] = config["advertise-client-urls"]  # 127.0.0.1:2379 is the machine's own
        path = directory / f"etcd{node}.yml"
        path.write_text(yaml.safe_dump(config))
        started.append(
            subprocess.Popen([etcd, "--config-file", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )
        urls.append(config["advertise-client-urls"])

    def healthy(url: str):
        with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
            return json.load(answer).get("health") == "true"

    try:
        for url in urls:
            wait_for(lambda url=url: healthy(url), within=30, what=f"etcd member {url} healthy")
        yield urls
    finally:
        for process in started:
            process.kill()
            process.wait(10)


def test_three_etcd_members_form_one_cluster_from_the_file(etcd_cluster):
    # Through the JSON gateway, as Patroni's etcd3 client talks to etcd.
    request = urllib.request.Request(f"{etcd_cluster[1]}/v3/cluster/member/list", data=b"{}", method="POST")
    with urllib.request.urlopen(request, timeout=5) as answer:
        members = json.load(answer)["members"]
    assert sorted(member["name"] for member in members) == list(NAMES)


def patroni_secrets() -> list[str]:
    return re.findall(r"PATRONI_[A-Z]+_PASSWORD", (CLUSTER / "patroni.yml").read_text().split("\nscope:")[0])


def validate_patroni(path: Path, secrets: list[str]) -> subprocess.CompletedProcess:
    environment = {"PATH": "/usr/bin:/bin"} | dict.fromkeys(secrets, "s3cret")
    return subprocess.run(
        [binary("patroni"), "--validate-config", path], capture_output=True, text=True, env=environment
    )


@pytest.mark.parametrize("node", (1, 2, 3))
def test_patroni_validates_each_nodes_file_with_the_secrets_its_header_names(tmp_path, node, etcd_cluster):
    """The validator also checks the etcd members it names answer: the three of etcd.conf.yml."""
    text = render("patroni.yml", node, loopback=True)
    bin_dir = yaml.safe_load(text)["postgresql"]["bin_dir"]
    if not Path(bin_dir).is_dir():
        installed = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
        if not installed:
            pytest.skip("PostgreSQL is not installed")
        text = text.replace(bin_dir, str(installed[-1]))  # another Debian release's PostgreSQL major version
    path = tmp_path / "patroni.yml"
    path.write_text(text)
    secrets = patroni_secrets()
    assert len(secrets) == 4
    checked = validate_patroni(path, secrets)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert validate_patroni(path, []).returncode != 0  # without its secrets Patroni does not start


def test_patroni_commits_wait_for_a_replica_and_failover_never_promotes_a_far_behind_one():
    dcs = yaml.safe_load(render("patroni.yml", 1))["bootstrap"]["dcs"]
    assert dcs["synchronous_mode"] is True
    assert 0 < dcs["maximum_lag_on_failover"] <= 16 * 1024 * 1024
    hosts = yaml.safe_load(render("patroni.yml", 2))["etcd3"]["hosts"]
    etcd = [yaml.safe_load(render("etcd.conf.yml", node))["advertise-client-urls"] for node in (1, 2, 3)]
    assert [f"http://{host}" for host in hosts] == etcd


def start_redis(tmp_path: Path, processes, name: str, text: str, *args: str) -> int:
    """redis-server from ``text`` in a directory of its own, its included secrets file there too."""
    directory = tmp_path / name
    directory.mkdir()
    (directory / "secrets.conf").write_text("requirepass s3cret\nmasterauth s3cret\n")
    (directory / "sentinel-secrets.conf").write_text("sentinel auth-pass cctv s3cret\n")
    config = directory / "redis.conf"
    config.write_text(text.replace("/etc/redis/", f"{directory}/").replace("/var/lib/redis", str(directory)))
    port = free_port()
    program = binary("redis-sentinel" if name.startswith("sentinel") else "redis-server")
    processes.append(
        subprocess.Popen(
            [program, config, "--port", str(port), "--bind", "127.0.0.1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    return port


def test_redis_keeps_an_aof_and_a_lone_primary_refuses_writes_until_a_replica_follows(tmp_path, processes):
    primary_port = start_redis(tmp_path, processes, "primary", render("redis.conf", 1, loopback=True))
    primary = redis.Redis(port=primary_port, password="s3cret")
    wait_for(primary.ping, within=10, what="redis primary")
    assert primary.config_get("appendonly") == {"appendonly": "yes"}
    assert primary.config_get("maxmemory-policy") == {"maxmemory-policy": "volatile-lru"}
    with pytest.raises(redis.ResponseError, match="NOREPLICAS"):
        primary.set("task", "1")

    replica_text = render("redis.conf", 2, loopback=True) + f"\nreplicaof 127.0.0.1 {primary_port}\n"
    replica_port = start_redis(tmp_path, processes, "replica", replica_text)
    replica = redis.Redis(port=replica_port, password="s3cret")
    wait_for(lambda: replica.info("replication")["master_link_status"] == "up", within=20, what="replication")
    wait_for(lambda: primary.set("task", "1"), within=15, what="a write with a replica following")
    wait_for(lambda: replica.get("task") == b"1", within=10, what="the write replicated")
    assert any(path.name.startswith("appendonly") for path in (tmp_path / "primary").rglob("*"))


def test_three_sentinels_agree_on_the_master_with_quorum_two(tmp_path, processes):
    primary_port = start_redis(tmp_path, processes, "primary", render("redis.conf", 1, loopback=True))
    wait_for(redis.Redis(port=primary_port, password="s3cret").ping, within=10, what="redis primary")
    ports = [
        start_redis(
            tmp_path,
            processes,
            f"sentinel{node}",
            render("sentinel.conf", node, loopback=True).replace("127.0.0.11 6379 ", f"127.0.0.1 {primary_port} "),
        )
        for node in (1, 2, 3)
    ]
    for port in ports:
        sentinel = redis.Redis(port=port, decode_responses=True)
        master = wait_for(
            lambda sentinel=sentinel: sentinel.sentinel_master("cctv"), within=15, what="the master known"
        )
        assert (master["port"], master["quorum"]) == (primary_port, 2)
        wait_for(
            lambda sentinel=sentinel: sentinel.sentinel_master("cctv")["num-other-sentinels"] == 2,
            within=30,
            what="each Sentinel sees the two others",
        )
    # The name the Sentinels watch is the one the settings ask them for.
    assert "# REDIS_SENTINEL_MASTER=cctv" in (ROOT / "deploy" / "env.example").read_text()
