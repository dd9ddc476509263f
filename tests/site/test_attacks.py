"""Hostile input: every free-text field is shown escaped on public pages and in the admin; forms need CSRF."""

import pytest
from django.test import Client

from workflow.approval.services import ask_for_information
from workflow.request.models import FootageRequest

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def hostile_request(chain):
    footage_request = chain["new"]()
    FootageRequest.objects.filter(pk=footage_request.pk).update(
        first_name=PAYLOAD,
        last_name=PAYLOAD,
        reason=PAYLOAD,
        address_road=PAYLOAD,
        extra_answers={"q": {"label": PAYLOAD, "value": PAYLOAD}},
    )
    ask_for_information(
        task_state=footage_request.current_workflow_task_state, user=chain["users"]["officer"], comment=PAYLOAD
    )
    return FootageRequest.objects.get(pk=footage_request.pk)


def assert_escaped(html: str):
    assert "<script>alert" not in html
    assert "<img src=x onerror" not in html


def test_public_status_page_escapes_free_text(client, hostile_request):
    html = client.get(f"/status/{hostile_request.token}/").content.decode()
    assert "&lt;script&gt;" in html  # the staff comment is shown, escaped
    assert_escaped(html)


def test_admin_request_view_and_audit_trail_escape_free_text(client, hostile_request, chain):
    client.force_login(chain["users"]["officer"])
    html = client.get(f"/admin/snippets/cctv_workflow/footagerequest/edit/{hostile_request.pk}/").content.decode()
    assert "&lt;script&gt;" in html
    assert_escaped(html)
    client.force_login(chain["users"]["head"])
    assert_escaped(client.get("/admin/cctv/queue/").content.decode())


def test_form_redisplay_escapes_what_was_typed(client, form_page):
    html = client.post(form_page.url, {"first_name": PAYLOAD, "reason": PAYLOAD}).content.decode()
    assert_escaped(html)


@pytest.mark.parametrize("url_name", ["form", "lookup", "cancel"])
def test_posts_without_a_csrf_token_are_refused(form_page, hostile_request, url_name):
    client = Client(enforce_csrf_checks=True)
    url = {
        "form": form_page.url,
        "lookup": "/status/",
        "cancel": f"/status/{hostile_request.token}/cancel/",
    }[url_name]
    before = FootageRequest.objects.get(pk=hostile_request.pk).public_status
    assert client.post(url, {"national_id": "1"}).status_code == 403
    assert FootageRequest.objects.get(pk=hostile_request.pk).public_status == before


def test_guessed_tokens_find_nothing(client, hostile_request):
    token = hostile_request.token
    one_off = token[:-1] + ("B" if token.endswith("A") else "A")
    for guess in ("1", one_off, "x" * 32, "../../etc/passwd", "x" * 200):
        assert client.get(f"/status/{guess}/").status_code == 404
