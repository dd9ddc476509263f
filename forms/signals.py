"""Forget the cached form options whenever an editor changes what the form shows."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from forms.selectors import forget_form_options


def _forget(**kwargs):
    forget_form_options()


def connect() -> None:
    from cctv.home.models import PrivacyPolicyPage, ServiceSettings
    from cctv.stations.models import Camera, Station
    from forms.models import RequestFormField, RequestFormPage
    from workflow.models import ServiceStep
    from workflow.request.models import RequestType

    for model in (Station, Camera, RequestType, ServiceSettings, RequestFormField, ServiceStep):
        post_save.connect(_forget, sender=model, dispatch_uid=f"forget-form-options-save-{model.__name__}")
        post_delete.connect(_forget, sender=model, dispatch_uid=f"forget-form-options-delete-{model.__name__}")
    for page_model in (PrivacyPolicyPage, RequestFormPage):
        page_published.connect(
            _forget, sender=page_model, dispatch_uid=f"forget-form-options-pub-{page_model.__name__}"
        )
        page_unpublished.connect(
            _forget, sender=page_model, dispatch_uid=f"forget-form-options-unpub-{page_model.__name__}"
        )
