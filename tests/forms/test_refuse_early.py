"""A request form POST that must be refused costs no parsing of its files, no decoding and no storage.

The POSTs here go through the whole middleware stack with CSRF checks enforced, as in production, where
CsrfViewMiddleware reads ``request.POST`` (and so the body) before any view runs. Fields are sent in the order
of the rendered form: the CSRF token, the proof of work, the typed fields, then the files.
"""

import io
import re

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.http import multipartparser
from django.test import Client
from django.test.client import BOUNDARY, encode_multipart
from PIL import Image

from forms import staging
from forms.forms import build_request_form_class
from forms.uploads import sanitise_upload
from tests.factories import altcha_solution, sanitised_png
from tests.forms.test_form_page import SIGNATURE, id_card_file, valid_post
from workflow.request.models import Attachment, FootageRequest

CSRF = "a" * 32
ROBOT_REQUIRED = "กรุณารอให้การตรวจสอบว่าท่านไม่ใช่โปรแกรมอัตโนมัติเสร็จ"
ROBOT_FAILED = "การตรวจสอบว่าท่านไม่ใช่โปรแกรมอัตโนมัติหมดอายุหรือไม่ผ่าน"
FILES_NOT_RECEIVED = "ไฟล์ที่ท่านเลือกยังไม่ได้รับ"
NOT_KEPT = "ระบบไม่สามารถเก็บไฟล์นี้ไว้ให้ได้"


@pytest.fixture
def browser():
    """A client that is checked for CSRF like a browser, with its CSRF cookie."""
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = CSRF
    return client


def form_post(stations, request_types, *, altcha="", files=None, **overrides) -> dict:
    """The form's fields in the order a browser sends them: token, proof of work, typed fields, files."""
    typed = valid_post(stations, request_types, **overrides)
    del typed["altcha"]
    data = {"csrfmiddlewaretoken": CSRF, "altcha": altcha, **typed}
    data.update(files if files is not None else {"id_card": id_card_file(), "other_documents": [big_photo()]})
    return data


def big_photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.effect_noise((1200, 900), 60).convert("RGB").save(buffer, "JPEG", quality=95)
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def staged_names() -> list[str]:
    try:
        return storages["private"].listdir("staging")[1]
    except FileNotFoundError:
        return []


@pytest.fixture
def watch(monkeypatch):
    """Records every image decoded, every file handed to Django's storing upload handlers and every parse."""
    seen = {"decoded": [], "received": [], "parsed": 0, "staged_read": 0}
    real_open, real_parse, real_load = Image.open, multipartparser.MultiPartParser.parse, staging.load

    def image_open(*args, **kwargs):
        seen["decoded"].append(args)
        return real_open(*args, **kwargs)

    def parse(self):
        seen["parsed"] += 1
        return real_parse(self)

    def load(token):
        seen["staged_read"] += 1
        return real_load(token)

    monkeypatch.setattr(Image, "open", image_open)
    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", parse)
    monkeypatch.setattr(staging, "load", load)
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        real_new_file = handler.new_file

        def new_file(self, field_name, *args, _real=real_new_file, **kwargs):
            seen["received"].append(field_name)
            return _real(self, field_name, *args, **kwargs)

        monkeypatch.setattr(handler, "new_file", new_file)
    return seen


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        pytest.param(lambda: "", ROBOT_REQUIRED, id="no_solution"),
        pytest.param(lambda: "eyJub3QiOiAiYSBzb2x1dGlvbiJ9", ROBOT_FAILED, id="wrong_solution"),
    ],
)
def test_post_without_proof_of_work_receives_no_file_and_keeps_the_typed_text(
    browser, form_page, stations, request_types, watch, payload, message
):
    response = browser.post(form_page.url, form_post(stations, request_types, altcha=payload()))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert FILES_NOT_RECEIVED in html, "the citizen is told to choose the files again"
    assert 'value="สมศักดิ์"' in html and "ศาลา" in html and "ต้องการค้นหาของที่สูญหาย" in html
    assert SIGNATURE in html, "the drawn signature comes back unchecked in its hidden field"
    assert "_kept" not in html
    assert watch["received"] == [], "no file reached an upload handler that keeps it"
    assert watch["decoded"] == [], "no image was decoded"
    assert staged_names() == []
    assert not FootageRequest.objects.exists()


def test_rate_limited_post_is_answered_before_its_body_is_read(
    browser, form_page, stations, request_types, watch, settings
):
    settings.CCTV_SUBMIT_RATE = "1/h"
    browser.post(form_page.url, form_post(stations, request_types))
    watch.update(decoded=[], received=[], parsed=0)
    response = browser.post(form_page.url, form_post(stations, request_types, altcha=altcha_solution()))
    assert response.status_code == 429
    assert "มีการเรียกใช้งานจากการเชื่อมต่อของท่านมากเกินไป" in response.content.decode()
    assert watch == {"decoded": [], "received": [], "parsed": 0, "staged_read": 0}
    assert staged_names() == []
    assert not FootageRequest.objects.exists()


def test_post_larger_than_the_form_accepts_is_refused_unread_with_413(
    browser, form_page, stations, request_types, watch
):
    limit = build_request_form_class([]).max_body_bytes()
    assert limit == 7 * 10 * 1024 * 1024 + 5 * 1024 * 1024 + 64 * 1024  # 7 file slots of 10 MB, text, framing
    padding = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * limit, content_type="application/pdf")
    data = form_post(stations, request_types, altcha=altcha_solution(), files={"id_card": padding})
    response = browser.post(form_page.url, data)
    assert response.status_code == 413
    html = response.content.decode()
    assert "ไฟล์ที่แนบมีขนาดใหญ่เกินไป" in html and "คำร้องของท่านยังไม่ได้ส่ง" in html
    assert watch["parsed"] == 0, "the body is not read"
    assert staged_names() == []


def test_post_with_proof_of_work_first_is_received_and_stored(browser, form_page, stations, request_types, watch):
    response = browser.post(form_page.url, form_post(stations, request_types, altcha=altcha_solution()))
    assert response.status_code == 302
    created = FootageRequest.objects.get()
    assert Attachment.objects.filter(request=created).count() == 2
    assert sorted(set(watch["received"])) == ["id_card", "other_documents"]


def test_proof_of_work_sent_after_the_files_receives_no_file(browser, form_page, stations, request_types, watch):
    data = form_post(stations, request_types)
    del data["altcha"]
    data["altcha"] = altcha_solution()  # now last, after the files
    response = browser.post(form_page.url, data)
    assert response.status_code == 200
    assert FILES_NOT_RECEIVED in response.content.decode()
    assert watch["received"] == [] and watch["decoded"] == []
    assert not FootageRequest.objects.exists()


def test_the_form_sends_the_check_before_every_file(client, form_page):
    html = client.get(form_page.url).content.decode()
    check = html.index('<altcha-widget name="altcha"')
    first_file = html.index('type="file"')
    assert check < first_file
    assert "&quot;display&quot;: &quot;floating&quot;" in html, "the widget shows itself by the send button"


def test_kept_files_are_not_read_while_the_proof_of_work_fails(browser, form_page, stations, request_types, watch):
    first = browser.post(
        form_page.url, form_post(stations, request_types, altcha=altcha_solution(), phone="12")
    )  # a wrong phone number: the valid ID card copy is kept
    token = re.search(r'name="id_card_kept" value="([^"]+)"', first.content.decode()).group(1)
    watch.update(decoded=[], received=[], staged_read=0)
    again = browser.post(
        form_page.url, form_post(stations, request_types, files={}, phone="0812345678", id_card_kept=token)
    )
    html = again.content.decode()
    assert ROBOT_REQUIRED in html
    assert f'name="id_card_kept" value="{token}"' in html, "what was kept stays kept"
    assert FILES_NOT_RECEIVED not in html, "no file was sent this time"
    assert watch["staged_read"] == 0 and watch["decoded"] == []


@pytest.mark.parametrize(
    "quota", ["CCTV_STAGING_MAX_BYTES_PER_CLIENT", "CCTV_STAGING_MAX_BYTES_TOTAL"], ids=["per_client", "total"]
)
def test_files_beyond_the_staging_quota_are_not_kept_and_the_citizen_is_told(
    browser, form_page, stations, request_types, settings, quota
):
    setattr(settings, quota, 10)  # less than any file
    data = form_post(stations, request_types, altcha=altcha_solution(), phone="12", files={"id_card": id_card_file()})
    response = browser.post(form_page.url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert NOT_KEPT in html
    assert 'name="id_card_kept"' not in html
    assert staged_names() == []


def test_the_per_client_quota_counts_each_client_apart(form_page, stations, request_types, settings):
    size = sanitise_upload(id_card_file()).size
    settings.CCTV_STAGING_MAX_BYTES_PER_CLIENT = size + size // 2  # one copy, not two
    kept = {}
    for address in ("203.0.113.7", "203.0.113.7", "198.51.100.9"):
        client = Client(enforce_csrf_checks=True, REMOTE_ADDR=address)
        client.cookies["csrftoken"] = CSRF
        data = form_post(
            stations, request_types, altcha=altcha_solution(), phone="12", files={"id_card": id_card_file()}
        )
        html = client.post(form_page.url, data).content.decode()
        kept.setdefault(address, []).append('name="id_card_kept"' in html)
    # The first client's second file would pass its quota; the other client still has all of its own.
    assert kept == {"203.0.113.7": [True, False], "198.51.100.9": [True]}
    assert len(staged_names()) == 2


def test_staging_quota_refuses_without_leaving_a_file(db, settings):
    settings.CCTV_STAGING_MAX_BYTES_TOTAL = 10
    with pytest.raises(staging.NotKept):
        staging.stage([sanitised_png()], client="203.0.113.7")
    assert staged_names() == []


def test_the_test_client_sends_fields_in_dict_order():
    # The tests above rely on it to send the proof of work before, or after, the files.
    body = encode_multipart(BOUNDARY, {"a": "1", "f": SimpleUploadedFile("x.png", b"x"), "z": "2"}).decode()
    assert body.index('name="a"') < body.index('name="f"') < body.index('name="z"')
