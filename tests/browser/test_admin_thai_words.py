"""No English left in the Thai admin (issue 12): each role signs in through the real login page and walks its main
screens — dashboard, request listing, a request's edit view with its side panels, decision dialog and footer menu,
the queue, workflows and their steps, the reference lists, the reports, the PDPA page, the account page. Every
Latin word that is not the name of a thing, and Thai written the English way ("1 วัน, 2 ชั่วโมง ที่แล้ว"), is
reported with the screen and the text it was in (tests/browser/admin_words.py reads the screens). No response may
be a server error.

Texts that only a change of code can put in Thai (Wagtail writes them in its templates or forms, not through a
catalogue) are listed in PENDING_CODE_FIXES with where they come from; the test excuses exactly those texts, as
whole strings, and prints them."""

import warnings

import pytest

from cctv.roles import APPROVAL_LEVELS
from tests.browser.admin_words import LATIN_WORD, Walk
from tests.browser.thai_office import PASSWORD, PEOPLE, seed_office
from workflow.approval.models import RefusalReason
from workflow.handling.models import ServiceStep
from workflow.notifications.models import MessageTemplate
from workflow.request.models import RequestType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REQUESTS = "/admin/snippets/cctv_workflow/footagerequest/"

# Names of things: the software, what staff know by its letters, the product's own names, the keys of a keyboard
# (Wagtail's list of keyboard shortcuts).
NAMES = {"Wagtail", "CCTV", "PDPA", "SMS", "LINE", "CSV", "XLSX", "PDF", "QR", "ID", "JSON", "USB", "SHA", "URL", "IP"}
KEYS = {"Ctrl", "Alt", "Shift", "Esc", "Cmd", "Enter", "Tab"}
# Names this test gives: accounts (the chain fixture's first usernames and step names stay in the history),
# station codes. The role groups have Thai names (cctv.roles), so no English is allowed for them.
USERNAMES = {part for name, *_names in PEOPLE.values() for part in LATIN_WORD.findall(name)} | set(APPROVAL_LEVELS)
STATION_CODES = {"park", "monument", "closed"}
# Wagtail's own root page, named so by its first migration; permissions on it are listed in the audit trail.
PAGE_TITLES = {"Root"}
# Records Wagtail's own migrations make in every database: the "Moderators approval" workflow and its task. Their
# names are data an administrator renames in Settings, not words of the interface (setup_roles gives Wagtail's
# Moderators and Editors groups Thai names).
WAGTAIL_SEEDED = {"Moderators", "approval"}
ALLOWED = NAMES | KEYS | USERNAMES | STATION_CODES | PAGE_TITLES | WAGTAIL_SEEDED

PENDING_CODE_FIXES = {
    ("hidden", "Save Selected"): "jquery.datetimepicker.js: a button Wagtail never shows (no showApplyButton)",
}


@pytest.fixture
def office(chain, stations, privacy_page):
    return seed_office(chain, stations, privacy_page)


def request_edit(footage_request) -> str:
    return f"{REQUESTS}edit/{footage_request.pk}/"


@pytest.fixture
def walks(browser, live_server):
    opened = []

    def walk_as(role: str | None) -> Walk:
        walk = Walk(browser, live_server, allowed=ALLOWED, pending=PENDING_CODE_FIXES, password=PASSWORD)
        opened.append(walk)
        if role:
            walk.sign_in(PEOPLE[role][0])
        return walk

    yield walk_as
    for walk in opened:
        walk.close()


def assert_thai(walk: Walk) -> None:
    for text, reason in walk.excused.items():
        warnings.warn(f"English left until the code changes: {text} ({reason})", stacklevel=2)
    assert walk.server_errors == []
    left = f"English words left on {len(walk.found)} of {len(walk.screens)} screens:\n"
    assert walk.found == {}, left + walk.report()


def test_the_login_page_and_its_messages_are_thai(walks, home_page, settings):
    walk = walks(None)
    walk.visit("/admin/login/", "login")
    walk.shot("login")
    for attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        walk.page.fill("input[name=username]", "nobody.x")
        walk.page.fill("input[name=password]", "wrong-password-1")
        walk.page.click("button[type=submit]")
        walk.page.wait_for_load_state()
        if attempt == 0:
            walk.read("login: wrong password")
            walk.shot("login-wrong-password")
        elif walk.page.locator("input[name=username]").count() == 0:
            break
        else:
            walk.page.goto(walk.base + "/admin/login/")
    assert "พยายามเข้าสู่ระบบผิดหลายครั้งเกินไป" in walk.page.locator("body").inner_text()
    walk.read("login: locked out")
    walk.visit("/admin/password_reset/", "password reset")
    assert_thai(walk)


def test_an_officer_sees_only_thai(walks, office):
    walk = walks("officer")
    walk.shot("dashboard-officer")
    walk.visit(REQUESTS, "request listing")
    walk.page.get_by_role("button", name="ตัวกรอง").first.click()
    walk.read("request listing: filters")
    walk.request_page(request_edit(office["waiting"]), "request waiting for the officer")
    walk.request_page(request_edit(office["approved"]), "approved request with its handling")
    walk.shot("request-footer-menu")
    walk.request_page(request_edit(office["no_footage"]), "request with no footage")
    walk.request_page(request_edit(office["more_info"]), "request waiting for the applicant's answer")
    walk.visit(f"{REQUESTS}?q=CCTV-2569&public_status=received", "request listing, searched and filtered")
    walk.visit("/admin/cctv/queue/", "queue")
    walk.visit(f"{REQUESTS}history/{office['approved'].pk}/", "request history")
    walk.visit(f"{REQUESTS}workflow_history/{office['approved'].pk}/", "request workflow history")
    walk.visit("/admin/account/", "account")
    walk.account_menu()
    walk.sidebar_menu("ความช่วยเหลือ")
    assert "request waiting for the officer: decision dialog" in walk.screens, walk.screens
    assert_thai(walk)


def test_the_head_sees_only_thai(walks, office):
    walk = walks("head")
    walk.visit("/admin/cctv/queue/", "queue")
    walk.shot("queue-head")
    walk.request_page(request_edit(office["at_head"]), "request waiting for the head")
    walk.request_page(request_edit(office["declined"]), "declined request, read only")
    walk.visit(REQUESTS, "request listing")
    walk.visit("/admin/cctv/standard/", "time against standard")
    walk.visit("/admin/cctv/data-subject/", "PDPA page")
    walk.page.fill("input[name=national_id]", office["national_id"])
    walk.page.locator("button[name=action][value=find]").click()
    walk.page.locator("button[name=action][value=export]").wait_for()
    walk.read("PDPA page: requests found")
    assert_thai(walk)


def test_the_chief_with_nothing_waiting_sees_only_thai(walks, office):
    walk = walks("chief")
    walk.visit("/admin/cctv/queue/", "empty queue")
    walk.visit(f"{REQUESTS}?q=ไม่มีคำร้องนี้", "request listing, nothing found")
    walk.request_page(request_edit(office["approved"]), "approved request, read only")
    assert_thai(walk)


def test_an_auditor_sees_only_thai(walks, office):
    walk = walks("auditor")
    walk.visit(REQUESTS, "request listing")
    walk.request_page(request_edit(office["approved"]), "approved request, read only")
    for path in walk.sidebar_menu("รายงาน"):
        walk.visit(path)
    walk.visit("/admin/cctv/audit/", "audit trail")
    walk.shot("audit-trail")
    walk.visit("/admin/snippets/", "reference lists")
    assert_thai(walk)


def test_an_administrator_sees_only_thai(walks, office):
    walk = walks("administrator")
    settings_links = walk.sidebar_menu("การตั้งค่า")
    assert "/admin/workflows/list/" in settings_links and "/admin/workflows/tasks/index/" in settings_links
    walk.visit("/admin/workflows/list/", "workflows")
    walk.shot("workflows")
    # The office's own workflow (Wagtail's migrations also make "Moderators approval" in a fresh database).
    workflow = RequestType.objects.exclude(workflow=None).select_related("workflow").first().workflow
    walk.visit(f"/admin/workflows/edit/{workflow.pk}/", "workflow edit")
    walk.visit("/admin/workflows/tasks/index/", "workflow steps")
    walk.visit(f"/admin/workflows/tasks/edit/{workflow.tasks.first().pk}/", "workflow step edit")
    walk.visit("/admin/snippets/cctv_workflow/requesttype/", "request types")
    walk.visit("/admin/account/", "account")
    assert_thai(walk)


def test_a_superuser_sees_only_thai(walks, office):
    walk = walks("superuser")
    walk.visit("/admin/snippets/", "reference lists")
    listings = walk.page.locator("main a[href^='/admin/snippets/']").evaluate_all(
        "(links) => [...new Set(links.map((a) => a.getAttribute('href')))]"
    )
    assert len(listings) >= 6, listings
    for path in [*listings, "/admin/snippets/cctv_stations/station/", REQUESTS]:
        walk.visit(path)
    reports = walk.sidebar_menu("รายงาน")
    assert {"/admin/reports/site-history/", "/admin/reports/workflow/", "/admin/cctv/audit/"} <= set(reports)
    for path in reports:
        walk.visit(path)
        if path == "/admin/reports/site-history/":
            walk.shot("site-history")
    walk.visit("/admin/cctv/data-subject/", "PDPA page")
    walk.visit("/admin/cctv/queue/", "queue")
    walk.request_page(request_edit(office["waiting"]), "request waiting, as superuser")
    for model in (MessageTemplate, ServiceStep, RefusalReason):
        name = model._meta.model_name
        walk.visit(f"/admin/snippets/cctv_workflow/{name}/edit/{model.objects.first().pk}/", f"{name} edit")
    walk.visit(f"/admin/snippets/cctv_stations/station/edit/{office['station'].pk}/", "station edit")
    assert_thai(walk)
