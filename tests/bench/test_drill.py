"""The drill's own arithmetic and files (bench/drill.py, bench/drill_cluster.py); `make drill` runs the cluster."""

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import drill
import drill_cluster


def test_each_production_file_renders_for_loopback_with_no_vm_address_left():
    for name in ("etcd.conf.yml", "haproxy.cfg", "patroni.yml", "redis.conf", "sentinel.conf"):
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
