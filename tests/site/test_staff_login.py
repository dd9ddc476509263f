"""Staff accounts: lockout after repeated failed logins, sessions that end, strong passwords."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture
def staff(db, home_page):
    from cctv.roles import setup_roles

    user = get_user_model().objects.create_user(username="officer1", password="correct-horse-battery-9")
    user.groups.add(setup_roles()["officer"])
    return user


def login(client, password):
    return client.post("/admin/login/", {"username": "officer1", "password": password})


def test_repeated_failed_logins_lock_the_account_from_that_address(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "wrong").status_code == 200
    assert login(client, "wrong").status_code == 429  # the limit is reached
    response = login(client, "correct-horse-battery-9")  # even the right password is refused now
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_good_login_still_works_below_the_limit(client, staff):
    login(client, "wrong")
    response = login(client, "correct-horse-battery-9")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_an_expired_session_sends_staff_back_to_login(client, staff):
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    session = client.session
    session.set_expiry(-1)
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("password", ["12345678901234", "password1234", "short-pass"])
def test_weak_passwords_are_refused(staff, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=staff)


@pytest.fixture
def enrolled(staff):
    """The officer's authenticator, enrolled earlier (through an enrolment link: tests/site/test_two_factor.py)."""
    return TOTPDevice.objects.create(user=staff, name="authenticator", confirmed=True)


def current_code(device) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_admin_needs_the_code_of_the_enrolled_authenticator(client, staff, enrolled, settings):
    settings.CCTV_REQUIRE_2FA = True
    assert login(client, "correct-horse-battery-9").status_code == 302
    response = client.get("/admin/cctv/queue/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/2fa/?next=/admin/cctv/queue/"
    page = client.get(response["Location"]).content.decode()
    assert "<svg" not in page  # no QR code: a signed-in user never sees a key
    wrong = client.post("/admin/2fa/?next=/admin/cctv/queue/", {"code": "000000"})
    assert wrong.status_code == 200 and client.get("/admin/").status_code == 302
    time.sleep(1.1)  # django-otp throttles the next try for a second after a wrong code
    right = client.post("/admin/2fa/?next=/admin/cctv/queue/", {"code": current_code(enrolled)})
    assert right["Location"] == "/admin/cctv/queue/"
    assert client.get("/admin/cctv/queue/").status_code == 200
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_second_step_does_not_follow_links_off_site(client, staff, enrolled, settings):
    settings.CCTV_REQUIRE_2FA = True
    login(client, "correct-horse-battery-9")
    client.get("/admin/2fa/")
    response = client.post("/admin/2fa/?next=https://evil.example/", {"code": current_code(enrolled)})
    assert response["Location"] == "/admin/"


def test_public_pages_need_no_second_step(client, staff, settings, form_page):
    settings.CCTV_REQUIRE_2FA = True
    login(client, "correct-horse-battery-9")
    assert client.get(form_page.url).status_code == 200
