"""The benchmarks' server (bench/run.py): production, plus the plain view every page is measured against."""

from cctv.settings.production import *  # noqa: F403

ROOT_URLCONF = "cctv.bench_urls"
