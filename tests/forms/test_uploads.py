import base64
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from forms import staging
from forms.uploads import sanitise_signature, sanitise_upload
from tests.factories import png_bytes


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (120, 80), "navy")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (13.0, 45.0, 0.0), 3: "E", 4: (100.0, 30.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png_with_text() -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "สมศักดิ์ ใจดี 0812345678")
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def pdf(*, javascript=False, attachment=False, password=False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if javascript:
        writer.add_open_action(JavaScript("app.alert('hello');"))
    if attachment:
        writer.add_attachment("payload.exe", b"MZ\x90\x00")
    if password:
        writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type="application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_jpeg_is_reencoded_without_exif_or_gps():
    result = sanitise_upload(upload("photo.jpg", jpeg_with_gps(), "image/jpeg"))
    assert result.kind == "jpeg" and result.extension == ".jpg"
    with Image.open(io.BytesIO(result.content)) as image:
        assert not image.getexif()
        assert "exif" not in image.info
    assert b"PhoneMaker" not in result.content


def test_png_text_chunks_are_removed():
    result = sanitise_upload(upload("scan.png", png_with_text(), "image/png"))
    assert result.kind == "png"
    assert "สมศักดิ์".encode() not in result.content and b"Author" not in result.content


def test_clean_pdf_is_kept_unchanged():
    content = pdf()
    result = sanitise_upload(upload("report.pdf", content, "application/pdf"))
    assert result.kind == "pdf"
    assert result.content == content
    assert len(result.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        pytest.param("photo.jpg", b"MZ\x90\x00\x03" + b"\x00" * 200, "file_type", id="renamed_exe"),
        pytest.param("report.pdf", "สำเนาบัตร".encode() * 20, "file_type", id="text_named_pdf"),
        pytest.param("page.png", b"<html><script>alert(1)</script></html>", "file_type", id="html_named_png"),
        pytest.param("doc.pdf", pdf(javascript=True), "pdf_active_content", id="pdf_with_javascript"),
        pytest.param("doc.pdf", pdf(attachment=True), "pdf_active_content", id="pdf_with_embedded_file"),
        pytest.param("doc.pdf", b"%PDF-1.7\n" + b"garbage" * 50, "file_type", id="broken_pdf"),
        pytest.param("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "file_type", id="truncated_jpeg"),
    ],
)
def test_disguised_or_active_files_are_refused(name, content, code):
    with pytest.raises(ValidationError) as raised:
        sanitise_upload(upload(name, content))
    assert raised.value.code == code


def test_encrypted_pdf_is_refused():
    with pytest.raises(ValidationError) as raised:
        sanitise_upload(upload("locked.pdf", pdf(password=True)))
    assert raised.value.code in {"pdf_encrypted", "pdf_active_content"}


def test_file_over_the_size_limit_is_refused():
    content = png_bytes(size=(200, 200))
    with pytest.raises(ValidationError) as raised:
        sanitise_upload(upload("big.png", content), max_bytes=len(content) - 1)
    assert raised.value.code == "file_too_large"


def test_oversized_image_is_refused_before_decoding():
    buffer = io.BytesIO()
    Image.new("1", (10_000, 5_000)).save(buffer, "PNG")  # 50 megapixels, a few kB compressed
    with pytest.raises(ValidationError) as raised:
        sanitise_upload(upload("huge.png", buffer.getvalue()))
    assert raised.value.code == "image_too_large"


def data_url(content: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(content).decode()


def test_drawn_signature_is_accepted_as_png():
    result = sanitise_signature(data_url(png_bytes()))
    assert result.kind == "png" and result.content.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        pytest.param(data_url(png_bytes(draw_line=False)), "signature_blank", id="blank_canvas"),
        pytest.param("data:image/svg+xml;base64,PHN2Zz4=", "signature_invalid", id="svg"),
        pytest.param("not a data url", "signature_invalid", id="text"),
        pytest.param("data:image/png;base64,@@@", "signature_invalid", id="bad_base64"),
        pytest.param(data_url(b"MZ" + b"\x00" * 50), "signature_invalid", id="not_a_png"),
    ],
)
def test_bad_signatures_are_refused(value, code):
    with pytest.raises(ValidationError) as raised:
        sanitise_signature(value)
    assert raised.value.code == code


def test_staged_files_round_trip_and_cannot_be_forged():
    kept = sanitise_upload(upload("card.png", png_bytes(), "image/png"))
    token = staging.stage([kept])
    assert staging.load(token) == [kept]
    forged = token[:-2] + ("yy" if token.endswith("xx") else "xx")
    assert staging.load(forged) == []
    assert staging.load("") == []
    staging.discard(token)
    assert staging.load(token) == []


def test_stale_staged_files_are_purged():
    from datetime import timedelta

    token = staging.stage([sanitise_upload(upload("card.png", png_bytes(), "image/png"))])
    assert staging.purge_older_than(timedelta(hours=1)) == 0
    assert staging.purge_older_than(timedelta(seconds=-1)) == 1
    assert staging.load(token) == []
