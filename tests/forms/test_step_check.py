"""The stepped form's check of one step (forms/step_views.py): the same validation as the real submit, only this
step's errors, nothing stored, no proof of work spent, refusals without a server error."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from forms.step_views import SECTION_KEYS, form_steps
from tests.forms.test_form_page import valid_post
from workflow.request.models import FootageRequest

pytestmark = pytest.mark.django_db


def url(page):
    return reverse("cctv_forms:check_step", kwargs={"page_id": page.pk})


def check(client, page, step, data):
    return client.post(url(page), {**data, "step": step})


def test_applicant_step_reports_only_its_own_fields_in_thai(client, form_page):
    response = check(client, form_page, "applicant", {"national_id": "1234567890123", "title": "mr"})
    assert response.status_code == 200
    body = response.json()
    assert body["step"] == "applicant" and body["valid"] is False
    names = {error["name"] for error in body["errors"]}
    assert names == {"first_name", "last_name", "national_id", "age", "nationality", "written_on"}
    national = next(e for e in body["errors"] if e["name"] == "national_id")
    assert national["id"] == "id_national_id" and national["label"] == "เลขบัตรประชาชน"
    assert national["messages"] and all(any("\u0e00" <= ch <= "\u0e7f" for ch in m) for m in national["messages"])


def test_a_valid_step_passes_though_later_steps_are_empty(client, form_page, stations, request_types):
    data = valid_post(stations, request_types)
    applicant = {name: data.get(name, "") for name in form_steps_fields(form_page, "applicant")}
    body = check(client, form_page, "applicant", applicant).json()
    assert body == {"step": "applicant", "valid": True, "errors": []}


def form_steps_fields(page, key):
    from wagtail.models import Site

    from forms.forms import build_request_form_class
    from forms.selectors import get_form_options

    options = get_form_options(page=page, site=Site.objects.get(is_default_site=True))
    form = build_request_form_class(options.extra_fields)(options=options)
    return next(s for s in form_steps(form) if s.key == key).field_names


def test_cross_field_rules_of_the_step_are_checked(client, form_page, stations, request_types):
    data = valid_post(stations, request_types, file_count="")
    body = check(client, form_page, "purpose", data).json()
    assert [e["name"] for e in body["errors"]] == ["file_count"]
    assert body["errors"][0]["id"] == "id_file_count"


def test_documents_step_needs_the_id_card_chosen_but_receives_no_file(client, form_page, stations, request_types):
    data = valid_post(stations, request_types)
    missing = check(client, form_page, "documents", data).json()
    assert [e["name"] for e in missing["errors"]] == ["id_card"]
    chosen = check(client, form_page, "documents", {**data, "files_chosen": "id_card"}).json()
    assert chosen["valid"] is True


def test_the_proof_of_work_is_not_spent_and_nothing_is_stored(client, form_page, stations, request_types):
    from forms import altcha

    data = valid_post(stations, request_types)
    body = check(client, form_page, "consent", data).json()
    assert body["valid"] is True
    assert FootageRequest.objects.count() == 0
    assert altcha.verify(data["altcha"])  # still good for the real submit


def test_consent_step_checks_the_signature(client, form_page, stations, request_types):
    data = valid_post(stations, request_types, signature="data:image/png;base64,AAAA", consent="")
    body = check(client, form_page, "consent", data).json()
    assert {e["name"] for e in body["errors"]} == {"consent", "signature"}


def test_get_is_refused(client, form_page):
    assert client.get(url(form_page)).status_code == 405


def test_csrf_is_required(form_page, stations, request_types):
    strict = Client(enforce_csrf_checks=True)
    assert check(strict, form_page, "applicant", {"first_name": "ก"}).status_code == 403
    strict.get(form_page.url)
    token = strict.cookies["csrftoken"].value
    response = strict.post(url(form_page), {"step": "applicant", "csrfmiddlewaretoken": token})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"step": "nope"},
        {},
        {"step": "applicant", "age": "x" * 5000, "written_on": "99/99/9999", "cameras": "abc"},
        {"step": "incident", "station": "999999", "cameras": ["x", "1"], "incident_date": "\x00"},
        {"step": "consent", "signature": "data:image/png;base64,!!!!", "consent": "maybe"},
    ],
)
def test_garbage_gets_no_server_error(client, form_page, body):
    response = client.post(url(form_page), body)
    assert response.status_code in (200, 400)
    json.loads(response.content)


def test_unknown_page_and_wrong_content_type(client, form_page):
    assert (
        client.post(reverse("cctv_forms:check_step", kwargs={"page_id": 999999}), {"step": "applicant"}).status_code
        == 404
    )
    response = client.post(url(form_page), data=b'{"step": "applicant"}', content_type="application/json")
    assert response.status_code == 400


def test_a_body_too_large_for_a_step_is_refused(client, form_page):
    response = client.post(url(form_page), {"step": "applicant", "reason": "x" * (1024 * 1024 + 10)})
    assert response.status_code == 413


def test_the_check_is_throttled(client, form_page, settings):
    settings.CCTV_STEP_CHECK_RATE = "2/m"
    codes = [check(client, form_page, "applicant", {}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_every_section_has_a_step_key(form_page):
    from forms.forms import CoreRequestForm

    assert len(SECTION_KEYS) == len(CoreRequestForm.SECTIONS)


def test_the_camera_choices_show_where_each_camera_looks(client, form_page, stations):
    camera = stations[0].cameras.first()
    camera.position = "หันไปทางถนนพหลโยธิน"
    camera.save()
    from forms.selectors import forget_form_options

    forget_form_options()
    html = client.get(form_page.url).content.decode()
    assert f"{camera.code} {camera.name} · หันไปทางถนนพหลโยธิน" in html


def test_a_form_shown_again_opens_at_the_step_of_its_first_error(client, form_page, stations, request_types):
    data = valid_post(stations, request_types, address_postcode="12")
    html = client.post(form_page.url, data).content.decode()
    assert 'data-start-step="address"' in html
    assert "data-one-page" not in html
    again = client.post(form_page.url, valid_post(stations, request_types, address_postcode="12", one_page="1"))
    assert "data-one-page" in again.content.decode()


def test_the_page_without_script_is_one_form_with_every_section(client, form_page):
    html = client.get(form_page.url).content.decode()
    for key in (*SECTION_KEYS, "consent"):
        assert f'data-step="{key}"' in html, key
    # The check of the answers and the steps' header only show with the script.
    assert re.search(r'<section class="check-answers" data-step="check"[^>]* hidden', html)
    assert re.search(r"data-step-header hidden", html)


def test_the_editors_questions_are_a_step_of_their_own(client, form_page):
    from forms.models import RequestFormField

    RequestFormField.objects.create(page=form_page, label="ทะเบียนรถ", field_type="singleline", required=True)
    html = client.get(form_page.url).content.decode()
    assert 'data-step="extra"' in html
    body = check(client, form_page, "extra", {}).json()
    assert [(e["label"], e["messages"] != []) for e in body["errors"]] == [("ทะเบียนรถ", True)]
    assert "ทะเบียนรถ" not in {e["label"] for e in check(client, form_page, "applicant", {}).json()["errors"]}
    answered = check(client, form_page, "extra", {body["errors"][0]["name"]: "กข 1234"}).json()
    assert answered["valid"] is True
