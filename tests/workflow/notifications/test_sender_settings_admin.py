"""The organisation's editor sets its SMS sender and account and its mail sender in the service settings
(ตั้งค่าบริการ): the API key and secret are write-only, never shown back, and blank keeps what is stored."""

import pytest
from django.contrib.auth import get_user_model

from cctv.home.models import ServiceSettings
from cctv.roles import setup_roles
from tests.factories import another_organisation, first_organisation

KEY, SECRET = "lampang-api-key-123", "lampang-very-secret-456"


@pytest.fixture
def editor(db, home_page, client):
    ours = first_organisation()
    another_organisation()  # two sites: the admin is scoped and requests name their host
    user = get_user_model().objects.create_user(username="editor", password="x-" * 8)
    user.groups.add(setup_roles()["editor"])
    ours.members.add(user)
    client.force_login(user)
    return ours


def url(organisation) -> str:
    return f"/admin/settings/cctv_home/servicesettings/{organisation.site_id}/"


def post(client, organisation, **fields):
    service = ServiceSettings.for_site(organisation.site)
    data = {
        "organisation_name": service.organisation_name,
        "organisation_name_en": "",
        "contact_unit": "",
        "contact_phone": "",
        "collect_race": "on",
        "retention_days": "1095",
        "approved_instructions": "",
        "sms_sender": "",
        "sms_api_key": "",
        "sms_api_secret": "",
        "mail_from_name": "",
        "mail_from_address": "",
        **fields,
    }
    return client.post(url(organisation), data, HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="th")


def page(client, organisation) -> str:
    response = client.get(url(organisation), HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 200
    return response.content.decode()


def test_the_editor_stores_an_account_and_the_edit_page_never_shows_it(client, editor):
    html = page(client, editor)
    assert "ชื่อผู้ส่ง SMS" in html
    assert "ยังไม่มีบัญชี SMS ของหน่วยงานนี้" in html

    response = post(
        client,
        editor,
        sms_sender="LAMPANG",
        sms_api_key=KEY,
        sms_api_secret=SECRET,
        mail_from_name="เทศบาลนครลำปาง",
        mail_from_address="cctv@lampang.example",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    service = ServiceSettings.for_site(editor.site)
    assert service.sms_account() == (KEY, SECRET)
    assert (service.sms_sender, service.mail_from_address) == ("LAMPANG", "cctv@lampang.example")

    html = page(client, editor)
    assert SECRET not in html
    assert KEY not in html
    assert service.sms_api_secret_sealed not in html
    assert "มีบัญชี SMS ของหน่วยงานนี้เก็บไว้แล้ว" in html
    assert 'name="sms_api_secret"' in html


def test_a_blank_secret_keeps_the_stored_account_and_remove_clears_it(client, editor):
    assert post(client, editor, sms_sender="LAMPANG", sms_api_key=KEY, sms_api_secret=SECRET).status_code == 302
    assert post(client, editor, sms_sender="LAMPANG2").status_code == 302
    service = ServiceSettings.for_site(editor.site)
    assert service.sms_account() == (KEY, SECRET)
    assert service.sms_sender == "LAMPANG2"

    assert post(client, editor, sms_sender="LAMPANG2", sms_api_secret="new-secret").status_code == 302
    assert ServiceSettings.for_site(editor.site).sms_account() == (KEY, "new-secret")

    assert post(client, editor, sms_account_remove="on").status_code == 302
    service = ServiceSettings.for_site(editor.site)
    assert service.sms_account() is None
    assert (service.sms_api_key_sealed, service.sms_api_secret_sealed) == ("", "")


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"sms_sender": "LAMPANG", "sms_api_key": KEY}, "กรอกทั้ง API key และ secret"),
        ({"sms_api_key": KEY, "sms_api_secret": SECRET}, "ต้องมีชื่อผู้ส่งของหน่วยงานเอง"),
        ({"sms_sender": "ลำปาง"}, "อักษรละตินและตัวเลขเท่านั้น"),
        ({"sms_account_remove": "on", "sms_api_key": KEY, "sms_api_secret": SECRET}, "อย่างใดอย่างหนึ่ง"),
    ],
)
def test_an_incomplete_account_is_refused_with_a_thai_message(client, editor, fields, error):
    response = post(client, editor, **fields)
    assert response.status_code == 200
    html = response.content.decode()
    assert error in html
    assert SECRET not in html  # not even the value just typed is rendered back
    assert ServiceSettings.for_site(editor.site).sms_account() is None


def test_the_editor_of_one_organisation_cannot_open_or_change_anothers_settings(client, editor):
    from cctv.organisations.models import Organisation

    theirs = Organisation.objects.exclude(pk=editor.pk).get()
    before = ServiceSettings.for_site(theirs.site)
    assert client.get(url(theirs), HTTP_HOST="localhost").status_code == 404
    assert post(client, theirs, sms_sender="HIJACK", sms_api_key=KEY, sms_api_secret=SECRET).status_code == 404
    after = ServiceSettings.objects.get(pk=before.pk)
    assert (after.sms_sender, after.has_sms_account) == (before.sms_sender, False)
    assert client.get(url(editor), HTTP_HOST="localhost").status_code == 200
