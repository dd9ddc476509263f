"""Two-step sign-in through the real admin login in Debian's chromium: a password alone is not enough to enrol;
an administrator creates a one-time link; the officer enrols with the Base32 key the page shows."""

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from cctv.roles import setup_roles
from tests.browser.admin_session import sign_in
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TWO_STEP = re.compile(r"/admin/2fa/")
CODE_LABEL = "รหัส 6 หลักจากแอปยืนยันตัวตน"


def rfc6238(base32_key: str) -> str:
    """What an authenticator app shows for a key typed in by hand (RFC 6238: HMAC-SHA1, 30 s, 6 digits)."""
    text = re.sub(r"\s", "", base32_key).upper()
    key = base64.b32decode(text + "=" * (-len(text) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time() // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(int.from_bytes(digest[offset : offset + 4], 'big') & 0x7FFFFFFF) % 1_000_000:06d}"


def test_an_officer_enrols_only_with_the_administrators_link(live_server, admin, settings, home_page):
    settings.CCTV_REQUIRE_2FA = True  # test.py turns it off for the rest of the suite
    users = get_user_model().objects
    administrator = users.create_superuser(username="admin", email="admin@example.go.th")
    admin_device = TOTPDevice.objects.create(user=administrator, name="authenticator", confirmed=True)
    officer = users.create_user(username="officer1", email="officer1@example.go.th")
    officer.groups.add(setup_roles()["officer"])
    base = live_server.url

    # The officer has only a password: told to ask for a link, and offered no way to enrol.
    officer_page = admin.new_page()
    sign_in(officer_page, base, officer, lands_on=TWO_STEP)
    assert officer_page.get_by_text("ขอลิงก์ลงทะเบียนจากผู้ดูแลระบบ").is_visible()
    assert officer_page.get_by_label(CODE_LABEL).count() == 0
    assert officer_page.locator("svg, [data-manual-key]").count() == 0
    assert axe_violations(officer_page) == []
    officer_page.goto(base + "/admin/")
    assert "/admin/2fa/" in officer_page.url

    # The administrator signs in with both steps and creates a link for the officer.
    admin_page = admin.new_page()
    sign_in(admin_page, base, administrator, lands_on=TWO_STEP)
    admin_page.get_by_label(CODE_LABEL).fill(rfc6238(base64.b32encode(admin_device.bin_key).decode()))
    admin_page.get_by_role("button", name="ดำเนินการต่อ").click()
    admin_page.wait_for_url(base + "/admin/")
    admin_page.goto(base + "/admin/cctv/enrolment-links/")
    admin_page.get_by_role("button", name="สร้างลิงก์ลงทะเบียนให้ officer1").click()
    admin_page.wait_for_load_state()
    link = admin_page.locator("[data-enrolment-link]").inner_text().strip()
    assert link.startswith(base + "/admin/2fa/enrol/?key=")

    # The officer opens it, reads the key, types the code and reaches the dashboard.
    officer_page.goto(link)
    officer_page.wait_for_url(base + "/admin/2fa/enrol/")
    key = officer_page.locator("[data-manual-key]").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} )*[A-Z2-7]{1,4}", key.strip())
    assert axe_violations(officer_page) == []
    officer_page.get_by_label(CODE_LABEL).fill(rfc6238(key))
    officer_page.get_by_role("button", name="ยืนยันและดำเนินการต่อ").click()
    officer_page.wait_for_url(base + "/admin/")
    assert officer_page.locator("#main, main").first.is_visible()
    assert TOTPDevice.objects.get(user=officer).confirmed

    # The link is spent.
    officer_page.goto(link)
    assert officer_page.get_by_role("heading", name="ลิงก์ลงทะเบียนใช้ไม่ได้").is_visible()
