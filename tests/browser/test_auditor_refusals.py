"""The auditor in the real Wagtail admin (Thai, Debian's chromium) reads the reports and the lists, and nothing of an
applicant: the Reports menu opens the audit trail; the request listing shows references that open nothing; the
request, its history, the ID-card copy and the signature typed by address each give the admin's Thai refusal, and
none of them is access-logged; the Messages listing opens with nothing to add, change or delete; a station can be
read and not changed. No response may be a server error (the ``admin`` fixture)."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from cctv.roles import setup_roles
from tests.browser.admin_session import DASHBOARD
from tests.browser.conftest import shoot
from workflow.notifications.models import Notification
from workflow.privacy.models import AccessLog
from workflow.request.models import Attachment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFUSAL = "ขออภัย คุณไม่มีสิทธิ์เข้าถึงส่วนนี้"
REPORTS = "รายงาน"
AUDIT_TRAIL = "ประวัติการตรวจสอบ"
REQUESTS = "คำร้องขอข้อมูลภาพ"
MESSAGES = "ข้อความที่ส่ง"


def refused(page, base, path: str) -> None:
    """``path`` typed in the address bar: back on the dashboard with the admin's Thai refusal, nothing shown."""
    response = page.goto(base + path)
    page.wait_for_url(base + DASHBOARD)
    expect(page.locator(".messages")).to_contain_text(REFUSAL)
    assert response.request.redirected_from is not None, path  # a redirect, not a page of the file or request
    assert not response.headers["content-type"].startswith("image/"), path


def test_the_auditor_reads_reports_and_lists_and_is_refused_the_applicants_data(live_server, chain, stations, admin):
    base = live_server.url
    footage_request = chain["new"]()
    attachment = Attachment.objects.get(request=footage_request)
    assert Notification.objects.filter(request=footage_request).exists()
    auditor = get_user_model().objects.create_user(username="auditor")
    auditor.groups.add(setup_roles()["auditor"])
    page = admin.open_as(auditor)
    assert page.locator("html").get_attribute("lang") == "th"

    # The reports: the audit trail, from the Reports menu.
    page.get_by_role("button", name=REPORTS).click()
    panel = page.locator(".sidebar-sub-menu-panel").filter(has_text=REPORTS)
    expect(panel.get_by_role("link", name=AUDIT_TRAIL)).to_be_visible()
    expect(panel.get_by_role("link", name="เวลาเทียบมาตรฐาน")).to_be_visible()
    with page.expect_navigation():
        panel.get_by_role("link", name=AUDIT_TRAIL).click()
    expect(page.get_by_role("heading", name=AUDIT_TRAIL)).to_be_visible()
    expect(page.locator("[data-audit-trail]")).to_contain_text(footage_request.reference)
    shoot(page, "auditor-audit-trail")

    # The request listing: the reference is there, as text that opens nothing.
    page.get_by_role("link", name=REQUESTS).click()
    page.wait_for_url(re.compile(r"/admin/snippets/cctv_workflow/footagerequest/(\?.*)?$"))
    expect(page.locator("main tbody")).to_contain_text(footage_request.reference)
    expect(page.locator("main tbody").get_by_role("link")).to_have_count(0)
    shoot(page, "auditor-request-listing")

    # The applicant's request and files, typed by address: refused in Thai.
    for path in (
        f"/admin/snippets/cctv_workflow/footagerequest/edit/{footage_request.pk}/",
        f"/admin/snippets/cctv_workflow/footagerequest/history/{footage_request.pk}/",
        f"/admin/cctv/attachments/{attachment.pk}/",
        f"/admin/cctv/signatures/{footage_request.pk}/",
    ):
        refused(page, base, path)
    shoot(page, "auditor-refused")
    assert footage_request.first_name not in page.content()

    # The messages sent: a listing with nothing to add, change or delete.
    page.get_by_role("link", name=MESSAGES).click()
    page.wait_for_url(base + "/admin/messages/")
    expect(page.get_by_role("heading", name=MESSAGES)).to_be_visible()
    expect(page.locator("main tbody")).to_contain_text(footage_request.reference)
    main = page.locator("main")
    for label in ("เพิ่ม", "แก้ไข", "ลบ", "บันทึก"):
        expect(main.get_by_role("button", name=re.compile(label))).to_have_count(0)
        expect(main.get_by_role("link", name=re.compile(label))).to_have_count(0)
    shoot(page, "auditor-messages-listing")

    # A station can be read in the listing, and its edit page is refused.
    station = stations[0]
    page.get_by_role("link", name="สถานีกล้อง").click()
    page.wait_for_url(re.compile(r"/admin/snippets/cctv_stations/station/(\?.*)?$"))
    expect(page.locator("main tbody")).to_contain_text(station.name_th)
    expect(page.locator("main").get_by_role("link", name=re.compile("เพิ่ม"))).to_have_count(0)
    refused(page, base, f"/admin/snippets/cctv_stations/station/edit/{station.pk}/")

    # Nothing was read, so nothing is in the access log.
    assert not AccessLog.objects.filter(user=auditor).exists()
    assert not AccessLog.objects.filter(request=footage_request).exists()
