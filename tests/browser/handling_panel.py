"""What the handling panel's browser tests share: the panel on the request page (signed in through the ``admin``
fixture), its forms by their Thai labels, and the citizen's status page on a phone."""

import importlib
import re

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import axe_violations
from tests.factories import submission
from workflow.approval.services import approve_step
from workflow.handling.models import ServiceStep
from workflow.request.models import FootageRequest
from workflow.request.services import submit_request


def open_panel(admin, page, footage_request):
    """The request page's handling panel (``admin`` is the conftest fixture's pages)."""
    return admin.open_request(page, footage_request).locator("#handling")


def field(scope, label):
    """A field by its Thai label, which Wagtail follows with "*" when the field is required."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def slot(panel, name):
    return panel.locator(f'[data-handling-slot="{name}"]')


def open_form(panel, name):
    """Unfolds an action's form on the panel (a <details>, no script needed)."""
    box = slot(panel, name)
    box.locator("summary").first.click()
    return box


def send(page, button):
    """Clicks a panel button and waits for the request page it returns to."""
    with page.expect_navigation():
        button.click()
    page.wait_for_load_state()


def in_view(page, element_id: str) -> bool:
    """The element comes on screen: the post came back to where the staff member was, not to the top."""
    try:
        page.wait_for_function(
            """(id) => {
                const top = document.getElementById(id).getBoundingClientRect().top;
                return top >= 0 && top < window.innerHeight;
            }""",
            arg=element_id,
            timeout=5_000,
        )
    except PlaywrightTimeout:
        return False
    return True


def citizen_page(browser, live_server, footage_request):
    """The citizen's status page on a phone, checked with axe-core; close its context when done."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True, locale="th-TH"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("response", lambda response: response.status >= 500 and errors.append(response.url))
    page.goto(f"{live_server.url}/status/{footage_request.token}/")
    assert axe_violations(page) == []
    page.server_errors = errors
    return page


def manual_steps() -> None:
    """The manual's steps as migration 0012 seeds them: a transactional test before may have flushed them."""
    seeded = importlib.import_module("workflow.migrations.0012_footage_handling_content")
    for order, (code, th, en, pth, pen, minutes, unit, copies, per_camera, approval, note) in enumerate(seeded.STEPS):
        ServiceStep.objects.get_or_create(
            code=code,
            defaults={
                "name_th": th,
                "name_en": en,
                "public_name_th": pth,
                "public_name_en": pen,
                "standard_minutes": minutes,
                "unit": unit,
                "copies_only": copies,
                "per_camera": per_camera,
                "approval": approval,
                "note_th": note,
                "sort_order": order,
            },
        )


def fresh(footage_request) -> FootageRequest:
    return FootageRequest.objects.get(pk=footage_request.pk)


def approved_copy_request(chain, stations, request_types, **incident) -> FootageRequest:
    """A copy request that went through the four levels (the approvals are not what these tests are about)."""
    manual_steps()
    request_types["copy"].workflow = request_types["view"].workflow
    request_types["copy"].save()
    footage_request = submit_request(
        submission=submission(station=stations[0], request_type=request_types["copy"], file_count=1, **incident)
    )
    for level in ("officer", "head", "deputy", "chief"):
        approve_step(task_state=fresh(footage_request).current_workflow_task_state, user=chain["users"][level])
    return fresh(footage_request)
