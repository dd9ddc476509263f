from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "cctv.stations"
    label = "cctv_stations"
    verbose_name = _("Camera stations")
