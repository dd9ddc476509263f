"""One escaper for every spreadsheet the product writes (CSV injection).

A cell that begins with ``= + - @``, a tab or a carriage return is run as a formula by Excel, LibreOffice and
Google Sheets, so a station's name or a staff member's display name such as ``=HYPERLINK(...)`` would become a
link or a command in an auditor's spreadsheet. Every such cell is written with a leading apostrophe, the mark
spreadsheets read as "text". The product's own CSV (the audit report) writes through ``safe_cell``; every export
Wagtail makes (reports, listings with ``list_export``, form submissions) goes through ``SpreadsheetExportMixin``,
which ``install()`` teaches to do the same, in CSV and in headings of both formats. Numbers stay numbers: only text
can hold a formula.
"""

from functools import wraps

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The text a spreadsheet shows as it is, never runs."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _text_escaped(value):
    return safe_cell(value) if isinstance(value, str) else value


def install() -> None:
    """Every Wagtail spreadsheet export escapes its text cells (idempotent; called once from an app's ready())."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin, "_cctv_escaped", False):
        return
    preprocess = SpreadsheetExportMixin.preprocess_field_value
    heading = SpreadsheetExportMixin.get_heading

    @wraps(preprocess)
    def preprocess_field_value(self, field, value, export_format):
        cell = preprocess(self, field, value, export_format)
        # XLSX cells Wagtail already forces to text (openpyxl's formula type is overridden); CSV has no types.
        return _text_escaped(cell) if export_format == self.FORMAT_CSV else cell

    @wraps(heading)
    def get_heading(self, queryset, field):
        # Headings are labels editors can write (form fields) and openpyxl would read "=..." as a formula.
        return safe_cell(heading(self, queryset, field))

    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
    SpreadsheetExportMixin.get_heading = get_heading
    SpreadsheetExportMixin._cctv_escaped = True
