"""A real S3-protocol server for the tests of the object-store storage (CCTV_PRIVATE_STORAGE=s3).

moto's standalone server runs in a thread on a free loopback port and answers over HTTP, so the code under test is
the production one: django-storages and boto3 talking S3 to an endpoint URL. Nothing is mocked in-process.
Import the fixtures into a test module (``from tests.s3_server import s3_private, s3_server``).
"""

import logging
import socket
import uuid

import boto3
import pytest
from django.apps import apps
from django.core.files.storage import storages
from django.db.models import FileField
from moto.server import ThreadedMotoServer

from workflow.request.files import private_storage

REGION = "ap-southeast-1"
KEYS = {"aws_access_key_id": "cctv-test", "aws_secret_access_key": "cctv-test-secret"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server() -> tuple[ThreadedMotoServer, str]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server, f"http://127.0.0.1:{port}"


def s3_client(endpoint: str):
    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **KEYS)


def new_bucket(endpoint: str) -> str:
    name = f"cctv-private-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint).create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return name


def storage_settings(endpoint: str, bucket: str) -> dict:
    """What settings/base.py builds from the CCTV_S3_* variables."""
    return {
        "BACKEND": "cctv.object_storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": REGION,
            "access_key": KEYS["aws_access_key_id"],
            "secret_key": KEYS["aws_secret_access_key"],
            "server_side_encryption": "AES256",
        },
    }


def environment(endpoint: str, bucket: str) -> dict:
    """The same configuration as environment variables, for bin/backup, bin/restore and settings/base.py."""
    return {
        "CCTV_PRIVATE_STORAGE": "s3",
        "CCTV_S3_BUCKET": bucket,
        "CCTV_S3_ENDPOINT_URL": endpoint,
        "CCTV_S3_REGION": REGION,
        "CCTV_S3_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
        "CCTV_S3_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
        "CCTV_S3_SSE": "AES256",
    }


def use_private_storage(settings, monkeypatch, config: dict):
    """Switches STORAGES["private"] and the file fields that were given it when their models were defined."""
    settings.STORAGES = {**settings.STORAGES, "private": config}
    storage = storages["private"]
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FileField) and getattr(field, "_storage_callable", None) is private_storage:
                monkeypatch.setattr(field, "storage", storage)
    return storage


@pytest.fixture(scope="session")
def s3_server():
    server, endpoint = start_server()
    yield endpoint
    server.stop()


@pytest.fixture
def s3_private(s3_server, settings, monkeypatch):
    """Private files go to a new bucket of the local S3 server for this test; yields (storage, endpoint, bucket)."""
    bucket = new_bucket(s3_server)
    storage = use_private_storage(settings, monkeypatch, storage_settings(s3_server, bucket))
    return storage, s3_server, bucket
