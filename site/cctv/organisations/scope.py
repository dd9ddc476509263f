"""Whose each model's rows are: the one declaration the isolation tests and the scoping helpers read (ADR 0016).

A model of ours is in exactly one of four lists: it has an ``organisation`` key of its own; it is reached through
a parent that has one (the lookup path to the organisation); it is a page, scoped by its site's
part of Wagtail's tree; or it is global, with the reason. A test fails when a
new model is in none, so a model cannot arrive unscoped.
"""

from django.db import models

OWN_KEY = "organisation"

# Rows scoped through their parent: the lookup from the model to its organisation.
THROUGH = {
    "cctv_stations.Camera": "station__organisation",
    "cctv_workflow.Attachment": "request__organisation",
    "cctv_workflow.Decision": "request__organisation",
    "cctv_workflow.DeliveredCopy": "request__organisation",
    "cctv_workflow.CopyDownload": "copy__request__organisation",
    "cctv_workflow.Receipt": "request__organisation",
    "cctv_workflow.StepRecord": "request__organisation",
    "cctv_workflow.FootagePreservation": "request__organisation",
    "cctv_workflow.ReviewFinding": "request__organisation",
    "cctv_workflow.PrivacyDecision": "request__organisation",
    "cctv_workflow.Appointment": "request__organisation",
    "cctv_workflow.Notification": "request__organisation",
    "cctv_workflow.AccessLog": "request__organisation",
    # Per Wagtail Site, and each organisation is one Site.
    "cctv_home.ServiceSettings": "site__organisation",
}

# Pages live under their organisation's site root, so Wagtail's tree is their scope: the lookup to the tree path.
IN_PAGE_TREE = {
    "cctv_home.HomePage": "path",
    "cctv_home.PrivacyPolicyPage": "path",
    "cctv_forms.RequestFormPage": "path",
    "cctv_forms.RequestFormField": "page__path",
}

# Models whose rows belong to no organisation, and why.
GLOBAL = {
    "cctv_organisations.Organisation": "the organisations themselves",
    "cctv_two_factor.EnrolmentLink": "a staff account's authenticator enrolment, and accounts span organisations",
}


def path_to_organisation(model: type[models.Model]) -> str | None:
    """The lookup from ``model`` to its organisation, None for a global model; KeyError for a model in no list."""
    label = model._meta.label
    if label in GLOBAL:
        return None
    if label in THROUGH:
        return THROUGH[label]
    if label in IN_PAGE_TREE:
        return IN_PAGE_TREE[label]
    if any(field.name == OWN_KEY for field in model._meta.concrete_fields):
        return OWN_KEY
    raise KeyError(f"{label} is not scoped: give it an organisation key or declare it in cctv.organisations.scope")


def scoped(queryset: models.QuerySet, organisation) -> models.QuerySet:
    """``queryset`` narrowed to one organisation's rows."""
    path = path_to_organisation(queryset.model)
    if path is None:
        return queryset
    if queryset.model._meta.label in IN_PAGE_TREE:
        return queryset.filter(**{f"{path}__startswith": organisation.site.root_page.path})
    return queryset.filter(**{path: organisation})
