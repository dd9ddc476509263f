"""The handling panel's release actions through the real Wagtail admin in Thai, on an approved copy request: a review
finding, a privacy decision, viewing times (two in one offer: one message to the applicant, who sees both), a copy
with a download link (the citizen downloads it) and the handover receipt (its PDF, and the public check of its
code). No response may be a server error; axe-core checks the citizen's pages."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, shoot
from tests.browser.handling_panel import (
    approved_copy_request,
    citizen_page,
    field,
    in_view,
    open_form,
    open_panel,
    send,
    slot,
)
from workflow.constants import Channel, NotificationEvent
from workflow.handling.fields import format_be_input
from workflow.handling.models import Appointment, DeliveredCopy, LegalBasis, PrivacyDecision, Receipt, ReviewFinding
from workflow.notifications import sms
from workflow.notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def approved(chain, stations, request_types):
    return approved_copy_request(chain, stations, request_types)


def test_a_finding_and_a_privacy_decision_from_the_panel(live_server, chain, admin, approved, stations):
    camera = stations[0].cameras.order_by("code").first()
    basis = LegalBasis.objects.create(text_th="พระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. ๒๕๖๒")
    page = admin.open_as(chain["users"]["officer"])
    panel = open_panel(admin, page, approved)

    box = open_form(panel, "finding")
    field(box, "กล้อง").select_option(str(camera.pk))
    field(box, "พบตั้งแต่เวลา").fill("14:30")
    field(box, "ถึงเวลา").fill("14:35")
    field(box, "รายละเอียดที่พบในภาพ").fill("รถจักรยานยนต์ชนรถเก๋งที่ทางแยก")
    field(box, "ระบุตัวบุคคลอื่นได้").check()
    send(page, box.get_by_role("button", name="บันทึก", exact=True))
    expect(slot(panel, "finding").locator("[data-handling-done]")).to_contain_text("บันทึกผลการตรวจสอบภาพแล้ว")
    assert in_view(page, "handling-finding")
    finding = ReviewFinding.objects.get(request=approved)
    assert (finding.camera, finding.third_parties_identifiable) == (camera, True)
    expect(panel).to_contain_text("รถจักรยานยนต์ชนรถเก๋งที่ทางแยก")
    expect(panel).to_contain_text("ต้องบันทึกการตัดสินใจด้านข้อมูลส่วนบุคคลก่อน")  # no copy before a decision

    box = open_form(panel, "privacy")
    box.get_by_label("เปิดเผยหลังเบลอภาพบุคคลอื่น").check()
    field(box, "ฐานทางกฎหมาย").select_option(str(basis.pk))
    field(box, "เหตุผลประกอบ").fill("เบลอใบหน้าและป้ายทะเบียนของผู้อื่นแล้ว")
    send(page, box.get_by_role("button", name="บันทึก", exact=True))
    expect(slot(panel, "privacy").locator("[data-handling-done]")).to_contain_text("บันทึกการตัดสินใจด้านข้อมูลส่วนบุคคลแล้ว")
    assert PrivacyDecision.objects.get(request=approved).release == PrivacyDecision.Release.BLURRED
    expect(slot(panel, "copy").locator("summary")).to_be_visible()  # a copy may now be recorded
    shoot(page, "handling_review")


def test_two_viewing_times_in_one_offer_send_one_message(live_server, chain, admin, browser, approved):
    sms.MemoryGateway.outbox.clear()
    tomorrow = timezone.localtime() + timedelta(days=1)
    first, second = (tomorrow.replace(hour=hour, minute=0, second=0, microsecond=0) for hour in (9, 14))
    page = admin.open_as(chain["users"]["officer"])
    panel = open_panel(admin, page, approved)
    box = open_form(panel, "appointment")
    field(box, "เวลาที่ 1").fill(format_be_input(first))
    field(box, "เวลาที่ 2").fill(format_be_input(second))
    field(box, "สถานที่").fill("ศูนย์ CCTV ชั้น 2")
    shoot(page, "handling_appointment_form")
    send(page, box.get_by_role("button", name="เสนอวันเวลา", exact=True))
    expect(slot(panel, "appointment").locator("[data-handling-done]")).to_contain_text("แจ้งในข้อความเดียว")
    expect(panel.locator("[data-appointment-row]")).to_have_count(2)
    assert Appointment.objects.filter(request=approved).count() == 2

    [message] = Notification.objects.filter(request=approved, event=NotificationEvent.APPOINTMENT, channel=Channel.SMS)
    assert message.status == Notification.Status.SENT
    [sent] = [item for item in sms.MemoryGateway.outbox if approved.reference in item["text"] and "นัด" in item["text"]]
    assert "09:00" in sent["text"] and "14:00" in sent["text"] and "ศูนย์ CCTV ชั้น 2" in sent["text"]

    citizen = citizen_page(browser, live_server, approved)
    offers = citizen.locator("[data-appointment-offers]")
    expect(offers.get_by_role("radio")).to_have_count(2)
    expect(offers).to_contain_text("09:00")
    expect(offers).to_contain_text("14:00")
    expect(offers).to_contain_text(str(first.year + 543))
    assert citizen.server_errors == []
    citizen.context.close()


def test_a_copy_to_download_and_its_receipt(live_server, chain, admin, browser, approved, tmp_path):
    content = b"\x00\x00\x00\x18ftypmp42" + b"frame" * 20000
    video = tmp_path / "cam1-1430.mp4"
    video.write_bytes(content)
    page = admin.open_as(chain["users"]["officer"])
    panel = open_panel(admin, page, approved)
    expect(slot(panel, "receipt").locator("summary")).to_have_count(0)  # no copy yet
    expect(slot(panel, "receipt")).to_contain_text("ออกใบส่งมอบได้เมื่อบันทึกการส่งมอบสำเนาแล้ว")

    box = open_form(panel, "copy")
    field(box, "ชื่อไฟล์").fill("cam1-1430.mp4")
    field(box, "ความยาว (วินาที)").fill("300")
    box.get_by_label("ลิงก์ดาวน์โหลด").check()
    field(box, "ไฟล์").set_input_files(str(video))
    send(page, box.get_by_role("button", name="บันทึก", exact=True))
    expect(slot(panel, "copy").locator("[data-handling-done]")).to_contain_text("บันทึกการส่งมอบสำเนาแล้ว")
    copy = DeliveredCopy.objects.get(request=approved)
    assert copy.sha256 == hashlib.sha256(content).hexdigest() and copy.file
    expect(panel).to_contain_text(copy.sha256)

    box = open_form(panel, "receipt")
    expect(box.get_by_label(re.compile("cam1-1430.mp4"))).to_be_checked()
    send(page, box.get_by_role("button", name="ออกใบส่งมอบ", exact=True))
    expect(slot(panel, "receipt").locator("[data-handling-done]")).to_contain_text("ใบส่งมอบพร้อมพิมพ์แล้ว")
    receipt = Receipt.objects.get(request=approved, kind=Receipt.Kind.HANDOVER)
    link = panel.locator("[data-receipt] a", has_text="ใบส่งมอบสำเนาข้อมูลภาพ")
    pdf = page.context.request.get(live_server.url + link.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    shoot(page, "handling_copy_receipt")

    citizen = citizen_page(browser, live_server, approved)
    download = citizen.locator("[data-downloads] a", has_text="cam1-1430.mp4")
    with citizen.expect_download() as started:
        download.click()
    assert started.value.path().read_bytes() == content
    citizen.goto(f"{live_server.url}/verify/{receipt.code}/")  # the receipt's code, printed as a QR code
    expect(citizen.locator("main")).to_contain_text(approved.reference)
    expect(citizen.locator("main")).to_contain_text("cam1-1430.mp4")
    assert axe_violations(citizen) == []
    assert citizen.server_errors == []
    citizen.context.close()
