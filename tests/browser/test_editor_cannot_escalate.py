"""An editor in the Thai admin (Debian's chromium) is offered no way to change who may do what: Settings shows no
workflows, workflow tasks, groups or users, and typing their addresses gives the admin's Thai refusal. The
administrator, signed in the same way, sees them all (so the labels looked for are the right ones)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cctv.roles import ROLES
from tests.browser.admin_session import sign_in
from workflow.approval.models import ApprovalTask

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SETTINGS_MENU = "การตั้งค่า"
# Settings → Workflows, Workflow tasks, Groups, Users (Wagtail's Thai catalogue, locale-upstream)
ACCESS_ITEMS = ("ขั้นตอนการอนุมัติ", "ขั้นตอนย่อยของการอนุมัติ", "กลุ่มผู้ใช้", "ผู้ใช้")
REFUSAL = "ขออภัย คุณไม่มีสิทธิ์เข้าถึงส่วนนี้"


GROUP = {role.key: role.group for role in ROLES}


def staff(username, role_key):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.invalid", first_name=username
    )
    user.groups.add(Group.objects.get(name=GROUP[role_key]))
    return user


def settings_items(page) -> list[str]:
    """The labels of the Settings submenu, opened as a person would."""
    page.get_by_role("button", name=SETTINGS_MENU).click()
    panel = page.locator(".sidebar-sub-menu-panel").filter(has_text=SETTINGS_MENU)
    panel.get_by_role("link").first.wait_for()
    return [text.strip() for text in panel.get_by_role("link").all_inner_texts()]


def test_an_editor_sees_no_access_settings_and_is_refused_in_thai(live_server, admin, chain):
    base = live_server.url
    editor = staff("editor-th", "editor")
    administrator = staff("administrator-th", "administrator")
    task = ApprovalTask.objects.get(name="officer")
    page = admin.new_page()  # one page: the administrator signs in on it, then the editor

    sign_in(page, base, administrator)
    assert page.locator("html").get_attribute("lang") == "th"
    offered = settings_items(page)
    assert all(label in offered for label in ACCESS_ITEMS), offered

    sign_in(page, base, editor)
    offered = settings_items(page)
    assert offered, "the editor's Settings menu holds their own settings"
    assert not [label for label in ACCESS_ITEMS if label in offered], offered

    for url in (
        "/admin/workflows/list/",
        "/admin/workflows/tasks/index/",
        f"/admin/workflows/tasks/edit/{task.pk}/",
        "/admin/groups/",
        "/admin/users/",
        "/admin/snippets/cctv_workflow/requesttype/",
    ):
        page.goto(base + url)
        page.wait_for_url(base + "/admin/")
        assert page.get_by_text(REFUSAL).is_visible(), url
    assert list(task.groups.values_list("name", flat=True)) == [GROUP["officer"]]
