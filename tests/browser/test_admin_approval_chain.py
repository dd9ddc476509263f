"""Each level of the chain approves in turn in the Wagtail admin, in Debian's chromium."""

import pytest

from tests.browser.admin_session import approve_from_the_queue, sign_in
from workflow.approval.models import Decision
from workflow.lifecycle import PublicStatus
from workflow.request.models import FootageRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_level_approves_in_turn(live_server, chain, admin):
    footage_request = chain["new"]()
    page = admin.new_page()  # one desk: each level signs in on it in turn
    expected = {"officer": "received", "head": "received", "deputy": "received", "chief": "approved"}
    for level, status in expected.items():
        sign_in(page, live_server.url, chain["users"][level])
        # The step's actions are the footer's own buttons; approving returns to the queue.
        approve_from_the_queue(page, live_server.url, footage_request)
        assert FootageRequest.objects.get(pk=footage_request.pk).public_status == status, level
    assert Decision.objects.filter(request=footage_request).count() == 4
    assert FootageRequest.objects.get(pk=footage_request.pk).public_status == PublicStatus.APPROVED
