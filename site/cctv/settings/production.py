"""Production: PostgreSQL, Redis, a Celery worker and beat, gunicorn behind nginx.

Everything that varies comes from the environment, read in base.py, whose defaults are production's; base.py
raises ImproperlyConfigured when a required secret is missing. Only constants here."""

from cctv.settings.base import *  # noqa: F403

DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

if SENTRY_DSN:  # noqa: F405
    from cctv.error_reporting import init_sentry

    init_sentry(dsn=SENTRY_DSN)  # noqa: F405
