from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    name = "cctv.two_factor"
    label = "cctv_two_factor"
    verbose_name = _("Staff sign-in")
    default_auto_field = "django.db.models.BigAutoField"
