"""The project's components: apps, middleware, authentication backends and templates (constants only; the
environment is read in base.py, which imports these)."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[3]

# In this order: an app listed earlier wins for templates, static files and translations (Wagtail's before
# Django's), and ours come after wagtail.admin, whose ready() connects the workflow e-mails workflow's ready()
# disconnects. Our templates are in TEMPLATES' DIRS and our catalogue in LOCALE_PATHS, which win over any app.
INSTALLED_APPS = [
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    # Ours
    "cctv.organisations",
    "cctv.home",
    "cctv.stations",
    "cctv.two_factor",
    "forms.apps.FormsConfig",
    "workflow",
    # Third party
    "modelcluster",
    "taggit",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Outermost: a read that meets a database failover is answered again, anything else gets the Thai 503 page.
    "cctv.database_failover.DatabaseFailoverMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cctv.locale.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CsrfViewMiddleware, which reads the whole body: throttles and size-checks request form POSTs and
    # receives no file of them before the proof of work passes (forms/views.py).
    "forms.views.RefuseEarlyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Unknown host names and closed organisations (ADR 0016).
    "cctv.organisations.middleware.OrganisationHostMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cctv.two_factor.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cctv.security.SecurityHeadersMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it locks out an address and user name after repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cctv.home.context_processors.service",
            ],
        },
    },
]
