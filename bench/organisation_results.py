"""The many-organisation rows of the targets table (issue #14, ADR 0016): one organisation of a hundred against
the one organisation of a database of the same size, measured in the same run.

A label "<size>-100org" (bench/data.py) is compared with the label "<size>": the same number of requests, all of
one organisation. The admin and queue pages are measured on the organisation's host as two staff members of it
alone; the public pages as a ratio to the plain view sent to the same host; the query counts of each page; and
the time of a migration (bench/inside.py's schema migration, and `migrate` with nothing to apply, which is what
every deploy runs).
"""

import statistics
import subprocess
import time

import common

TARGETS = {
    "org_admin_list": {"what": "admin list of one organisation's requests, of 100", "max_ms": 50},
    "org_admin_search": {"what": "admin search (reference, phone) of one organisation, of 100", "max_ms": 50},
    "org_work_queue": {"what": "approver work queue of one organisation, of 100", "max_ms": 80},
    "org_public": {"what": "public pages on one organisation's host, of 100", "same_ratio": 0.85},
    "org_queries": {"what": "query counts with 100 organisations", "same_queries": True},
    "migration": {"what": "migration time with 100 organisations", "same_seconds": 1.25},
}
PUBLIC = ("form", "status", "lookup")
PAGES = ("admin_list", "admin_search_reference", "admin_search_phone", "admin_filter_station", "work_queue")


def wanted(key: str) -> str:
    target = TARGETS[key]
    if "max_ms" in target:
        return f"median ≤ {target['max_ms']} ms"
    if "same_ratio" in target:
        return f"ratio to plain ≥ {target['same_ratio']} × the one-organisation ratio (run-to-run variation ±15%)"
    if "same_queries" in target:
        return "the same as with one organisation"
    return f"≤ {target['same_seconds']} × the time with one organisation"


def measure_migration(env: dict, inside, repeats: int = 3) -> dict:
    """Seconds of a schema migration (inside.py, rolled back) and of `migrate` with nothing to apply."""
    schema = inside(env, "migration")
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        common.manage(env, "migrate", "--no-input", stdout=subprocess.DEVNULL)
        runs.append(round(time.perf_counter() - started, 3))
    return {"schema": schema, "migrate_nothing_to_apply": {"seconds": statistics.median(runs), "runs": runs}}


def pairs(datasets: dict) -> list[tuple[str, str]]:
    """(one organisation, many) labels of the same size, both measured."""
    found = []
    for label in datasets:
        if common.dataset(label)[1] > 1 and (base := label.split("-")[0]) in datasets:
            found.append((base, label))
    return found


def verdicts(datasets: dict) -> list[dict]:
    rows = []

    def row(key, parts, ok):
        rows.append({"key": key, "what": TARGETS[key]["what"], "measured": "; ".join(parts), "ok": ok})

    for one, many in pairs(datasets):
        a, b = datasets[one], datasets[many]
        size = f"{b['rows']['requests']:,} requests over {b['rows'].get('organisations', 100)} organisations"
        for key, names in (
            ("org_admin_list", ("admin_list", "admin_filter_station")),
            ("org_admin_search", ("admin_search_reference", "admin_search_phone")),
            ("org_work_queue", ("work_queue",)),
        ):
            parts, ok = [size], True
            for name in names:
                parts.append(
                    f"{name}: {b[name]['median_ms']:.1f} ms median, {b['queries'][name]['queries']} queries "
                    f"(one organisation: {a[name]['median_ms']:.1f} ms, {a['queries'][name]['queries']} queries)"
                )
                ok &= b[name]["median_ms"] <= TARGETS[key]["max_ms"] and b[name]["errors"] == 0
            row(key, parts, ok)
        parts, ok = [size], True
        for name in PUBLIC:
            parts.append(
                f"{name}: {b[name]['ratio']:.2f}× plain ({b[name]['rps']:.0f}/s; one organisation: "
                f"{a[name]['ratio']:.2f}×, {a[name]['rps']:.0f}/s)"
            )
            ok &= b[name]["ratio"] >= TARGETS["org_public"]["same_ratio"] * a[name]["ratio"] and b[name]["errors"] == 0
        row("org_public", parts, ok)
        differ = [
            f"{name}: {a['queries'][name]['queries']} → {b['queries'][name]['queries']}"
            for name in (*PUBLIC, *PAGES, "approval")
            if a["queries"][name]["queries"] != b["queries"][name]["queries"]
        ]
        same = ", ".join(f"{name} {b['queries'][name]['queries']}" for name in (*PUBLIC, *PAGES, "approval"))
        row("org_queries", [size, "differ: " + ", ".join(differ) if differ else f"all equal ({same})"], not differ)
        limit = TARGETS["migration"]["same_seconds"]
        parts, ok = [size], True
        for name, what in (("schema", "schema migration of the keyed tables"), ("migrate_nothing_to_apply", "migrate")):
            x, y = a["migration"][name]["seconds"], b["migration"][name]["seconds"]
            parts.append(f"{what}: {y:.2f} s (one organisation: {x:.2f} s)")
            ok &= y <= limit * x
        row("migration", parts, ok)
    return rows
