"""The citizen's form, its uploads and their staging, run again with private files in the object store.

The tests are those of tests/forms/test_uploads.py and tests/forms/test_form_page.py, collected here a second time
with an autouse fixture that moves STORAGES["private"] (and the file fields holding it) to a bucket of the local
S3 server: the submission path must work the same on either storage.
"""

import pytest

from tests.forms.test_form_page import *  # noqa: F403 - the same tests, on the object store
from tests.forms.test_uploads import *  # noqa: F403
from tests.s3_server import s3_private, s3_server
from workflow.request.models import Attachment, FootageRequest

__all__ = ["s3_private", "s3_server"]


@pytest.fixture(autouse=True)
def _on_the_object_store(request, s3_private, tmp_path):
    storage, _, _ = s3_private
    yield
    # Nothing went to the disk storage (tests/conftest.py points it at tmp_path/private) ...
    assert not [path for path in (tmp_path / "private").rglob("*") if path.is_file()]
    if not {"db", "transactional_db"} & set(request.fixturenames):
        return
    # ... and every file the database names is in the bucket.
    names = [*FootageRequest.objects.exclude(signature="").values_list("signature", flat=True)]
    names += Attachment.objects.values_list("file", flat=True)
    assert all(storage.exists(name) for name in names)
