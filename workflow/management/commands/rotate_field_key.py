"""Re-encrypts every national ID number with the current key, in requests and in their revisions, each
organisation's SMS account and LINE channel in its service settings, and the LINE user ids of the links.

Rotation: put the new key in CCTV_FIELD_ENCRYPTION_KEY and the old one in CCTV_FIELD_ENCRYPTION_OLD_KEYS,
restart, run this command, then remove the old key.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Revision

from cctv.field_encryption import seal, sealed_with_current_key
from cctv.home.models import SEALED_FIELDS, ServiceSettings
from workflow.line.models import LineLink
from workflow.notifications.line import LINE_USER_PURPOSE, unseal_user
from workflow.request import encryption
from workflow.request.models import FootageRequest

FIELD = "national_id_encrypted"


def _reseal(stored: str) -> str:
    return encryption.encrypt_text(encryption.decrypt_text(stored))


class Command(BaseCommand):
    help = "Re-encrypt national ID numbers (requests and revisions) with the current key"

    def handle(self, *args, **options):
        requests = revisions = 0
        content_type = ContentType.objects.get_for_model(FootageRequest)
        for pk, stored in FootageRequest.objects.values_list("pk", FIELD).iterator(chunk_size=500):
            if stored and not encryption.sealed_with_current_key(stored):
                with transaction.atomic():
                    FootageRequest.objects.filter(pk=pk, **{FIELD: stored}).update(**{FIELD: _reseal(stored)})
                requests += 1
        for revision in Revision.objects.filter(base_content_type=content_type).only("content").iterator(500):
            stored = revision.content.get(FIELD, "")
            if stored and not encryption.sealed_with_current_key(stored):
                revision.content[FIELD] = _reseal(stored)
                revision.save(update_fields=["content"])
                revisions += 1
        self.stdout.write(f"re-encrypted {requests} request(s) and {revisions} revision(s)")
        accounts = 0
        for service in ServiceSettings.objects.all():
            with transaction.atomic():
                if service.reseal():
                    service.save(update_fields=list(SEALED_FIELDS))
                    accounts += 1
        self.stdout.write(f"re-encrypted {accounts} organisation SMS account(s) and LINE channel(s)")
        users = 0
        for pk, stored in LineLink.objects.values_list("pk", "line_user_sealed").iterator(chunk_size=500):
            if not sealed_with_current_key(stored):
                resealed = seal(unseal_user(stored), purpose=LINE_USER_PURPOSE)
                LineLink.objects.filter(pk=pk, line_user_sealed=stored).update(line_user_sealed=resealed)
                users += 1
        self.stdout.write(f"re-encrypted {users} LINE link(s)")
