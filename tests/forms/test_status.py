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
    with django_assert_max_num_queries(9):  # the first view reads the state and renders the page, progress too
        client.get(f"/status/{footage_request.token}/")
    with django_assert_max_num_queries(0):  # later views: the request's state and the page from the cache
        response = client.get(f"/status/{footage_request.token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "รออนุมัติ" in html
    assert footage_request.reference in html
    assert "ใจดี" not in html and national_id() not in html and "0812345678" not in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_unknown_token_is_not_found(client, db, home_page):
    assert client.get("/status/not-a-real-token/").status_code == 404


@pytest.mark.parametrize(
    ("second", "found"),
    [
        pytest.param("reference", True, id="id_and_reference"),
        pytest.param("0812345678", True, id="id_and_phone"),
        pytest.param("๐๘๑-๒๓๔-๕๖๗๘", True, id="id_and_phone_in_thai_digits"),
        pytest.param("0899999999", False, id="id_and_wrong_phone"),
        pytest.param("CCTV-2500-000001", False, id="id_and_wrong_reference"),
    ],
)
def test_lookup_needs_id_with_reference_or_phone(client, footage_request, second, found):
    value = footage_request.reference if second == "reference" else second
    response = client.post("/status/", lookup_post(national_id(), value))
    if found:
        assert response.status_code == 302
        assert response["Location"] == f"/status/{footage_request.token}/"
    else:
        assert response.status_code == 200
        assert NOT_FOUND in response.content.decode()


def test_wrong_combination_and_missing_request_give_the_same_answer(client, footage_request):
    wrong = client.post("/status/", lookup_post(national_id(), "0899999999"))
    missing = client.post(
        "/status/",
        lookup_post(national_id("310170020345"), footage_request.reference),
    )
    strip = lambda r: r.content.decode().replace(r.wsgi_request.META["CSRF_COOKIE"], "")  # noqa: E731
    assert wrong.status_code == missing.status_code == 200
    assert strip(wrong).count(NOT_FOUND) == strip(missing).count(NOT_FOUND) == 1


def test_id_number_alone_finds_nothing(client, footage_request):
    response = client.post("/status/", lookup_post(national_id(), ""))
    assert response.status_code == 200
    assert f"/status/{footage_request.token}/" not in response.content.decode()


def test_status_lookup_is_rate_limited(client, footage_request):
    for _ in range(5):
        client.post("/status/", lookup_post(national_id(), "0899999999"))
    response = client.post("/status/", lookup_post(national_id(), footage_request.reference))
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
    with django_assert_max_num_queries(3):
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
    with django_assert_max_num_queries(1):
        response = client.post("/status/", lookup_post(national_id(), footage_request.reference))
    assert response.status_code == 302
