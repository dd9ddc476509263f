import base64
import io
import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from wagtail.models import Revision

from tests.factories import national_id
from workflow.request import encryption
from workflow.request.models import FootageRequest


def test_round_trip_and_a_fresh_nonce_each_time():
    first, second = encryption.encrypt_text("1101700203450"), encryption.encrypt_text("1101700203450")
    assert first != second
    assert encryption.decrypt_text(first) == "1101700203450"


def test_tampered_ciphertext_is_refused():
    stored = encryption.encrypt_text("1101700203450")
    version, kid, payload = stored.split(":")
    raw = bytearray(base64.b64decode(payload))
    raw[-1] ^= 1
    with pytest.raises(Exception):  # noqa: B017 - cryptography's InvalidTag
        encryption.decrypt_text(f"{version}:{kid}:{base64.b64encode(bytes(raw)).decode()}")


def test_key_rotation_reencrypts_requests_and_revisions(chain, settings):
    footage_request = chain["new"]()
    old_key = settings.FIELD_ENCRYPTION_KEY
    new_key = base64.b64encode(os.urandom(32)).decode()
    settings.FIELD_ENCRYPTION_KEY = new_key
    with pytest.raises(ImproperlyConfigured):
        FootageRequest.objects.get(pk=footage_request.pk).national_id  # noqa: B018 - the old key is not known
    settings.FIELD_ENCRYPTION_OLD_KEYS = [old_key]
    out = io.StringIO()
    call_command("rotate_field_key", stdout=out)
    assert "re-encrypted 1 request(s) and 1 revision(s)" in out.getvalue()
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    stored = FootageRequest.objects.get(pk=footage_request.pk)
    assert stored.national_id == national_id()
    revision = Revision.objects.get(pk=stored.latest_revision_id)
    assert encryption.decrypt_text(revision.content["national_id_encrypted"]) == national_id()
    call_command("rotate_field_key", stdout=out)
    assert "re-encrypted 0 request(s) and 0 revision(s)" in out.getvalue()
