"""Staff issue the handover receipt in the real admin; the citizen, on a phone, finds it on the status page and
downloads it: a PDF with the lines both sides sign (ผู้ส่งมอบ with the staff member's name, ผู้รับมอบ), dated in
the Buddhist Era, its download in the access log. axe-core checks the citizen's page; no response may be a server
error."""

import io
import re
import unicodedata
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from cctv.thai.dates import format_be_date
from tests.browser.admin_session import watch_server_errors
from tests.browser.conftest import axe_violations, shoot
from tests.factories import handed_over_copy, submission
from workflow.approval.services import approve_step
from workflow.handling.models import Receipt
from workflow.privacy.models import AccessLog
from workflow.request.models import FootageRequest
from workflow.request.services import submit_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def flat(text: str) -> str:
    return unicodedata.normalize("NFKC", re.sub(r"\s+", "", text))


def test_the_citizen_downloads_the_signed_handover_receipt(live_server, chain, stations, request_types, phone, admin):
    request_types["copy"].workflow = request_types["view"].workflow
    request_types["copy"].save()
    footage_request = submit_request(submission=submission(station=stations[0], request_type=request_types["copy"]))
    for level in ("officer", "head", "deputy", "chief"):
        approve_step(
            task_state=FootageRequest.objects.get(pk=footage_request.pk).current_workflow_task_state,
            user=chain["users"][level],
        )
    footage_request = FootageRequest.objects.get(pk=footage_request.pk)
    officer = chain["users"]["officer"]
    officer.first_name, officer.last_name = "สมศรี", "ส่งมอบดี"
    officer.save()
    handed_over_copy(footage_request=footage_request, user=officer, content=b"footage" * 1000, file_name="cam1.mp4")
    errors: list[str] = []

    # The citizen looks before the handover: no receipt yet (and the page is now in the cache).
    page = phone
    watch_server_errors(page, errors)
    status_url = f"{live_server.url}/status/{footage_request.token}/"
    page.goto(status_url)
    assert page.locator("[data-handover-receipts]").count() == 0

    # The officer issues the handover receipt in the admin.
    staff = admin.open_as(officer, accept_downloads=True)
    # The action's own page (the request page's handling panel posts the same form to the same view).
    staff.goto(f"{live_server.url}/admin/cctv/requests/{footage_request.pk}/receipt/")
    assert staff.get_by_label("cam1.mp4").is_checked()
    with staff.expect_response(re.compile(r"/admin/cctv/receipts/\d+\.pdf$")) as issued:
        staff.get_by_role("button", name="บันทึก", exact=True).click()
    assert issued.value.status == 200
    receipt = Receipt.objects.get(request=footage_request, kind=Receipt.Kind.HANDOVER)
    staff.context.close()

    # The citizen's status page now offers it; the link carries the status key and the receipt's code only.
    page.goto(status_url)
    section = page.locator("[data-handover-receipts]")
    link = section.get_by_role("link", name=re.compile("ดาวน์โหลดใบส่งมอบสำเนาข้อมูลภาพ"))
    assert link.count() == 1
    assert link.get_attribute("href") == f"/status/{footage_request.token}/receipts/{receipt.code}.pdf"
    assert format_be_date(timezone.localdate(), "long") in link.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == []
    section.scroll_into_view_if_needed()
    shoot(page, "handover-status", full_page=True)

    with page.expect_download() as download:
        link.click()
    pdf = Path(download.value.path()).read_bytes()
    text = flat("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert flat("ลงชื่อ") in text and flat("ผู้ส่งมอบ") in text and flat("ผู้รับมอบ") in text
    assert flat("(สมศรี ส่งมอบดี)") in text
    assert text.count(flat(f"วันที่ {format_be_date(timezone.localdate(), 'long')}")) >= 2

    logged = AccessLog.objects.get(request=footage_request)
    assert (logged.user, logged.what, logged.object_id) == (None, AccessLog.What.PERSONAL_DATA, receipt.pk)
    assert logged.ip_address == "127.0.0.1"
    assert page.console_errors == []
    assert errors == []
