"""Private files in an S3-protocol object store (CCTV_PRIVATE_STORAGE=s3), through django-storages.

Same rules as the disk storage (cctv/storage.py): no public URL (``url()`` refuses), objects are written with no
ACL (the bucket's private default) and, when CCTV_S3_SSE names one, with server-side encryption. The one way out
is ``presigned_url()``: the copy-download view, after logging the download, redirects the applicant to a URL that
works for CCTV_S3_PRESIGNED_SECONDS (5 minutes by default), so large footage is not streamed through the web server.
"""

from botocore.config import Config
from django.conf import settings
from storages.backends.s3 import S3Storage

# A readiness probe or a page must not hang for a minute of retries when the store is down. Signature v4: what
# every store accepts, and it bounds a presigned link's lifetime.
CLIENT_CONFIG = Config(
    connect_timeout=3,
    read_timeout=30,
    retries={"max_attempts": 2, "mode": "standard"},
    signature_version="s3v4",
)


class PrivateS3Storage(S3Storage):
    """Applicants' files in a bucket: never public, each object encrypted at rest when the store offers it."""

    def __init__(self, **options):
        sse = options.pop("server_side_encryption", "")
        options.setdefault("client_config", CLIENT_CONFIG)
        options.setdefault("default_acl", None)
        options.setdefault("querystring_auth", True)
        options.setdefault("file_overwrite", False)
        if sse:
            options["object_parameters"] = {**options.get("object_parameters", {}), "ServerSideEncryption": sse}
        super().__init__(**options)

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Private files have no URL; serve them through a view that checks access.")

    def presigned_url(self, name: str, *, download_name: str = "", expire: int | None = None) -> str:
        """A GET URL for one object, valid for ``expire`` seconds; only for a view that has checked and logged."""
        parameters = {"ResponseCacheControl": "private, no-store"}
        if download_name:
            ascii_name = download_name.encode("ascii", "ignore").decode().replace('"', "") or "footage"
            parameters["ResponseContentDisposition"] = f'attachment; filename="{ascii_name}"'
        seconds = expire if expire is not None else settings.CCTV_S3_PRESIGNED_SECONDS
        return super().url(name, parameters=parameters, expire=seconds)

    def reachable(self) -> None:
        """Raises unless the bucket is there and ours: one HEAD request (refused, 403 and 404 all raise)."""
        self.connection.meta.client.head_bucket(Bucket=self.bucket_name)


def presigned_url_for(field_file, download_name: str = "") -> str | None:
    """A short-lived URL to the file when its storage is an object store, else None (stream it from disk)."""
    storage = field_file.storage
    if not isinstance(storage, PrivateS3Storage):
        return None
    return storage.presigned_url(field_file.name, download_name=download_name)
