"""The documented backup restores into an empty database with every request and file."""

import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from workflow.request.models import Attachment, FootageRequest

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
BIN = Path(__file__).resolve().parents[2] / "bin"


def url_for(database: str) -> str:
    s = connection.settings_dict
    return f"postgresql://{s['USER']}@{s['HOST']}:{s['PORT']}/{database}"


def test_backup_then_restore_into_an_empty_database(chain, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("backups are pg_dump archives; this runs in the PostgreSQL pass of make test")
    made = [chain["new"]() for _ in range(3)]
    storage = FootageRequest._meta.get_field("signature").storage
    files = {made[0].signature.name, *Attachment.objects.values_list("file", flat=True)}
    env = {
        **os.environ,
        "DATABASE_URL": url_for(connection.settings_dict["NAME"]),
        "PRIVATE_MEDIA_ROOT": storage.location,
    }
    env.pop("MEDIA_ROOT", None)
    subprocess.run([BIN / "backup", tmp_path / "backup"], env=env, check=True, capture_output=True)  # noqa: S603

    restored = "cctv_restore_drill"
    with psycopg.connect(url_for("postgres"), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {restored}")
        admin.execute(f"CREATE DATABASE {restored}")
    try:
        env.update(DATABASE_URL=url_for(restored), PRIVATE_MEDIA_ROOT=str(tmp_path / "restored-files"))
        subprocess.run([BIN / "restore", tmp_path / "backup"], env=env, check=True, capture_output=True)  # noqa: S603
        with psycopg.connect(url_for(restored)) as db:
            references = {row[0] for row in db.execute("SELECT reference FROM cctv_workflow_footagerequest")}
            stored_files = {row[0] for row in db.execute("SELECT file FROM cctv_workflow_attachment")}
        assert references == {r.reference for r in made}
        assert stored_files <= files
        for name in files:
            assert (tmp_path / "restored-files" / name).read_bytes() == storage.open(name).read()
    finally:
        with psycopg.connect(url_for("postgres"), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {restored}")
