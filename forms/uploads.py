"""Checks on uploaded files, by their content and never by their name.

Only PDF, JPEG and PNG are accepted. Images are decoded and re-encoded without any metadata (EXIF and
GPS, ICC profiles, text chunks). Files are read in chunks and never past the size limit.

PDFs are checked in forms/pdf_check.py.
"""

import base64
import binascii
import io
import logging

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from forms import virus_scan

# check_pdf and its limits are part of this module's interface (tests and callers import them from here).
from forms.pdf_check import check_pdf, wrong_type
from forms.pdf_reading import MAX_PDF_OBJECTS, MAX_PDF_REPAIRS  # noqa: F401
from workflow.request.submission import KINDS, SanitisedFile, sanitised_file

_wrong_type = wrong_type

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

DEFAULT_MAX_PIXELS = 40_000_000

SIGNATURE_MAX_BYTES = 500 * 1024

ACCEPT = "application/pdf,image/jpeg,image/png"

ALLOWED_KINDS = frozenset(KINDS)


def sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return None


def _read_limited(uploaded, max_bytes: int) -> bytes:
    if uploaded.size is not None and uploaded.size > max_bytes:
        raise _too_large(max_bytes)
    buffer = io.BytesIO()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        buffer.write(chunk)
        if buffer.tell() > max_bytes:
            raise _too_large(max_bytes)
    return buffer.getvalue()


# Every submission re-encodes its pictures, on the web node, while the citizen waits (bench/RESULTS.md). zlib level 1
# writes a 1600x1200 photo as PNG in an eighth of level 6's time and, photos being noise to zlib, no larger; a
# scan or a drawn signature comes out a few kB larger. JPEG without the optimising second pass: a third of the time
# for a file 4% larger.
PNG_COMPRESS_LEVEL = 1
JPEG_QUALITY = 85


def _too_large(max_bytes: int) -> ValidationError:
    return ValidationError(
        _("The file is too large. The limit is %(mb)s MB."),
        code="file_too_large",
        params={"mb": max_bytes // (1024 * 1024)},
    )


def reencode_image(content: bytes, kind: str, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> bytes:
    try:
        with Image.open(io.BytesIO(content)) as probe:
            if probe.width * probe.height > max_pixels:
                raise ValidationError(
                    _("The image is too large (more than %(mp)s megapixels). Send a smaller picture."),
                    code="image_too_large",
                    params={"mp": max_pixels // 1_000_000},
                )
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if kind == "jpeg":
                if image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                # A fresh image object carries no info dict: no EXIF, GPS, XMP, ICC or comments.
                clean = Image.new(image.mode, image.size)
                clean.paste(image)
                clean.save(out, "JPEG", quality=JPEG_QUALITY)
            else:
                clean = Image.new(image.mode, image.size)
                clean.paste(image)
                if image.mode == "P":
                    clean.putpalette(image.getpalette())
                clean.save(out, "PNG", compress_level=PNG_COMPRESS_LEVEL)
            return out.getvalue()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _wrong_type() from exc


def sanitise_upload(
    uploaded, *, max_bytes: int = DEFAULT_MAX_BYTES, max_pixels: int = DEFAULT_MAX_PIXELS
) -> SanitisedFile:
    content = _read_limited(uploaded, max_bytes)
    kind = sniff(content[:16])
    if kind is None:
        raise _wrong_type()
    virus_scan.scan(content)
    if kind == "pdf":
        check_pdf(content)
    else:
        content = reencode_image(content, kind, max_pixels=max_pixels)
    return sanitised_file(content, kind, original_name=getattr(uploaded, "name", "") or "")


def sanitise_signature(data_url: str) -> SanitisedFile:
    prefix = "data:image/png;base64,"
    invalid = ValidationError(_("The signature could not be read. Please sign again."), code="signature_invalid")
    if not isinstance(data_url, str) or not data_url.startswith(prefix):
        raise invalid
    encoded = data_url[len(prefix) :]
    if len(encoded) > SIGNATURE_MAX_BYTES * 4 // 3 + 4:
        raise invalid
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise invalid from None
    if sniff(raw[:16]) != "png":
        raise invalid
    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.width * image.height > 4_000_000:
                raise invalid
            image.load()
            rgba = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise invalid from None
    alpha_extrema = rgba.getchannel("A").getextrema()
    colours = rgba.getcolors(maxcolors=2)
    if alpha_extrema[1] == 0 or (colours is not None and len(colours) == 1):
        raise ValidationError(_("Please sign in the box."), code="signature_blank")
    out = io.BytesIO()
    rgba.save(out, "PNG", compress_level=PNG_COMPRESS_LEVEL)
    return sanitised_file(out.getvalue(), "png", original_name="signature.png")


class SanitisedFileField(forms.FileField):
    widget = forms.ClearableFileInput

    def __init__(self, *, max_bytes: int = DEFAULT_MAX_BYTES, **kwargs):
        super().__init__(**kwargs)
        self.max_bytes = max_bytes
        self.widget.attrs.setdefault("accept", ACCEPT)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": ACCEPT}

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if not uploaded or isinstance(uploaded, SanitisedFile):
            return uploaded or None
        return sanitise_upload(uploaded, max_bytes=self.max_bytes)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class SanitisedMultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *, max_files: int = 5, max_bytes: int = DEFAULT_MAX_BYTES, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)
        self.max_files = max_files
        self.max_bytes = max_bytes

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": ACCEPT}

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:
            raise ValidationError(
                _("Attach at most %(count)s files here."),
                code="too_many_files",
                params={"count": self.max_files},
            )
        return [
            sanitise_upload(super(SanitisedMultipleFileField, self).clean(f, initial), max_bytes=self.max_bytes)
            for f in files
        ]
