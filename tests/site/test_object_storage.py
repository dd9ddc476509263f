"""Private files in an S3-protocol object store: the django-storages path production uses, against moto's server."""

import hashlib
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.s3_server import (
    environment,
    new_bucket,
    s3_client,
    s3_private,
    s3_server,
    start_server,
    storage_settings,
    use_private_storage,
)
from workflow.handling.models import DeliveredCopy
from workflow.privacy.models import AccessLog
from workflow.request.models import Attachment

__all__ = ["s3_private", "s3_server"]  # fixtures used by the tests below
ROOT = Path(__file__).resolve().parents[2]


def test_files_are_saved_read_and_deleted_in_the_bucket_encrypted_and_without_a_url(s3_private):
    storage, endpoint, bucket = s3_private
    name = storage.save("attachments/2026/12/id-card.jpg", ContentFile(b"\xff\xd8 an ID card"))
    with storage.open(name, "rb") as handle:
        assert handle.read() == b"\xff\xd8 an ID card"
    s3 = s3_client(endpoint)
    head = s3.head_object(Bucket=bucket, Key=name)
    assert head["ServerSideEncryption"] == "AES256"
    grants = s3.get_object_acl(Bucket=bucket, Key=name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers / AuthenticatedUsers grant
    with pytest.raises(ValueError, match="no URL"):
        storage.url(name)
    # Not even by guessing: the object's plain address answers 403 without a signature.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{endpoint}/{bucket}/{name}", timeout=5)  # noqa: S310 - a loopback test server
    assert refused.value.code == 403
    # A second file of the same name does not overwrite the first.
    assert storage.save(name, ContentFile(b"another")) != name
    storage.delete(name)
    assert not storage.exists(name)


def test_a_copy_of_footage_is_downloaded_by_a_logged_short_lived_presigned_url(client, chain, s3_private, settings):
    _, endpoint, bucket = s3_private
    settings.CCTV_S3_PRESIGNED_SECONDS = 300
    content = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 512
    copy = DeliveredCopy(
        request=chain["new"](),
        file_name="cam1.mp4",
        size_bytes=len(content),
        duration_seconds=60,
        sha256=hashlib.sha256(content).hexdigest(),
        delivery=DeliveredCopy.Delivery.DOWNLOAD,
        download_expires_at=timezone.now() + timedelta(days=7),
    )
    copy.file.save("cam1.mp4", ContentFile(content))
    assert client.get(f"/status/{copy.request.token}/").status_code == 200

    response = client.get(f"/copies/{copy.download_token}/")
    assert response.status_code == 302 and "no-store" in response["Cache-Control"]
    location = response["Location"]
    assert location.startswith(f"{endpoint}/{bucket}/copies/") and "X-Amz-Expires=300" in location
    assert copy.downloads.count() == 1
    with urllib.request.urlopen(location, timeout=5) as fetched:  # noqa: S310 - the loopback S3 server
        assert fetched.read() == content
        assert fetched.headers["Content-Disposition"] == 'attachment; filename="cam1.mp4"'
    # Without its signature the same address is refused.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(location.split("?")[0], timeout=5)  # noqa: S310
    assert refused.value.code == 403

    DeliveredCopy.objects.filter(pk=copy.pk).update(download_expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(f"/copies/{copy.download_token}/").status_code == 410
    assert copy.downloads.count() == 1


def test_readiness_fails_while_the_object_store_cannot_be_reached(client, db, settings, monkeypatch):
    server, endpoint = start_server()
    try:
        use_private_storage(settings, monkeypatch, storage_settings(endpoint, new_bucket(endpoint)))
        ready = client.get("/health/ready/")
        assert ready.status_code == 200 and ready.json()["checks"]["storage"]["ok"] is True
    finally:
        server.stop()
    down = client.get("/health/ready/")
    assert down.status_code == 503
    assert down.json()["checks"]["storage"] == {"ok": False, "error": "EndpointConnectionError"}


def test_readiness_fails_when_the_bucket_is_not_there(client, db, s3_private, settings, monkeypatch):
    _, endpoint, _ = s3_private
    use_private_storage(settings, monkeypatch, storage_settings(endpoint, "cctv-no-such-bucket"))
    response = client.get("/health/ready/")
    assert response.status_code == 503 and response.json()["checks"]["storage"]["ok"] is False


def test_the_environment_variables_choose_the_object_store():
    env = {
        **os.environ,
        **environment("http://127.0.0.1:9", "cctv-files"),
        "CCTV_PRIVATE_X_ACCEL_PREFIX": "/private-files/",
        "DJANGO_SETTINGS_MODULE": "cctv.settings.test",
        "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}",
    }
    code = (
        "from django.conf import settings; import json;"
        "print(json.dumps({**settings.STORAGES['private'], 'accel': settings.CCTV_PRIVATE_X_ACCEL_PREFIX}))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    private = json.loads(out.stdout)
    assert private["BACKEND"] == "cctv.object_storage.PrivateS3Storage"
    assert private["accel"] == ""  # nginx's X-Accel-Redirect serves from the disk: off with the bucket
    assert private["OPTIONS"] == {
        "bucket_name": "cctv-files",
        "endpoint_url": "http://127.0.0.1:9",
        "region_name": "ap-southeast-1",
        "access_key": "cctv-test",
        "secret_key": "cctv-test-secret",
        "server_side_encryption": "AES256",
    }
    env["CCTV_PRIVATE_STORAGE"] = "ftp"
    refused = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)  # noqa: S603
    assert refused.returncode != 0 and "CCTV_PRIVATE_STORAGE must be" in refused.stderr


def test_the_backup_tool_copies_every_object_out_and_back_encrypted(s3_private, tmp_path):
    storage, endpoint, bucket = s3_private
    names = {storage.save(f"attachments/2026/12/{n}.pdf", ContentFile(f"file {n}".encode())) for n in range(3)}
    names.add(storage.save("signatures/2026/12/s.png", ContentFile(b"\x89PNG")))
    env = {**os.environ, **environment(endpoint, bucket)}
    tool = [sys.executable, ROOT / "bin" / "private-objects"]
    archive = tmp_path / "private.tar.gz"
    subprocess.run([*tool, "dump", archive], env=env, check=True, capture_output=True)  # noqa: S603

    restored = new_bucket(endpoint)
    env["CCTV_S3_BUCKET"] = restored
    subprocess.run([*tool, "load", archive], env=env, check=True, capture_output=True)  # noqa: S603
    s3 = s3_client(endpoint)
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=restored)["Contents"]}
    assert keys == names
    for name in names:
        stored = s3.get_object(Bucket=restored, Key=name)
        assert stored["Body"].read() == storage.open(name).read()
        assert stored["ServerSideEncryption"] == "AES256"


def test_staff_read_the_id_card_copy_and_signature_streamed_from_the_bucket(client, chain, s3_private, settings):
    storage, _, _ = s3_private
    settings.CCTV_PRIVATE_X_ACCEL_PREFIX = ""  # as settings/base.py sets it with the object store
    footage_request = chain["new"]()
    attachment = Attachment.objects.get(request=footage_request)
    assert storage.exists(attachment.file.name) and storage.exists(footage_request.signature.name)
    client.force_login(chain["users"]["officer"])
    for url, field in (
        (f"/admin/cctv/attachments/{attachment.pk}/", attachment.file),
        (f"/admin/cctv/signatures/{footage_request.pk}/", footage_request.signature),
    ):
        response = client.get(url)
        assert response.status_code == 200 and "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content) == storage.open(field.name).read()
    assert AccessLog.objects.filter(request=footage_request).count() == 2
