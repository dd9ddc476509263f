from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from cctv.caching.routes import serve
from cctv.health import health, live
from cctv.metrics import metrics

urlpatterns = [
    path("health/", health, name="health"),
    path("health/ready/", health, name="health_ready"),
    path("health/live/", live, name="health_live"),
    path("metrics", metrics, name="metrics"),
    path("django-admin/", admin.site.urls),
    path("admin/", include("cctv.two_factor.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("forms.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Public pages through the route cache; Wagtail's own patterns (password views, its serve) after.
    re_path(r"^((?:[\w\-]+/)*)$", serve, name="cctv_serve"),
    path("", include(wagtail_urls)),
]
