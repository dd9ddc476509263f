"""Each level of the chain approves in turn in the Wagtail admin, in Debian's chromium."""

import re

import pytest

from workflow.approval.models import Decision
from workflow.lifecycle import PublicStatus
from workflow.request.models import FootageRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "x-password-1234"


def sign_in(page, base, user):
    page.context.clear_cookies()
    page.goto(base + "/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/admin/")


def test_each_level_approves_in_turn(live_server, chain, browser):
    footage_request = chain["new"]()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    page = context.new_page()
    page.set_default_timeout(15_000)
    for user in chain["users"].values():
        user.set_password(PASSWORD)
        user.save()
    expected = {"officer": "received", "head": "received", "deputy": "received", "chief": "approved"}
    for level, status in expected.items():
        sign_in(page, live_server.url, chain["users"][level])
        page.goto(live_server.url + "/admin/cctv/queue/")
        page.get_by_role("link", name=footage_request.reference).click()
        page.wait_for_load_state()
        # The step's actions are the footer's own buttons. The last step reads "อนุมัติ (ขั้นสุดท้าย)": nothing is
        # published (see workflow/wagtail_hooks.py). Approving returns to the queue.
        page.locator("footer").get_by_role("button", name=re.compile(r"^อนุมัติ( \(ขั้นสุดท้าย\))?$")).click()
        page.wait_for_url(live_server.url + "/admin/cctv/queue/")
        assert FootageRequest.objects.get(pk=footage_request.pk).public_status == status, level
    assert Decision.objects.filter(request=footage_request).count() == 4
    assert FootageRequest.objects.get(pk=footage_request.pk).public_status == PublicStatus.APPROVED
    context.close()
