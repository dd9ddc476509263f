from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "cctv.organisations"
    label = "cctv_organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from cctv.caching.routes import forget_routes
        from cctv.organisations.membership import forget_memberships
        from cctv.organisations.models import Organisation

        post_save.connect(forget_routes, sender=Organisation, dispatch_uid="cctv-organisation-saved")
        post_delete.connect(forget_routes, sender=Organisation, dispatch_uid="cctv-organisation-deleted")
        m2m_changed.connect(
            forget_memberships, sender=Organisation.members.through, dispatch_uid="cctv-organisation-members"
        )
