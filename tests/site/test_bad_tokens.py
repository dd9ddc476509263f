"""Malformed keys in the public tokenised paths are "not found", never a server error."""

import re

import pytest
from django.urls import Resolver404, resolve, reverse

from workflow.handling.models import new_download_token, new_receipt_code
from workflow.request.models import new_token

# As they arrive on the wire: the test client decodes the percent escapes as a WSGI server does.
MALFORMED = [
    pytest.param("%00abc", id="nul_first"),
    pytest.param("abc%00", id="nul_last"),
    pytest.param("A" * 31 + "%00", id="nul_in_a_token_of_the_right_length"),
    pytest.param("%0d%0a", id="crlf"),
    pytest.param("a%0aSet-Cookie:x=1", id="header_injection"),
    pytest.param("%09", id="tab"),
    pytest.param("%7f%1b", id="del_and_escape"),
    pytest.param("%ff%fe", id="invalid_utf8"),
    pytest.param("%e0%b8%81" * 32, id="thai_letters_of_the_right_length"),
    pytest.param("%F0%9F%98%80", id="emoji"),
    pytest.param("a" * 31, id="one_too_short"),
    pytest.param("a" * 33, id="one_too_long"),
    pytest.param("a" * 65, id="longer_than_the_column"),
    pytest.param("a" * 5000, id="very_long"),
    pytest.param("%20", id="space"),
    pytest.param("%2e%2e", id="dot_dot"),
    pytest.param("a%2fb", id="encoded_slash"),
    pytest.param("a%5cb", id="backslash"),
    pytest.param("'%20OR%20'1'='1", id="sql_quote"),
    pytest.param("%3Cscript%3E", id="markup"),
    pytest.param("%25", id="percent"),
    pytest.param("A" * 31 + "=", id="padding_character"),
]

# Every public path that carries a key, with the method its view answers.
TOKENISED = [
    pytest.param("get", "/status/{}/", id="status"),
    pytest.param("post", "/status/{}/", id="status_answer"),
    pytest.param("post", "/status/{}/cancel/", id="cancel"),
    pytest.param("get", "/status/{}/qr.svg", id="qr"),
    pytest.param("post", "/status/{}/appointment/", id="appointment"),
    pytest.param("get", "/status/{}/receipt.pdf", id="receipt"),
    pytest.param("get", "/copies/{}/", id="copy_download"),
    pytest.param("get", "/verify/{}/", id="verify"),
    pytest.param("post", "/verify/{}/", id="verify_check"),
]


@pytest.mark.parametrize("value", MALFORMED)
@pytest.mark.parametrize(("method", "url"), TOKENISED)
def test_malformed_key_is_not_found(client, home_page, method, url, value):
    response = getattr(client, method)(url.format(value))
    assert response.status_code == 404, (url.format(value), response.status_code)
    # Refused by the path itself: the view (and the database, where PostgreSQL raised on NUL) is never reached.
    try:
        match = resolve(response.wsgi_request.path_info)
    except Resolver404:
        match = None
    assert match is None or match.namespace != "cctv_forms", match


@pytest.mark.parametrize(("method", "url"), TOKENISED)
def test_well_formed_unknown_key_is_not_found(client, home_page, method, url):
    key = new_receipt_code() if url.startswith("/verify/") else new_token()
    assert getattr(client, method)(url.format(key)).status_code == 404


@pytest.mark.parametrize(
    ("make", "converter"),
    [(new_token, "access_token"), (new_download_token, "access_token"), (new_receipt_code, "receipt_code")],
)
def test_every_generated_key_passes_its_converter(make, converter):
    """The converters are as strict as the generators: a change to one without the other fails here."""
    from django.urls.converters import get_converters

    pattern = re.compile(get_converters()[converter].regex)
    for _ in range(200):
        key = make()
        assert pattern.fullmatch(key), key


def test_the_named_routes_use_the_strict_converters():
    for name in ("status", "status_cancel", "status_qr", "status_appointment", "status_receipt", "copy_download"):
        assert reverse(f"cctv_forms:{name}", kwargs={"token": new_token()})
    assert reverse("cctv_forms:verify", kwargs={"code": new_receipt_code()})
    from django.urls import NoReverseMatch

    for name in ("status", "copy_download"):
        with pytest.raises(NoReverseMatch):
            reverse(f"cctv_forms:{name}", kwargs={"token": "a\x00b"})
