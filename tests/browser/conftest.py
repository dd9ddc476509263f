import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside the live server

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SHOTS = Path("/tmp/shots")  # noqa: S108 - screenshots to look at after a run


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make test`, which installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A phone-sized page that records console errors (CSP violations among them)."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="th-TH",
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def admin(browser, live_server):
    """Signed-in admin pages (``admin_session.AdminPages``): ``admin.open_as(user)``. The test fails on any server
    or script error one of them met."""
    from tests.browser.admin_session import AdminPages  # it imports this module

    pages = AdminPages(browser, live_server.url)
    yield pages
    pages.close()
    assert pages.server_errors() == []
    assert pages.script_errors == []


@pytest.fixture
def staff(chain, django_user_model):
    """The four levels and a second officer (the admin's pages give them the tests' password)."""
    users = dict(chain["users"])
    users["officer2"] = django_user_model.objects.create_user(username="officer2")
    users["officer2"].groups.add(*chain["users"]["officer"].groups.all())
    return users


def shoot(page, name, *, full_page=False):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def axe_violations(page, within: str = "") -> list[dict]:
    """axe-core's WCAG 2.2 AA findings on the page, or only ``within`` a CSS selector (an admin page's own part:
    Wagtail's chrome is Wagtail's)."""
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async ([within, tags]) => await axe.run(within || document, {runOnly: {type: 'tag', values: tags}})",
        [within, AXE_TAGS],
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
