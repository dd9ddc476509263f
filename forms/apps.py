from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    name = "forms"
    label = "cctv_forms"
    verbose_name = _("Request form")

    def ready(self):
        from forms import signals

        signals.connect()
