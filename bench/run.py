"""`make bench`: every figure of the targets table, against the production stack on this machine.

gunicorn (2 workers, cctv.settings.bench: production's settings and URLs plus the plain view) on PostgreSQL
(var/bench/pg) and Redis; wrk drives real HTTP on loopback, bounded in time. Absolute speeds differ between
machines, so each page is measured interleaved with a plain Django view (site/cctv/bench.py, routed only by
cctv.bench_urls) behind the same middleware, repeated, and reported as the
median and as a ratio to the plain view of the same run. Writes bench/RESULTS.json and bench/RESULTS.md.

    python bench/run.py            # everything (builds missing data first)
    python bench/run.py --quick    # shorter runs, 10k only: to check the benchmark itself
    python bench/run.py --only 100k --only 100k-100org   # these datasets, merged into the last results

A dataset of many organisations ("1m-100org") is measured on one organisation's host, as its staff, and compared
with the one-organisation dataset of the same size (bench/organisation_results.py).
"""

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
import data
import organisation_results

HERE = Path(__file__).resolve().parent
PORT = 8091
BASE = f"http://127.0.0.1:{PORT}"
THREADS = 2

TARGETS = {
    "form": {"what": "request form page GET", "min_ratio": 0.25, "max_queries": 5},
    "status": {"what": "status page by QR token", "min_ratio": 0.35, "max_queries": 3},
    "lookup": {"what": "status lookup by ID + reference", "min_ratio": 0.30},
    "submit": {"what": "form submission, two attachments and a signature", "min_per_second": 20},
    "admin_list": {"what": "admin list of requests", "max_ms": 50, "max_queries": 10},
    "admin_search_reference": {"what": "admin search by reference", "max_ms": 50, "max_queries": 10},
    "admin_search_phone": {"what": "admin search by phone", "max_ms": 50, "max_queries": 10},
    "admin_filter_station": {"what": "admin filter by station", "max_ms": 50, "max_queries": 10},
    "work_queue": {"what": "approver work queue", "max_ms": 80},
    "approval": {"what": "one approval action", "max_queries": 60},
    "purge": {"what": "retention purge with history and revisions", "min_per_second": 5000},
    "soak": {"what": "50 concurrent citizens submitting for 60 s", "errors": 0, "lost": 0},
}


def hardware() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // (1024 * 1024)
    postgres = common.psql("SHOW server_version")
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory} GiB; Linux {platform.release()}; PostgreSQL {postgres}; "
        f"Python {platform.python_version()}"
    )


# Each POST carries its own solved ALTCHA challenge and a solution works once: every run of a POST script
# starts past the lines that earlier runs may have used.
PAYLOAD_OFFSETS = {"lookup.lua": 0, "submit.lua": 0}


def wrk(
    path: str,
    *,
    seconds: float,
    connections: int,
    script: str | None = None,
    headers=(),
    env=None,
    latency=False,
    threads=THREADS,
) -> dict:
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
    if latency:
        args.append("--latency")
    if script:
        args += ["-s", str(HERE / "wrk" / script)]
    for header in headers:
        args += ["-H", header]
    args.append(BASE + path)
    if script in PAYLOAD_OFFSETS:
        env = dict(env or os.environ, BENCH_ALTCHA_OFFSET=str(PAYLOAD_OFFSETS[script]))
    output = subprocess.run(args, capture_output=True, text=True, env=env, check=True).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    result["requests"] = int(re.search(r"(\d+) requests in", output).group(1))
    result["non_2xx_3xx"] = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    result["socket_errors"] = sum(map(int, socket_errors.groups())) if socket_errors else 0
    if latency:
        median = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", output)
        result["median_ms"] = float(median.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[median.group(2)]
    if statuses := re.search(r"STATUSES (\{.*\})", output):
        result["statuses"] = json.loads(statuses.group(1))
    if script in PAYLOAD_OFFSETS:
        PAYLOAD_OFFSETS[script] += result["requests"] * threads + threads
    return result


def interleaved(name: str, run_page, run_plain, repeats: int) -> dict:
    pages, plains = [], []
    for _ in range(repeats):
        plains.append(run_plain())
        pages.append(run_page())
    key = "median_ms" if "median_ms" in pages[0] else "rps"
    page = statistics.median(r[key] for r in pages)
    plain = statistics.median(r[key] for r in plains)
    # A lookup answers a redirect when it finds the request; a page shown again is a refusal, so an error here.
    errors = sum(
        (r["requests"] - r["statuses"].get("302", 0) if "statuses" in r and name == "lookup" else r["non_2xx_3xx"])
        + r["socket_errors"]
        for r in pages
    )
    common.log(f"  {name}: {page:.1f} {key} (plain view {plain:.1f}, ratio {page / plain:.2f}, errors {errors})")
    return {
        key: page,
        "plain_" + key: plain,
        "ratio": round(page / plain, 3),
        "repeats": repeats,
        "errors": errors,
        "runs": pages,
    }


class Server:
    def __init__(self, env: dict):
        self.env = env

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                str(common.ROOT / ".venv" / "bin" / "gunicorn"),
                "cctv.wsgi:application",
                "--chdir",
                "site",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--workers",
                "2",
                # Threads overlap a request's waits on PostgreSQL and Redis with another's work; the deploy
                # unit uses the same (deploy/cctv-web.service).
                "--threads",
                "4",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            env=self.env,
            cwd=common.ROOT,
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(BASE + "/bench/plain/", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait()


def setup_run(database: str, label: str, redis_url: str):
    """The server's environment, the data's manifest, and the inputs wrk sends, for one database."""
    manifest_path = common.VAR / f"cctv_bench_{label}.json"
    env = common.django_env(database, redis_url=redis_url)
    env["BENCH_MANIFEST"] = str(manifest_path)
    common.manage(env, "collectstatic", "--no-input", stdout=subprocess.DEVNULL)
    manifest = json.loads(manifest_path.read_text())
    manifest.setdefault("host", "127.0.0.1")  # data built before organisations
    work = common.VAR / f"run-{label}"
    prepared = prepare(env, work)
    wrk_env = dict(
        os.environ,
        BENCH_DIR=str(work),
        BENCH_WRK_DIR=str(HERE / "wrk"),
        BENCH_THREADS=str(THREADS),
        BENCH_CSRF=prepared["csrf_cookie"],
        BENCH_BOUNDARY=prepared["boundary"],
        BENCH_FORM_URL=manifest["form_url"],
    )
    return env, manifest, prepared, wrk_env


def prepare(env: dict, work: Path) -> dict:
    """Fresh solved challenges for this database's runs: the POST scripts start from the first line again."""
    for script in PAYLOAD_OFFSETS:
        PAYLOAD_OFFSETS[script] = 0
    return inside(env, "prepare", str(work), "40000")


def inside(env: dict, *args: str) -> dict:
    output = subprocess.run(
        [common.PYTHON, str(HERE / "inside.py"), *args],
        env=env,
        cwd=common.ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def measure_dataset(label: str, redis_url: str, *, seconds: float, repeats: int, soak: bool) -> dict:
    database = f"cctv_bench_{label}"
    if soak:
        # Submissions write: they go to a copy, so the built data stays as it was for the next run.
        copy = f"{database}_run"
        common.psql(f'DROP DATABASE IF EXISTS "{copy}"')
        common.psql(f'CREATE DATABASE "{copy}" TEMPLATE "{database}"')
        database = copy
    env, manifest, prepared, wrk_env = setup_run(database, label, redis_url)
    results = {"rows": {k: v for k, v in manifest.items() if isinstance(v, int)}, "host": manifest["host"]}
    results["load_average_before"] = os.getloadavg()[0]
    common.log(f"{database}: {results['rows']['requests']:,} requests; query counts")
    results["queries"] = inside(env, "queries")
    results["page_times"] = inside(env, "times")
    common.log(f"{database}: migration time")
    results["migration"] = organisation_results.measure_migration(env, inside)
    # One organisation of many is reached on its own host name, the plain view too; a one-organisation
    # database on 127.0.0.1, wrk's own Host header, as before organisations.
    host = () if manifest["host"] == "127.0.0.1" else (f"Host: {manifest['host']}",)
    with Server(env):

        def plain(**kw):
            return lambda: wrk(
                "/bench/plain/",
                seconds=seconds,
                connections=kw.get("c", 8),
                env=wrk_env,
                latency=kw.get("latency", False),
                threads=kw.get("t", THREADS),
                headers=(*kw.get("headers", ()), *host),
            )

        wrk("/bench/plain/", seconds=2, connections=8, headers=host)  # warm both workers
        wrk(manifest["form_url"], seconds=2, connections=8, headers=host)
        # A running service has each request's status page in its cache after the first view; the first view
        # renders it (about 4 ms, measured by the query-count run) and is not what this row measures.
        for token in manifest["tokens"]:
            warm = urllib.request.Request(f"{BASE}/status/{token}/", headers=dict(h.split(": ", 1) for h in host))
            with urllib.request.urlopen(warm, timeout=10) as response:
                response.read()
        throughput = {
            "form": lambda: wrk(manifest["form_url"], seconds=seconds, connections=8, env=wrk_env, headers=host),
            "status": lambda: wrk(
                "/status/", seconds=seconds, connections=8, script="status.lua", env=wrk_env, headers=host
            ),
            "lookup": lambda: wrk(
                "/status/", seconds=seconds, connections=8, script="lookup.lua", env=wrk_env, headers=host
            ),
        }
        for name, run_page in throughput.items():
            results[name] = interleaved(name, run_page, plain(), repeats)
        for role, pages in (
            ("head", ("admin_list", "admin_search_reference", "admin_search_phone", "admin_filter_station")),
            ("officer", ("work_queue",)),
        ):
            cookie = (f"Cookie: sessionid={prepared['sessions'][role]}", *host)
            _number, reference, phone = manifest["lookups"][len(manifest["lookups"]) // 2]
            listing = "/admin/snippets/cctv_workflow/footagerequest/"
            paths = {
                "admin_list": listing,
                "admin_search_reference": f"{listing}?q={reference}",
                "admin_search_phone": f"{listing}?q={phone}",
                "admin_filter_station": f"{listing}?station={manifest['station']}",
                "work_queue": "/admin/cctv/queue/",
            }
            for name in pages:
                results[name] = interleaved(
                    name,
                    lambda path=paths[name], cookie=cookie: wrk(
                        path, seconds=seconds, connections=1, threads=1, headers=cookie, latency=True, env=wrk_env
                    ),
                    plain(c=1, t=1, latency=True, headers=cookie[:1]),
                    repeats,
                )
        if soak:
            results["submit"], results["soak"] = submissions(database, wrk_env, manifest, seconds, repeats)
    # Other work on a shared machine shows here: the plain view's own figures move with it, the ratios less.
    results["load_average_after"] = os.getloadavg()[0]
    return results


def submissions(database: str, wrk_env: dict, manifest: dict, seconds: float, repeats: int):
    def stored() -> int:
        return int(common.psql("SELECT count(*) FROM cctv_workflow_footagerequest", database))

    before = stored()
    # Long enough for a steady rate: a submission takes tens of milliseconds of work.
    runs = [
        wrk(manifest["form_url"], seconds=seconds * 3, connections=8, script="submit.lua", env=wrk_env)
        for _ in range(repeats)
    ]
    accepted = sum(r.get("statuses", {}).get("302", 0) for r in runs)
    submit = {
        "per_second": statistics.median(r.get("statuses", {}).get("302", 0) / (seconds * 3) for r in runs),
        "accepted": accepted,
        # Anything but the redirect to the confirmation is an error (a form shown again is a refusal).
        "errors": sum(r["requests"] - r.get("statuses", {}).get("302", 0) + r["socket_errors"] for r in runs),
        "stored": stored() - before,
    }
    common.log(f"  submit: {submit['per_second']:.1f}/s, {submit['errors']} errors")
    before = stored()
    run = wrk(manifest["form_url"], seconds=60, connections=50, script="submit.lua", env=wrk_env)
    accepted = run.get("statuses", {}).get("302", 0)
    soak = {
        "requests": run["requests"],
        "accepted": accepted,
        "per_second": accepted / 60,
        "errors": run["requests"] - accepted + run["socket_errors"],
        "stored": stored() - before,
    }
    # Accepted but not stored would be lost. Stored beyond accepted are the submissions still being answered
    # when wrk stopped at 60 s: stored, their answers not read.
    soak["lost"] = max(0, soak["accepted"] - soak["stored"])
    soak["answered_after_the_end"] = max(0, soak["stored"] - soak["accepted"])
    common.log(f"  soak: {soak}")
    return submit, soak


def measure_purge(count: int) -> dict:
    data.build_purge(count)
    env = common.django_env("cctv_bench_purge")
    result = inside(env, "purge")
    common.log(f"purge: {result}")
    return result


def verdicts(results: dict) -> list[dict]:
    rows = []
    # The sizes `make bench` measures; a smaller one measured for the organisation rows (--only 100k) stays there.
    one_org = {
        label: d
        for label, d in results["datasets"].items()
        if common.dataset(label)[1] == 1 and (label in common.DATASETS or len(results["datasets"]) <= 2)
    }
    largest = max(one_org, key=lambda label: common.dataset(label)[0])
    big = one_org[largest]
    small = one_org.get("10k", {})

    def row(key, measured, ok, note=""):
        rows.append({"key": key, "what": TARGETS[key]["what"], "measured": measured, "ok": ok, "note": note})

    for key in ("form", "status", "lookup"):
        target = TARGETS[key]
        parts, ok = [], True
        for label, dataset in one_org.items():
            figure, queries = dataset[key], dataset["queries"][key]["queries"]
            parts.append(f"{label}: {figure['rps']:.0f}/s = {figure['ratio']:.2f}× plain, {queries} queries")
            ok &= figure["ratio"] >= target["min_ratio"] and figure["errors"] == 0
            ok &= queries <= target.get("max_queries", queries)
        row(key, "; ".join(parts), ok)
    for key in ("admin_list", "admin_search_reference", "admin_search_phone", "admin_filter_station", "work_queue"):
        target = TARGETS[key]
        parts, ok = [], True
        for label, dataset in one_org.items():
            figure, queries = dataset[key], dataset["queries"][key]["queries"]
            parts.append(
                f"{label}: {figure['median_ms']:.1f} ms median ({figure['ratio']:.1f}× plain), {queries} queries"
            )
            if label == largest:
                ok &= figure["median_ms"] <= target["max_ms"] and figure["errors"] == 0
            ok &= queries <= target.get("max_queries", queries)
        constant = len({d["queries"][key]["queries"] for d in one_org.values()}) == 1
        row(
            key,
            "; ".join(parts) + ("; same queries at every size" if constant else ""),
            ok and (constant or "max_queries" not in target),
        )
    approval = big["queries"]["approval"]
    row(
        "approval",
        f"{approval['queries']} queries, {approval.get('mails_sent')} mails sent inside the action",
        approval["queries"] is not None and approval["queries"] <= 60 and approval.get("mails_sent") == 0,
    )
    if "submit" in small:
        submit = small["submit"]
        row(
            "submit",
            f"{submit['per_second']:.1f}/s, {submit['errors']} errors, {submit['accepted']} accepted = "
            f"{submit['stored']} stored",
            submit["per_second"] >= 20 and submit["errors"] == 0 and submit["accepted"] == submit["stored"],
        )
        soak = small["soak"]
        row(
            "soak",
            f"{soak['accepted']} accepted ({soak['per_second']:.1f}/s), {soak['stored']} stored "
            f"({soak['answered_after_the_end']} answered after wrk stopped), {soak['errors']} errors, "
            f"{soak['lost']} lost",
            soak["errors"] == 0 and soak["lost"] == 0,
        )
    if "purge" in results:
        purge = results["purge"]
        row(
            "purge",
            f"{purge['erased']:,} requests in {purge['seconds']} s = {purge['per_second']:,.0f}/s; "
            f"{purge['revisions_removed']:,} revisions removed, {purge['expired'] - purge['erased']} expired left",
            purge["per_second"] >= 5000 and purge["erased"] == purge["expired"],
        )
    return rows + organisation_results.verdicts(results["datasets"])


def write(results: dict) -> None:
    (HERE / "RESULTS.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    lines = [
        "# Benchmark results",
        "",
        f"Measured {results['when']} by `make bench` on: {results['hardware']}."
        + (
            f" Measured again {results['redone']['when']}: {', '.join(results['redone']['parts'])}."
            if "redone" in results
            else ""
        ),
        "",
        "gunicorn with 2 workers of 4 threads (production settings), PostgreSQL and Redis on the same machine, wrk on "
        "loopback. "
        "Throughput figures are the median of interleaved runs and a ratio to a plain Django view behind the same "
        "middleware in the same run; latencies are wrk's median with one connection. Query counts come from the "
        "same pages rendered in-process against the same database.",
        "",
        "| what | target | measured | met |",
        "| --- | --- | --- | --- |",
    ]
    for row in results["verdicts"]:
        if row["key"] in organisation_results.TARGETS:
            wanted = organisation_results.wanted(row["key"])
            lines.append(f"| {row['what']} | {wanted} | {row['measured']} | {'yes' if row['ok'] else '**no**'} |")
            continue
        target = TARGETS[row["key"]]
        wanted = ", ".join(
            text
            for text in (
                f"≥ {target['min_ratio']} × plain" if "min_ratio" in target else "",
                f"≤ {target['max_queries']} queries" if "max_queries" in target else "",
                f"median ≤ {target['max_ms']} ms at 1M" if "max_ms" in target else "",
                f"≥ {target['min_per_second']:,}/s" if "min_per_second" in target else "",
                "0 errors, 0 lost" if "lost" in target else "",
            )
            if text
        )
        lines.append(f"| {row['what']} | {wanted} | {row['measured']} | {'yes' if row['ok'] else '**no**'} |")
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n")


def redo(parts: list[str], labels: list[str] | None = None) -> None:
    """``parts`` measured again, on ``labels`` (default: every dataset of the last results), into those results."""
    results = json.loads((HERE / "RESULTS.json").read_text())
    common.start_postgres()
    with common.redis_server() as redis_url:
        if "approval" in parts:
            for label in labels or results["datasets"]:
                env = common.django_env(f"cctv_bench_{label}", redis_url=redis_url)
                env["BENCH_MANIFEST"] = str(common.VAR / f"cctv_bench_{label}.json")
                results["datasets"][label]["queries"].update(inside(env, "approval"))
        if "lookup" in parts:
            for label in labels or results["datasets"]:
                env, manifest, _prepared, wrk_env = setup_run(f"cctv_bench_{label}", label, redis_url)
                with Server(env):
                    wrk("/bench/plain/", seconds=2, connections=8)
                    results["datasets"][label]["lookup"] = interleaved(
                        "lookup",
                        lambda wrk_env=wrk_env: wrk(
                            "/status/", seconds=5, connections=8, script="lookup.lua", env=wrk_env
                        ),
                        lambda: wrk("/bench/plain/", seconds=5, connections=8),
                        3,
                    )
        if "submissions" in parts:
            database, copy = "cctv_bench_10k", "cctv_bench_10k_run"
            common.psql(f'DROP DATABASE IF EXISTS "{copy}"')
            common.psql(f'CREATE DATABASE "{copy}" TEMPLATE "{database}"')
            env, manifest, _prepared, wrk_env = setup_run(copy, "10k", redis_url)
            with Server(env):
                wrk(manifest["form_url"], seconds=2, connections=8)
                submit, soak = submissions(copy, wrk_env, manifest, 5, 3)
            results["datasets"]["10k"].update(submit=submit, soak=soak)
    where = f" on {', '.join(labels)}" if labels else ""
    results["redone"] = {
        "parts": [part + ("" if part == "submissions" else where) for part in parts],
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    results["verdicts"] = verdicts(results)
    write(results)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--only",
        action="append",
        help="measure these datasets (labels as bench/data.py's) and merge them into the last results",
    )
    parser.add_argument(
        "--redo",
        choices=["submissions", "approval", "lookup"],
        action="append",
        help="measure these again and rewrite the results of the last full run",
    )
    args = parser.parse_args()
    if args.redo:
        redo(args.redo, args.only)
        return
    seconds, repeats = (3, 1) if args.quick else (5, 3)
    labels = args.only or (["10k"] if args.quick else list(common.DATASETS))
    common.start_postgres()
    for label in labels:
        count, organisations = common.dataset(label)
        data.build(f"cctv_bench_{label}", count, organisations=organisations)
    now = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    if args.only:
        results = json.loads((HERE / "RESULTS.json").read_text())
        results["redone"] = {"parts": labels, "when": now}
    else:
        results = {"when": now, "hardware": hardware(), "datasets": {}}
    with common.redis_server() as redis_url:
        for label in labels:
            results["datasets"][label] = measure_dataset(
                label, redis_url, seconds=seconds, repeats=repeats, soak=label == "10k" and not args.quick
            )
    if not args.only:
        results["purge"] = measure_purge(5_000 if args.quick else 50_000)
    results["verdicts"] = verdicts(results)
    write(results)
    common.log(f"wrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
