"""The baseline of every benchmark (bench/): a trivial view behind the same middleware as every page.

Mounted only when CCTV_BENCH_PLAIN_VIEW is true (bench/run.py sets it for its gunicorn)."""

from django.http import HttpResponse


def plain(request):
    return HttpResponse("ok", content_type="text/plain")
