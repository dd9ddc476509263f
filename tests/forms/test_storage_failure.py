"""Disk full or read-only storage while a request is submitted: nothing is left behind, neither rows nor files,
and the citizen is told the truth (not sent, try again later) with the form as typed."""

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import FileSystemStorage, storages

from tests.factories import altcha_solution, submission
from tests.forms.test_form_page import SIGNATURE, id_card_file, valid_post
from tests.forms.test_uploads import pdf, upload
from workflow.request.models import Attachment, FootageRequest, ReferenceCounter
from workflow.request.services import StorageUnavailable, submit_request
from workflow.request.submission import NewAttachment, sanitised_file

NOT_SENT = "คำร้องของท่านยังไม่ได้ส่ง"
NOT_KEPT = "ระบบไม่สามารถเก็บไฟล์นี้ไว้ให้ได้"


class DiskFillsUpStorage(FileSystemStorage):
    """A real file system storage whose disk fills up during the second file it writes: half of that file is
    on disk when the write fails, as with a real ENOSPC."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.writes = 0

    def _save(self, name, content):
        self.writes += 1
        if self.writes < 2:
            return super()._save(name, content)
        data = content.read()
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def request_storage(monkeypatch, tmp_path):
    """Puts a storage of the test's own under the request's file fields (fixed when the models load)."""

    def use(storage):
        for model, name in ((FootageRequest, "signature"), (Attachment, "file")):
            monkeypatch.setattr(model._meta.get_field(name), "storage", storage)
        return storage

    return use


def pdf_upload():
    return upload("police-report.pdf", pdf(), "application/pdf")


def assert_nothing_stored(root: Path) -> None:
    assert not FootageRequest.objects.exists()
    assert not Attachment.objects.exists()
    assert not ReferenceCounter.objects.filter(last_number__gt=0).exists()
    assert [name for name in files_under(root) if not name.startswith("staging/")] == []


def test_disk_full_during_a_submission_leaves_no_file_and_keeps_the_form(
    client, form_page, stations, request_types, request_storage, tmp_path
):
    root = tmp_path / "requests"
    storage = request_storage(DiskFillsUpStorage(location=str(root)))
    data = {**valid_post(stations, request_types), "id_card": id_card_file(), "police_report": pdf_upload()}
    response = client.post(form_page.url, data)

    assert storage.writes == 2, "the signature was written, then the disk filled up during the next file"
    assert response.status_code == 503
    assert response["Retry-After"]
    html = response.content.decode()
    assert NOT_SENT in html and "กรุณาลองใหม่อีกครั้งในภายหลัง" in html
    assert 'value="สมศักดิ์"' in html and "ศาลา" in html and SIGNATURE in html
    # Staging has its own space here: the valid files are kept for the next try.
    assert 'name="id_card_kept"' in html and 'name="police_report_kept"' in html
    assert_nothing_stored(root)


@pytest.fixture
def read_only(tmp_path):
    """Makes a directory read-only for this process, root included (chmod does not bind root: then the
    immutable attribute does)."""
    made = []

    def make(path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        path.chmod(0o555)
        made.append(path)
        if os.geteuid() == 0:
            chattr = shutil.which("chattr")
            if not chattr or subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode:  # noqa: S603
                pytest.skip("running as root without chattr +i: cannot make a directory read-only")
        with pytest.raises(OSError):
            (path / "probe").write_bytes(b"x")

    yield make
    for path in made:
        if os.geteuid() == 0:
            subprocess.run([shutil.which("chattr"), "-i", str(path)], check=False)  # noqa: S603
        path.chmod(0o755)


def test_read_only_storage_during_a_submission_stores_nothing_and_keeps_the_form(
    client, form_page, stations, request_types, request_storage, read_only
):
    # The whole private storage is read-only: the request's files and the staging of valid files both fail.
    private = storages["private"]
    request_storage(private)
    root = Path(private.location)
    read_only(root)
    data = {**valid_post(stations, request_types), "id_card": id_card_file()}
    response = client.post(form_page.url, data)

    assert response.status_code == 503
    html = response.content.decode()
    assert NOT_SENT in html
    assert 'value="สมศักดิ์"' in html and SIGNATURE in html
    assert NOT_KEPT in html, "the citizen is told the file could not be kept"
    assert 'name="id_card_kept"' not in html
    assert_nothing_stored(root)
    assert files_under(root) == []


def test_submit_request_removes_what_it_wrote_when_storage_fails(
    db, stations, request_types, request_storage, tmp_path
):
    root = tmp_path / "requests"
    request_storage(DiskFillsUpStorage(location=str(root)))
    item = submission(station=stations[0], request_type=request_types["view"])
    item.attachments.append(NewAttachment(kind="police_report", file=sanitised_file(pdf(), "pdf")))
    with pytest.raises(StorageUnavailable):
        submit_request(submission=item)
    assert_nothing_stored(root)


def test_a_valid_submission_after_the_failure_goes_through(
    client, form_page, stations, request_types, request_storage, tmp_path
):
    root = tmp_path / "requests"
    request_storage(FileSystemStorage(location=str(root)))
    data = {**valid_post(stations, request_types), "id_card": id_card_file(), "altcha": altcha_solution()}
    assert client.post(form_page.url, data).status_code == 302
    created = FootageRequest.objects.get()
    assert sorted(files_under(root)) == sorted([created.signature.name, Attachment.objects.get().file.name])


def test_the_error_page_promises_nothing_untrue():
    page = (Path(django_settings.BASE_DIR) / "templates" / "500.html").read_text(encoding="utf-8")
    assert "ไม่สูญหาย" not in page, "nothing guarantees that what was sent is kept"
    assert "คำร้องนั้นอาจยังไม่ได้รับ" in page and "may not have been received" in page
