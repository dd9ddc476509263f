"""bin/backup and bin/restore with the private files in the object store: the same commands, the same archive."""

import os
import subprocess

import psycopg
import pytest
from django.db import connection

from tests.integration.test_backup_restore import BIN, url_for
from tests.s3_server import environment, new_bucket, s3_client, s3_private, s3_server
from workflow.request.models import Attachment, FootageRequest

__all__ = ["s3_private", "s3_server"]
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_backup_then_restore_with_the_files_in_the_object_store(s3_private, chain, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("backups are pg_dump archives; this runs in the PostgreSQL pass of make test")
    storage, endpoint, bucket = s3_private
    made = [chain["new"]() for _ in range(2)]
    files = {request.signature.name for request in made} | set(Attachment.objects.values_list("file", flat=True))
    assert files and all(storage.exists(name) for name in files)
    env = {**os.environ, **environment(endpoint, bucket), "DATABASE_URL": url_for(connection.settings_dict["NAME"])}
    env.pop("PRIVATE_MEDIA_ROOT", None)  # not needed, and not used, with the object store
    env.pop("MEDIA_ROOT", None)
    subprocess.run([BIN / "backup", tmp_path / "backup"], env=env, check=True, capture_output=True)  # noqa: S603
    assert (tmp_path / "backup" / "private.tar.gz").stat().st_size > 0

    restored_db, restored_bucket = "cctv_restore_drill_s3", new_bucket(endpoint)
    with psycopg.connect(url_for("postgres"), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {restored_db}")
        admin.execute(f"CREATE DATABASE {restored_db}")
    try:
        env.update(DATABASE_URL=url_for(restored_db), CCTV_S3_BUCKET=restored_bucket)
        subprocess.run([BIN / "restore", tmp_path / "backup"], env=env, check=True, capture_output=True)  # noqa: S603
        with psycopg.connect(url_for(restored_db)) as db:
            references = {row[0] for row in db.execute("SELECT reference FROM cctv_workflow_footagerequest")}
        assert references == {request.reference for request in made}
        s3 = s3_client(endpoint)
        for name in files:
            stored = s3.get_object(Bucket=restored_bucket, Key=name)
            assert stored["Body"].read() == storage.open(name).read()
            assert stored["ServerSideEncryption"] == "AES256"
        assert FootageRequest.objects.count() == len(made)
    finally:
        with psycopg.connect(url_for("postgres"), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {restored_db}")
