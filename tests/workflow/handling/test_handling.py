"""Footage handling after submission: the manual's steps and time standards, retention, preservation, review,
the privacy decision, appointments, copies with their hashes, PDF receipts and the verify page."""

import hashlib
import re
import shutil
import subprocess
import unicodedata
from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cctv.stations.models import Camera
from cctv.thai.dates import format_be_date
from tests.factories import handed_over_copy, submission
from workflow.approval.services import approve_step
from workflow.constants import NotificationEvent
from workflow.handling.estimates import Estimate, progress, usual_approval_hours, working_minutes
from workflow.handling.models import DeliveredCopy, LegalBasis, NoFootageReason, PrivacyDecision, Receipt, ServiceStep
from workflow.handling.receipts import render_pdf
from workflow.handling.risk import at_risk, notify_footage_at_risk
from workflow.handling.services import (
    decide_privacy,
    issue_receipt,
    offer_appointment,
    preserve_footage,
    record_copy,
    record_finding,
    record_no_footage,
    record_step,
)
from workflow.lifecycle import PublicStatus
from workflow.notifications.models import Notification
from workflow.request.models import FootageRequest
from workflow.request.overwrite import overwrite_date
from workflow.request.services import submit_request


def aware(hour, minute=0, *, day=None):
    """A time yesterday (or on ``day``): work is recorded after it is done."""
    day = day or timezone.localdate() - timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def submitted_days_ago(footage_request, days=3) -> FootageRequest:
    """The request as if it came some days ago, so that work on it yesterday is after it came."""
    FootageRequest.objects.filter(pk=footage_request.pk).update(submitted_at=timezone.now() - timedelta(days=days))
    return FootageRequest.objects.get(pk=footage_request.pk)


@pytest.fixture
def copy_chain(chain_station, request_types):
    """The approval chain for copy requests too, and a helper that takes one through all four levels."""
    chain = chain_station
    request_types["copy"].workflow = request_types["view"].workflow
    request_types["copy"].save()

    def new(kind="copy", **incident):
        return submit_request(
            submission=submission(station=chain["station"], request_type=request_types[kind], **incident)
        )

    def approve_all(footage_request):
        for level in ("officer", "head", "deputy", "chief"):
            approve_step(
                task_state=FootageRequest.objects.get(pk=footage_request.pk).current_workflow_task_state,
                user=chain["users"][level],
            )
        return FootageRequest.objects.get(pk=footage_request.pk)

    return {**chain, "new_of": new, "approve_all": approve_all}


@pytest.fixture
def chain_station(chain, stations):
    chain["station"] = stations[0]
    return chain


# ---- Steps and time standards ------------------------------------------------------------------------


def test_the_manuals_six_steps_and_standards_are_there_to_edit(db):
    steps = {step.code: step for step in ServiceStep.objects.all()}
    assert [(s.code, s.standard_minutes, s.unit) for s in ServiceStep.objects.order_by("sort_order")] == [
        ("inquiry", 1, "request"),
        ("documents", 2, "request"),
        ("locate", 2, "request"),
        ("review", 10, "camera"),
        ("copy_approval", 2, "request"),
        ("copy", 10, "camera"),
    ]
    assert steps["copy_approval"].approval and steps["copy"].copies_only and steps["review"].per_camera


@pytest.mark.parametrize(
    ("is_copy", "cameras", "files", "minutes"),
    [
        (False, 0, 0, 1 + 2 + 2 + 10),  # a view request with no camera named still needs one reviewed
        (False, 1, 0, 1 + 2 + 2 + 10),
        (False, 3, 0, 1 + 2 + 2 + 30),
        (True, 1, 1, 1 + 2 + 2 + 10 + 2 + 10),
        (True, 2, 5, 1 + 2 + 2 + 20 + 2 + 20),  # the copy step counts cameras, as the manual does
    ],
)
def test_working_minutes_from_the_standards(db, is_copy, cameras, files, minutes):
    assert working_minutes(ServiceStep.objects.all(), is_copy=is_copy, cameras=cameras, files=files) == minutes


def test_an_editor_can_count_a_step_per_file(db):
    ServiceStep.objects.filter(code="copy").update(unit=ServiceStep.Unit.FILE, standard_minutes=5)
    assert working_minutes(ServiceStep.objects.all(), is_copy=True, cameras=2, files=4) == 1 + 2 + 2 + 20 + 2 + 20


@pytest.mark.parametrize(
    ("approval_hours", "working", "days"),
    [(None, 15, None), (0.5, 15, 1), (23.5, 30, 1), (23.5, 31, 2), (72, 47, 4)],
)
def test_estimate_adds_the_usual_approval_time(approval_hours, working, days):
    assert Estimate(working_minutes=working, approval_hours=approval_hours).total_days == days


def test_usual_approval_time_is_measured_from_approved_requests(chain_station, request_types):
    for hours in (2, 4, 30):
        footage_request = chain_station["new"]()
        submitted = FootageRequest.objects.get(pk=footage_request.pk).submitted_at
        FootageRequest.objects.filter(pk=footage_request.pk).update(
            public_status=PublicStatus.APPROVED, status_changed_at=submitted + timedelta(hours=hours)
        )
    assert usual_approval_hours() == 4


def test_staff_record_steps_per_camera_and_the_table_compares_with_the_standard(chain_station, stations):
    footage_request = submitted_days_ago(chain_station["new"]())
    review = ServiceStep.objects.get(code="review")
    camera = stations[0].cameras.first()

    def record(**changes):
        work = {"step": review, "camera": camera, "started_at": aware(9), "ended_at": aware(9, 12)}
        return record_step(
            footage_request=footage_request, user=chain_station["users"]["officer"], **{**work, **changes}
        )

    refused = [
        {"camera": None},  # review is recorded per camera
        {"camera": Camera.objects.exclude(station=stations[0]).first()},
        {"started_at": aware(9, 30), "ended_at": aware(9)},
        {"step": ServiceStep.objects.get(code="copy_approval"), "camera": None},  # the workflow's, not a note
    ]
    for changes in refused:
        with pytest.raises(ValidationError):
            record(**changes)
    assert record(notes="พบรถจักรยานยนต์").minutes == 12

    from workflow.handling.views import steps_for

    row = next(row for row in steps_for(FootageRequest.objects.get(pk=footage_request.pk)) if row["step"] == review)
    assert (row["standard"], row["actual"]) == (10, 12)


def test_progress_for_the_applicant_names_no_staff(client, chain_station):
    footage_request = submitted_days_ago(chain_station["new"]())
    officer = chain_station["users"]["officer"]
    officer.first_name = "วิชัย"
    officer.save()
    record_step(
        footage_request=footage_request,
        user=officer,
        step=ServiceStep.objects.get(code="inquiry"),
        camera=None,
        started_at=aware(8),
        ended_at=aware(8, 1),
    )
    states = [(step.name, step.state) for step in progress(FootageRequest.objects.get(pk=footage_request.pk))]
    assert states[:3] == [
        ("รับเรื่องและสอบถามรายละเอียด", "done"),
        ("ตรวจสอบเอกสาร", "current"),
        ("ค้นหากล้องบริเวณเกิดเหตุ", "waiting"),
    ]
    assert len(states) == 4, "a view request has no copy steps"
    page = client.get(f"/status/{footage_request.token}/").content.decode()
    assert "รับเรื่องและสอบถามรายละเอียด" in page and "วิชัย" not in page and "data-estimate" in page


def test_time_against_standard_report(client, chain_station):
    footage_request = submitted_days_ago(chain_station["new"]())
    officer, head = chain_station["users"]["officer"], chain_station["users"]["head"]
    documents = ServiceStep.objects.get(code="documents")
    for minutes in (2, 4):
        record_step(
            footage_request=footage_request,
            user=officer,
            step=documents,
            camera=None,
            started_at=aware(10),
            ended_at=aware(10, minutes),
        )
    client.force_login(officer)
    assert refused(client.get("/admin/cctv/standard/"))
    client.force_login(head)
    response = client.get("/admin/cctv/standard/")
    html = response.content.decode()
    assert response.status_code == 200
    cells = re.sub(r"\s+", "", html)
    assert "ตรวจสอบเอกสาร" in html and ">3.0<" in cells and ">1.5<" in cells  # 3 min average, 1.5 x standard
    csv = b"".join(client.get("/admin/cctv/standard/?export=csv").streaming_content).decode()
    assert "ตรวจสอบเอกสาร" in csv


# ---- Retention and preservation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("incident", "station_days", "camera_days", "expected", "expected_be"),
    [
        (date(2026, 1, 20), 30, [None], date(2026, 2, 19), "19 ก.พ. 2569"),
        (date(2026, 12, 20), 15, [None], date(2027, 1, 4), "4 ม.ค. 2570"),  # across the BE year
        (date(2028, 2, 20), 10, [None], date(2028, 3, 1), "1 มี.ค. 2571"),  # a leap year's February
        (date(2026, 3, 31), 30, [7, None], date(2026, 4, 7), "7 เม.ย. 2569"),  # the shortest camera wins
    ],
)
def test_overwrite_date(stations, incident, station_days, camera_days, expected, expected_be):
    station = stations[0]
    station.recorder_retention_days = station_days
    cameras = list(station.cameras.all()[: len(camera_days)])
    for camera, days in zip(cameras, camera_days, strict=True):
        camera.recorder_retention_days = days
        camera.station = station
    result = overwrite_date(incident_date=incident, station=station, cameras=cameras)
    assert result == expected
    assert format_be_date(result, "short") == expected_be


def test_submission_sets_the_overwrite_date_and_the_queue_sorts_by_it(client, chain_station, stations):
    today = timezone.localdate()
    stations[0].recorder_retention_days = 30
    stations[0].save()
    later = chain_station["new"]()
    sooner = submit_request(
        submission=submission(
            station=stations[0], request_type=later.request_type, incident_date=today - timedelta(days=29)
        )
    )
    assert FootageRequest.objects.get(pk=sooner.pk).footage_overwritten_on == today + timedelta(days=1)
    client.force_login(chain_station["users"]["officer"])
    html = client.get("/admin/cctv/queue/").content.decode()
    assert html.index(sooner.reference) < html.index(later.reference)
    assert html.count("data-footage-at-risk") == 1


def test_at_risk_requests_are_flagged_and_their_approvers_told_once(chain_station, stations):
    today = timezone.localdate()
    footage_request = submit_request(
        submission=submission(
            station=stations[0],
            request_type=chain_station["new"]().request_type,
            incident_date=today - timedelta(days=stations[0].recorder_retention_days - 1),
        )
    )
    assert list(at_risk()) == [FootageRequest.objects.get(pk=footage_request.pk)]
    officer = chain_station["users"]["officer"]
    officer.email = "officer@example.invalid"
    officer.save()
    assert notify_footage_at_risk() == 1
    assert notify_footage_at_risk() == 0, "told once"
    told = Notification.objects.filter(event=NotificationEvent.FOOTAGE_AT_RISK)
    assert [n.user for n in told] == [officer]


def test_preserving_footage_works_before_approval_and_clears_the_risk(chain_station, stations):
    today = timezone.localdate()
    footage_request = submit_request(
        submission=submission(
            station=stations[0],
            request_type=chain_station["new"]().request_type,
            incident_date=today - timedelta(days=stations[0].recorder_retention_days - 1),
        )
    )
    assert footage_request.public_status == PublicStatus.PENDING
    cameras = list(stations[0].cameras.all()[:1])
    with pytest.raises(ValidationError):
        preserve_footage(
            footage_request=footage_request,
            user=chain_station["users"]["officer"],
            cameras=cameras,
            clip_from=aware(14),
            clip_to=aware(13),
            kept_at="NVR-1",
        )
    preserve_footage(
        footage_request=footage_request,
        user=chain_station["users"]["officer"],
        cameras=cameras,
        clip_from=aware(14),
        clip_to=aware(15),
        kept_at="NVR-1 locked export 3",
    )
    assert not at_risk().exists()
    assert footage_request.preservations.get().cameras.get() == cameras[0]


def test_no_footage_is_told_to_the_applicant_in_plain_thai(client, chain_station):
    footage_request = chain_station["new"]()
    reason = NoFootageReason.objects.get(text_th__startswith="ภาพในช่วงเวลาดังกล่าวถูกบันทึกทับ")
    url = f"/status/{footage_request.token}/"
    client.get(url)  # cached before the change
    record_no_footage(footage_request=footage_request, user=chain_station["users"]["officer"], reason=reason)
    page = client.get(url).content.decode()
    assert "ไม่มีภาพที่จะให้ได้" in page and reason.text_th in page
    assert Notification.objects.filter(event=NotificationEvent.NO_FOOTAGE).exists()


# ---- Review, privacy and release ---------------------------------------------------------------------


def _approved_copy_with_finding(copy_chain, *, third_parties):
    footage_request = copy_chain["approve_all"](copy_chain["new_of"]())
    record_finding(
        footage_request=footage_request,
        user=copy_chain["users"]["officer"],
        camera=None,
        found_from=time(14, 30),
        found_to=time(14, 35),
        description="รถชนที่ทางแยก",
        third_parties_identifiable=third_parties,
    )
    return footage_request


def test_a_privacy_decision_is_required_when_other_people_can_be_identified(copy_chain):
    footage_request = _approved_copy_with_finding(copy_chain, third_parties=True)
    officer = copy_chain["users"]["officer"]
    args = {
        "footage_request": footage_request,
        "user": officer,
        "file_name": "cam1.mp4",
        "duration_seconds": 300,
        "delivery": DeliveredCopy.Delivery.DEVICE,
        "sha256": "ab" * 32,
        "size_bytes": 1000,
        "device_note": "USB 32 GB",
    }
    with pytest.raises(ValidationError, match="ต้องบันทึกการตัดสินใจด้านข้อมูลส่วนบุคคลก่อน"):
        record_copy(**args)
    decide_privacy(
        footage_request=footage_request,
        user=officer,
        release=PrivacyDecision.Release.OFFICE_ONLY,
        legal_basis=LegalBasis.objects.first(),
        reasoning="มีผู้อื่นในภาพ",
    )
    with pytest.raises(ValidationError, match="ไม่อนุญาตให้มอบสำเนา"):
        record_copy(**args)
    decide_privacy(
        footage_request=footage_request,
        user=officer,
        release=PrivacyDecision.Release.BLURRED,
        legal_basis=LegalBasis.objects.first(),
        reasoning="เบลอใบหน้าผู้อื่นแล้ว",
    )
    assert record_copy(**args).sha256 == "ab" * 32


def test_nothing_is_released_before_approval(copy_chain):
    footage_request = copy_chain["new_of"]()
    with pytest.raises(ValidationError, match="หลังคำร้องได้รับอนุมัติ"):
        record_copy(
            footage_request=footage_request,
            user=copy_chain["users"]["officer"],
            file_name="a.mp4",
            duration_seconds=10,
            delivery=DeliveredCopy.Delivery.DEVICE,
            sha256="ab" * 32,
            size_bytes=10,
            device_note="USB",
        )


def test_the_hash_is_computed_from_the_file_and_the_download_is_logged(client, copy_chain, tmp_path):
    footage_request = _approved_copy_with_finding(copy_chain, third_parties=False)
    content = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 4096  # a megabyte of "video"
    upload = SimpleUploadedFile("ทางแยก-cam1.mp4", content, content_type="video/mp4")
    copy = record_copy(
        footage_request=footage_request,
        user=copy_chain["users"]["officer"],
        file_name="cam1.mp4",
        duration_seconds=120,
        delivery=DeliveredCopy.Delivery.DOWNLOAD,
        upload=upload,
    )
    assert copy.sha256 == hashlib.sha256(content).hexdigest() and copy.size_bytes == len(content)
    assert Notification.objects.filter(event=NotificationEvent.DOWNLOAD_READY).exists()

    status = client.get(f"/status/{footage_request.token}/").content.decode()
    assert f"/copies/{copy.download_token}/" in status
    response = client.get(f"/copies/{copy.download_token}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == content
    assert copy.downloads.count() == 1
    DeliveredCopy.objects.filter(pk=copy.pk).update(download_expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(f"/copies/{copy.download_token}/").status_code == 410
    assert copy.downloads.count() == 1


def test_appointments_offered_by_staff_and_chosen_by_the_applicant(client, copy_chain):
    officer = copy_chain["users"]["officer"]
    tomorrow = timezone.localdate() + timedelta(days=1)
    pending = copy_chain["new_of"]("view")
    with pytest.raises(ValidationError):  # viewing comes after approval
        offer_appointment(footage_request=pending, user=officer, starts_at=aware(9, day=tomorrow), place="x")
    footage_request = copy_chain["approve_all"](pending)
    with pytest.raises(ValidationError):
        offer_appointment(
            footage_request=footage_request,
            user=officer,
            starts_at=aware(9, day=tomorrow - timedelta(days=2)),
            place="x",
        )
    first = offer_appointment(
        footage_request=footage_request, user=officer, starts_at=aware(9, day=tomorrow), place="ศูนย์ CCTV ชั้น 2"
    )
    second = offer_appointment(
        footage_request=footage_request, user=officer, starts_at=aware(14, day=tomorrow), place="ศูนย์ CCTV ชั้น 2"
    )
    url = f"/status/{footage_request.token}/"
    page = client.get(url).content.decode()
    assert "data-appointment-offers" in page and "ศูนย์ CCTV ชั้น 2" in page
    client.post(f"{url}appointment/", {"appointment": second.pk})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("withdrawn", "chosen")
    page = client.get(url).content.decode()
    assert "data-appointment-offers" not in page and "data-appointment" in page


# ---- Receipts and verification -----------------------------------------------------------------------


def refused(response) -> bool:
    """Wagtail answers a refused admin request with 403 or a redirect to the dashboard."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def same(text: str) -> str:
    """SARA AM is drawn as NIKHAHIT + SARA AA and extracted as those two letters, its Unicode compatibility
    decomposition: compare in NFKC so "สำเนา" and "สํานา" are the same word, and nothing else is."""
    return unicodedata.normalize("NFKC", re.sub(r"\s+", "", text))


def pdf_text(pdf: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: run `make test`, which installs poppler-utils")
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    return subprocess.run(  # noqa: S603 - Debian's pdftotext on a file the test wrote
        ["pdftotext", "-raw", str(path), "-"],  # noqa: S607 - content order: Thai marks stay on their letter
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_handover_receipt_pdf_holds_the_right_thai_text_and_hashes(copy_chain, tmp_path):
    footage_request = _approved_copy_with_finding(copy_chain, third_parties=False)
    copy = record_copy(
        footage_request=footage_request,
        user=copy_chain["users"]["officer"],
        file_name="cam1-1430.mp4",
        duration_seconds=300,
        delivery=DeliveredCopy.Delivery.DEVICE,
        sha256="0f" * 32,
        size_bytes=52_428_800,
        device_note="แฟลชไดรฟ์ 32 GB",
    )
    receipt = issue_receipt(footage_request=footage_request, kind=Receipt.Kind.HANDOVER, copies=[copy])
    text = pdf_text(render_pdf(receipt), tmp_path)
    flat = same(text)
    assert same("ใบส่งมอบสำเนาข้อมูลภาพจากกล้องโทรทัศน์วงจรปิด") in flat
    assert same("ผู้ยื่นคำร้อง") in flat and same("เลขที่คำร้อง") in flat, "marks stay on their letters"
    assert footage_request.reference in text
    assert "0f" * 32 in flat
    assert "cam1-1430.mp4" in text
    assert f"/verify/{receipt.code}/" in flat
    assert "ใจดี" not in text, "the applicant's name is masked"
    assert same(format_be_date(timezone.localdate(), "long")) in flat, "the date is in the Buddhist Era"


def test_submission_receipt_from_the_status_page(client, chain_station, tmp_path):
    footage_request = chain_station["new"]()
    response = client.get(f"/status/{footage_request.token}/receipt.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    flat = same(pdf_text(response.content, tmp_path))
    assert same("ใบรับคำร้องขอดูหรือขอสำเนาข้อมูลภาพ") in flat and footage_request.reference in flat
    assert footage_request.receipts.count() == 1
    client.get(f"/status/{footage_request.token}/receipt.pdf")
    assert footage_request.receipts.count() == 1, "the same receipt, not a new one each time"


def test_verify_page_checks_a_hash_without_showing_personal_data(client, copy_chain):
    footage_request = _approved_copy_with_finding(copy_chain, third_parties=False)
    content = b"footage bytes" * 1000
    copy = handed_over_copy(footage_request=footage_request, user=copy_chain["users"]["officer"], content=content)
    receipt = issue_receipt(footage_request=footage_request, kind=Receipt.Kind.HANDOVER, copies=[copy])
    url = f"/verify/{receipt.code}/"
    page = client.get(url).content.decode()
    assert footage_request.reference in page and "cam1.mp4" in page
    assert "ใจดี" not in page and "สมศักดิ์" not in page and "0812345678" not in page

    matching = client.post(url, {"sha256": hashlib.sha256(content).hexdigest().upper()}).content.decode()
    assert 'data-verify-result="match"' in matching
    other = client.post(url, {"sha256": hashlib.sha256(b"changed").hexdigest()}).content.decode()
    assert 'data-verify-result="mismatch"' in other
    bad = client.post(url, {"sha256": "not a hash"}).content.decode()
    assert "data-verify-result" not in bad and "64" in bad
    assert client.get("/verify/unknown-code/").status_code == 404


# ---- Staff screens -----------------------------------------------------------------------------------


def test_staff_record_through_the_admin_and_auditors_cannot(client, chain_station, stations):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cctv.roles import ROLES

    footage_request = chain_station["new"]()
    url = f"/admin/cctv/requests/{footage_request.pk}/preserve/"
    auditor = get_user_model().objects.create_user(username="auditor", password="x" * 16)
    auditor.groups.add(Group.objects.get(name=next(role.group for role in ROLES if role.key == "auditor")))
    client.force_login(auditor)
    assert refused(client.get(url))

    client.force_login(chain_station["users"]["officer"])
    camera = stations[0].cameras.first()
    bad = client.post(
        url, {"cameras": [camera.pk], "clip_from": "20/11/2569 14:00", "clip_to": "20/11/2569 13:00", "kept_at": "NVR"}
    )
    assert bad.status_code == 400 and "NVR" in bad.content.decode(), "what was typed is kept"
    good = client.post(
        url,
        {
            "cameras": [camera.pk],
            "clip_from": "20/11/2569 14:00",
            "clip_to": "20/11/2569 14:20",
            "kept_at": "NVR-1 export 7",
        },
    )
    assert good.status_code == 302
    kept = footage_request.preservations.get()
    assert timezone.localtime(kept.clip_from).replace(tzinfo=None) == datetime(2026, 11, 20, 14, 0), "BE typed, CE kept"
    edit = client.get(f"/admin/snippets/cctv_workflow/footagerequest/edit/{footage_request.pk}/").content.decode()
    assert "NVR-1 export 7" in edit and "data-overwritten-on" in edit


def test_hash_checks_on_the_verify_page_are_rate_limited(client, copy_chain):
    footage_request = _approved_copy_with_finding(copy_chain, third_parties=False)
    copy = handed_over_copy(footage_request=footage_request, user=copy_chain["users"]["officer"], content=b"x")
    receipt = issue_receipt(footage_request=footage_request, kind=Receipt.Kind.HANDOVER, copies=[copy])
    url = f"/verify/{receipt.code}/"
    for _ in range(5):
        assert client.post(url, {"sha256": "0" * 64}).status_code == 200
    assert client.post(url, {"sha256": "0" * 64}).status_code == 429


def test_staff_cannot_name_a_camera_of_another_station(chain_station, stations):
    footage_request = chain_station["new"]()
    officer = chain_station["users"]["officer"]
    own, other = stations[0].cameras.first(), Camera.objects.exclude(station=stations[0]).first()
    with pytest.raises(ValidationError) as refused:
        preserve_footage(
            footage_request=footage_request,
            user=officer,
            cameras=[own, other],
            clip_from=aware(14),
            clip_to=aware(15),
            kept_at="NVR-1",
        )
    assert set(refused.value.message_dict) == {"cameras"}
    with pytest.raises(ValidationError) as refused:
        record_finding(
            footage_request=footage_request,
            user=officer,
            camera=other,
            found_from=time(14, 30),
            found_to=time(14, 35),
            description="x",
            third_parties_identifiable=False,
        )
    assert set(refused.value.message_dict) == {"camera"}
    assert not footage_request.preservations.exists() and not footage_request.findings.exists()
    from workflow.handling.forms import FindingForm, PreserveForm

    for form_class, field in ((PreserveForm, "cameras"), (FindingForm, "camera")):
        offered = form_class(footage_request=footage_request).fields[field].queryset
        assert set(offered.values_list("station_id", flat=True)) == {stations[0].pk}


def test_a_receipt_carries_its_own_organisations_letterhead(settings, db, home_page, tmp_path):
    """Another municipality's receipt names that municipality, never the installation's default site's."""
    from cctv.home.models import ServiceSettings
    from tests.factories import RequestTypeFactory, StationFactory, another_organisation, submission
    from workflow.constants import RequestKind
    from workflow.request.services import submit_request

    settings.ALLOWED_HOSTS = ["localhost", "testserver", "nan.example.test"]
    ServiceSettings.objects.update_or_create(site=home_page.get_site(), defaults={"organisation_name": "เทศบาลแรก"})
    theirs = another_organisation(code="NAN", host="nan.example.test")
    ServiceSettings.objects.create(site=theirs.site, organisation_name="เทศบาลเมืองน่าน")
    footage_request = submit_request(
        submission=submission(
            station=StationFactory(code="nan", organisation=theirs),
            request_type=RequestTypeFactory(kind=RequestKind.VIEW, organisation=theirs),
        )
    )
    receipt = issue_receipt(footage_request=footage_request, kind=Receipt.Kind.SUBMISSION)
    flat = same(pdf_text(render_pdf(receipt), tmp_path))
    assert same("เทศบาลเมืองน่าน") in flat and same("เทศบาลแรก") not in flat
