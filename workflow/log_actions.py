"""The project's audit codes (Wagtail's ``log()`` actions), one constant per code.

The registry below (registered in ``wagtail_hooks.py``) and every ``log()`` call use these constants, never a
string of their own. The code strings are the ones history already holds: renaming one would leave old entries
without a label. Each label is what the audit trail and Wagtail's history show for the code, so no two codes share
one. Note the two approvals: ``STEP_APPROVED`` is one level of the chain approving,
``REQUEST_APPROVED`` the request approved at the last level.
"""

from django.utils.translation import gettext_lazy as _

SUBMITTED = "cctv.request.submit"
CANCELLED_BY_APPLICANT = "cctv.request.cancel_by_applicant"
CANCELLED_BY_STAFF = "cctv.request.cancel_by_staff"
STEP_APPROVED = "cctv.request.approve"
INFORMATION_REQUESTED = "cctv.request.request_info"
DECLINED = "cctv.request.decline"
RESUBMITTED = "cctv.request.resubmit"
REQUEST_APPROVED = "cctv.request.approved"
CORRECTED = "cctv.request.correct"
EXPORTED = "cctv.request.export"
ERASED = "cctv.request.erase"
STEP_RECORDED = "cctv.request.step"
FOOTAGE_PRESERVED = "cctv.request.preserve"
NO_FOOTAGE = "cctv.request.no_footage"
FINDING_RECORDED = "cctv.request.finding"
PRIVACY_DECIDED = "cctv.request.privacy"
APPOINTMENT_OFFERED = "cctv.request.appointment"
APPOINTMENT_CHOSEN = "cctv.request.appointment_chosen"
COPY_HANDED_OVER = "cctv.request.copy"
RECEIPT_ISSUED = "cctv.request.receipt"
RATED = "cctv.request.rated"

LOG_ACTIONS = (
    (SUBMITTED, _("Submit request"), _("Request submitted by the applicant")),
    (CANCELLED_BY_APPLICANT, _("Cancel request (applicant)"), _("Request cancelled by the applicant")),
    (CANCELLED_BY_STAFF, _("Cancel request (staff)"), _("Request cancelled by staff")),
    (STEP_APPROVED, _("Approve"), _("Step approved")),
    (INFORMATION_REQUESTED, _("Request more information"), _("More information asked of the applicant")),
    (DECLINED, _("Decline"), _("Request declined")),
    (RESUBMITTED, _("Resubmit"), _("Applicant sent the information asked for")),
    (REQUEST_APPROVED, _("Approved"), _("Request approved at the last step")),
    (CORRECTED, _("Correct personal data"), _("Staff corrected the applicant's details")),
    (EXPORTED, _("Export personal data"), _("The applicant's data was exported (PDPA access)")),
    (ERASED, _("Erase personal data"), _("The applicant's data was erased (PDPA erasure)")),
    (STEP_RECORDED, _("Record work"), _("Work on a step recorded")),
    (FOOTAGE_PRESERVED, _("Preserve footage"), _("Footage exported and locked")),
    (NO_FOOTAGE, _("No footage"), _("No footage to give recorded")),
    (FINDING_RECORDED, _("Review finding"), _("Review finding recorded")),
    (PRIVACY_DECIDED, _("Privacy decision"), _("Privacy decision recorded")),
    (APPOINTMENT_OFFERED, _("Offer appointment"), _("A time for viewing offered")),
    (APPOINTMENT_CHOSEN, _("Appointment chosen"), _("The applicant chose a time for viewing")),
    (COPY_HANDED_OVER, _("Copy handed over"), _("A copy of footage recorded as handed over")),
    (RECEIPT_ISSUED, _("Issue receipt"), _("A receipt issued")),
    (RATED, _("Rate the service"), _("The applicant rated the service")),
)
