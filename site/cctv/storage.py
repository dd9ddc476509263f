from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Files of applicants: on disk outside MEDIA_ROOT and without any URL.

    Only views that check permission and log the access stream them; ``url()`` fails loudly so that no
    template or API can link to a private file by mistake. The embedded default; CCTV_PRIVATE_STORAGE=s3 puts the
    same files in an object store under the same rules (cctv/object_storage.py).
    """

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view that checks access.")
