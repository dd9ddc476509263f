from django.utils.translation import gettext_lazy as _

LOG_ACTIONS = (
    ("cctv.request.submit", _("Submit request"), _("Request submitted by the applicant")),
    ("cctv.request.cancel_by_applicant", _("Cancel request"), _("Request cancelled by the applicant")),
    ("cctv.request.cancel_by_staff", _("Cancel request"), _("Request cancelled by staff")),
    ("cctv.request.approve", _("Approve"), _("Step approved")),
    ("cctv.request.request_info", _("Request more information"), _("More information asked of the applicant")),
    ("cctv.request.decline", _("Decline"), _("Request declined")),
    ("cctv.request.resubmit", _("Resubmit"), _("Applicant sent the information asked for")),
    ("cctv.request.approved", _("Approved"), _("Request approved at the last step")),
    ("cctv.request.correct", _("Correct personal data"), _("Staff corrected the applicant's details")),
    ("cctv.request.export", _("Export personal data"), _("The applicant's data was exported (PDPA access)")),
    ("cctv.request.erase", _("Erase personal data"), _("The applicant's data was erased (PDPA erasure)")),
    ("cctv.request.step", _("Record work"), _("Work on a step recorded")),
    ("cctv.request.preserve", _("Preserve footage"), _("Footage exported and locked")),
    ("cctv.request.no_footage", _("No footage"), _("No footage to give recorded")),
    ("cctv.request.finding", _("Review finding"), _("Review finding recorded")),
    ("cctv.request.privacy", _("Privacy decision"), _("Privacy decision recorded")),
    ("cctv.request.appointment", _("Offer appointment"), _("A time for viewing offered")),
    ("cctv.request.appointment_chosen", _("Appointment chosen"), _("The applicant chose a time for viewing")),
    ("cctv.request.copy", _("Copy handed over"), _("A copy of footage recorded as handed over")),
    ("cctv.request.receipt", _("Receipt"), _("A receipt issued")),
)
