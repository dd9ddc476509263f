"""Two-step sign-in: enrolment only through an administrator's one-time link, the manual key in Base32, and a
password reset that answers every address alike and is throttled."""

import base64
import hashlib
import hmac
import re
import struct
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry

from cctv.two_factor.models import EnrolmentLink

PASSWORD = "correct-horse-battery-9"
LINKS = "/admin/cctv/enrolment-links/"
ENROL = "/admin/2fa/enrol/"


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.CCTV_REQUIRE_2FA = True


@pytest.fixture
def staff(db, home_page):
    from cctv.roles import setup_roles

    user = get_user_model().objects.create_user(username="officer1", password=PASSWORD, email="officer1@example.go.th")
    user.groups.add(setup_roles()["officer"])
    return user


@pytest.fixture
def administrator(db, home_page):
    """A superuser who is through both steps."""
    from django.test import Client

    admin = get_user_model().objects.create_superuser(username="admin", password=PASSWORD, email="a@example.go.th")
    device = TOTPDevice.objects.create(user=admin, name="authenticator", confirmed=True)
    other = Client()
    other.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    other.post("/admin/2fa/", {"code": rfc6238(base64.b32encode(device.bin_key).decode())})
    assert other.get("/admin/").status_code == 200
    other.user = admin
    return other


def rfc6238(base32_key: str, at: float | None = None) -> str:
    """The code an authenticator app shows for a key typed in by hand (RFC 6238: HMAC-SHA1, 30 s, 6 digits)."""
    text = base32_key.replace(" ", "").upper()
    key = base64.b32decode(text + "=" * (-len(text) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(int.from_bytes(digest[offset : offset + 4], 'big') & 0x7FFFFFFF) % 1_000_000:06d}"


def sign_in(client, username="officer1"):
    response = client.post("/admin/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def create_link(administrator, user) -> str:
    page = administrator.post(LINKS, {"user": user.pk}).content.decode()
    return re.search(r"data-enrolment-link>([^<]+)</code>", page).group(1)


def shown_key(page: str) -> str:
    return re.search(r"data-manual-key>([^<]+)</code>", page).group(1).strip()


def test_a_password_alone_cannot_enrol_a_device(client, staff):
    sign_in(client)
    response = client.get("/admin/2fa/?next=/admin/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "ขอลิงก์ลงทะเบียนจากผู้ดูแลระบบ" in page  # "ask your administrator for an enrolment link"
    assert "<svg" not in page and "data-manual-key" not in page and 'name="code"' not in page
    client.post("/admin/2fa/", {"code": "123456"})
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert client.get("/admin/").status_code == 302  # still not through


def test_an_administrator_creates_a_one_time_link_stored_hashed(administrator, staff):
    before = timezone.now()
    url = create_link(administrator, staff)
    token = url.split("?key=")[1]
    assert url.startswith("http://testserver/admin/2fa/enrol/?key=")
    link = EnrolmentLink.objects.get(user=staff)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(EnrolmentLink.objects.values_list()))
    assert link.created_by == administrator.user
    assert timedelta(hours=23, minutes=59) < link.expires_at - before <= timedelta(hours=24, seconds=5)
    entry = ModelLogEntry.objects.get(action="cctv.staff.enrolment_link")
    assert entry.object_id == str(staff.pk) and entry.user == administrator.user
    assert token not in str(entry.data)
    # The page lists the account as not enrolled, with its open link; the token is never shown again.
    again = administrator.get(LINKS).content.decode()
    assert token not in again
    assert "ยังไม่ได้ลงทะเบียน" in again  # "not enrolled"


def test_the_permission_can_be_given_to_a_group_in_wagtail(administrator):
    permission = Permission.objects.get(content_type__app_label="cctv_two_factor", codename="add_enrolmentlink")
    page = administrator.get(reverse("wagtailusers_groups:add")).content.decode()
    assert f'value="{permission.pk}"' in page


def test_the_link_enrols_with_the_base32_key_it_shows(administrator, client, staff):
    url = create_link(administrator, staff)
    sign_in(client)
    opened = client.get(url.removeprefix("http://testserver"))
    assert opened.status_code == 302 and opened["Location"] == ENROL  # the token leaves the address bar
    page = client.get(ENROL).content.decode()
    assert "<svg" in page
    key = shown_key(page)
    assert re.fullmatch(r"([A-Z2-7]{4} )*[A-Z2-7]{1,4}", key)  # Base32, in groups of four
    device = TOTPDevice.objects.get(user=staff)
    assert base64.b32decode(key.replace(" ", "")) == device.bin_key
    response = client.post(ENROL, {"code": rfc6238(key)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert EnrolmentLink.objects.get(user=staff).used_at is not None
    entry = ModelLogEntry.objects.get(action="cctv.staff.enrol")
    assert entry.object_id == str(staff.pk) and entry.user == staff
    assert registry.action_exists("cctv.staff.enrol") and registry.action_exists("cctv.staff.enrolment_link")


def test_a_wrong_code_does_not_confirm(administrator, client, staff):
    url = create_link(administrator, staff)
    sign_in(client)
    client.get(url)
    client.get(ENROL)
    response = client.post(ENROL, {"code": "000000"})
    assert response.status_code == 200
    assert "รหัสไม่ถูกต้อง" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    assert EnrolmentLink.objects.get(user=staff).used_at is None


def test_a_link_works_once(administrator, client, staff):
    url = create_link(administrator, staff)
    sign_in(client)
    client.get(url)
    key = shown_key(client.get(ENROL).content.decode())
    client.post(ENROL, {"code": rfc6238(key)})
    client.logout()
    sign_in(client)
    again = client.get(url)
    assert again.status_code == 404
    assert "ลิงก์ลงทะเบียนใช้ไม่ได้" in again.content.decode()
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_an_expired_link_is_refused(administrator, client, staff):
    url = create_link(administrator, staff)
    EnrolmentLink.objects.filter(user=staff).update(expires_at=timezone.now() - timedelta(seconds=1))
    sign_in(client)
    assert client.get(url).status_code == 404
    assert client.get(ENROL).status_code == 404
    assert not TOTPDevice.objects.filter(user=staff).exists()


def test_a_link_expires_while_the_page_is_open(administrator, client, staff):
    url = create_link(administrator, staff)
    sign_in(client)
    client.get(url)
    key = shown_key(client.get(ENROL).content.decode())
    EnrolmentLink.objects.filter(user=staff).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.post(ENROL, {"code": rfc6238(key)}).status_code == 404
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_a_newer_link_ends_the_older_one(administrator, client, staff):
    first = create_link(administrator, staff)
    second = create_link(administrator, staff)
    sign_in(client)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 302


def test_a_link_for_another_account_is_refused(administrator, client, staff):
    other = get_user_model().objects.create_user(username="officer2", password=PASSWORD)
    url = create_link(administrator, staff)
    sign_in(client, "officer2")
    client.get(url)
    assert client.get(ENROL).status_code == 404
    assert not TOTPDevice.objects.filter(user__in=[staff, other]).exists()


def test_the_link_asks_for_the_password_first(administrator, client, staff):
    url = create_link(administrator, staff)
    client.get(url)
    response = client.get(ENROL)
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/2fa/enrol/"
    assert not TOTPDevice.objects.filter(user=staff).exists()
    sign_in(client)
    assert "data-manual-key" in client.get(ENROL).content.decode()


def test_enrolling_again_replaces_a_lost_authenticator(administrator, client, staff):
    lost = TOTPDevice.objects.create(user=staff, name="authenticator", confirmed=True)
    url = create_link(administrator, staff)
    sign_in(client)
    client.get(url)
    key = shown_key(client.get(ENROL).content.decode())
    client.post(ENROL, {"code": rfc6238(key)})
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).count() == 1
    assert ModelLogEntry.objects.get(action="cctv.staff.enrol").data["replaced_devices"] == 1


def test_only_administrators_create_links(client, staff, home_page):
    staff_device = TOTPDevice.objects.create(user=staff, name="authenticator", confirmed=True)
    sign_in(client)
    client.post("/admin/2fa/", {"code": rfc6238(base64.b32encode(staff_device.bin_key).decode())})
    assert client.get("/admin/").status_code == 200
    # Wagtail answers a refusal in its admin with a redirect to the dashboard and a message.
    assert client.get(LINKS)["Location"] == "/admin/"
    assert client.post(LINKS, {"user": staff.pk})["Location"] == "/admin/"
    assert not EnrolmentLink.objects.exists()

    # A user given the permission may create links, but not for a superuser.
    staff.user_permissions.add(Permission.objects.get(codename="add_enrolmentlink"))
    boss = get_user_model().objects.create_superuser(username="boss", password=PASSWORD)
    assert client.post(LINKS, {"user": staff.pk}).status_code == 200
    assert client.post(LINKS, {"user": boss.pk})["Location"] == "/admin/"
    assert client.post(LINKS, {"user": "x"}).status_code == 404
    assert list(EnrolmentLink.objects.values_list("user__username", flat=True)) == ["officer1"]


def test_the_first_superuser_gets_a_link_from_the_shell(client, staff, capsys):
    call_command("create_enrolment_link", "officer1", "--base-url", "https://cctv.example.go.th")
    url = capsys.readouterr().out.splitlines()[0]
    assert url.startswith("https://cctv.example.go.th/admin/2fa/enrol/?key=")
    sign_in(client)
    client.get(url.removeprefix("https://cctv.example.go.th"))
    key = shown_key(client.get(ENROL).content.decode())
    assert client.post(ENROL, {"code": rfc6238(key)})["Location"] == "/admin/"
    assert ModelLogEntry.objects.filter(action="cctv.staff.enrolment_link", user=None).count() == 1


# Password reset (Wagtail's /admin/password_reset/)


def reset(client, email, **extra):
    return client.post("/admin/password_reset/", {"email": email}, **extra)


def test_password_reset_answers_known_and_unknown_addresses_alike(client, staff, django_capture_on_commit_callbacks):
    answers, queries, queued = [], [], []
    client.get("/admin/login/")  # the installation's sites are read once and kept (cctv.organisations.middleware)
    for email in ("officer1@example.go.th", "nobody@example.go.th"):
        with django_capture_on_commit_callbacks(execute=False) as callbacks, CaptureQueriesContext(connection) as sql:
            response = reset(client, email)
        answers.append((response.status_code, response.get("Location"), response.content))
        queries.append([query["sql"] for query in sql.captured_queries])
        queued.append(callbacks)
    assert answers[0] == answers[1] == (302, "/admin/password_reset/done/", b"")
    assert mail.outbox == []  # no mail work in the request: the worker does it
    assert len(queries[0]) == len(queries[1])
    assert not any("auth_user" in query for query in queries[0] + queries[1])  # the address is not looked up
    assert [len(c) for c in queued] == [1, 1]

    for callbacks in queued:  # what the worker then does (eager in the tests)
        for callback in callbacks:
            callback()
    assert [message.to for message in mail.outbox] == [["officer1@example.go.th"]]
    assert "/admin/password_reset/confirm/" in mail.outbox[0].body


def test_password_reset_is_limited_per_client_address(client, staff, settings, django_capture_on_commit_callbacks):
    settings.CCTV_PASSWORD_RESET_RATE_ADDRESS = "3/h"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for number in range(3):
            assert reset(client, f"someone{number}@example.go.th").status_code == 302
        limited = reset(client, "officer1@example.go.th")
        assert reset(client, "officer1@example.go.th", REMOTE_ADDR="203.0.113.9").status_code == 302
    assert limited.status_code == 429
    assert "มีการขอตั้งรหัสผ่านใหม่มากเกินไป" in limited.content.decode()
    assert len(callbacks) == 4  # nothing queued for the refused one


def test_password_reset_is_limited_per_email_address(client, staff, settings, django_capture_on_commit_callbacks):
    settings.CCTV_PASSWORD_RESET_RATE_EMAIL = "2/h"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for number in range(2):
            assert reset(client, "officer1@example.go.th", REMOTE_ADDR=f"203.0.113.{number}").status_code == 302
        # The same mailbox from yet another address, spelt differently.
        limited = reset(client, " Officer1@Example.go.th ", REMOTE_ADDR="198.51.100.7")
        unknown_limited = [
            reset(client, "nobody@example.go.th", REMOTE_ADDR=f"198.51.100.{n}").status_code for n in range(10, 13)
        ]
    assert limited.status_code == 429
    assert "มีการขอตั้งรหัสผ่านใหม่มากเกินไป" in limited.content.decode()
    assert unknown_limited == [302, 302, 429]  # an unknown address is limited the same way
    assert len(callbacks) == 4
