"""The applicant's pages for footage handling in a real browser: progress, choosing a viewing time, and checking
a file against a receipt with the hash computed in the browser. axe-core checks each page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import axe_violations
from tests.factories import handed_over_copy, submission
from workflow.approval.services import approve_step
from workflow.handling.models import Receipt
from workflow.handling.services import issue_receipt, offer_appointment
from workflow.request.models import FootageRequest
from workflow.request.services import submit_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def approved(chain, stations, request_types):
    request_types["copy"].workflow = request_types["view"].workflow
    request_types["copy"].save()
    footage_request = submit_request(
        submission=submission(station=stations[0], request_type=request_types["copy"], file_count=1)
    )
    for level in ("officer", "head", "deputy", "chief"):
        approve_step(
            task_state=FootageRequest.objects.get(pk=footage_request.pk).current_workflow_task_state,
            user=chain["users"][level],
        )
    return FootageRequest.objects.get(pk=footage_request.pk), chain["users"]["officer"]


def test_applicant_picks_a_viewing_time(live_server, home_page, approved, phone):
    footage_request, officer = approved
    tomorrow = timezone.localtime() + timedelta(days=1)
    for hour in (9, 14):
        offer_appointment(
            footage_request=footage_request,
            user=officer,
            starts_at=tomorrow.replace(hour=hour, minute=0, second=0, microsecond=0),
            place="ศูนย์ CCTV ชั้น 2",
        )
    page = phone
    page.goto(f"{live_server.url}/status/{footage_request.token}/")
    assert axe_violations(page) == []
    page.get_by_label("14:00", exact=False).check()
    page.get_by_role("button", name="จองเวลานี้").click()
    page.locator("[data-appointment]").wait_for()
    assert "14:00" in page.locator("[data-appointment]").inner_text()
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_anyone_checks_a_file_against_a_receipt_in_the_browser(live_server, home_page, approved, phone, tmp_path):
    footage_request, officer = approved
    content = b"\x00\x00\x00\x18ftypmp42" + b"frame" * 20000
    copy = handed_over_copy(footage_request=footage_request, user=officer, content=content)
    receipt = issue_receipt(footage_request=footage_request, kind=Receipt.Kind.HANDOVER, copies=[copy])
    video = tmp_path / "cam1.mp4"
    video.write_bytes(content)
    page = phone
    page.goto(f"{live_server.url}/verify/{receipt.code}/")
    assert axe_violations(page) == []
    page.locator("#hash-file").set_input_files(str(video))
    page.wait_for_function("document.getElementById('id_sha256').value.length === 64")
    page.get_by_role("button", name="ตรวจสอบไฟล์").click()
    page.locator('[data-verify-result="match"]').wait_for()
    assert axe_violations(page) == []
    assert page.console_errors == []
