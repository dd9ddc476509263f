"""An editor changes what the public form offers, in the real Wagtail admin (Thai, Debian's chromium), and a citizen
on a phone sees it at once, though the form page is cached whole: a camera added to a station is offered for that
station, one switched off or removed is not; a new privacy notice is shown above the consent box and on the privacy
page, and a request sent after it records the revision its applicant accepted. No response may be a server error;
axe checks the citizen's pages."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from cctv.roles import setup_roles
from cctv.stations.models import Camera
from tests.browser.admin_session import watch_server_errors
from tests.browser.citizen_form import field, fill_in_the_request, one_page
from tests.browser.conftest import axe_violations, shoot
from tests.factories import png_bytes
from workflow.request.models import FootageRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARK = "สวนสาธารณะหนองกระทิง"
PARK_CAMERAS = ["C01 ทางเข้า", "C02 ลานจอดรถ"]
SUMMARY = "ข้อมูลส่วนบุคคลของท่านจะถูกเก็บไว้สามปี แล้วลบทิ้ง"
BODY = "ท่านขอดู แก้ไข หรือลบข้อมูลของท่านได้ที่ฝ่ายบริหารงานทั่วไป"


def editor_account():
    user = get_user_model().objects.create_user(username="editor")
    user.groups.add(setup_roles()["editor"])
    return user


def open_station(page, name: str) -> None:
    """From the sidebar's Stations item to the station's edit page, as an editor goes there."""
    page.get_by_role("link", name="สถานีกล้อง").click()
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("button", name="บันทึก", exact=True)).to_be_visible()


def save_station(page) -> None:
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/snippets/cctv_stations/station/(\?.*)?$"))
    expect(page.locator(".messages .success")).to_be_visible()


def camera_panel(page, code: str):
    """The inline panel of the station's saved camera ``code``."""
    return page.locator("[data-inline-panel-child]:visible").filter(
        has=page.locator(f"input[name$='-code'][value='{code}']")
    )


def cameras_offered(page, station: str) -> list[str]:
    field(page, "เหตุเกิดบริเวณ").select_option(label=station)
    return field(page, "กล้อง").locator("option").all_inner_texts()


def test_cameras_an_editor_adds_switches_off_and_removes_show_on_the_form_at_once(live_server, form_page, admin, phone):
    base = live_server.url
    citizen_errors = watch_server_errors(phone)
    phone.goto(base + form_page.url)  # the cached page, before the editor's changes
    park = f"{PARK} (อ.เมือง)"
    assert cameras_offered(phone, park) == PARK_CAMERAS

    # The editor adds a camera to the park, with its Thai name and where it points.
    page = admin.open_as(editor_account())
    open_station(page, PARK)
    page.get_by_role("button", name="เพิ่มกล้อง").click()
    new = page.locator("[data-inline-panel-child]:visible").last
    new.get_by_role("textbox", name=re.compile(r"^รหัส")).fill("C03")
    new.get_by_role("textbox", name=re.compile(r"^ชื่อ")).fill("ประตูทิศเหนือ")
    new.get_by_role("textbox", name=re.compile(r"^ตำแหน่ง")).fill("หันไปทางถนนพหลโยธิน")
    shoot(page, "editor-camera-added", full_page=True)
    save_station(page)
    camera = Camera.objects.get(station__code="park", code="C03")
    assert (camera.name, camera.position, camera.active) == ("ประตูทิศเหนือ", "หันไปทางถนนพหลโยธิน", True)

    phone.reload()
    assert cameras_offered(phone, park) == [*PARK_CAMERAS, "C03 ประตูทิศเหนือ · หันไปทางถนนพหลโยธิน"]
    assert axe_violations(phone) == []
    field(phone, "กล้อง").scroll_into_view_if_needed()
    shoot(phone, "form-new-camera")

    # The car park camera is switched off: kept, and no longer offered.
    open_station(page, PARK)
    camera_panel(page, "C02").get_by_role("checkbox", name="เปิดใช้งาน").uncheck()
    save_station(page)
    assert not Camera.objects.get(station__code="park", code="C02").active
    phone.reload()
    assert cameras_offered(phone, park) == ["C01 ทางเข้า", "C03 ประตูทิศเหนือ · หันไปทางถนนพหลโยธิน"]

    # The new camera is removed from the station.
    open_station(page, PARK)
    camera_panel(page, "C03").get_by_role("button", name="ลบ").click()
    expect(camera_panel(page, "C03")).to_have_count(0)
    shoot(page, "editor-camera-removed", full_page=True)
    save_station(page)
    assert not Camera.objects.filter(station__code="park", code="C03").exists()
    phone.reload()
    assert cameras_offered(phone, park) == ["C01 ทางเข้า"]
    assert axe_violations(phone) == []

    assert citizen_errors == []
    assert phone.console_errors == []


def test_a_privacy_notice_an_editor_publishes_is_what_the_next_applicant_accepts(
    live_server, form_page, privacy_page, admin, phone
):
    base = live_server.url
    citizen_errors = watch_server_errors(phone.context)  # the form and the policy's tab
    phone.goto(base + form_page.url)  # cached with the notice as it was
    notice = phone.locator(".privacy-text")
    expect(notice).to_have_text(privacy_page.summary)
    before = privacy_page.live_revision_id

    # The editor finds the privacy page under Pages, edits its notice and the full policy, and publishes.
    page = admin.open_as(editor_account())
    page.get_by_role("button", name="หน้าเว็บ").click()
    page.get_by_role("link", name="ดูหน้าย่อยของ 'หน้าแรก'").click()
    with page.expect_navigation():
        page.get_by_role("link", name="แก้ไข 'นโยบายความเป็นส่วนตัว'").click()
    page.get_by_role("textbox", name=re.compile(r"^ประกาศโดยย่อ")).fill(SUMMARY)
    # Draftail's editable box is not tied to the field's label: it is the text box in the "full policy" field.
    body = page.locator("[data-contentpath='body']").get_by_role("textbox")
    body.click()
    page.keyboard.type(BODY)
    # Draftail copies its text into the form's field a moment after the typing stops (as a person pauses).
    expect(page.locator("input[name=body]")).to_have_value(re.compile(re.escape(BODY)))
    shoot(page, "editor-privacy-edit", full_page=True)
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("button", name="เผยแพร่", exact=True).click()
    page.wait_for_url(re.compile(rf"{re.escape(base)}/admin/pages/\d+/$"))
    expect(page.locator(".messages .success")).to_be_visible()
    shoot(page, "editor-privacy-published")
    privacy_page.refresh_from_db()
    assert privacy_page.live_revision_id != before
    assert (privacy_page.summary, privacy_page.consent_label) == (SUMMARY, "ข้าพเจ้าได้อ่านและยอมรับนโยบายความเป็นส่วนตัวแล้ว")

    # The citizen: the new notice above the consent box, and in full on the privacy page.
    phone.reload()
    one_page(phone)  # the consent's step at once (the steps themselves: test_stepped_form.py)
    expect(notice).to_have_text(SUMMARY)
    assert axe_violations(phone) == []
    notice.scroll_into_view_if_needed()
    shoot(phone, "form-new-privacy-notice")
    with phone.context.expect_page() as policy_tab:
        phone.get_by_role("link", name="อ่านนโยบายความเป็นส่วนตัวฉบับเต็ม (เปิดในแท็บใหม่)").click()
    policy = policy_tab.value
    policy.wait_for_load_state()
    expect(policy.locator(".privacy-summary")).to_have_text(SUMMARY)
    expect(policy.locator("main")).to_contain_text(BODY)
    assert axe_violations(policy) == []
    shoot(policy, "privacy-page-new-text", full_page=True)
    policy.close()

    # A request sent now records the revision its applicant accepted.
    card = [{"name": "card.png", "mimeType": "image/png", "buffer": png_bytes(size=(320, 200))}]
    fill_in_the_request(phone, card=card)
    phone.get_by_role("button", name="ส่งคำร้อง").click()
    phone.wait_for_url("**/request/submitted/")
    assert FootageRequest.objects.get().privacy_policy_revision_id == privacy_page.live_revision_id

    assert citizen_errors == []
    assert phone.console_errors == []
