"""Audit codes of staff sign-in (Wagtail's ``log()`` actions on the staff account), registered in wagtail_hooks."""

from django.utils.translation import gettext_lazy as _

ENROLMENT_LINK_CREATED = "cctv.staff.enrolment_link"
ENROLLED = "cctv.staff.enrol"

LOG_ACTIONS = (
    (ENROLMENT_LINK_CREATED, _("Create enrolment link"), _("An enrolment link for two-step sign-in was created")),
    (ENROLLED, _("Enrol authenticator"), _("An authenticator app was enrolled for two-step sign-in")),
)
