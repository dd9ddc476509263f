"""Local development: SQLite, eager Celery, files on local disk. Works with no server installed."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# Development-only values; production.py refuses to run without real ones.
os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-insecure-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("CCTV_FIELD_ENCRYPTION_KEY", "ZGV2LW9ubHktZmllbGQta2V5LTMyLWJ5dGVzLWxvbmc=")
# Two-factor login is required in production; the demo and most tests sign in without it.
os.environ.setdefault("CCTV_REQUIRE_2FA", "false")
os.environ.setdefault("CCTV_LOOKUP_HASH_KEY", "dev-only-lookup-hash-key")
# runserver speaks plain HTTP; tasks run in the process, so no broker or worker is needed.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from cctv.settings.base import *  # noqa: F403

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None
# Demo accounts are created by seed_demo only when this is set.
CCTV_DEMO_PASSWORD = "demo-password-2569"  # noqa: S105 - development only


def _make_folder(path, setting: str) -> None:
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"{setting}: the folder {path} does not exist and cannot be created ({exc.strerror}). "
            f"Create it, or point {setting} somewhere writable."
        ) from exc


# A fresh clone has no var/: make the folders the settings point into (the SQLite file's, uploads, the applicants'
# private files and the uploads kept between attempts under it), so that the first `manage.py migrate` works.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and DATABASES["default"]["NAME"] != ":memory:":  # noqa: F405
    _make_folder(Path(DATABASES["default"]["NAME"]).parent, "DATABASE_URL")  # noqa: F405
_make_folder(MEDIA_ROOT, "MEDIA_ROOT")  # noqa: F405
_make_folder(PRIVATE_MEDIA_ROOT, "PRIVATE_MEDIA_ROOT")  # noqa: F405
