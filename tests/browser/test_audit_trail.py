"""An editor changes a station in the real admin; the auditor opens the audit trail in Thai and reads what happened
in words, with the station's old and new values, and filters it by Buddhist-Era dates. No response may be a server
error."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from cctv.roles import setup_roles
from cctv.thai.dates import format_be_date
from tests.browser.conftest import axe_violations, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def cells(page, column: int) -> list[str]:
    return [
        text.strip() for text in page.locator(f"[data-audit-trail] tbody tr td:nth-child({column})").all_inner_texts()
    ]


def test_the_auditor_reads_changes_in_thai_with_old_and_new_values(live_server, chain, stations, admin):
    groups = setup_roles()
    users = {}
    for role in ("editor", "auditor"):
        users[role] = get_user_model().objects.create_user(username=f"{role}-1")
        users[role].groups.add(groups[role])
    footage_request = chain["new"]()
    station = stations[0]

    # The editor renames the station and changes how long its recorder keeps footage, on the station's edit page.
    editor = admin.open_as(users["editor"])
    editor.goto(f"{live_server.url}/admin/snippets/cctv_stations/station/edit/{station.pk}/")
    editor.get_by_label(re.compile(r"^ชื่อ \(ภาษาไทย\)")).fill("สวนสาธารณะหนองกระทิง (ประตู 2)")
    editor.get_by_label("ระยะเวลาเก็บภาพของเครื่องบันทึก (วัน)").first.fill("45")  # the station's; its cameras' follow
    editor.get_by_role("button", name="บันทึก", exact=True).click()
    editor.wait_for_url(re.compile(r"/admin/snippets/cctv_stations/station/(\?.*)?$"))
    editor.context.close()

    # The auditor opens the audit trail from the reports menu.
    auditor = admin.open_as(users["auditor"])
    auditor.goto(f"{live_server.url}/admin/cctv/audit/")
    assert auditor.get_by_role("heading", name="ประวัติการตรวจสอบ").count() == 1
    actions = cells(auditor, 3)
    assert "ส่งคำร้อง" in actions and "ขั้นตอนการอนุมัติ: เริ่ม" in actions and "สถานี: แก้ไข" in actions
    assert not any(re.search(r"\b(cctv|wagtail)\.[a-z_.]+", action) for action in actions), actions
    assert set(cells(auditor, 2)) <= {
        "บันทึกการใช้งานระบบ",
        "การพิจารณาอนุมัติ",
        "การเข้าถึงข้อมูลส่วนบุคคล",
        "ประวัติการแก้ไขข้อมูล",
    }
    details = cells(auditor, 6)
    assert (
        "ชื่อ (ภาษาไทย): สวนสาธารณะหนองกระทิง → สวนสาธารณะหนองกระทิง (ประตู 2) · ระยะเวลาเก็บภาพของเครื่องบันทึก (วัน): 30 → 45"
    ) in details
    today = timezone.localdate()
    assert all(at.startswith(format_be_date(today, "short")) for at in cells(auditor, 1))

    # Filtered by Buddhist-Era dates as the form asks for them; a Christian-Era year is refused in Thai.
    auditor.get_by_label("ตั้งแต่วันที่ (วว/ดด/ปปปป พ.ศ.)").fill(format_be_date(today))
    auditor.get_by_label("ถึงวันที่ (วว/ดด/ปปปป พ.ศ.)").fill(format_be_date(today))
    auditor.get_by_role("button", name="กรอง").click()
    auditor.wait_for_url(re.compile(r"date_from="))
    assert footage_request.reference in cells(auditor, 4)
    assert axe_violations(auditor, within="[data-audit-trail]") == []
    shoot(auditor, "audit-trail", full_page=True)

    auditor.get_by_label("ถึงวันที่ (วว/ดด/ปปปป พ.ศ.)").fill(format_be_date(today - timedelta(days=1)))
    auditor.get_by_role("button", name="กรอง").click()
    auditor.locator("[data-audit-trail]").wait_for()
    assert cells(auditor, 1) == ["ไม่พบข้อมูล"]
    auditor.get_by_label("ตั้งแต่วันที่ (วว/ดด/ปปปป พ.ศ.)").fill(f"01/01/{today.year}")
    auditor.get_by_label("ถึงวันที่ (วว/ดด/ปปปป พ.ศ.)").fill("")
    auditor.get_by_role("button", name="กรอง").click()
    assert "น่าจะเป็นปีคริสต์ศักราช" in auditor.locator("[data-filter-errors]").inner_text()
