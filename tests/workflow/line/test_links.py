"""Linking a LINE user to a request with a one-time code, and unlinking (workflow/line/links.py)."""

import pytest
from django.utils import timezone

from tests.workflow.line.conftest import MALEE, SOMCHAI
from workflow.constants import Channel
from workflow.line import links
from workflow.line.models import LineLink, LineLinkCode


@pytest.fixture
def footage_request(chain):
    return chain["new"]()


def link(footage_request, code, user=SOMCHAI):
    return links.link_with_code(organisation_id=footage_request.organisation_id, line_user_id=user, code=code)


def test_a_code_links_its_sender_once_and_the_request_is_then_told_on_line(footage_request):
    code = links.issue_code(footage_request)
    assert len(code) == 9 and code[4] == "-"
    result = link(footage_request, links.find_code(f"รหัส {code.lower()} ครับ"))
    assert (result.request, result.outcome) == (footage_request, "linked")
    footage_request.refresh_from_db()
    assert footage_request.notify_by == Channel.LINE
    assert links.line_user_ids(footage_request) == [SOMCHAI]
    # Single use: sent again (by anyone) it links nobody.
    assert link(footage_request, links.find_code(code), user=MALEE).outcome == "used"
    assert links.line_user_ids(footage_request) == [SOMCHAI]


def test_only_a_digest_of_the_code_and_a_sealed_user_id_are_stored(footage_request):
    code = links.issue_code(footage_request)
    link(footage_request, links.find_code(code))
    stored = LineLinkCode.objects.values_list("code_digest", flat=True).get()
    assert code.replace("-", "") not in stored
    row = LineLink.objects.get()
    assert SOMCHAI not in row.line_user_sealed and SOMCHAI not in row.line_user_digest
    assert SOMCHAI not in str(row) and SOMCHAI not in repr(row)


def test_an_expired_or_unknown_code_links_nobody(footage_request):
    code = links.issue_code(footage_request)
    LineLinkCode.objects.update(expires_at=timezone.now() - timezone.timedelta(seconds=1))
    assert link(footage_request, links.find_code(code)).outcome == "expired"
    assert link(footage_request, "ABCDEFGH").outcome == "unknown"
    assert not LineLink.objects.exists()
    footage_request.refresh_from_db()
    assert footage_request.notify_by == Channel.SMS


def test_another_organisations_code_links_nothing(footage_request):
    from tests.factories import another_organisation

    theirs = another_organisation(code="NAN", host="nan.example.test")
    code = links.issue_code(footage_request)
    result = links.link_with_code(organisation_id=theirs.pk, line_user_id=SOMCHAI, code=links.find_code(code))
    assert result.outcome == "unknown"
    assert not LineLink.objects.exists()


def test_a_message_without_a_whole_code_has_none():
    assert links.find_code("สถานะ") is None
    assert links.find_code("ABCD EFGH") is None
    assert links.find_code("abcd-efg") is None
    assert links.find_code("xx ABCD-EFGH yy") == "ABCDEFGH"


def test_unlinking_tells_the_request_by_sms_again(chain):
    first, second = chain["new"](), chain["new"]()
    for footage_request in (first, second):
        link(footage_request, links.find_code(links.issue_code(footage_request)))
    assert [r.pk for r in links.requests_of_user(organisation_id=first.organisation_id, line_user_id=SOMCHAI)] == [
        second.pk,
        first.pk,
    ]
    assert links.unlink_request(first) == 1
    first.refresh_from_db()
    assert first.notify_by == Channel.SMS
    assert links.unlink_user(organisation_id=second.organisation_id, line_user_id=SOMCHAI) == 1
    second.refresh_from_db()
    assert second.notify_by == Channel.SMS
    assert not LineLink.objects.exists()


def test_the_daily_purge_forgets_old_event_ids_and_long_expired_codes(footage_request):
    from workflow.line.models import LineEvent
    from workflow.tasks import purge_expired_requests

    now = timezone.now()
    old_code, fresh_code = links.issue_code(footage_request), links.issue_code(footage_request)
    LineLinkCode.objects.filter(pk=LineLinkCode.objects.order_by("pk").first().pk).update(
        expires_at=now - timezone.timedelta(days=8)
    )
    org = footage_request.organisation_id
    LineEvent.objects.create(organisation_id=org, webhook_event_id="old", received_at=now - timezone.timedelta(days=31))
    LineEvent.objects.create(organisation_id=org, webhook_event_id="new", received_at=now - timezone.timedelta(days=29))
    purge_expired_requests()
    assert list(LineEvent.objects.values_list("webhook_event_id", flat=True)) == ["new"]
    assert LineLinkCode.objects.count() == 1
    assert link(footage_request, links.find_code(old_code)).outcome == "unknown"
    assert link(footage_request, links.find_code(fresh_code)).outcome == "linked"


def test_key_rotation_reseals_the_line_user_ids(footage_request, settings):
    import base64
    import io
    import os

    from django.core.management import call_command

    link(footage_request, links.find_code(links.issue_code(footage_request)))
    old_key = settings.FIELD_ENCRYPTION_KEY
    settings.FIELD_ENCRYPTION_KEY = base64.b64encode(os.urandom(32)).decode()
    settings.FIELD_ENCRYPTION_OLD_KEYS = [old_key]
    out = io.StringIO()
    call_command("rotate_field_key", stdout=out)
    assert "re-encrypted 1 LINE link(s)" in out.getvalue()
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    assert links.line_user_ids(footage_request) == [SOMCHAI]
