"""Production: PostgreSQL, Redis, a Celery worker and beat, gunicorn. Everything comes from the environment;
base.py raises ImproperlyConfigured when a required secret is missing."""

from cctv.settings.base import *  # noqa: F403
from cctv.settings.base import env

DEBUG = False
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)

if SENTRY_DSN:  # noqa: F405
    from cctv.error_reporting import init_sentry

    init_sentry(dsn=SENTRY_DSN)  # noqa: F405
