"""Receipts as PDF in Thai: the submission receipt and the handover receipt for copies of footage.

WeasyPrint lays out the HTML template with the bundled Sarabun font (workflow/fonts); the QR code points to
/verify/<code>/, where anyone holding the paper can check it and the hash of a file handed over, without
seeing personal data. The handover receipt ends with the lines both sides sign: ผู้ส่งมอบ (the staff who handed
the copies over, printed by name) and ผู้รับมอบ (the applicant), each dated in the Buddhist Era. Rendering
fetches nothing but the bundled fonts and inline images.
"""

import base64
import functools
import io
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from fontTools.ttLib import TTFont
from weasyprint import HTML
from weasyprint.pdf.fonts import Font as PdfFont
from weasyprint.urls import URLFetcher

from cctv.home.selectors import service_settings
from cctv.links import public_url
from cctv.qr import qr_svg
from workflow.handling.models import Receipt

FONTS = Path(__file__).resolve().parent / "fonts"


class _LocalOnly(URLFetcher):
    """Inline images and the bundled fonts; never the network or another file."""

    def fetch(self, url, headers=None):
        if url.startswith("data:") or (url.startswith("file://") and Path(url[7:]).resolve().parent == FONTS):
            return super().fetch(url, headers)
        raise ValueError(f"receipts fetch nothing else: {url[:40]}")


def verify_url(receipt: Receipt, *, request=None) -> str:
    """The QR's address: the host the receipt was asked for at, else the configured public address."""
    return public_url(reverse("cctv_forms:verify", kwargs={"code": receipt.code}), request=request)


def render_pdf(receipt: Receipt, *, request=None) -> bytes:
    footage_request = receipt.request
    copies = list(receipt.copies.select_related("staff"))
    link = verify_url(receipt, request=request)
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "workflow/receipt.html",
            {
                "receipt": receipt,
                "footage_request": footage_request,
                "copies": copies,
                "handed_over_by": receipt.handed_over_by(copies),
                "service": service_settings(footage_request.organisation.site),  # the letterhead is its own
                "verify_url": link,
                "qr": "data:image/svg+xml;base64," + base64.b64encode(qr_svg(link)).decode(),
                "fonts": FONTS.as_uri(),
            },
        )
    return HTML(string=html, url_fetcher=_LocalOnly()).write_pdf()


def _seed_text_map(init):
    """WeasyPrint gives each glyph the text of the first cluster it was drawn in. Thai clusters share glyphs
    (SARA AM is drawn as NIKHAHIT + SARA AA), so "สำเนา" was extracted as "สำเนำ" and marks moved between
    letters. Seeding the map from the font's own character map gives every encoded glyph its own letter;
    only positional variants of marks, which the character map does not name, still take their cluster's
    text. Checked by tests/workflow/handling/test_handling.py with pdftotext (WeasyPrint 70)."""

    @functools.wraps(init)
    def seeded(self, *args, **kwargs):
        init(self, *args, **kwargs)
        font = TTFont(io.BytesIO(self.file_content), fontNumber=self.index, lazy=True)
        for codepoint, name in sorted(font.getBestCmap().items()):
            self.to_unicode.setdefault(font.getGlyphID(name), chr(codepoint))

    return seeded


if not getattr(PdfFont.__init__, "__wrapped__", None):
    PdfFont.__init__ = _seed_text_map(PdfFont.__init__)
