"""Staff accounts: lockout after repeated failed logins, sessions that end, strong passwords."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


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
