import base64
import json

import altcha
import pytest
from django.core.cache import cache

from forms import altcha as cctv_altcha
from tests.factories import altcha_solution, lookup_post, national_id, submission
from tests.forms.test_form_page import id_card_file, valid_post
from workflow.request.models import FootageRequest
from workflow.request.services import submit_request

ROBOT_REQUIRED = "กรุณารอให้การตรวจสอบว่าท่านไม่ใช่โปรแกรมอัตโนมัติเสร็จ"
ROBOT_FAILED = "การตรวจสอบว่าท่านไม่ใช่โปรแกรมอัตโนมัติหมดอายุหรือไม่ผ่าน"


def _tampered(payload: str, **solution) -> str:
    data = json.loads(base64.b64decode(payload))
    data["solution"].update(solution)
    return base64.b64encode(json.dumps(data).encode()).decode()


def test_challenge_is_signed_uncached_and_sets_no_cookie(client, db):
    response = client.get("/altcha/challenge/")
    assert response.status_code == 200
    body = response.json()
    assert body["parameters"]["algorithm"] == "PBKDF2/SHA-256"
    assert body["signature"] and body["parameters"]["keySignature"]
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert not response.cookies


def test_a_solved_challenge_is_accepted_once(db):
    payload = altcha_solution()
    assert cctv_altcha.verify(payload) is True
    assert cctv_altcha.verify(payload) is False, "a replayed solution must be refused"


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param("", id="empty"),
        pytest.param("not base64 at all", id="garbage"),
        pytest.param("A" * 5000, id="oversized"),
    ],
)
def test_malformed_payloads_are_refused(db, payload):
    assert cctv_altcha.verify(payload) is False


def test_wrong_solution_is_refused(db):
    assert cctv_altcha.verify(_tampered(altcha_solution(), counter=10**6, derivedKey="00" * 32)) is False


def test_challenge_signed_by_another_site_is_refused(db):
    foreign = altcha.create_challenge("PBKDF2/SHA-256", 10, counter=3, hmac_secret="another-site")
    solution = altcha.solve_challenge(foreign)
    assert cctv_altcha.verify(altcha.Payload(foreign, solution).to_base64()) is False


def test_expired_challenge_is_refused(db, settings):
    settings.CCTV_ALTCHA_EXPIRES = -5
    assert cctv_altcha.verify(altcha_solution()) is False


def test_submission_without_the_check_keeps_everything_and_stores_nothing(client, form_page, stations, request_types):
    data = valid_post(stations, request_types)
    del data["altcha"]
    response = client.post(form_page.url, {**data, "id_card": id_card_file()})
    assert response.status_code == 200
    html = response.content.decode()
    assert ROBOT_REQUIRED in html
    assert 'href="#id_altcha"' in html, "the error summary links to the check"
    assert "สมศักดิ์" in html and "ศาลา" in html, "typed values are kept"
    # The file was never received (tests/forms/test_refuse_early.py), and the citizen is told so.
    assert 'name="id_card_kept"' not in html
    assert "ไฟล์ที่ท่านเลือกยังไม่ได้รับ" in html
    assert not FootageRequest.objects.exists()


def test_replayed_solution_cannot_submit_twice(client, form_page, stations, request_types):
    data = valid_post(stations, request_types)
    assert client.post(form_page.url, {**data, "id_card": id_card_file()}).status_code == 302
    again = client.post(form_page.url, {**data, "id_card": id_card_file()})
    assert again.status_code == 200 and ROBOT_FAILED in again.content.decode()
    assert FootageRequest.objects.count() == 1


def test_lookup_without_the_check_finds_nothing(client, home_page, stations, request_types):
    found = submit_request(submission=submission(station=stations[0], request_type=request_types["view"]))
    data = lookup_post(national_id(), "0812345678")
    del data["altcha"]
    response = client.post("/status/", data)
    assert response.status_code == 200
    assert ROBOT_REQUIRED in response.content.decode()
    assert found.token not in response.content.decode()


def test_deployments_can_switch_the_check_off(client, form_page, settings):
    settings.CCTV_ALTCHA_ENABLED = False
    assert "altcha-widget" not in client.get(form_page.url).content.decode()
    settings.CCTV_ALTCHA_ENABLED = True
    cache.clear()  # a deployment restarts with the new setting; the cached page is from the old one
    assert "altcha-widget" in client.get(form_page.url).content.decode()
