"""The request's edit view in the admin: a read-only summary of everything a decision needs, then the few
contact fields staff may correct. It composes every domain (approval, handling, privacy), so it sits above them
and the model does not know it (the viewset sets it)."""

from django.db.models import Exists, OuterRef, Prefetch
from django.forms import Media
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, Panel

from workflow.approval.models import Decision
from workflow.handling.models import FootagePreservation, PrivacyDecision, ReviewFinding, StepRecord
from workflow.handling.panel import HandlingPanelContent, PanelForms
from workflow.handling.views import may_handle
from workflow.line.models import LineLink
from workflow.request.models import FootageRequest
from workflow.request.timeline import exchanges


def request_for_review(pk: int) -> FootageRequest:
    """Everything the request view shows, in a fixed number of queries."""
    return (
        FootageRequest.objects.select_related("request_type", "station", "privacy_policy_revision")
        .prefetch_related(
            "attachments",
            "cameras",
            Prefetch("decisions", queryset=Decision.objects.select_related("user", "reason")),
            Prefetch("preservations", queryset=FootagePreservation.objects.select_related("staff")),
            "preservations__cameras",
            Prefetch("findings", queryset=ReviewFinding.objects.select_related("camera")),
            Prefetch("privacy_decisions", queryset=PrivacyDecision.objects.select_related("legal_basis")),
            "appointments",
            "copies__downloads",
            "receipts",
            Prefetch("step_records", queryset=StepRecord.objects.select_related("camera", "staff")),
        )
        .select_related("no_footage_reason")
        .annotate(line_linked=Exists(LineLink.objects.filter(request=OuterRef("pk"))))
        .get(pk=pk)
    )


def reviewed(request, pk: int) -> FootageRequest:
    """``request_for_review`` once per page, for the panels that show the request."""
    loaded = request.__dict__.setdefault("_cctv_reviewed", {})
    if pk not in loaded:
        loaded[pk] = request_for_review(pk)
    return loaded[pk]


class RequestSummaryPanel(Panel):
    """Everything a decision needs on one screen, read-only: applicant, incident, files, earlier decisions."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "workflow/panels/request_summary.html"

        def is_shown(self):
            return self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            footage_request = reviewed(self.request, self.instance.pk)
            context.update(
                footage_request=footage_request,
                can_handle=may_handle(self.request.user, footage_request),
                # The messages this request sent, for staff who may read them (the Messages listing, filtered).
                messages_url=(
                    f"{reverse('messages:index')}?reference={footage_request.reference}"
                    if self.request.user.has_perm("cctv_workflow.view_notification")
                    else ""
                ),
                # What staff asked and what the applicant answered, with the documents sent then (prefetched rows).
                exchanges=exchanges(
                    footage_request=footage_request,
                    decisions=footage_request.decisions.all(),
                    attachments=footage_request.attachments.all(),
                ),
            )
            return context


class HandlingPanel(Panel):
    """What was done with the footage, and for staff who handle requests each action's form inline, with start and
    stop buttons on the manual's steps (workflow/handling/panel.py)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "workflow/handling/panel.html"

        def is_shown(self):
            return self.instance.pk is not None

        @cached_property
        def content(self) -> HandlingPanelContent:
            return HandlingPanelContent(self.request, reviewed(self.request, self.instance.pk))

        @property
        def media(self):
            return Media(
                js=["workflow/js/handling.js", PanelForms(self.content.forms_html())],
                css={"all": ["workflow/css/handling.css"]},
            )

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(self.content.context())
            return context


REQUEST_PANELS = [
    RequestSummaryPanel(heading=_("Request")),
    HandlingPanel(heading=_("Footage handling")),
    MultiFieldPanel(
        [
            FieldPanel("phone"),
            FieldPanel("email"),
            FieldPanel("address_house_no"),
            FieldPanel("address_village"),
            FieldPanel("address_road"),
            FieldPanel("address_subdistrict"),
            FieldPanel("address_district"),
            FieldPanel("address_province"),
            FieldPanel("address_postcode"),
            FieldPanel("correction_reason"),
        ],
        heading=_("Correct contact details"),
        classname="collapsed",
    ),
]
