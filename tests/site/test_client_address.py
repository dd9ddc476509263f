"""The client's address behind nginx: believed from the trusted proxy only, and the same for the throttles,
django-axes and the access log."""

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.utils.module_loading import import_string

from cctv.http import client_ip
from tests.factories import lookup_post, national_id

PROXY = "127.0.0.1"  # nginx on the same host, as in deploy/nginx-cctv.conf
ALICE, BOB = "203.0.113.7", "198.51.100.9"


@pytest.fixture
def behind_proxy(settings):
    settings.CCTV_TRUSTED_PROXIES = [PROXY]


def through_nginx(client_address: str, sent_by_client: str = "") -> Client:
    """A client whose requests reach Django through nginx: nginx appends the address it saw
    ($proxy_add_x_forwarded_for) to whatever the client sent."""
    forwarded = f"{sent_by_client}, {client_address}" if sent_by_client else client_address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded, HTTP_X_REAL_IP=client_address)


def address(remote: str, forwarded: str | None = None) -> str | None:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        pytest.param([], PROXY, ALICE, PROXY, id="no_trusted_proxy_by_default"),
        pytest.param([PROXY], ALICE, BOB, ALICE, id="spoofed_header_from_an_untrusted_address"),
        pytest.param([PROXY], ALICE, f"{PROXY}", ALICE, id="untrusted_address_claims_to_be_the_proxy"),
        pytest.param([PROXY], PROXY, ALICE, ALICE, id="from_the_proxy"),
        pytest.param([PROXY], PROXY, f"{BOB}, {ALICE}", ALICE, id="client_sent_its_own_header"),
        pytest.param([PROXY], PROXY, f"{BOB},{ALICE}", ALICE, id="without_spaces"),
        pytest.param([PROXY, "10.0.0.0/8"], PROXY, f"{BOB}, {ALICE}, 10.1.2.3", ALICE, id="two_trusted_hops"),
        pytest.param([PROXY], PROXY, f"{ALICE}, 10.1.2.3", "10.1.2.3", id="untrusted_hop_is_the_client"),
        pytest.param([PROXY], PROXY, f"{BOB}, {PROXY}", BOB, id="all_hops_trusted_but_the_first"),
        pytest.param([PROXY], PROXY, PROXY, PROXY, id="a_request_from_the_host_itself"),
        pytest.param([PROXY], PROXY, None, PROXY, id="proxy_without_header"),
        pytest.param([PROXY], PROXY, "", PROXY, id="proxy_with_empty_header"),
        pytest.param([PROXY], PROXY, f"{ALICE}, not-an-address", PROXY, id="garbage_hop_stops_at_the_proxy"),
        pytest.param([PROXY], PROXY, f"{ALICE}, {ALICE}:4711", PROXY, id="address_with_port_is_not_believed"),
        pytest.param([PROXY], PROXY, f"::ffff:{ALICE}", ALICE, id="ipv4_mapped_ipv6"),
        pytest.param(["::1"], "::1", "2001:db8::5", "2001:db8::5", id="ipv6_proxy"),
    ],
)
def test_client_address(settings, trusted, remote, forwarded, expected):
    settings.CCTV_TRUSTED_PROXIES = trusted
    assert address(remote, forwarded) == expected


def test_a_bad_trusted_proxy_setting_is_a_configuration_error(settings):
    settings.CCTV_TRUSTED_PROXIES = ["nginx.local"]
    with pytest.raises(ImproperlyConfigured, match="CCTV_TRUSTED_PROXIES"):
        address(PROXY, ALICE)


def test_throttles_axes_and_logs_ask_the_same_function(settings):
    assert import_string(settings.RATELIMIT_IP_META_KEY) is client_ip
    assert import_string(settings.AXES_CLIENT_IP_CALLABLE) is client_ip


@pytest.fixture
def footage_request(home_page, stations, request_types):
    from tests.factories import submission
    from workflow.request.services import submit_request

    return submit_request(submission=submission(station=stations[0], request_type=request_types["view"]))


def test_two_clients_behind_the_proxy_have_their_own_lookup_limit(behind_proxy, footage_request, settings):
    alice, bob = through_nginx(ALICE), through_nginx(BOB)
    limit = int(settings.CCTV_STATUS_LOOKUP_RATE.split("/")[0])
    for _ in range(limit):
        assert alice.post("/status/", lookup_post(national_id(), "0899999999")).status_code == 200
    assert alice.post("/status/", lookup_post(national_id(), "0812345678")).status_code == 429
    assert bob.post("/status/", lookup_post(national_id(), "0812345678")).status_code == 302


def test_a_client_cannot_leave_its_limit_by_sending_a_new_header_each_time(behind_proxy, footage_request, settings):
    limit = int(settings.CCTV_STATUS_LOOKUP_RATE.split("/")[0])
    for attempt in range(limit):
        client = through_nginx(ALICE, sent_by_client=f"192.0.2.{attempt}")
        assert client.post("/status/", lookup_post(national_id(), "0899999999")).status_code == 200
    fresh_header = through_nginx(ALICE, sent_by_client="192.0.2.200")
    assert fresh_header.post("/status/", lookup_post(national_id(), "0812345678")).status_code == 429
    # Directly connected (not through the proxy), the header is not read at all.
    direct = Client(REMOTE_ADDR=ALICE, HTTP_X_FORWARDED_FOR="192.0.2.201")
    assert direct.post("/status/", lookup_post(national_id(), "0812345678")).status_code == 429


def test_two_clients_behind_the_proxy_have_their_own_submit_limit(behind_proxy, form_page, settings):
    settings.CCTV_SUBMIT_RATE = "1/h"
    alice, bob = through_nginx(ALICE), through_nginx(BOB)
    assert alice.post(form_page.url, {}).status_code == 200  # the form again, with its errors
    assert alice.post(form_page.url, {}).status_code == 429
    assert bob.post(form_page.url, {}).status_code == 200


@pytest.fixture
def officer(db, home_page):
    from django.contrib.auth import get_user_model

    from cctv.roles import setup_roles

    user = get_user_model().objects.create_user(username="officer1", password="correct-horse-battery-9")
    user.groups.add(setup_roles()["officer"])
    return user


def login(client, password):
    return client.post("/admin/login/", {"username": "officer1", "password": password})


def test_axes_locks_out_only_the_address_that_failed(behind_proxy, officer, settings):
    alice, bob = through_nginx(ALICE), through_nginx(BOB)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(alice, "wrong")
    assert login(alice, "correct-horse-battery-9").status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [ALICE]
    response = login(bob, "correct-horse-battery-9")  # the officer at another desk still gets in
    assert response.status_code == 302
    assert bob.session["_auth_user_id"] == str(officer.pk)


def test_axes_lockout_is_not_escaped_by_a_spoofed_header(behind_proxy, officer, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login(through_nginx(ALICE, sent_by_client=f"192.0.2.{attempt}"), "wrong")
    assert login(through_nginx(ALICE, sent_by_client=BOB), "correct-horse-battery-9").status_code == 429
    direct = Client(REMOTE_ADDR=ALICE, HTTP_X_FORWARDED_FOR=BOB)
    assert login(direct, "correct-horse-battery-9").status_code == 429


def test_the_access_log_records_the_client_behind_the_proxy(behind_proxy, chain):
    from workflow.privacy.models import AccessLog
    from workflow.request.models import Attachment

    footage_request = chain["new"]()
    attachment = Attachment.objects.get(request=footage_request)
    alice = through_nginx(ALICE, sent_by_client=BOB)
    alice.force_login(chain["users"]["officer"])
    assert alice.get(f"/admin/cctv/attachments/{attachment.pk}/").status_code == 200
    assert alice.get(f"/admin/cctv/signatures/{footage_request.pk}/").status_code == 200
    assert set(AccessLog.objects.values_list("ip_address", flat=True)) == {ALICE}
