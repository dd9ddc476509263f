"""The auditor reads everything and changes nothing."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model

from cctv.roles import setup_roles
from cctv.spreadsheets import safe_cell
from cctv.stations.models import Station
from workflow.approval.services import ask_for_information
from workflow.privacy.access import record_access
from workflow.privacy.models import AccessLog
from workflow.request.models import FootageRequest


@pytest.fixture
def auditor(db, home_page):
    user = get_user_model().objects.create_user(username="auditor", password="x" * 16)
    user.groups.add(setup_roles()["auditor"])
    return user


@pytest.fixture
def decided(chain, client):
    footage_request = chain["new"]()
    ask_for_information(
        task_state=footage_request.current_workflow_task_state,
        user=chain["users"]["officer"],
        comment='=HYPERLINK("http://evil")',
    )
    record_access(
        footage_request=footage_request,
        user=chain["users"]["officer"],
        what=AccessLog.What.PERSONAL_DATA,
        ip="10.1.2.3",
    )
    station = Station.objects.first()
    station.name_th = "สถานีเปลี่ยนชื่อ"
    station.save()
    return footage_request


def table_rows(html: str) -> list[list[str]]:
    """The report's rows as the auditor reads them: each cell's text, tags removed."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_auditor_sees_log_decisions_access_and_history(client, auditor, decided):
    client.force_login(auditor)
    html = client.get("/admin/cctv/audit/").content.decode()
    rows = table_rows(html)
    actions = {(row[1], row[2]) for row in rows}
    for source_action in (
        ("บันทึกการใช้งานระบบ", "ส่งคำร้อง"),
        ("บันทึกการใช้งานระบบ", "ขั้นตอนการอนุมัติ: เริ่ม"),
        ("บันทึกการใช้งานระบบ", "ขอข้อมูลเพิ่มเติม"),
        ("การพิจารณาอนุมัติ", "ขอข้อมูลเพิ่มเติม"),
        ("การเข้าถึงข้อมูลส่วนบุคคล", "เปิดดู: ข้อมูลส่วนบุคคล"),
        ("ประวัติการแก้ไขข้อมูล", "สถานี: แก้ไข"),
    ):
        assert source_action in actions, source_action
    assert any(row[2] == "เปิดดู: ข้อมูลส่วนบุคคล" and row[6] == "10.1.2.3" for row in rows)
    for raw in ("cctv.request.", "wagtail.workflow", "view personal_data", "audit log", ">decision<", ">history<"):
        assert raw not in html, raw


def test_every_action_code_has_a_thai_label_of_its_own():
    from django.utils import translation
    from wagtail.log_actions import registry

    from cctv import admin_audit_log
    from workflow import log_actions
    from workflow.privacy.audit_changes import action_label

    codes = {code for code, _label in registry.get_choices()}
    ours = [code for code, _label, _message in (*log_actions.LOG_ACTIONS, *admin_audit_log.LOG_ACTIONS)]
    assert set(ours) <= codes
    with translation.override("th"):
        labels = {code: action_label(code) for code in codes}
        for code, label in labels.items():
            assert re.search("[\u0e00-\u0e7f]", label), (code, label)
            assert code not in label
        assert len({labels[code] for code in ours}) == len(ours), "two of the project's codes share a label"
        assert re.search("[\u0e00-\u0e7f]", action_label("cctv.gone.code"))


def test_audit_report_filters_by_reference_and_user(client, auditor, decided, chain):
    other = chain["new"]()
    client.force_login(auditor)
    html = client.get("/admin/cctv/audit/", {"reference": decided.reference}).content.decode()
    assert decided.reference in html and other.reference not in html
    actions = {row[2] for row in table_rows(client.get("/admin/cctv/audit/", {"user": "officer"}).content.decode())}
    assert "ส่งคำร้อง" not in actions  # the applicant's submission has no staff user
    assert "ขอข้อมูลเพิ่มเติม" in actions


def test_the_action_filter_takes_the_thai_label_too(client, auditor, decided):
    client.force_login(auditor)
    rows = table_rows(client.get("/admin/cctv/audit/", {"action": "ส่งคำร้อง"}).content.decode())
    assert rows and {row[2] for row in rows} == {"ส่งคำร้อง"}
    rows = table_rows(client.get("/admin/cctv/audit/", {"action": "สถานี"}).content.decode())
    assert "สถานี: แก้ไข" in {row[2] for row in rows} <= {"สถานี: สร้าง", "สถานี: แก้ไข"}


def test_history_rows_show_each_changed_field_from_old_to_new(client, auditor, decided, chain, stations):
    from cctv.stations.models import Camera
    from workflow.notifications.models import MessageTemplate

    station = Station.objects.get(pk=stations[0].pk)
    station.active, station.recorder_retention_days = False, 45
    station.save()
    camera = Camera.objects.get(station=stations[0], code="C02")
    camera.station = stations[1]
    camera.save()
    Camera.objects.get(station=stations[0], code="C01").save()  # saved again as it was
    template = MessageTemplate.objects.create(event="submitted", channel="sms", body="เรื่อง {reference}")
    template.channel = "email"
    template.save()
    client.force_login(auditor)
    details = {
        (row[2], row[5]) for row in table_rows(client.get("/admin/cctv/audit/", {"action": "~"}).content.decode())
    }
    assert ("สถานี: แก้ไข", "ชื่อ (ภาษาไทย): สถานีที่ปิดแล้ว → สถานีเปลี่ยนชื่อ") in details  # ``decided``'s
    assert (
        "สถานี: แก้ไข",
        "เปิดใช้งาน: ใช่ → ไม่ใช่ · ระยะเวลาเก็บภาพของเครื่องบันทึก (วัน): 30 → 45",
    ) in details
    assert ("กล้อง: แก้ไข", f"สถานี: สวนสาธารณะหนองกระทิง → {stations[1].name_th}") in details
    assert ("กล้อง: แก้ไข", "ไม่มีค่าใดเปลี่ยน") in details
    assert ("แม่แบบข้อความ: แก้ไข", "ช่องทาง: SMS → อีเมล") in details


def test_sensitive_fields_are_named_as_changed_without_their_values():
    from django.utils import translation

    from workflow.privacy.audit_changes import describe

    field = FootageRequest._meta.get_field
    with translation.override("th"):
        for name, old, new in (
            ("signature", "signatures/a.png", "signatures/b.png"),
            ("national_id_digest", "a" * 64, "b" * 64),
            ("phone", "0812345678", "0899999999"),
            ("first_name", "สมศักดิ์", "สมชาย"),
        ):
            text = describe(field(name), old, new)
            assert text.endswith(": เปลี่ยนแปลง"), text
            assert old not in text and new not in text
        assert describe(field("public_status"), "pending", "approved") == "สถานะ: รออนุมัติ → อนุมัติแล้ว"


def test_history_details_cost_a_fixed_number_of_queries(client, auditor, decided, django_assert_max_num_queries):
    station = Station.objects.first()
    for number in range(30):
        station.name_th = f"สถานี {number}"
        station.save()
    client.force_login(auditor)
    client.get("/admin/cctv/audit/")
    with django_assert_max_num_queries(40):
        html = client.get("/admin/cctv/audit/").content.decode()
    assert "ชื่อ (ภาษาไทย): สถานี 28 → สถานี 29" in html


def test_dates_are_shown_and_filtered_in_the_buddhist_era(client, auditor, decided):
    from django.utils import timezone

    from cctv.thai.dates import format_be_date

    today = timezone.localdate()
    client.force_login(auditor)
    page = client.get("/admin/cctv/audit/").content.decode()
    assert "วว/ดด/ปปปป" in page and "ค.ศ." not in page
    rows = table_rows(page)
    assert rows and all(row[0].startswith(format_be_date(today, "short")) for row in rows)
    be_today = format_be_date(today)
    assert table_rows(client.get("/admin/cctv/audit/", {"date_from": be_today, "date_to": be_today}).content.decode())
    yesterday = format_be_date(today - timedelta(days=1))
    assert table_rows(client.get("/admin/cctv/audit/", {"date_to": yesterday}).content.decode()) == [["ไม่พบข้อมูล"]]
    ce_today = f"{today.day:02d}/{today.month:02d}/{today.year}"
    refused = client.get("/admin/cctv/audit/", {"date_from": ce_today}).content.decode()
    assert "data-filter-errors" in refused and "น่าจะเป็นปีคริสต์ศักราช" in refused


def test_csv_export_escapes_formulas(client, auditor, decided):
    client.force_login(auditor)
    response = client.get("/admin/cctv/audit/", {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["at", "source", "action"]
    details = [row[5] for row in rows[1:]]
    assert any("'=HYPERLINK" in d or ("HYPERLINK" in d and not d.startswith("=")) for d in details)
    assert not any(cell.startswith(("=", "+", "@")) for row in rows[1:] for cell in row)


@pytest.mark.parametrize(
    ("value", "safe"),
    [("=1+1", "'=1+1"), ("+66", "'+66"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("ปกติ", "ปกติ"), (None, "")],
)
def test_safe_cell(value, safe):
    assert safe_cell(value) == safe


def test_audit_report_is_refused_to_other_staff(client, chain):
    client.force_login(chain["users"]["officer"])
    response = client.get("/admin/cctv/audit/")
    assert response.status_code in (302, 403)
    assert b"cctv.request" not in response.content


WRITE_VIEWS = [
    ("post", "/admin/snippets/cctv_stations/station/add/"),
    ("post", "/admin/snippets/cctv_stations/station/edit/{station}/"),
    ("post", "/admin/snippets/cctv_stations/station/delete/{station}/"),
    ("post", "/admin/snippets/cctv_workflow/footagerequest/edit/{request}/"),
    ("post", "/admin/snippets/cctv_workflow/footagerequest/delete/{request}/"),
    ("post", "/admin/snippets/cctv_workflow/requesttype/add/"),
    ("post", "/admin/snippets/cctv_workflow/refusalreason/add/"),
    ("post", "/admin/snippets/cctv_workflow/messagetemplate/add/"),
    ("post", "/admin/pages/{page}/edit/"),
    ("post", "/admin/pages/{page}/delete/"),
    ("post", "/admin/settings/cctv_home/servicesettings/{site}/"),
    ("post", "/admin/workflows/add/"),
    ("post", "/admin/snippets/cctv_workflow/footagerequest/workflow/action/{request}/approve/{task_state}/"),
]


@pytest.mark.parametrize(("method", "url"), WRITE_VIEWS)
def test_every_write_view_refuses_the_auditor(client, auditor, chain, form_page, method, url):
    footage_request = chain["new"]()
    station = Station.objects.first()
    target = url.format(
        station=station.pk,
        request=footage_request.pk,
        page=form_page.pk,
        site=form_page.get_site().pk,
        task_state=footage_request.current_workflow_task_state.pk,
    )
    before = (Station.objects.count(), FootageRequest.objects.get(pk=footage_request.pk).public_status)
    client.force_login(auditor)
    response = getattr(client, method)(target, {"name_th": "x", "code": "x", "title": "x"})
    # Wagtail answers a refused admin request with 403 or a redirect to the dashboard with a message.
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] in ("/admin/", "/admin/login/") or response["Location"].startswith("/admin/login")
    assert (Station.objects.count(), FootageRequest.objects.get(pk=footage_request.pk).public_status) == before


def _sources(**filters):
    from workflow.privacy.audit import audit_rows

    return {row.source for row in audit_rows(filters)}


def test_each_filter_applies_to_every_source(decided):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    everything = {"audit log", "decision", "access", "history"}
    assert _sources() == everything
    assert _sources(date_from=today, date_to=today) == everything
    assert _sources(date_to=today - timedelta(days=1)) == set()
    assert _sources(date_from=today + timedelta(days=1)) == set()
    assert _sources(reference=decided.reference) == {"audit log", "decision", "access"}  # history: no request
    assert _sources(reference="CCTV-0000-000000") == set()
    assert _sources(user="officer") == {"audit log", "decision", "access"}  # the station was saved by no one
    assert _sources(action="request_info") == {"audit log", "decision"}
    assert _sources(action="personal_data") == {"access"}
    assert _sources(action="~") == {"history"}
