"""Reading the Latin words a signed-in admin screen shows (tests/browser/test_admin_thai_words.py).

A screen's texts are its visible text (``document.body.innerText``, split into lines and table cells), its title,
the ``title``, ``aria-label`` and ``placeholder`` of every visible element and the value of every visible button,
the text that shows once something is opened (menus, dialogs, filters, date pickers, messages kept in templates)
and the labels Wagtail's controls show while they work or as tooltips.

A word is two Latin letters or more, or any Latin letter glued to Thai (the "s" Django adds to a plural it was not
given); Thai written the English way (``MISWRITTEN``) counts too. Addresses, links, file names and types, reference
numbers, checksums, codes and placeholders are taken out first; the names of things are allowed by name.
"""

import re
from pathlib import Path

SHOTS = Path("/tmp/shots")  # noqa: S108 - screenshots to look at, as the working rules ask

NOT_WORDS = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|https?://\S+"  # links
    r"|(?<![\w/])/[\w./?=&%-]*"  # paths
    r"|[\w-]+\.(?:pdf|png|jpe?g|mp4|csv|xlsx|json|txt)\b"  # file names
    r"|\b(?:image|application|video|text)/[\w.+-]+"  # file types
    r"|\bCCTV-\d{4}-\d{6}\b"  # reference numbers
    r"|\b[0-9a-f]{16,}\b"  # checksums (SHA-256)
    r"|\b[a-z][a-z0-9]*(?:[._][a-z0-9]+)+\b"  # codes: content types and permissions (cctv_home.homepage, add_page)
    r"|\{[a-z_]+\}",  # message placeholders
    re.IGNORECASE,
)
THAI = "\u0e00-\u0e7f"
LATIN_WORD = re.compile(rf"[A-Za-z]{{2,}}|(?<=[{THAI}])[A-Za-z]|[A-Za-z](?=[{THAI}])")

# Thai that reads as a translation: "2 วัน, 3 ชั่วโมง ที่แล้ว" for "2 วัน 3 ชั่วโมงที่แล้ว", "เพิ่ม สถานี" for "เพิ่มสถานี".
MISWRITTEN = re.compile(rf"(?:วัน|ชั่วโมง|นาที|วินาที|สัปดาห์|เดือน|ปี), \d|[{THAI}] ที่แล้ว|^เพิ่ม [{THAI}]")

# Lists that hold only names: time zones, and languages each in its own language (the account page).
NAME_LISTS = "select[name$=current_time_zone], select[name$=preferred_language]"

# Wagtail's attributes whose value is shown as text: a button's label while it works, a tooltip.
BUSY_TEXTS = "[data-w-progress-active-value], [data-w-progress-label-value], [data-w-tooltip-content-value]"

READ_PAGE = """([nameLists, busyTexts]) => {
    const shown = (el) => {
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return (box.width > 0 || box.height > 0) && style.visibility !== 'hidden' && style.display !== 'none';
    };
    let body = document.body.innerText;
    for (const list of document.querySelectorAll(nameLists)) body = body.replace(list.innerText, '');
    const texts = [['title', document.title]];
    for (const line of body.split(/[\\n\\t]/)) if (line.trim()) texts.push(['text', line.trim()]);
    const described = '[title], [aria-label], [placeholder], input[type=submit], input[type=button]';
    for (const el of document.querySelectorAll(described)) {
        if (!shown(el)) continue;
        for (const name of ['title', 'aria-label', 'placeholder']) {
            if (el.getAttribute(name)) texts.push([name, el.getAttribute(name)]);
        }
        if (el.matches('input[type=submit], input[type=button]') && el.value) texts.push(['value', el.value]);
    }
    // Text shown only once something is opened (menus, dialogs, filters, pickers), and what a control says
    // while it works or when pointed at (Wagtail's progress and tooltip controllers).
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!el || el.closest('script, style, template, noscript') || el.closest(nameLists) || shown(el)) continue;
        if (node.textContent.trim()) texts.push(['hidden', node.textContent.trim()]);
    }
    for (const template of document.querySelectorAll('body template')) {
        const inside = document.createTreeWalker(template.content, NodeFilter.SHOW_TEXT);
        for (let node = inside.nextNode(); node; node = inside.nextNode()) {
            if (node.parentElement && node.parentElement.closest('script, style')) continue;
            if (node.textContent.trim()) texts.push(['template', node.textContent.trim()]);
        }
    }
    for (const el of document.querySelectorAll(busyTexts)) {
        for (const name of busyTexts.match(/data-[a-z-]+/g)) {
            if (el.getAttribute(name)) texts.push([name, el.getAttribute(name)]);
        }
    }
    return texts;
}"""


def english_words(texts: list[list[str]], *, allowed: set[str], pending: dict, screen: str) -> tuple[dict, dict]:
    """The words left, each with the text it was in; and the whole texts excused by ``pending``, keyed
    ``(where, text)`` or ``(screen, where, text)``, each until a change of code puts it in Thai."""
    found, excused = {}, {}
    for where, text in texts:
        reason = pending.get((where, text)) or pending.get((screen, where, text))
        if reason:
            excused[f'{where}="{text}"'] = reason
            continue
        line = " ".join(text.split())[:100]
        for word in LATIN_WORD.findall(NOT_WORDS.sub(" ", text)) + MISWRITTEN.findall(text):
            if word not in allowed and word not in found:
                found[word] = line if where == "text" else f'{where}="{line}"'
    return found, excused


class Walk:
    """One browser; it reads each screen it is shown and keeps the words left, the excused texts and 5xx answers."""

    def __init__(self, browser, live_server, *, allowed: set[str], pending: dict, password: str):
        self.base = live_server.url
        self.allowed, self.pending, self.password = allowed, pending, password
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="th-TH")
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.server_errors: list[str] = []
        self.page.on("response", self._answered)
        self.found: dict[str, dict[str, str]] = {}
        self.excused: dict[str, str] = {}
        self.screens: list[str] = []

    def _answered(self, response):
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.url}")

    def read(self, name: str) -> None:
        self.page.wait_for_load_state()
        self.screens.append(name)
        texts = self.page.evaluate(READ_PAGE, [NAME_LISTS, BUSY_TEXTS])
        words, excused = english_words(texts, allowed=self.allowed, pending=self.pending, screen=name)
        self.excused.update(excused)
        for word, line in words.items():
            self.found.setdefault(name, {}).setdefault(word, line)

    def visit(self, path: str, name: str | None = None) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status < 400, f"{path} answered {response and response.status}"
        self.read(name or path)

    def sign_in(self, username: str) -> None:
        self.visit("/admin/login/", "login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", self.password)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(self.base + "/admin/")
        self.read("dashboard")

    def sidebar_menu(self, label: str) -> list[str]:
        """Opens a menu of the sidebar (reports, settings, help) and returns the admin addresses it offers."""
        item = self.page.locator(".sidebar-sub-menu-item").filter(has=self.page.get_by_role("button", name=label))
        item.get_by_role("button", name=label).first.click()
        self.page.wait_for_timeout(300)
        self.read(f"sidebar menu {label}")
        links = item.locator("a[href^='/admin/']").evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
        self.page.keyboard.press("Escape")
        return links

    def account_menu(self) -> None:
        self.page.locator(".sidebar-footer__account").click()
        self.page.wait_for_timeout(300)
        self.read("sidebar account menu")
        self.page.keyboard.press("Escape")

    def request_page(self, path: str, name: str) -> None:
        """A request's edit view; each side panel; the first decision's dialog; the footer's menu opened."""
        self.visit(path, name)
        toggles = self.page.locator("[data-side-panel-toggle]")
        for index in range(toggles.count()):
            toggle = toggles.nth(index)
            if toggle.is_visible():
                toggle.click()
                self.page.wait_for_timeout(300)
                self.read(f"{name}: side panel {toggle.get_attribute('data-side-panel-toggle')}")
                toggle.click()
        modal_button = self.page.locator("button[data-workflow-action-modal-url]:visible")
        if modal_button.count():
            modal_button.first.click()
            self.page.locator(".modal").wait_for(state="visible")
            self.page.wait_for_timeout(300)
            self.read(f"{name}: decision dialog")
            self.page.locator(".modal [data-dismiss='modal']").first.click()
            self.page.locator(".modal").wait_for(state="hidden")
        menu = self.page.locator("footer .w-dropdown__toggle, footer [data-w-dropdown-target='toggle']")
        if menu.count():
            menu.first.click()
            self.page.wait_for_timeout(300)
            self.read(f"{name}: footer menu")

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"admin-thai-{name}.png"))

    def close(self) -> None:
        self.context.close()

    def report(self) -> str:
        return "\n".join(
            f"{name}: {word}    «{line}»" for name, words in self.found.items() for word, line in words.items()
        )
