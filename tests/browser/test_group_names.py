"""An installation whose groups still have their English names is deployed (``manage.py setup_roles``): in the
Thai admin (Debian's chromium) the administrator sees every group, a step's groups and an account's groups in Thai
only, and the same people still act on the same steps (the officer approves, the head then has the request)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from cctv.roles import ROLES, WAGTAIL_SEEDED_GROUPS
from tests.browser.admin_session import approve_from_the_queue, open_from_the_queue
from tests.browser.conftest import shoot
from workflow.approval.models import ApprovalTask

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THAI = {role.key: role.group for role in ROLES}
ENGLISH = [name for role in ROLES for name in role.previous_names] + ["Moderators"]


def deployed_from_english(chain):
    """The groups as an installation made before had them, then the deploy's setup_roles."""
    for role in ROLES:
        Group.objects.filter(name=role.group).update(name=role.previous_names[0])
    # Wagtail's migrations seed "Moderators"; a test database flushed by an earlier test may not have it.
    seeded, (english, *_earlier) = WAGTAIL_SEEDED_GROUPS[0]
    Group.objects.filter(name=seeded).update(name=english)
    Group.objects.get_or_create(name=english)
    out = io.StringIO()
    call_command("setup_roles", stdout=out, stderr=io.StringIO())
    assert out.getvalue().count("Renamed group") == len(ROLES) + 1


def english_left(page) -> list[str]:
    text = page.locator("main").inner_text()
    return [name for name in ENGLISH if name in text]


def test_groups_named_in_english_are_thai_after_a_deploy_and_keep_their_people(live_server, chain, admin):
    base = live_server.url
    footage_request = chain["new"]()
    administrator = get_user_model().objects.create_user(username="administrator-th", email="a@example.invalid")
    administrator.groups.add(Group.objects.get(name=THAI["administrator"]))
    deployed_from_english(chain)
    officer = chain["users"]["officer"]

    page = admin.open_as(administrator)
    page.goto(base + "/admin/groups/")
    for name in [*THAI.values(), WAGTAIL_SEEDED_GROUPS[0][0]]:
        expect(page.locator("main").get_by_role("link", name=name, exact=True)).to_be_visible()
    assert english_left(page) == []
    shoot(page, "groups-in-thai", full_page=True)

    page.goto(base + f"/admin/workflows/tasks/edit/{ApprovalTask.objects.get(name='officer').pk}/")
    expect(page.get_by_label(THAI["officer"], exact=True)).to_be_checked()
    expect(page.get_by_label(THAI["head"], exact=True)).not_to_be_checked()
    assert english_left(page) == []
    shoot(page, "step-groups-in-thai", full_page=True)

    page.goto(base + f"/admin/users/edit/{officer.pk}/")
    page.get_by_role("tab", name="บทบาท").click()
    expect(page.get_by_label(THAI["officer"], exact=True)).to_be_checked()
    expect(page.get_by_label(THAI["administrator"], exact=True)).not_to_be_checked()
    expect(page.get_by_label("ผู้ดูแลระบบ", exact=True)).not_to_be_checked()  # the superuser box, a different name
    assert english_left(page) == []
    shoot(page, "user-groups-in-thai", full_page=True)

    # The officer is still in the officers' group, which is still the first step's: they approve as before, and
    # the head of the centre (the second step's group) now has the request.
    approve_from_the_queue(admin.open_as(officer), base, footage_request)
    head_page = admin.open_as(chain["users"]["head"])
    open_from_the_queue(head_page, base, footage_request)
    expect(head_page.locator("footer").get_by_role("button", name="อนุมัติ", exact=True)).to_be_visible()
    shoot(head_page, "head-has-the-request-after-rename")
