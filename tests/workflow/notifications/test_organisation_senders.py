"""Each organisation's notifications go out under its own SMS sender and account and its own mail From (its
service settings), the installation's where it set none, and never another organisation's. ThaiBulkSMS is a
real local HTTP server that knows two accounts; only that outside HTTP is stood in for."""

import base64
import io
import os
from email.header import decode_header, make_header

import pytest
from django.core.management import call_command
from django.urls import reverse

from cctv.home.models import ServiceSettings
from tests.factories import RequestTypeFactory, StationFactory, another_organisation, first_organisation, submission
from tests.local_http import JsonHandler, serving
from workflow.constants import Channel, NotificationEvent
from workflow.notifications.delivery import deliver
from workflow.notifications.models import Notification
from workflow.request.models import FootageRequest
from workflow.request.services import submit_request

INSTALLATION = ("install-key", "install-secret")
OURS = ("lampang-key", "lampang-secret-ลำปาง")
THEIRS = ("nan-key", "nan-secret")


def basic(account) -> str:
    return "Basic " + base64.b64encode(f"{account[0]}:{account[1]}".encode()).decode()


class Provider(JsonHandler):
    """POST /sms as ThaiBulkSMS answers it, for any of three accounts; records who sent what."""

    received: list[dict] = []
    accounts = {
        basic(account): name for name, account in (("installation", INSTALLATION), ("ours", OURS), ("theirs", THEIRS))
    }

    def do_POST(self):
        form = self.read_form()
        account = self.accounts.get(self.headers.get("Authorization", ""))
        Provider.received.append({"account": account, **form})
        if account is None:
            return self._answer(401, {"error": {"code": 401, "name": "UNAUTHORIZED", "description": "Unauthorized"}})
        message_id = f"{account}-{len(Provider.received)}"
        return self._answer(201, {"remaining_credit": 9, "phone_number_list": [{"message_id": message_id}]})


@pytest.fixture
def provider(settings):
    Provider.received = []
    with serving(Provider) as url:
        settings.CCTV_SMS_BACKEND = "workflow.notifications.thaibulksms.ThaiBulkSmsGateway"
        settings.CCTV_THAIBULKSMS_URL = url
        settings.CCTV_THAIBULKSMS_API_KEY, settings.CCTV_THAIBULKSMS_API_SECRET = INSTALLATION
        settings.CCTV_SMS_SENDER = "PROVINCE"
        settings.CCTV_SMS_TIMEOUT = 5
        settings.DEFAULT_FROM_EMAIL = "ระบบกล้อง <no-reply@province.example>"
        yield Provider


def configure(organisation, *, sender="", account=None, from_name="", from_address="", name=None):
    service = ServiceSettings.for_site(organisation.site)
    service.organisation_name = name or organisation.name_th
    service.sms_sender, service.mail_from_name, service.mail_from_address = sender, from_name, from_address
    if account:
        service.set_sms_account(api_key=account[0], api_secret=account[1])
    service.save()
    return service


def request_of(organisation, phone):
    station = StationFactory(organisation=organisation, code=f"park-{organisation.code}")
    request_type = RequestTypeFactory(organisation=organisation)
    return submit_request(submission=submission(station=station, request_type=request_type, phone=phone))


def send(footage_request, channel=Channel.SMS):
    notification = Notification.objects.filter(request=footage_request, channel=channel).first()
    if notification is None:
        notification = Notification.objects.create(
            request=footage_request, event=NotificationEvent.SUBMITTED, channel=channel
        )
    assert deliver(notification.pk) is True
    notification.refresh_from_db()
    return notification


@pytest.fixture
def two(db, home_page, privacy_page):
    ours, theirs = first_organisation(), another_organisation()
    return ours, theirs


def test_each_organisations_sms_goes_with_its_own_sender_and_account(provider, two):
    ours, theirs = two
    configure(ours, sender="LAMPANG", account=OURS)
    configure(theirs, sender="NAN", account=THEIRS, name="เทศบาลเมืองน่าน")
    mine, other = request_of(ours, "0811111111"), request_of(theirs, "0822222222")

    sent_mine, sent_other = send(mine), send(other)

    by_number = {item["msisdn"]: item for item in provider.received}
    assert by_number["66811111111"]["account"] == "ours"
    assert by_number["66811111111"]["sender"] == "LAMPANG"
    assert by_number["66822222222"]["account"] == "theirs"
    assert by_number["66822222222"]["sender"] == "NAN"
    # The text names the request's own organisation, not the default site's.
    assert by_number["66822222222"]["message"].startswith("เทศบาลเมืองน่าน:")
    # The provider's message id is kept on each row.
    assert sent_mine.provider_message_id == "ours-1"
    assert sent_other.provider_message_id == "theirs-2"


def test_an_organisation_with_none_of_its_own_uses_the_installations_account_and_sender(provider, two):
    ours, theirs = two
    configure(ours, sender="LAMPANG", account=OURS)
    configure(theirs)  # nothing of its own
    send(request_of(theirs, "0822222222"))
    (item,) = provider.received
    assert (item["account"], item["sender"]) == ("installation", "PROVINCE")


def test_a_sender_name_alone_goes_through_the_installations_account(provider, two):
    _ours, theirs = two
    configure(theirs, sender="NANCITY")
    send(request_of(theirs, "0822222222"))
    (item,) = provider.received
    assert (item["account"], item["sender"]) == ("installation", "NANCITY")


def test_mail_from_is_each_organisations_with_the_installations_as_fallback(provider, two, mailoutbox):
    ours, theirs = two
    configure(ours, from_name="เทศบาลนครลำปาง", from_address="cctv@lampang.example")
    configure(theirs)
    for organisation, phone in ((ours, "0811111111"), (theirs, "0822222222")):
        footage_request = request_of(organisation, phone)
        FootageRequest.objects.filter(pk=footage_request.pk).update(
            email=f"{organisation.code.lower()}@example.invalid"
        )
        send(footage_request, Channel.EMAIL)
    froms = {message.to[0]: str(make_header(decode_header(message.message()["From"]))) for message in mailoutbox}
    assert froms == {
        "cctv@example.invalid": "เทศบาลนครลำปาง <cctv@lampang.example>",
        "nan@example.invalid": "ระบบกล้อง <no-reply@province.example>",
    }


def test_the_secret_is_stored_sealed_and_does_not_open_in_another_organisations_row(two):
    ours, theirs = two
    service = configure(ours, sender="LAMPANG", account=OURS)
    stored = ServiceSettings.objects.filter(pk=service.pk).values_list("sms_api_secret_sealed", flat=True).get()
    assert OURS[1] not in stored and stored.startswith("v2:")
    assert ServiceSettings.objects.get(pk=service.pk).sms_account() == OURS
    # Copied into the other organisation's row, the ciphertext does not open (it is bound to its site).
    other = configure(theirs)
    ServiceSettings.objects.filter(pk=other.pk).update(
        sms_api_key_sealed=service.sms_api_key_sealed, sms_api_secret_sealed=stored
    )
    with pytest.raises(Exception):  # noqa: B017 - cryptography's InvalidTag
        ServiceSettings.objects.get(pk=other.pk).sms_account()
    # And the history never holds it.
    assert not any(OURS[1] in repr(row.__dict__) for row in service.history.all())


def test_key_rotation_reseals_the_organisations_sms_accounts(two, settings):
    ours, _theirs = two
    service = configure(ours, sender="LAMPANG", account=OURS)
    old_key = settings.FIELD_ENCRYPTION_KEY
    settings.FIELD_ENCRYPTION_KEY = base64.b64encode(os.urandom(32)).decode()
    settings.FIELD_ENCRYPTION_OLD_KEYS = [old_key]
    out = io.StringIO()
    call_command("rotate_field_key", stdout=out)
    assert "re-encrypted 1 organisation SMS account(s)" in out.getvalue()
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    assert ServiceSettings.objects.get(pk=service.pk).sms_account() == OURS


def test_the_provider_message_id_is_shown_on_the_message_page(provider, two, admin_client):
    ours, _theirs = two
    configure(ours, sender="LAMPANG", account=OURS)
    notification = send(request_of(ours, "0811111111"))
    response = admin_client.get(
        reverse("messages:inspect", args=[notification.pk]), HTTP_ACCEPT_LANGUAGE="th", HTTP_HOST="localhost"
    )
    assert response.status_code == 200
    assert notification.provider_message_id in response.content.decode()
