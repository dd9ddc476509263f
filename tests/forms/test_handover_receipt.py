"""The handover receipt: signature lines for the one who hands over (staff, name printed) and the one who receives
(the applicant), dated in the Buddhist Era; the applicant downloads it from the status page, and each download is
written to the access log."""

import io
import re
import unicodedata

import pytest
from django.utils import timezone
from pypdf import PdfReader

from cctv.thai.dates import format_be_date
from tests.factories import handed_over_copy, national_id, submission
from workflow.approval.services import approve_step
from workflow.handling.models import Receipt
from workflow.handling.receipts import render_pdf
from workflow.handling.services import issue_receipt, submission_receipt
from workflow.privacy.models import AccessLog
from workflow.request.models import FootageRequest
from workflow.request.services import submit_request


def flat(text: str) -> str:
    """Spaces and line breaks as the PDF lays them out do not matter; SARA AM may come out as NIKHAHIT + SARA AA."""
    return unicodedata.normalize("NFKC", re.sub(r"\s+", "", text))


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def approved(chain, stations, request_types):
    request_types["copy"].workflow = request_types["view"].workflow
    request_types["copy"].save()
    footage_request = submit_request(submission=submission(station=stations[0], request_type=request_types["copy"]))
    for level in ("officer", "head", "deputy", "chief"):
        approve_step(
            task_state=FootageRequest.objects.get(pk=footage_request.pk).current_workflow_task_state,
            user=chain["users"][level],
        )
    officer = chain["users"]["officer"]
    officer.first_name, officer.last_name = "สมศรี", "ส่งมอบดี"
    officer.save()
    return FootageRequest.objects.get(pk=footage_request.pk)


@pytest.fixture
def handover(approved, chain):
    copy = handed_over_copy(footage_request=approved, user=chain["users"]["officer"], content=b"footage" * 100)
    return issue_receipt(
        footage_request=approved, kind=Receipt.Kind.HANDOVER, copies=[copy], user=chain["users"]["officer"]
    )


def test_the_handover_receipt_has_signature_lines_with_the_staff_name_and_buddhist_era_dates(handover):
    text = flat(pdf_text(render_pdf(handover)))
    assert flat("ผู้ส่งมอบ") in text and flat("ผู้รับมอบ") in text
    assert text.count(flat("ลงชื่อ")) == 2, "one line to sign for each side"
    assert flat("(สมศรี ส่งมอบดี)") in text, "the staff member who handed the copies over is printed"
    handed_over_on = flat(f"วันที่ {format_be_date(timezone.localdate(), 'long')}")
    assert text.count(handed_over_on) >= 2, "each signature is dated, in the Buddhist Era"


def test_the_submission_receipt_has_no_signature_lines(approved):
    text = flat(pdf_text(render_pdf(submission_receipt(approved))))
    assert flat("ผู้ส่งมอบ") not in text and flat("ผู้รับมอบ") not in text


def test_the_applicant_downloads_the_handover_receipt_from_the_status_page(client, handover, approved):
    html = client.get(f"/status/{approved.token}/").content.decode()
    links = re.findall(r'href="(/status/[^"]+/receipts/[^"]+)"', html)
    assert links == [f"/status/{approved.token}/receipts/{handover.code}.pdf"]
    url = links[0]
    for personal in ("ใจดี", national_id(), "0812345678", approved.reference):
        assert personal not in url

    response = client.get(url, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert flat("ผู้รับมอบ") in flat(pdf_text(response.content))
    logged = AccessLog.objects.get(request=approved)
    assert (logged.user, logged.what, logged.object_id, logged.ip_address) == (
        None,
        AccessLog.What.PERSONAL_DATA,
        handover.pk,
        "192.0.2.7",
    )


def test_a_receipt_opens_only_with_its_own_status_link(client, handover, approved, chain):
    other = chain["new"]()
    assert client.get(f"/status/{other.token}/receipts/{handover.code}.pdf").status_code == 404
    submitted = submission_receipt(approved)
    assert client.get(f"/status/{approved.token}/receipts/{submitted.code}.pdf").status_code == 404
    assert client.get(f"/status/{approved.token}/receipts/{'0' * 30}.pdf").status_code == 404
    assert not AccessLog.objects.exists()


def test_a_status_page_seen_before_the_handover_shows_the_new_receipt(client, approved, chain):
    url = f"/status/{approved.token}/"
    copy = handed_over_copy(footage_request=approved, user=chain["users"]["officer"], content=b"x" * 10)
    assert "/receipts/" not in client.get(url).content.decode()  # cached after the copy, before the receipt
    receipt = issue_receipt(footage_request=approved, kind=Receipt.Kind.HANDOVER, copies=[copy])
    assert f"/receipts/{receipt.code}.pdf" in client.get(url).content.decode()
