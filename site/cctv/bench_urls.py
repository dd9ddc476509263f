"""The production URLconf with the benchmarks' baseline view in front (cctv.settings.bench only)."""

from django.urls import path

from cctv.bench import plain
from cctv.urls import urlpatterns as production_urlpatterns

urlpatterns = [path("bench/plain/", plain), *production_urlpatterns]
