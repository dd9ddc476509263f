"""The system administrator (a superuser) opens "หน่วยงาน" in the admin, reads each organisation's counts in Thai,
closes one through the confirmation page, and a citizen's phone then says the service is closed; re-opening brings
the status page back. An officer is refused the console and sees no menu item for it. No 5xx anywhere but
the closed pages' own 503. The superuser adds an organisation through the console's Thai form."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from cctv.organisations.models import Organisation
from tests.browser.admin_session import watch_server_errors
from tests.browser.admin_words import LATIN_WORD
from tests.browser.conftest import axe_violations, shoot
from tests.factories import another_organisation
from tests.factories import first_organisation as footage_organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONSOLE = "/admin/cctv/organisations/"
CLOSED = "บริการนี้ปิดแล้ว"


def row_of(page, name):
    return page.locator("main table tbody tr").filter(has_text=name)


def assert_thai(page, names):
    """No English on the console's screen but the names of things (host names, prefixes)."""
    words = set(LATIN_WORD.findall(page.locator("main").inner_text())) - names
    assert words == set(), words


def change_status(page, name, action, confirm, shots):
    """The row's ⋯ menu, its action, then the confirmation page's button: back on the listing."""
    row = row_of(page, name)
    row.locator("[data-w-dropdown-target='toggle']").first.click()
    with page.expect_navigation():
        row.get_by_role("link", name=action).click()
    shoot(page, shots)
    assert_thai(page, names={"localhost"})
    with page.expect_navigation():
        page.get_by_role("button", name=confirm).click()
    assert page.url.endswith(CONSOLE)


def test_the_superuser_closes_and_reopens_an_organisation(live_server, admin, phone, form_page, chain, settings):
    settings.ALLOWED_HOSTS = ["localhost", "nan.example.test"]
    footage_request = chain["new"]()
    ours = footage_request.organisation
    ours.name_th = "เทศบาลนครทดสอบ"
    ours.save()
    ours.members.add(chain["users"]["officer"])
    another_organisation(code="NAN", host="nan.example.test")
    superuser = get_user_model().objects.create_superuser(username="narong.w", email="narong@example.go.th")
    base = live_server.url
    phone_errors = watch_server_errors(phone)

    page = admin.open_as(superuser)
    with page.expect_navigation():
        page.locator("#wagtail-sidebar").get_by_role("link", name="หน่วยงาน").click()
    assert page.url == base + CONSOLE
    headers = page.locator("main table thead th").all_inner_texts()
    for header in ("ชื่อ (ภาษาไทย)", "ชื่อโฮสต์", "อักษรนำหน้าเลขที่คำร้อง", "การให้บริการ", "คำร้อง"):
        assert any(header in text for text in headers), (header, headers)
    assert any("อยู่ระหว่างดำเนินการ" in text for text in headers)
    row = row_of(page, ours.name_th)
    cells = [text.strip() for text in row.locator("td").all_inner_texts()]
    # host, prefix, open, 1 request, 1 in progress, 3 stations (the closed one too), 1 member
    assert cells[-7:] == ["localhost", ours.code, "เปิดให้บริการ", "1", "1", "3", "1"], cells
    their_cells = [text.strip() for text in row_of(page, "เทศบาลเมืองน่าน").locator("td").all_inner_texts()]
    assert their_cells[-7:] == ["nan.example.test", "NAN", "เปิดให้บริการ", "0", "0", "0", "0"], their_cells
    shoot(page, "organisations-console", full_page=True)
    assert_thai(page, names={"localhost", "nan", "example", "test", ours.code, "NAN"})

    change_status(page, ours.name_th, "ปิดการให้บริการ", "ยืนยัน ปิดการให้บริการ", "organisations-confirm-close")
    expect(page.get_by_text(f"{ours.name_th} ปิดให้บริการแล้ว")).to_be_visible()
    assert row_of(page, ours.name_th).locator("td").all_inner_texts()[-5].strip() == "ปิดให้บริการ"
    shoot(page, "organisations-closed")

    status_url = f"{base}/status/{footage_request.token}/"
    phone.goto(status_url)
    assert phone.locator("h1").inner_text() == CLOSED
    assert footage_request.reference not in phone.content()
    assert axe_violations(phone) == []
    shoot(phone, "organisations-citizen-closed")
    form_url = base + form_page.relative_url(ours.site)
    phone.goto(form_url)
    assert phone.locator("h1").inner_text() == CLOSED
    # The closed pages answer 503 (Service Unavailable) on purpose, for search engines and monitors; nothing else.
    assert phone_errors == [f"503 {status_url}", f"503 {form_url}"]

    change_status(page, ours.name_th, "เปิดให้บริการอีกครั้ง", "ยืนยัน เปิดให้บริการอีกครั้ง", "organisations-confirm-open")
    expect(page.get_by_text(f"{ours.name_th} เปิดให้บริการอีกครั้งแล้ว")).to_be_visible()

    phone.goto(status_url)
    assert phone.locator("h1").inner_text() != CLOSED
    assert footage_request.reference in phone.content()
    shoot(phone, "organisations-citizen-open")

    # The names are edited; the prefix, which the request's reference carries, is not.
    with page.expect_navigation():
        row_of(page, ours.name_th).get_by_role("link", name=ours.name_th).click()
    expect(page.get_by_role("textbox", name="อักษรนำหน้าเลขที่คำร้อง")).to_be_disabled()
    expect(page.get_by_text("มีเลขที่คำร้องที่ใช้อักษรนำหน้านี้แล้ว จึงเปลี่ยนไม่ได้")).to_be_visible()
    page.get_by_role("textbox", name="ชื่อ (ภาษาไทย)").fill("เทศบาลนครทดสอบใหม่")
    shoot(page, "organisations-edit")
    with page.expect_navigation():
        page.locator("footer").get_by_role("button", name="บันทึก").click()
    expect(row_of(page, "เทศบาลนครทดสอบใหม่")).to_have_count(1)

    page.goto(base + "/admin/reports/site-history/")
    expect(page.get_by_text("ปิดการให้บริการของหน่วยงานแล้ว").first).to_be_visible()
    shoot(page, "organisations-site-history")
    assert len(phone_errors) == 2  # none since re-opening


def test_an_officer_is_refused_the_console(live_server, admin, chain):
    officer = chain["users"]["officer"]
    page = admin.open_as(officer)
    menu = page.get_by_role("navigation", name="เมนูหลัก")
    expect(menu.get_by_role("link", name="คำร้องขอข้อมูลภาพ")).to_be_visible()  # the menu is drawn
    assert menu.get_by_role("link", name="หน่วยงาน").count() == 0
    organisation = chain["users"]["officer"].organisations.first() or footage_organisation()
    for path in ("", "results/", f"edit/{organisation.pk}/", f"close/{organisation.pk}/", f"open/{organisation.pk}/"):
        response = page.goto(live_server.url + CONSOLE + path)
        # Refused: a 403, or Wagtail's way, back to the dashboard with its "no permission" message.
        assert response.status == 403 or page.url == f"{live_server.url}/admin/", (path, response.status, page.url)
        assert "อักษรนำหน้าเลขที่คำร้อง" not in page.content()
    shoot(page, "organisations-officer-refused")


def test_the_superuser_adds_an_organisation_in_thai_and_its_request_form_answers_on_its_host(
    live_server, admin, phone, form_page, settings
):
    """The console's "เพิ่มหน่วยงาน": a host that is not a host name and another organisation's prefix are refused
    in Thai; then the new municipality is made, the page says what was made, the audit log has it, and its request
    form answers on its own host (127.0.0.1, the same server) with its name."""
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    ours = footage_organisation()
    superuser = get_user_model().objects.create_superuser(username="narong.w", email="narong@example.go.th")
    base = live_server.url
    phone_errors = watch_server_errors(phone)
    page = admin.open_as(superuser)
    page.goto(base + CONSOLE)
    with page.expect_navigation():
        page.get_by_role("link", name="เพิ่มหน่วยงาน").click()
    shoot(page, "organisations-add")
    assert_thai(page, names={"https", "cctv", "example", "go", "th", "CCTV"})

    port = base.rsplit(":", 1)[1]
    assert page.get_by_role("spinbutton", name="พอร์ต").input_value() == "443"

    def submit(host, prefix):
        page.get_by_role("textbox", name="ชื่อโฮสต์").fill(host)
        page.get_by_role("spinbutton", name="พอร์ต").fill(port)
        page.get_by_role("textbox", name="ชื่อ (ภาษาไทย)").fill("เทศบาลเมืองพะเยา")
        page.get_by_role("textbox", name="ชื่อ (ภาษาอังกฤษ)").fill("Phayao Town Municipality")
        page.get_by_role("textbox", name="อักษรนำหน้าเลขที่คำร้อง").fill(prefix)
        page.get_by_role("textbox", name="หมายเลขโทรศัพท์ที่ผู้ยื่นคำร้องติดต่อ").fill("054-411111")
        with page.expect_navigation():
            page.get_by_role("button", name="เพิ่มหน่วยงาน").click()

    submit("https://127.0.0.1/request", "PYO")
    expect(page.get_by_text("ใส่เฉพาะชื่อโฮสต์ ไม่ต้องมี https:// หมายเลขพอร์ต หรือพาธ")).to_be_visible()
    submit("127.0.0.1", ours.code.lower())
    expect(page.get_by_text(f"อักษรนำหน้าเลขที่คำร้อง {ours.code} เป็นของ{ours.name_th} (localhost)")).to_be_visible()
    shoot(page, "organisations-add-refused")
    assert Organisation.objects.count() == 1

    submit("127.0.0.1", "pyo")
    expect(page.get_by_text("เพิ่มเทศบาลเมืองพะเยาที่ 127.0.0.1 แล้ว อักษรนำหน้าเลขที่คำร้อง PYO")).to_be_visible()
    expect(page.get_by_text("ขั้นตอนการให้บริการ: 6")).to_be_visible()
    expect(page.get_by_text("ประเภทคำร้อง: 2")).to_be_visible()
    shoot(page, "organisations-added")
    assert_thai(page, names={"http", "127", "0", "1", port, "request", "PYO"})
    added = Organisation.objects.get(code="PYO")
    assert (added.site.hostname, added.site.port, added.name_en, added.site.is_default_site) == (
        "127.0.0.1",
        int(port),
        "Phayao Town Municipality",
        False,
    )

    # Adding the same host again is refused in Thai, and nothing more is made.
    page.goto(base + CONSOLE + "add/")
    submit("127.0.0.1", "PYO2")
    expect(page.get_by_text("ชื่อโฮสต์ 127.0.0.1 ให้บริการเทศบาลเมืองพะเยาอยู่แล้ว")).to_be_visible()
    assert Organisation.objects.count() == 2

    response = phone.goto(f"http://127.0.0.1:{port}/request/")
    assert response.status == 200
    assert "เทศบาลเมืองพะเยา" in phone.content() and ours.name_th not in phone.content()
    assert axe_violations(phone) == []
    assert phone_errors == []

    page.goto(base + "/admin/reports/site-history/")
    expect(page.get_by_text("เพิ่มหน่วยงานแล้ว").first).to_be_visible()
    page.goto(base + CONSOLE)
    expect(row_of(page, "เทศบาลเมืองพะเยา")).to_have_count(1)
