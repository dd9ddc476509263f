"""The baseline of every benchmark (bench/): a trivial view behind the same middleware as every page.

Routed only by cctv.bench_urls, the URLconf of cctv.settings.bench, which bench/run.py gives its gunicorn."""

from django.http import HttpResponse


def plain(request):
    return HttpResponse("ok", content_type="text/plain")
