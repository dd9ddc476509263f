"""Staff in the real Wagtail admin (Thai, desktop-sized): the admin's own login form filled in as staff do, signed-in
pages that keep every response so that a test fails on any server or script error (the ``admin`` fixture in
conftest.py), and approving from the queue as staff do it."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import shoot

PASSWORD = "x-password-1234"
DASHBOARD = "/admin/"
QUEUE = "/admin/cctv/queue/"
EDIT = "/admin/snippets/cctv_workflow/footagerequest/edit/{pk}/"
# The last step's button reads "อนุมัติ (ขั้นสุดท้าย)" (workflow/wagtail_hooks.py).
APPROVE = re.compile(r"^อนุมัติ( \(ขั้นสุดท้าย\))?$")


def watch_server_errors(page, errors: list | None = None) -> list[str]:
    """Every 5xx the page receives, as "status url", into ``errors`` (a new list when none is given)."""
    errors = [] if errors is None else errors
    page.on("response", lambda response: response.status >= 500 and errors.append(f"{response.status} {response.url}"))
    return errors


def sign_in(page, base, user, *, lands_on=None):
    """Gives ``user`` the tests' password and signs in through the admin's login form, in a fresh session whoever
    was signed in on the page before; waits for the dashboard (or ``lands_on``, the two-step page say)."""
    user.set_password(PASSWORD)
    user.save()
    page.context.clear_cookies()
    page.goto(base + "/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lands_on or base + DASHBOARD)


class AdminPages:
    """Desktop pages in Thai, one browser context each; every response, script error and POST of each is kept."""

    def __init__(self, browser, base):
        self.browser, self.base = browser, base
        self.contexts, self.responses, self.script_errors, self.posts = [], [], [], []

    def new_page(self, **context_options):
        """A page not signed in yet (``context_options`` go to the browser context: accept_downloads, say)."""
        context = self.browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH", **context_options)
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("response", lambda response: self.responses.append((response.status, response.url)))
        page.on("pageerror", lambda error: self.script_errors.append(str(error)))
        page.on("request", lambda request: request.method == "POST" and self.posts.append(request.url))
        return page

    def open_as(self, user, **context_options):
        """A page signed in as ``user``."""
        page = self.new_page(**context_options)
        sign_in(page, self.base, user)
        return page

    def open_request(self, page, footage_request):
        page.goto(self.base + EDIT.format(pk=footage_request.pk))
        return page

    def server_errors(self) -> list:
        return [(status, url) for status, url in self.responses if status >= 500]

    def close(self):
        for context in self.contexts:
            context.close()


def open_from_the_queue(page, base, footage_request):
    """The way staff reach a request waiting on them: their queue, then its reference (one click)."""
    page.goto(base + QUEUE)
    with page.expect_navigation():
        page.get_by_role("link", name=footage_request.reference).click()


def approve_from_the_queue(page, base, footage_request, *, shots=""):
    """Exactly two clicks: the reference in the queue, then the page's primary button; back in the queue."""
    open_from_the_queue(page, base, footage_request)  # 1
    if shots:
        shoot(page, shots)
    button = page.locator("footer").get_by_role("button", name=APPROVE)
    expect(button).to_be_visible()  # not behind the footer's ▲ menu
    with page.expect_navigation():
        button.click()  # 2
    page.wait_for_url(base + QUEUE)
