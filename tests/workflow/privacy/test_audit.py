"""The auditor reads everything and changes nothing."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model

from cctv.roles import setup_roles
from cctv.stations.models import Station
from workflow.approval.services import ask_for_information
from workflow.privacy.access import record_access
from cctv.spreadsheets import safe_cell
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


def test_auditor_sees_log_decisions_access_and_history(client, auditor, decided):
    client.force_login(auditor)
    html = client.get("/admin/cctv/audit/").content.decode()
    for needle in (
        "cctv.request.submit",
        "cctv.request.request_info",
        "view personal_data",
        "10.1.2.3",
        "station",
        "decision",
    ):
        assert needle in html, needle


def test_audit_report_filters_by_reference_and_user(client, auditor, decided, chain):
    other = chain["new"]()
    client.force_login(auditor)
    html = client.get("/admin/cctv/audit/", {"reference": decided.reference}).content.decode()
    assert decided.reference in html and other.reference not in html
    html = client.get("/admin/cctv/audit/", {"user": "officer"}).content.decode()
    assert "cctv.request.submit" not in html  # the applicant's submission has no staff user
    assert "cctv.request.request_info" in html


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
