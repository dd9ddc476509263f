"""What every benchmark script shares: where things live, the PostgreSQL cluster and Redis the runs use,
and the environment for Django.

The cluster lives in var/bench/pg (port 54331) and outlives one run, so `make bench-data` builds the
10,000- and 1,000,000-request databases (and the million over 100 organisations) once; Redis (port 56381) is
started for each run.
"""

import os
import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench"
PG_DATA = VAR / "pg"
PG_PORT = 54331
REDIS_PORT = 56381
PYTHON = str(ROOT / ".venv" / "bin" / "python")
# What `make bench` builds and measures: requests, and organisations they are spread over (ADR 0016).
DATASETS = {"10k": 10_000, "1m": 1_000_000, "1m-100org": 1_000_000}


def dataset(label: str) -> tuple[int, int]:
    """A label's size: "100k" is 100,000 requests of one organisation, "1m-100org" a million over a hundred."""
    match = re.fullmatch(r"(\d+)([km])(?:-(\d+)org)?", label)
    if not match:
        raise ValueError(f"not a dataset label: {label} (e.g. 10k, 1m, 100k-100org)")
    return int(match.group(1)) * {"k": 1_000, "m": 1_000_000}[match.group(2)], int(match.group(3) or 1)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not found:
        sys.exit("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    return found[-1]


def _as_owner(args: list[str], **kwargs):
    if os.getuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, **kwargs)


def pg_owner() -> str:
    return "postgres" if os.getuid() == 0 else os.environ.get("USER", "postgres")


def start_postgres() -> None:
    """Starts the bench cluster (creating it the first time); a no-op when it already runs."""
    bin_dir = _pg_bin()
    VAR.mkdir(parents=True, exist_ok=True)
    if not (PG_DATA / "PG_VERSION").exists():
        PG_DATA.mkdir(parents=True, exist_ok=True)
        if os.getuid() == 0:
            shutil.chown(PG_DATA, "postgres")
        _as_owner(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(PG_DATA),
                "-U",
                pg_owner(),
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            stdout=subprocess.DEVNULL,
        )
    status = subprocess.run(
        ["runuser", "-u", "postgres", "--", str(bin_dir / "pg_ctl"), "-D", str(PG_DATA), "status"]
        if os.getuid() == 0
        else [str(bin_dir / "pg_ctl"), "-D", str(PG_DATA), "status"],
        capture_output=True,
    )
    if status.returncode == 0:
        return
    # Settings of a small production server: 2 cores, a quarter of memory for buffers, durable commits.
    options = " ".join(
        [
            f"-p {PG_PORT}",
            f"-k {PG_DATA}",
            "-c listen_addresses=127.0.0.1",
            "-c shared_buffers=2GB",
            "-c effective_cache_size=8GB",
            "-c work_mem=32MB",
            "-c maintenance_work_mem=1GB",
            "-c max_wal_size=8GB",
            "-c random_page_cost=1.1",
            "-c max_connections=200",
        ]
    )
    _as_owner(
        [str(bin_dir / "pg_ctl"), "-D", str(PG_DATA), "-l", str(PG_DATA / "server.log"), "-w", "-o", options, "start"],
        stdout=subprocess.DEVNULL,
    )


def stop_postgres() -> None:
    if (PG_DATA / "PG_VERSION").exists():
        _as_owner(
            [str(_pg_bin() / "pg_ctl"), "-D", str(PG_DATA), "-m", "fast", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ) if _running() else None


def _running() -> bool:
    return (PG_DATA / "postmaster.pid").exists()


def psql(sql: str, database: str = "postgres") -> str:
    result = _as_owner(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(PG_PORT),
            "-U",
            pg_owner(),
            "-d",
            database,
            "-At",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            sql,
        ],
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def database_exists(name: str) -> bool:
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def database_url(name: str) -> str:
    return f"postgres://{pg_owner()}@127.0.0.1:{PG_PORT}/{name}"


@contextmanager
def redis_server():
    VAR.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            if subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{REDIS_PORT}"
    finally:
        process.terminate()
        process.wait()


def django_env(database: str, *, settings: str = "cctv.settings.bench", redis_url: str = "") -> dict:
    """The environment of a production deployment on this machine, plus the benchmark's own switches.
    cctv.settings.bench is production's settings with the plain view routed (cctv.bench_urls)."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        PYTHONPATH=str(ROOT / "site") + os.pathsep + str(ROOT),
        DATABASE_URL=database_url(database),
        DJANGO_SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        CCTV_FIELD_ENCRYPTION_KEY="YmVuY2gtb25seS1maWVsZC1rZXktMzItYnl0ZXMtb2s=",
        CCTV_LOOKUP_HASH_KEY="bench-only-lookup-hash-key",
        # The hosts of a many-organisation database's sites are o001.bench.test and so on (bench/organisations.py).
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,.bench.test",
        DJANGO_SECURE_SSL_REDIRECT="false",
        MEDIA_ROOT=str(VAR / "media"),
        PRIVATE_MEDIA_ROOT=str(VAR / "private"),
        STATIC_ROOT=str(VAR / "static"),
        # The load tool signs in with a session cookie; two-step sign-in has its own tests.
        CCTV_REQUIRE_2FA="false",
        # One address sends everything here; the limits have their own tests.
        CCTV_SUBMIT_RATE="1000000/s",
        CCTV_STATUS_LOOKUP_RATE="1000000/s",
        # Challenges the load tool can solve in advance; the server's check costs the same at any cost.
        CCTV_ALTCHA_COST="1",
        CCTV_ALTCHA_MAX_COUNTER="4",
        CCTV_SMS_BACKEND="workflow.notifications.sms.LogGateway",
        LOG_LEVEL="WARNING",
    )
    if redis_url:
        env.update(CACHE_URL=redis_url + "/1", CELERY_BROKER_URL=redis_url + "/2")
    else:
        env.update(CACHE_URL="locmemcache://bench", CELERY_TASK_ALWAYS_EAGER="true")
    return env


def manage(env: dict, *args: str, **kwargs):
    return subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT, **kwargs)
