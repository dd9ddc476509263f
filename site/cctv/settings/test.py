"""The test suite: the real database (SQLite by default, PostgreSQL when DATABASE_URL says so),
eager Celery, files in a temporary folder."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("CCTV_FIELD_ENCRYPTION_KEY", "dGVzdC1vbmx5LWZpZWxkLWtleS0zMmJ5dGVzLWxvbmc=")
# Two-factor login is required in production; the demo and most tests sign in without it.
os.environ.setdefault("CCTV_REQUIRE_2FA", "false")
os.environ.setdefault("CCTV_LOOKUP_HASH_KEY", "test-only-lookup-hash-key")
_tmp = tempfile.mkdtemp(prefix="cctv-test-")
os.environ.setdefault("MEDIA_ROOT", os.path.join(_tmp, "media"))
os.environ.setdefault("PRIVATE_MEDIA_ROOT", os.path.join(_tmp, "private"))
# Defaults for the suite; the worker integration test starts a real worker with other values.
os.environ.setdefault("CCTV_SMS_BACKEND", "workflow.notifications.sms.MemoryGateway")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
# Links in messages as production sets them (tests/site/test_public_links.py empties it to check the fallback).
os.environ.setdefault("CCTV_PUBLIC_BASE_URL", "http://testserver")
# The test client and the live server speak plain HTTP.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")
# A per-process cache unless CACHE_URL names one (make test's PostgreSQL pass runs with Redis).
os.environ.setdefault("CACHE_URL", "locmemcache://cctv-test")

from cctv.settings.base import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None
CCTV_DEMO_PASSWORD = "demo-password-2569"  # noqa: S105 - development only

# A file, not shared memory, so that tests with threads get real, separate connections that wait for locks.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(_tmp, "test.sqlite3")}  # noqa: F405
CCTV_STATUS_LOOKUP_RATE = "5/m"
# A real challenge, solved in a few milliseconds by the tests and the browser.
CCTV_ALTCHA_COST = 10
CCTV_ALTCHA_MAX_COUNTER = 40
