import pytest
from django.test import Client

from tests.factories import lookup_post, national_id, submission
from workflow.approval.services import ask_for_information, decline_request
from workflow.lifecycle import PublicStatus
from workflow.request.models import FootageRequest
from workflow.request.services import submit_request

NOT_FOUND = "ไม่พบคำร้องที่ตรงกับข้อมูลนี้"


@pytest.fixture
def footage_request(home_page, stations, request_types):
    return submit_request(submission=submission(station=stations[0], request_type=request_types["view"]))


def test_status_page_by_token_shows_status_without_personal_data(
    client, footage_request, django_assert_max_num_queries
):
    # The first view reads the state and renders the page, progress too, and the host's site (kept after).
    with django_assert_max_num_queries(10):
        client.get(f"/status/{footage_request.token}/")
    with django_assert_max_num_queries(0):  # later views: the request's state and the page from the cache
        response = client.get(f"/status/{footage_request.token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "รออนุมัติ" in html
    assert footage_request.reference in html
    assert "ใจดี" not in html and national_id() not in html and "0812345678" not in html
    assert "ส*** ใจ***" in html and "สมศักดิ์" not in html  # one letter of each name, no more
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_the_submission_receipt_shows_one_letter_of_each_name(client, footage_request):
    from io import BytesIO

    from pypdf import PdfReader

    response = client.get(f"/status/{footage_request.token}/receipt.pdf")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(body)).pages)
    assert footage_request.reference in text and "***" in text  # the text is readable: the test can fail
    assert "สมศักดิ์" not in text and "ใจดี" not in text


def test_unknown_token_is_not_found(client, db, home_page):
    assert client.get("/status/not-a-real-token/").status_code == 404


@pytest.mark.parametrize(
    ("second", "found"),
    [
        pytest.param("0812345678", True, id="id_and_phone"),
        pytest.param("๐๘๑-๒๓๔-๕๖๗๘", True, id="id_and_phone_in_thai_digits"),
        pytest.param("+66 81 234 5678", True, id="id_and_phone_with_country_code"),
        pytest.param("0899999999", False, id="id_and_wrong_phone"),
    ],
)
def test_lookup_needs_id_with_phone(client, footage_request, second, found):
    response = client.post("/status/", lookup_post(national_id(), second))
    if found:
        assert response.status_code == 302
        assert response["Location"] == f"/status/{footage_request.token}/"
    else:
        assert response.status_code == 200
        assert NOT_FOUND in response.content.decode()


def test_id_and_reference_no_longer_open_a_status_page(client, footage_request):
    """The reference is sequential (CCTV-2569-000001, ...): with a known ID number it could be guessed."""
    response = client.post("/status/", lookup_post(national_id(), footage_request.reference))
    assert response.status_code == 200
    page = response.content.decode()
    assert footage_request.token not in page and "/status/" + footage_request.token not in page
    assert NOT_FOUND not in page  # not a phone number: the field says so, and nothing was looked up
    assert 'id="id_phone_error"' in page and "หมายเลขโทรศัพท์" in page


def _without_csrf(response) -> str:
    return response.content.decode().replace(response.wsgi_request.META["CSRF_COOKIE"], "")


def test_wrong_combination_and_missing_request_give_the_same_answer(client, footage_request):
    wrong = client.post("/status/", lookup_post(national_id(), "0899999999"))
    missing = client.post("/status/", lookup_post(national_id("310170020345"), "0812345678"))
    assert wrong.status_code == missing.status_code == 200
    assert _without_csrf(wrong).count(NOT_FOUND) == _without_csrf(missing).count(NOT_FOUND) == 1
    # The same page but for the values typed back into the form.
    varying = ("altcha", "csrfmiddlewaretoken")  # a new challenge and a new masked token in every response
    strip = lambda page, *typed: [line for line in page.splitlines() if not any(t in line for t in typed)]  # noqa: E731
    assert strip(_without_csrf(wrong), national_id(), "0899999999", *varying) == strip(
        _without_csrf(missing), national_id("310170020345"), "0812345678", *varying
    )


def test_a_person_with_three_requests_chooses_from_a_list(
    client, footage_request, stations, request_types, django_assert_max_num_queries
):
    copy = submit_request(submission=submission(station=stations[1], request_type=request_types["copy"], file_count=1))
    third = submit_request(submission=submission(station=stations[0], request_type=request_types["view"]))
    # Another person with the same phone, and the same person with another phone: neither is listed.
    other = submit_request(
        submission=submission(
            station=stations[0], request_type=request_types["view"], national_id_value=national_id("310170020345")
        )
    )
    elsewhere = submit_request(
        submission=submission(station=stations[0], request_type=request_types["view"], phone="0898765432")
    )
    FootageRequest.objects.filter(pk=copy.pk).update(public_status=PublicStatus.APPROVED)
    client.get("/status/")  # the site and settings caches are warm in production
    with django_assert_max_num_queries(1):
        response = client.post("/status/", lookup_post(national_id(), "0812345678"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("data-request>") == 3
    for shown in (footage_request, copy, third):
        assert f"/status/{shown.token}/" in page and shown.reference in page
    assert other.token not in page and elsewhere.token not in page
    assert "ขอสำเนาข้อมูลภาพ" in page and "ขอดูข้อมูลภาพ" in page and "อนุมัติแล้ว" in page and "รออนุมัติ" in page
    year_be = str(footage_request.submitted_at.year + 543)
    assert year_be in page
    # Newest first.
    assert page.index(third.reference) < page.index(copy.reference) < page.index(footage_request.reference)


def test_id_number_alone_finds_nothing(client, footage_request):
    response = client.post("/status/", lookup_post(national_id(), ""))
    assert response.status_code == 200
    assert f"/status/{footage_request.token}/" not in response.content.decode()


def test_status_lookup_is_rate_limited(client, footage_request):
    for _ in range(5):
        client.post("/status/", lookup_post(national_id(), "0899999999"))
    response = client.post("/status/", lookup_post(national_id(), "0812345678"))
    assert response.status_code == 429
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert other.post("/status/", lookup_post(national_id(), "x")).status_code == 200


def test_applicant_cancels_pending_request_from_status_page(client, footage_request):
    page = client.get(f"/status/{footage_request.token}/").content.decode()
    assert f"/status/{footage_request.token}/cancel/" in page
    response = client.post(f"/status/{footage_request.token}/cancel/", follow=True)
    assert FootageRequest.objects.get(pk=footage_request.pk).public_status == PublicStatus.CANCELLED
    assert "ยกเลิก" in response.content.decode()
    assert f"/status/{footage_request.token}/cancel/" not in response.content.decode()


def test_cancel_after_staff_took_it_up_is_refused(client, footage_request):
    FootageRequest.objects.filter(pk=footage_request.pk).update(public_status=PublicStatus.RECEIVED)
    client.post(f"/status/{footage_request.token}/cancel/")
    assert FootageRequest.objects.get(pk=footage_request.pk).public_status == PublicStatus.RECEIVED


def test_cancel_needs_post(client, footage_request):
    assert client.get(f"/status/{footage_request.token}/cancel/").status_code == 405


@pytest.mark.parametrize(
    ("status", "thai"),
    [
        (PublicStatus.PENDING, "รออนุมัติ"),
        (PublicStatus.RECEIVED, "เจ้าหน้าที่รับเรื่องแล้ว"),
        (PublicStatus.CANCELLED, "ยกเลิก"),
        (PublicStatus.APPROVED, "อนุมัติแล้ว"),
    ],
)
def test_the_four_statuses_use_the_seed_wording(client, footage_request, status, thai):
    FootageRequest.objects.filter(pk=footage_request.pk).update(public_status=status)
    assert thai in client.get(f"/status/{footage_request.token}/").content.decode()


def test_qr_code_is_an_svg_of_the_status_link(client, footage_request):
    response = client.get(f"/status/{footage_request.token}/qr.svg?download=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<?xml") or b"<svg" in response.content[:200]
    assert "attachment" in response["Content-Disposition"]


def test_applicant_answers_a_request_for_more_information(client, chain, django_assert_max_num_queries):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import png_bytes
    from workflow.request.models import Attachment

    footage_request = chain["new"]()
    ask_for_information(
        task_state=footage_request.current_workflow_task_state,
        user=chain["users"]["officer"],
        comment="กรุณาแนบสำเนาบันทึกแจ้งความ",
    )
    url = f"/status/{footage_request.token}/"
    client.get(url)  # the site and settings caches are warm in production
    with django_assert_max_num_queries(4):  # the request, its decisions (the history), step records, cameras
        page = client.get(url).content.decode()
    assert "กรุณาแนบสำเนาบันทึกแจ้งความ" in page
    assert "เจ้าหน้าที่รับเรื่องแล้ว" in page

    empty = client.post(url, {"note": ""})
    assert empty.status_code == 400
    report = SimpleUploadedFile("report.png", png_bytes(), content_type="image/png")
    response = client.post(url, {"note": "แนบบันทึกแจ้งความแล้ว", "documents": [report]}, follow=True)
    assert response.status_code == 200
    stored = FootageRequest.objects.get(pk=footage_request.pk)
    assert stored.public_status == PublicStatus.RECEIVED
    assert not stored.needs_applicant_answer
    assert stored.current_workflow_task_state.task.name == "officer"
    assert Attachment.objects.filter(request=stored).count() == 2


def test_declined_request_shows_the_reason(client, chain):

    footage_request = chain["new"]()
    decline_request(
        task_state=footage_request.current_workflow_task_state,
        user=chain["users"]["officer"],
        reason_id=chain["reason"].pk,
        comment="ไม่มีกล้องบริเวณนั้น",
    )
    page = client.get(f"/status/{footage_request.token}/").content.decode()
    assert "ยกเลิก" in page
    assert "เอกสารไม่ถูกต้อง" in page and "ไม่มีกล้องบริเวณนั้น" in page


def test_lookup_is_one_query_whatever_the_number_of_requests(client, footage_request, django_assert_max_num_queries):
    client.get("/status/")  # the site of the host is read once and kept (cctv.caching.routes)
    with django_assert_max_num_queries(1):
        response = client.post("/status/", lookup_post(national_id(), "0812345678"))
    assert response.status_code == 302


def _approve_all(footage_request, users):
    from workflow.approval.services import approve_step

    for level in ("officer", "head", "deputy", "chief"):
        footage_request.refresh_from_db()
        approve_step(task_state=footage_request.current_workflow_task_state, user=users[level])
    footage_request.refresh_from_db()
    return footage_request


def test_an_approved_view_request_is_not_told_to_bring_a_storage_device(client, chain, request_types):
    """One after-approval text for every type told people who asked to view to bring a device to copy on."""
    from workflow.request.models import RequestType

    service_text = "ท่านสามารถนำอุปกรณ์ที่ใช้ในการบันทึกข้อมูล มาติดต่อเพื่อทำการสำเนาภาพ"
    from cctv.home.models import ServiceSettings

    ServiceSettings.objects.update(approved_instructions=service_text)
    footage_request = _approve_all(chain["new"](), chain["users"])
    page = client.get(f"/status/{footage_request.token}/").content.decode()
    assert "อนุมัติแล้ว" in page
    assert "บัตรประจำตัวประชาชน" in page and "เลือกเวลาเข้าชม" in page
    assert "อุปกรณ์" not in page and service_text not in page

    # Each type has its own text, which editors change.
    view = RequestType.objects.get(pk=request_types["view"].pk)
    copy = RequestType.objects.get(pk=request_types["copy"].pk)
    assert "อุปกรณ์บันทึกข้อมูล" in copy.approved_instructions_th and "ดาวน์โหลด" in copy.approved_instructions_th
    assert "อุปกรณ์" not in view.approved_instructions_th
    view.approved_instructions_th = "โปรดมาที่ศูนย์ CCTV ชั้น 2 ในวันและเวลาราชการ"
    view.save()
    page = client.get(f"/status/{footage_request.token}/").content.decode()
    assert "โปรดมาที่ศูนย์ CCTV ชั้น 2 ในวันและเวลาราชการ" in page
    # A type whose text an editor emptied falls back to the site's text.
    view.approved_instructions_th = ""
    view.save()
    assert service_text in client.get(f"/status/{footage_request.token}/").content.decode()


MISTAKES = "ซึ่งอาจมาจากการกรอกข้อมูลผิดพลาด"


def test_an_applicant_who_cancelled_is_not_told_it_may_be_their_mistake(client, footage_request):
    response = client.post(f"/status/{footage_request.token}/cancel/", follow=True)
    page = response.content.decode()
    assert "ยกเลิก" in page
    assert MISTAKES not in page
    assert "ท่านได้ยกเลิกคำร้องนี้แล้ว" in page
    assert 'data-history="cancelled_by_citizen"' in page


def test_staff_cancel_and_decline_have_their_own_words(client, chain):
    from workflow.approval.services import cancel_by_staff

    cancelled = chain["new"]()
    cancel_by_staff(
        task_state=cancelled.current_workflow_task_state, user=chain["users"]["officer"], comment="ผู้ยื่นแจ้งถอนทางโทรศัพท์"
    )
    declined = chain["new"]()
    decline_request(
        task_state=declined.current_workflow_task_state,
        user=chain["users"]["officer"],
        reason_id=chain["reason"].pk,
        comment="ไม่มีกล้องบริเวณนั้น",
    )
    by_staff = client.get(f"/status/{cancelled.token}/").content.decode()
    assert "เจ้าหน้าที่ได้ยกเลิกคำร้องนี้" in by_staff and "ผู้ยื่นแจ้งถอนทางโทรศัพท์" in by_staff
    assert MISTAKES not in by_staff and "ท่านได้ยกเลิก" not in by_staff
    assert 'data-history="cancelled_by_staff"' in by_staff
    refused = client.get(f"/status/{declined.token}/").content.decode()
    assert MISTAKES in refused and "ท่านได้ยกเลิก" not in refused
    assert 'data-history="declined"' in refused


def test_after_approval_steps_nobody_logged_are_not_shown_as_to_come(client, chain):
    footage_request = _approve_all(chain["new"](), chain["users"])
    page = client.get(f"/status/{footage_request.token}/").content.decode()
    assert "data-progress" in page
    assert "ไม่มีบันทึก" in page
    assert "รอดำเนินการ" not in page  # "to come"
    assert "progress__step--waiting" not in page


def test_open_request_still_shows_steps_to_come(client, footage_request):
    page = client.get(f"/status/{footage_request.token}/").content.decode()
    assert "รอดำเนินการ" in page and "ไม่มีบันทึก" not in page


def test_the_history_keeps_received_after_approval(client, chain):
    """The history showed the submission and only the latest status: "received" vanished at approval."""
    footage_request = _approve_all(chain["new"](), chain["users"])
    page = client.get(f"/status/{footage_request.token}/").content.decode()
    history = page[page.index("data-timeline") :]
    for kind in ("submitted", "received", "step_passed", "approved"):
        assert f'data-history="{kind}"' in history
    assert history.count('data-history="step_passed"') == 4
    assert history.count('data-history="received"') == 1
    assert "เจ้าหน้าที่รับเรื่องแล้ว" in history
