import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cctv.settings.dev")

app = Celery("cctv")
app.config_from_object("django.conf:settings", namespace="CELERY")
if os.environ.get("CELERY_BROKER_URL"):
    # Celery reads the variable itself, before the settings: give it the URL the settings made of it (every
    # Sentinel with the database and the password, cctv.settings.cluster.broker_url).
    from cctv.settings.cluster import broker_url

    os.environ["CELERY_BROKER_URL"] = broker_url(os.environ["CELERY_BROKER_URL"])
app.autodiscover_tasks()
