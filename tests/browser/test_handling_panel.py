"""The request page's handling panel through the real Wagtail admin in Thai: timing the manual's steps with one press
to start and one to stop (per camera where the manual counts cameras), work typed afterwards and refused when it
starts before the request came, preserving footage, and no footage. Each post comes back to where it was made, no
response is a server error, and the citizen's status page shows what the action shows them (axe-core checks it).
The release actions (findings, privacy, appointments, copies, receipts) are in test_handling_panel_release.py."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import shoot
from tests.browser.handling_panel import (
    citizen_page,
    field,
    fresh,
    in_view,
    manual_steps,
    open_form,
    open_panel,
    send,
    slot,
)
from tests.factories import submission
from workflow.handling.fields import format_be_input
from workflow.handling.models import FootagePreservation, NoFootageReason, ServiceStep, StepRecord
from workflow.lifecycle import PublicStatus
from workflow.request.services import submit_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def with_cameras(chain, stations, request_types):
    """A view request naming both cameras of its station (the review is timed per camera)."""
    manual_steps()
    cameras = list(stations[0].cameras.order_by("code"))
    footage_request = submit_request(
        submission=submission(
            station=stations[0], request_type=request_types["view"], camera_ids=[camera.pk for camera in cameras]
        )
    )
    return fresh(footage_request), cameras


def test_one_press_starts_a_step_and_one_stops_it(live_server, chain, admin, browser, with_cameras):
    footage_request, (first, second) = with_cameras
    documents, review = ServiceStep.objects.get(code="documents"), ServiceStep.objects.get(code="review")
    page = admin.open_as(chain["users"]["officer"])
    panel = open_panel(admin, page, footage_request)
    expect(panel.get_by_role("heading", name="ขั้นตอนและเวลา")).to_be_visible()

    start = panel.get_by_role("button", name=f"เริ่ม · {documents.display_name}", exact=True)
    send(page, start)
    assert page.url.endswith(f"#handling-row-{documents.pk}-0")
    row = page.locator(f"#handling-row-{documents.pk}-0")
    expect(row.locator("[data-handling-done]")).to_contain_text("งานเริ่มแล้ว")
    assert in_view(page, f"handling-row-{documents.pk}-0"), "back where the press was, not at the top"
    elapsed = row.locator("[data-elapsed]")
    expect(elapsed).to_have_text(re.compile(r"^0:00:0[1-9]$"), timeout=5_000)  # counted by the page's script
    record = StepRecord.objects.get(request=footage_request, step=documents)
    assert record.is_running and record.staff == chain["users"]["officer"]
    shoot(page, "handling_step_running")

    send(page, row.get_by_role("button", name=f"หยุด · {documents.display_name}", exact=True))
    expect(row.locator("[data-handling-done]")).to_contain_text("บันทึกการปฏิบัติงานแล้ว")
    record.refresh_from_db()
    assert not record.is_running and record.ended_at > record.started_at
    assert len([url for url in admin.posts if "/admin/cctv/requests/" in url]) == 2, "one press to start, one to stop"
    records = page.locator('tr[data-step="documents"] [data-step-records]')
    started = timezone.localtime(record.started_at)
    expect(records).to_contain_text(f"{started:%H:%M}")
    expect(records).to_contain_text(str(started.year + 543))  # shown in the Buddhist Era

    # The review is timed camera by camera: two timers at once.
    for camera in (first, second):
        send(page, panel.get_by_role("button", name=f"เริ่ม · {review.display_name} · {camera.code}", exact=True))
    running = StepRecord.objects.filter(request=footage_request, step=review, ended_at__isnull=True)
    assert sorted(running.values_list("camera__code", flat=True)) == [first.code, second.code]
    expect(page.locator('tr[data-step="review"] [data-running-since]')).to_have_count(2)
    shoot(page, "handling_steps_per_camera")
    send(page, panel.get_by_role("button", name=f"หยุด · {review.display_name} · {first.code}", exact=True))
    assert running.count() == 1

    citizen = citizen_page(browser, live_server, footage_request)
    progress = citizen.locator("[data-progress]")
    expect(progress.locator("li", has_text="ตรวจสอบเอกสาร")).to_contain_text("เสร็จแล้ว")
    expect(progress.locator("li", has_text="ตรวจสอบภาพจากกล้อง")).to_contain_text("กำลังดำเนินการ")
    assert citizen.server_errors == []
    citizen.context.close()


def test_a_start_typed_before_the_request_came_is_refused_and_nothing_typed_is_lost(
    live_server, chain, admin, with_cameras
):
    footage_request, _cameras = with_cameras
    # The request came half an hour ago, so a correction typed to the minute fits between then and now.
    type(footage_request).objects.filter(pk=footage_request.pk).update(
        submitted_at=timezone.now() - timedelta(minutes=30)
    )
    footage_request.refresh_from_db()
    submitted = timezone.localtime(footage_request.submitted_at)
    started, ended = format_be_input(submitted - timedelta(days=1)), format_be_input(submitted - timedelta(hours=23))
    page = admin.open_as(chain["users"]["officer"])
    panel = open_panel(admin, page, footage_request)
    box = open_form(panel, "step")
    field(box, "ขั้นตอน").select_option(label="ตรวจสอบเอกสาร")
    field(box, "เริ่ม").fill(started)
    field(box, "สิ้นสุด").fill(ended)
    field(box, "หมายเหตุ").fill("ตรวจสำเนาบัตรประชาชน")
    send(page, box.get_by_role("button", name="บันทึก", exact=True))

    box = slot(panel, "step")
    assert page.url.endswith("#handling-step") and in_view(page, "handling-step")
    expect(box.locator("details")).to_have_attribute("open", "")
    expect(box).to_contain_text("เวลาเริ่มต้องไม่ก่อนเวลาที่ยื่นคำร้อง")
    expect(box).to_contain_text(f"{submitted:%H:%M}")
    expect(field(box, "เริ่ม")).to_have_value(started)
    expect(field(box, "สิ้นสุด")).to_have_value(ended)
    expect(field(box, "หมายเหตุ")).to_have_value("ตรวจสำเนาบัตรประชาชน")
    expect(field(box, "ขั้นตอน")).to_have_value(str(ServiceStep.objects.get(code="documents").pk))
    shoot(page, "handling_typed_refused")
    assert not StepRecord.objects.exists()

    # Corrected to a time after the request came, the same form records the work.
    field(box, "เริ่ม").fill(format_be_input(submitted + timedelta(minutes=1)))
    field(box, "สิ้นสุด").fill(format_be_input(timezone.localtime()))
    send(page, box.get_by_role("button", name="บันทึก", exact=True))
    expect(slot(panel, "step").locator("[data-handling-done]")).to_contain_text("บันทึกการปฏิบัติงานแล้ว")
    assert StepRecord.objects.get().notes == "ตรวจสำเนาบัตรประชาชน"


def test_preserving_footage_from_the_panel(live_server, chain, admin, browser, with_cameras):
    footage_request, (first, second) = with_cameras
    page = admin.open_as(chain["users"]["officer"])
    panel = open_panel(admin, page, footage_request)
    box = open_form(panel, "preserve")
    expect(box.get_by_label(re.compile(first.code))).to_be_checked()  # the request's cameras, to start with
    box.get_by_label(re.compile(second.code)).uncheck()
    field(box, "ช่วงภาพตั้งแต่").fill("24/11/2569 14:00")
    field(box, "ช่วงภาพถึง").fill("24/11/2569 13:00")
    field(box, "เก็บไว้ที่").fill("NVR-2 ไฟล์ล็อกที่ 14")
    send(page, box.get_by_role("button", name="บันทึก", exact=True))
    box = slot(panel, "preserve")
    expect(box).to_contain_text("เวลาสิ้นสุดของช่วงภาพต้องอยู่หลังเวลาเริ่ม")
    expect(field(box, "เก็บไว้ที่")).to_have_value("NVR-2 ไฟล์ล็อกที่ 14")

    field(box, "ช่วงภาพถึง").fill("24/11/2569 14:20")
    send(page, box.get_by_role("button", name="บันทึก", exact=True))
    expect(slot(panel, "preserve").locator("[data-handling-done]")).to_contain_text("บันทึกการเก็บรักษาภาพแล้ว")
    expect(panel).to_contain_text("NVR-2 ไฟล์ล็อกที่ 14")
    kept = FootagePreservation.objects.get(request=footage_request)
    assert list(kept.cameras.all()) == [first]
    assert timezone.localtime(kept.clip_from).strftime("%Y-%m-%d %H:%M") == "2026-11-24 14:00"

    citizen = citizen_page(browser, live_server, footage_request)  # nothing of it is the citizen's; the page works
    assert citizen.server_errors == []
    citizen.context.close()


def test_no_footage_from_the_panel_and_the_citizen_is_told(live_server, chain, admin, browser, with_cameras):
    footage_request, _cameras = with_cameras
    # A transactional test may have flushed the migration-seeded reasons: an editor's own reason stands in.
    reason = NoFootageReason.objects.create(text_th="กล้องบริเวณนี้ชำรุด", text_en="The camera was broken")
    page = admin.open_as(chain["users"]["officer"])
    panel = open_panel(admin, page, footage_request)
    box = open_form(panel, "no-footage")
    expect(box).to_contain_text("ยกเลิกภายหลังไม่ได้")
    field(box, "เหตุผล").select_option(str(reason.pk))
    field(box, "ข้อความถึงผู้ยื่นคำร้อง").fill("กล้องชำรุดในวันเกิดเหตุ")
    send(page, box.get_by_role("button", name="บันทึกว่าไม่พบภาพ", exact=True))
    expect(slot(panel, "no-footage").locator("[data-handling-done]")).to_contain_text("แจ้งผู้ยื่นคำร้อง")
    expect(panel.locator("[data-no-footage-recorded]")).to_contain_text(reason.text_th)
    assert fresh(footage_request).public_status == PublicStatus.NO_FOOTAGE
    shoot(page, "handling_no_footage")

    citizen = citizen_page(browser, live_server, footage_request)
    expect(citizen.locator("[data-status]")).to_have_text("ไม่พบภาพจากกล้อง")
    expect(citizen.locator("[data-no-footage]")).to_contain_text("กล้องชำรุดในวันเกิดเหตุ")
    assert citizen.server_errors == []
    citizen.context.close()
