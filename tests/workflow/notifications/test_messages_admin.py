"""The Messages admin ("ข้อความที่ส่ง"): every notification, read-only, with the recipient and the status link's key
masked; the text as sent on a message's own page, each opening access-logged; only the roles given
``view_notification`` see it."""

from dataclasses import replace

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape

from cctv.roles import ROLES, setup_roles
from tests import factories
from workflow.constants import Channel, NotificationEvent
from workflow.notifications import sms
from workflow.notifications.delivery import deliver
from workflow.notifications.masking import MASK, mask_link_keys, mask_recipient
from workflow.notifications.models import Notification
from workflow.privacy.message_views import error_label
from workflow.privacy.models import AccessLog
from workflow.privacy.retention import erase_requests
from workflow.request.models import FootageRequest
from workflow.request.services import submit_request

pytestmark = pytest.mark.django_db

INDEX = "/admin/messages/"
PERMISSION = "cctv_workflow.view_notification"


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.MemoryGateway.outbox.clear()
    yield
    sms.MemoryGateway.outbox.clear()


def inspect_url(notification) -> str:
    return reverse("messages:inspect", args=[notification.pk])


def user_in(role: str, username: str | None = None):
    user = get_user_model().objects.create_user(username=username or role, password="x" * 16)
    user.groups.add(setup_roles()[role])
    return user


@pytest.fixture
def sent(chain):
    """A request whose "received" SMS went through the gateway."""
    footage_request = chain["new"]()
    notification = Notification.objects.get(request=footage_request, channel=Channel.SMS)
    assert deliver(notification.pk) is True
    notification.refresh_from_db()
    return notification


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("0812345678", "08x-xxx-5678"),
        ("021234567", "02-xxx-4567"),
        ("applicant@example.invalid", "a***@example.invalid"),
        ("", ""),
        ("12345", "xxxxx"),
    ],
)
def test_recipients_are_masked(address, masked):
    assert mask_recipient(address) == masked


def test_link_keys_are_masked_wherever_they_stand():
    key = "A" * 10 + "b-_" + "9" * 19  # 32 URL-safe characters, as new_token makes them
    text = f"ดูที่ https://cctv.example/status/{key}/ หรือพิมพ์ {key}; เลขที่ CCTV-2569-000042"
    masked = mask_link_keys(text)
    assert key not in masked
    assert masked == f"ดูที่ https://cctv.example/status/{MASK}/ หรือพิมพ์ {MASK}; เลขที่ CCTV-2569-000042"
    assert mask_link_keys("old key short", keys=("short",)) == f"old key {MASK}"


def test_a_sent_message_keeps_its_text_and_its_masked_recipient(sent):
    (message,) = sms.MemoryGateway.outbox
    assert sent.status == Notification.Status.SENT
    assert sent.payload["text"] == message["text"]
    assert f"/status/{sent.request.token}/" in sent.payload["text"]  # stored whole: it is what was sent
    assert sent.payload["to"] == "08x-xxx-5678"


def test_the_roles_that_read_messages():
    readers = {role.key for role in ROLES if PERMISSION in role.permissions}
    assert readers == {"officer", "head", "auditor", "administrator"}
    groups = setup_roles()
    for role in ROLES:
        held = groups[role.key].permissions.filter(codename="view_notification").exists()
        assert held is (role.key in readers), role.key


def test_the_listing_shows_each_message_in_thai_with_the_recipient_masked(client, sent, chain):
    client.force_login(chain["users"]["officer"])
    response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    for thai in ("ข้อความที่ส่ง", "ได้รับคำร้องแล้ว", "ส่งแล้ว", "ผู้รับ", "จำนวนครั้งที่ส่ง", "08x-xxx-5678"):
        assert thai in html, thai
    assert sent.request.reference in html
    assert inspect_url(sent) in html
    assert sent.request.phone not in html
    assert sent.request.token not in html
    assert "1 ข้อความ" in html and "notification" not in html  # counted in Thai, not by the model's name
    # Nothing to add, edit or delete, for anyone.
    for name in ("add", "edit", "delete", "copy", "history"):
        with pytest.raises(NoReverseMatch):
            reverse(f"messages:{name}", args=[] if name == "add" else [sent.pk])


def test_a_superuser_gets_no_add_or_delete_either(client, sent):
    client.force_login(get_user_model().objects.create_superuser(username="root", password="x" * 16))
    html = client.get(INDEX).content.decode()
    assert "/admin/messages/new/" not in html
    assert "/admin/messages/delete/" not in html
    assert client.get(f"/admin/messages/delete/{sent.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "sent"}, {"status": "sent"}),
        ({"status": "pending"}, {"status": "pending"}),
        ({"channel": "email"}, {"channel": "email"}),
        ({"event": "more_info"}, {"event": "more_info"}),
        ({"reference": "{first}"}, {"request": "first"}),
        ({"reference": " {first_lower} "}, {"request": "first"}),  # as staff type it
        ({"q": "{second}"}, {"request": "second"}),
        ({"q": "{first}0"}, None),  # the exact number, not "contains"
    ],
)
def test_the_filters(client, chain, query, expected):
    first, second = chain["new"](), chain["new"]()
    deliver(Notification.objects.get(request=first, channel=Channel.SMS).pk)
    Notification.objects.create(request=second, event=NotificationEvent.MORE_INFO, channel=Channel.SMS)
    Notification.objects.create(request=second, event=NotificationEvent.APPROVED, channel=Channel.EMAIL)
    requests = {"first": first, "second": second}
    names = {"first": first.reference, "second": second.reference, "first_lower": first.reference.lower()}
    client.force_login(chain["users"]["officer"])
    response = client.get(INDEX, {key: value.format(**names) for key, value in query.items()})
    listed = {row.pk for row in response.context["object_list"]}
    if expected is None:
        assert listed == set()
        return
    lookup = {key: requests.get(value, value) for key, value in expected.items()}
    wanted = set(Notification.objects.filter(**lookup).values_list("pk", flat=True))
    assert wanted, lookup  # each case filters something out of a listing that has it
    assert wanted != set(Notification.objects.values_list("pk", flat=True)), lookup
    assert listed == wanted


def test_the_listing_costs_the_same_queries_for_3_rows_and_30(client, chain):
    footage_request = chain["new"]()
    others = [chain["new"]() for _ in range(2)]
    officer = chain["users"]["officer"]
    client.force_login(officer)
    client.get(INDEX)  # warm the caches a first page view fills (permissions, site settings)

    def rows(total: int):
        Notification.objects.all().delete()
        requests = [footage_request, *others]
        Notification.objects.bulk_create(
            Notification(
                request=requests[index % 3],
                event=NotificationEvent.SUBMITTED,
                channel=Channel.SMS,
                payload={"to": "08x-xxx-5678", "subject": "", "text": "ข้อความ"} if index % 2 else {},
            )
            for index in range(total)
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(INDEX, {"p": 2} if total > 20 else {})
        assert response.status_code == 200
        assert len(response.context["object_list"]) == (3 if total == 3 else 10)
        return len(queries)

    assert rows(3) == rows(30)


@pytest.mark.parametrize("role", ["editor", "chief", "deputy"])
def test_roles_without_the_right_get_the_admins_refusal_and_no_menu_item(client, chain, sent, role):
    user = chain["users"][role] if role in chain["users"] else user_in(role)
    client.force_login(user)
    for url in (INDEX, inspect_url(sent)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("wagtailadmin_home"), url
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert INDEX not in dashboard
    assert not AccessLog.objects.filter(user=user).exists()


@pytest.mark.parametrize("role", ["officer", "head", "auditor", "administrator"])
def test_opening_a_message_shows_the_text_as_sent_with_the_key_masked_and_is_logged(client, chain, sent, role):
    user = chain["users"][role] if role in chain["users"] else user_in(role)
    client.force_login(user)
    assert INDEX in client.get(reverse("wagtailadmin_home")).content.decode()  # the menu item
    response = client.get(inspect_url(sent), REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 200
    html = response.content.decode()
    (message,) = sms.MemoryGateway.outbox
    before_link, _sep, after_link = message["text"].partition(sent.request.token)
    assert before_link + MASK + after_link in html
    assert sent.request.token not in html
    assert sent.request.phone not in html
    assert "08x-xxx-5678" in html and "ข้อความที่ส่งไป" in html
    log = AccessLog.objects.get(user=user)
    assert (log.request, log.what, log.object_id, log.ip_address) == (
        sent.request,
        AccessLog.What.PERSONAL_DATA,
        sent.pk,
        "10.9.8.7",
    )


def test_a_message_not_yet_made_says_so(client, chain):
    pending = Notification.objects.get(request=chain["new"](), channel=Channel.SMS)
    client.force_login(chain["users"]["officer"])
    html = client.get(inspect_url(pending)).content.decode()
    assert "ยังไม่มีข้อความ" in html
    assert "08x-xxx-5678" in html  # the applicant's number now, masked


def test_errors_are_told_in_thai(client, chain, sent):
    Notification.objects.filter(pk=sent.pk).update(last_error="WorkerLost")
    client.force_login(chain["users"]["officer"])
    assert "ระบบส่งข้อความหยุดทำงานระหว่างส่ง" in client.get(INDEX).content.decode()
    assert error_label("SMTPRecipientsRefused") == "เซิร์ฟเวอร์อีเมลไม่รับข้อความ"
    assert error_label("ConnectionRefusedError") == "ติดต่อผู้ให้บริการไม่ได้"
    assert error_label("SmsRejected") == "ผู้ให้บริการ SMS ปฏิเสธข้อความ"
    assert error_label("") == ""


def test_an_e_mail_shows_its_subject_and_the_address_masked(client, chain, stations, request_types):
    submission = factories.submission(station=stations[0], request_type=request_types["view"])
    applicant = replace(submission.applicant, email="somsak@example.invalid")
    footage_request = submit_request(submission=replace(submission, applicant=applicant))
    email = Notification.objects.get(request=footage_request, channel=Channel.EMAIL)
    assert deliver(email.pk) is True
    email.refresh_from_db()
    client.force_login(chain["users"]["officer"])
    html = client.get(inspect_url(email)).content.decode()
    assert "s***@example.invalid" in html and "somsak@" not in html
    assert "หัวเรื่องอีเมล" in html and escape(email.payload["subject"]) in html
    assert f"/status/{MASK}/" in html and footage_request.token not in html
    assert "<br>" in html  # the e-mail's lines stay lines


def test_the_kept_text_goes_with_its_request(sent):
    erase_requests(queryset=FootageRequest.objects.filter(pk=sent.request_id))
    assert not Notification.objects.filter(pk=sent.pk).exists()


@pytest.mark.parametrize(("level", "linked"), [("officer", True), ("head", True), ("deputy", False), ("chief", False)])
def test_the_request_page_links_to_its_messages_for_those_who_may_read_them(client, chain, sent, level, linked):
    footage_request = sent.request
    client.force_login(chain["users"][level])
    html = client.get(f"/admin/snippets/cctv_workflow/footagerequest/edit/{footage_request.pk}/").content.decode()
    link = f'href="{INDEX}?reference={footage_request.reference}"'
    assert (link in html) is linked
    if linked:
        listing = client.get(f"{INDEX}?reference={footage_request.reference}").content.decode()
        assert inspect_url(sent) in listing


def test_the_development_sms_log_masks_the_number_as_the_messages_admin_does(caplog):
    with caplog.at_level("INFO", logger="workflow.notifications.sms"):
        sms.LogGateway().send(to="0812345678", text="ทดสอบ", idempotency_key="cctv-1-1-abc")
    assert "08x-xxx-5678" in caplog.text
    assert "0812345678" not in caplog.text
