from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "cctv.home"
    label = "cctv_home"
    verbose_name = _("Site")

    def ready(self):
        from django.db.models.signals import post_save

        from cctv import admin_audit, admin_labels, spreadsheets
        from cctv.caching import routes
        from cctv.home.models import ServiceSettings
        from cctv.home.selectors import forget_service_settings

        routes.connect()
        spreadsheets.install()
        admin_labels.install()
        admin_audit.connect()
        post_save.connect(forget_service_settings, sender=ServiceSettings, dispatch_uid="cctv-forget-service")
