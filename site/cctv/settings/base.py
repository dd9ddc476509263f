"""Settings shared by every environment.

The environment is read here and nowhere else (django-environ). The defaults are production's: dev.py and
test.py set their own defaults in ``os.environ`` and then import this module, and production.py only adds
constants. A missing secret (DJANGO_SECRET_KEY, CCTV_FIELD_ENCRYPTION_KEY, CCTV_LOOKUP_HASH_KEY) has no
default, so production refuses to start without it.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from cctv.settings.cluster import (
    broker_transport_options,
    broker_url,
    database_options,
    is_sentinel_url,
    sentinel_cache,
)

SITE_DIR = Path(__file__).resolve().parents[2]
BASE_DIR = SITE_DIR.parent

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

from cctv.settings.components import AUTHENTICATION_BACKENDS, INSTALLED_APPS, MIDDLEWARE, TEMPLATES  # noqa: E402, F401

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_HOURS", default=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Staff sessions end after 8 hours, and when the browser closes.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Staff must confirm a TOTP code (an authenticator app) before they reach the admin.
CCTV_REQUIRE_2FA = env.bool("CCTV_REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = env("CCTV_SITE_NAME", default="CCTV")
# Staff sign-in (cctv/two_factor): an authenticator is enrolled only with a one-time link an administrator
# creates, valid this many hours; Wagtail's password reset is throttled per client address and per e-mail.
CCTV_ENROLMENT_LINK_HOURS = env.int("CCTV_ENROLMENT_LINK_HOURS", default=24)
CCTV_PASSWORD_RESET_RATE_ADDRESS = env("CCTV_PASSWORD_RESET_RATE_ADDRESS", default="10/h")
CCTV_PASSWORD_RESET_RATE_EMAIL = env("CCTV_PASSWORD_RESET_RATE_EMAIL", default="3/h")

ROOT_URLCONF = "cctv.urls"
WSGI_APPLICATION = "cctv.wsgi.application"


# A read that meets a database failover is answered again for this long before the Thai 503 page
# (cctv/database_failover.py); Patroni promotes a replica in 15 to 30 seconds (deploy/cluster/RUNBOOK.md).
CCTV_DATABASE_RETRY_SECONDS = env.float("CCTV_DATABASE_RETRY_SECONDS", default=20)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes a second writer wait for the lock instead of failing with "database is locked"
    # halfway through a transaction (reference numbers, simultaneous approvals).
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
else:
    # Kept connections, checked before reuse; bounded connects and TCP keepalives, for a Patroni failover behind
    # HAProxy (cctv/settings/cluster.py). Options in DATABASE_URL win.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        **database_options(
            connect_timeout=env.int("DATABASE_CONNECT_TIMEOUT", default=5),
            keepalives_idle=env.int("DATABASE_KEEPALIVES_IDLE", default=30),
            target_session_attrs=env("DATABASE_TARGET_SESSION_ATTRS", default=""),
        ),
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One Redis (redis://) or its Sentinels (sentinel://h1:26379;sentinel://h2:26379/1) for the cache and the broker.
REDIS_SENTINEL_MASTER = env("REDIS_SENTINEL_MASTER", default="cctv")
REDIS_SENTINEL_PASSWORD = env("REDIS_SENTINEL_PASSWORD", default="")
_cache_url = env("CACHE_URL", default="locmemcache://cctv")
if is_sentinel_url(_cache_url):
    CACHES = {
        "default": sentinel_cache(_cache_url, master=REDIS_SENTINEL_MASTER, sentinel_password=REDIS_SENTINEL_PASSWORD)
    }
else:
    CACHES = {"default": env.cache_url_config(_cache_url)}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "cctv.caching.redis_client.RedisCache"
    # A Redis that is down or hung makes pages slower, never a server error (cctv/caching/redis_client.py): each
    # call waits at most a quarter second, and after a failure the process skips Redis for RETRY_AFTER seconds.
    # While it is down the throttles' counters ("rl:", django-ratelimit) and ALTCHA's used solutions
    # ("cctv:altcha:", forms/altcha.py) are kept per process (docs/security.md). Options in CACHE_URL win.
    CACHES["default"]["OPTIONS"] = {
        "socket_connect_timeout": 0.25,
        "socket_timeout": 0.25,
        "RETRY_AFTER": 5,
        "LOCAL_WHEN_DOWN": ("rl:", "cctv:altcha:"),
        **CACHES["default"].get("OPTIONS", {}),
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Thai first, English second.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-upstream"]  # ours first (makemessages writes there)
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = [("th", "ไทย")]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
# Personal files (ID-card copies, signatures, footage) live outside MEDIA_ROOT and have no URL:
# only views that check permission and log the access stream them.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": env("PRIVATE_STORAGE_BACKEND", default="cctv.storage.PrivateFileSystemStorage"),
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Or an S3-protocol object store (cctv/object_storage.py): one setting moves every private file there.
CCTV_PRIVATE_STORAGE = env("CCTV_PRIVATE_STORAGE", default="disk")
if CCTV_PRIVATE_STORAGE not in ("disk", "s3"):
    raise ImproperlyConfigured("CCTV_PRIVATE_STORAGE must be 'disk' or 's3'")
if CCTV_PRIVATE_STORAGE == "s3":
    STORAGES["private"] = {
        "BACKEND": "cctv.object_storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": env("CCTV_S3_BUCKET"),
            "endpoint_url": env("CCTV_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("CCTV_S3_REGION", default="") or None,
            "access_key": env("CCTV_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("CCTV_S3_SECRET_ACCESS_KEY", default="") or None,
            "server_side_encryption": env("CCTV_S3_SSE", default="AES256"),
        },
    }
# How long a presigned download link of a copy of footage works (the download is logged before it is given).
CCTV_S3_PRESIGNED_SECONDS = env.int("CCTV_S3_PRESIGNED_SECONDS", default=300)
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# Text fields of one POST (files excluded); the request form's body limit adds its files' limits to this.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads of a body larger than this go to a temporary file instead of memory (Django's default, said here).
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Sessions are written to the database and read from the cache: one query less on every admin page.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS only (production.py adds the secure cookies and the proxy's header); dev.py and test.py serve plain
# HTTP and turn these off, and so does the benchmark's server.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)

# Keys for personal data. FIELD_ENCRYPTION_KEY encrypts national ID numbers (AES-GCM);
# LOOKUP_HASH_KEY keys the HMAC used to find a request by ID number without storing it in clear.
FIELD_ENCRYPTION_KEY = env("CCTV_FIELD_ENCRYPTION_KEY")
# During a key rotation: the previous key(s), comma-separated, until rotate_field_key has run.
FIELD_ENCRYPTION_OLD_KEYS = env.list("CCTV_FIELD_ENCRYPTION_OLD_KEYS", default=[])
LOOKUP_HASH_KEY = env("CCTV_LOOKUP_HASH_KEY")

WAGTAIL_SITE_NAME = env("CCTV_SITE_NAME", default="CCTV")
# Links into the admin in staff e-mails; empty: the default Wagtail site's address (site/cctv/links.py).
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="")
# Wagtail's sign-in form with a label on the password field (its own has none: "Password" in English).
WAGTAILADMIN_USER_LOGIN_FORM = "cctv.admin_labels.LoginForm"
# No Gravatar: it would send a hash of every staff e-mail address to a third party from each admin page, and
# staff networks that block it show a broken image. Wagtail then shows its own default avatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf"]
WAGTAIL_WORKFLOW_ENABLED = True
# Wagtail's image and document libraries are one for the whole installation, whatever the site: the rich text of
# an organisation's pages takes no image, document or embed, so nothing of one municipality's library shows on
# another's pages or in its editors' choosers (ADR 0020).
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {"features": ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "hr", "link"]},
    }
}
# Wagtail's own background jobs stay on django-tasks' immediate backend; the project's jobs use Celery.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

CELERY_BROKER_URL = broker_url(env("CELERY_BROKER_URL", default="memory://"))
CELERY_BROKER_TRANSPORT_OPTIONS = broker_transport_options(
    CELERY_BROKER_URL, master=REDIS_SENTINEL_MASTER, sentinel_password=REDIS_SENTINEL_PASSWORD
)
# Tasks go to the worker; dev.py and test.py run them in the process instead.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A broker that is down must not hold up a citizen's request: give up publishing quickly (the outbox row
# stays pending and the periodic job queues it again).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_TIMEZONE = TIME_ZONE
# Queues, routes and the beat scheduler that sends each job once (ADR 0018): cctv/settings/operations.py.
from cctv.settings.operations import *  # noqa: E402, F403

INSTALLED_APPS = [*INSTALLED_APPS, "django_celery_beat"]
# Prometheus (cctv/metrics.py): /metrics answers only with "Authorization: Bearer <CCTV_METRICS_TOKEN>"; unset, it
# answers 404. The middleware pair measures every request, so it wraps all the others.
CCTV_METRICS_TOKEN = env("CCTV_METRICS_TOKEN", default="")
INSTALLED_APPS = [*INSTALLED_APPS, "django_prometheus"]
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    *MIDDLEWARE,
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
# Every periodic job, in one place (run by deploy/cctv-beat.service); schedules in seconds.
CELERY_BEAT_SCHEDULE = {
    "deliver-pending-notifications": {
        "task": "workflow.tasks.deliver_pending_notifications",
        "schedule": 5 * 60,
    },
    "warn-footage-at-risk": {
        "task": "workflow.tasks.notify_footage_at_risk",
        "schedule": 60 * 60,
    },
    "purge-stale-staged-uploads": {
        "task": "forms.tasks.purge_staged_uploads",
        "schedule": 60 * 60,
    },
    "purge-expired-requests": {
        "task": "workflow.tasks.purge_expired_requests",
        "schedule": 24 * 60 * 60,
    },
}

# Footage handling (workflow/handling/risk.py, services.py): warn approvers this many days before the recorder
# overwrites a request's footage; download links for copies stay valid this many days.
CCTV_FOOTAGE_RISK_DAYS = env.int("CCTV_FOOTAGE_RISK_DAYS", default=3)
CCTV_DOWNLOAD_DAYS = env.int("CCTV_DOWNLOAD_DAYS", default=7)

# Public throttles ("count/period" as django-ratelimit reads them).
CCTV_STATUS_LOOKUP_RATE = env("CCTV_STATUS_LOOKUP_RATE", default="10/10m")
CCTV_SUBMIT_RATE = env("CCTV_SUBMIT_RATE", default="20/h")
# The stepped form checks each step before the next (forms/step_views.py): about ten checks a submission.
CCTV_STEP_CHECK_RATE = env("CCTV_STEP_CHECK_RATE", default="200/h")
# Valid files kept between attempts of the request form (forms/staging.py): at most this many bytes per client
# address and in all; beyond, a file is not kept and the citizen is asked to choose it again.
CCTV_STAGING_MAX_BYTES_PER_CLIENT = env.int("CCTV_STAGING_MAX_BYTES_PER_CLIENT", default=100 * 1024 * 1024)
CCTV_STAGING_MAX_BYTES_TOTAL = env.int("CCTV_STAGING_MAX_BYTES_TOTAL", default=2 * 1024 * 1024 * 1024)
RATELIMIT_USE_CACHE = "default"
# The client's address behind nginx (cctv.http.client_ip): X-Forwarded-For is believed only from these
# addresses or networks. The throttles, django-axes and the access logs all ask that one function.
CCTV_TRUSTED_PROXIES = env.list("CCTV_TRUSTED_PROXIES", default=[])
RATELIMIT_IP_META_KEY = "cctv.http.client_ip"
AXES_CLIENT_IP_CALLABLE = "cctv.http.client_ip"

# ALTCHA proof of work on the public form and the status lookup (forms/altcha.py). The browser
# derives PBKDF2 keys until it finds the counter the server chose: COST iterations per attempt,
# the counter drawn between MAX_COUNTER/4 and MAX_COUNTER (about a second on a mid-range phone).
CCTV_ALTCHA_ENABLED = env.bool("CCTV_ALTCHA_ENABLED", default=True)
CCTV_ALTCHA_COST = env.int("CCTV_ALTCHA_COST", default=1000)
CCTV_ALTCHA_MAX_COUNTER = env.int("CCTV_ALTCHA_MAX_COUNTER", default=2000)
CCTV_ALTCHA_EXPIRES = env.int("CCTV_ALTCHA_EXPIRES", default=60 * 60)
RATELIMIT_VIEW = "forms.views.rate_limited"

SENTRY_DSN = env("SENTRY_DSN", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request lines would carry query strings; our URLs hold no personal data, but keep noise down.
        "django.server": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# The last approval marks the request approved; nothing is published (workflow/approval/finish.py).
WAGTAIL_FINISH_WORKFLOW_ACTION = "workflow.approval.finish.finish_workflow"

# Notifications: SMS through a pluggable gateway (workflow/notifications/sms.py), e-mail through Django's backend.
CCTV_SMS_BACKEND = env("CCTV_SMS_BACKEND", default="workflow.notifications.sms.LogGateway")
CCTV_SMS_URL = env("CCTV_SMS_URL", default="")
CCTV_SMS_TOKEN = env("CCTV_SMS_TOKEN", default="")
CCTV_SMS_SENDER = env("CCTV_SMS_SENDER", default="CCTV")
CCTV_SMS_TO_FIELD = env("CCTV_SMS_TO_FIELD", default="to")
CCTV_SMS_TEXT_FIELD = env("CCTV_SMS_TEXT_FIELD", default="text")
# The JSON field that carries the idempotency key (also sent as the Idempotency-Key header); empty: header only.
CCTV_SMS_IDEMPOTENCY_FIELD = env("CCTV_SMS_IDEMPOTENCY_FIELD", default="client_ref")
CCTV_SMS_TIMEOUT = env.int("CCTV_SMS_TIMEOUT", default=10)
# ThaiBulkSMS (workflow/notifications/thaibulksms.py): the API's base URL (tests point it at a local server), the
# key and secret from its developer console, and which credit to use ("corporate" for a registered sender name).
CCTV_THAIBULKSMS_URL = env("CCTV_THAIBULKSMS_URL", default="https://api-v2.thaibulksms.com")
CCTV_THAIBULKSMS_API_KEY = env("CCTV_THAIBULKSMS_API_KEY", default="")
CCTV_THAIBULKSMS_API_SECRET = env("CCTV_THAIBULKSMS_API_SECRET", default="")
CCTV_THAIBULKSMS_FORCE = env("CCTV_THAIBULKSMS_FORCE", default="corporate")
# A longer text is refused (failed, not sent): Thai is UCS-2, 70 characters in one SMS, 67 per part beyond.
CCTV_SMS_MAX_PARTS = env.int("CCTV_SMS_MAX_PARTS", default=8)
# LINE Official Account (workflow/line): the installation's channel, used by organisations that keep none of
# their own (Settings → Service settings). The API base is LINE's own; tests point it at a local server.
CCTV_LINE_CHANNEL_SECRET = env("CCTV_LINE_CHANNEL_SECRET", default="")
CCTV_LINE_CHANNEL_ACCESS_TOKEN = env("CCTV_LINE_CHANNEL_ACCESS_TOKEN", default="")
CCTV_LINE_BASIC_ID = env("CCTV_LINE_BASIC_ID", default="")
CCTV_LINE_API_BASE = env("CCTV_LINE_API_BASE", default="https://api.line.me")
CCTV_LINE_TIMEOUT = env.int("CCTV_LINE_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="no-reply@localhost")
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
# Links in notifications and receipts point here (the public site as citizens reach it), unless the page that
# makes the link was asked for at another address (site/cctv/links.py). Empty: the default Wagtail
# site's host name and port (Settings → Sites).
CCTV_PUBLIC_BASE_URL = env("CCTV_PUBLIC_BASE_URL", default="")
CCTV_NOTIFICATION_MAX_ATTEMPTS = env.int("CCTV_NOTIFICATION_MAX_ATTEMPTS", default=8)
# Seconds before the first retry of a failed send; each retry waits about twice the last (at most an hour).
CCTV_NOTIFICATION_RETRY_BACKOFF = env.int("CCTV_NOTIFICATION_RETRY_BACKOFF", default=30)
# A notification still "sending" after this long lost its worker: the periodic job sends it again with the same
# idempotency key (workflow/notifications/sms.py). Well above CCTV_SMS_TIMEOUT and an SMTP round trip.
CCTV_NOTIFICATION_SENDING_TIMEOUT = env.int("CCTV_NOTIFICATION_SENDING_TIMEOUT", default=300)
# A request waiting longer than this at one approval step is marked overdue in the work queue.
CCTV_STEP_DUE_DAYS = env.int("CCTV_STEP_DUE_DAYS", default=2)
# With nginx in front: serve private files through an internal location (see deploy/nginx-cctv.conf), e.g.
# "/private-files/". Empty: Django streams them.
CCTV_PRIVATE_X_ACCEL_PREFIX = env("CCTV_PRIVATE_X_ACCEL_PREFIX", default="")
if CCTV_PRIVATE_STORAGE == "s3":
    CCTV_PRIVATE_X_ACCEL_PREFIX = ""  # nginx cannot serve from the bucket: the views stream the (small) files
# Optional ClamAV scan of uploads: clamd's socket ("/run/clamav/clamd.ctl" or "host:port"). Fails closed.
CCTV_CLAMAV_SOCKET = env("CCTV_CLAMAV_SOCKET", default="")
CCTV_CLAMAV_TIMEOUT = env.int("CCTV_CLAMAV_TIMEOUT", default=10)
