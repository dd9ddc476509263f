"""An editor sets the organisation's SMS sender and account in Settings → ตั้งค่าบริการ, in the real Wagtail admin
(Thai, Debian's chromium): after saving, the page says an account is stored and the secret's box is empty, and the
secret is nowhere in the page. No response may be a server error."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from cctv.home.models import ServiceSettings
from cctv.roles import setup_roles
from tests.factories import first_organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "very-secret-lampang-789"


def test_the_editor_stores_the_sms_account_and_never_sees_the_secret_again(live_server, admin, home_page):
    editor = get_user_model().objects.create_user(username="editor")
    editor.groups.add(setup_roles()["editor"])
    site = first_organisation().site
    url = f"{live_server.url}/admin/settings/cctv_home/servicesettings/{site.pk}/"

    page = admin.open_as(editor)
    page.goto(url)
    expect(page.get_by_text("ยังไม่มีบัญชี SMS ของหน่วยงานนี้", exact=False)).to_be_visible()
    page.get_by_label("ชื่อผู้ส่ง SMS").fill("LAMPANG")
    page.get_by_label("API key ของบัญชี SMS (ThaiBulkSMS)").fill("lampang-key")
    page.get_by_label("API secret ของบัญชี SMS (ThaiBulkSMS)").fill(SECRET)
    page.get_by_label("ที่อยู่อีเมลผู้ส่ง").fill("cctv@lampang.example")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.wait_for_url(re.compile(re.escape(url)))
    expect(page.get_by_text("มีบัญชี SMS ของหน่วยงานนี้เก็บไว้แล้ว", exact=False)).to_be_visible()

    expect(page.get_by_label("API secret ของบัญชี SMS (ThaiBulkSMS)")).to_have_value("")
    assert SECRET not in page.content()
    service = ServiceSettings.for_site(site)
    assert service.sms_account() == ("lampang-key", SECRET)
    assert service.sms_sender == "LAMPANG"
