"""One read-through helper, keys that carry the release, and one way to read the site settings."""

import datetime
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.client import RequestFactory
from django.test.utils import CaptureQueriesContext

from cctv.caching import cache_key, cached, readthrough, release
from cctv.caching.readthrough import fingerprint, release_files
from cctv.home.models import ServiceSettings
from cctv.home.selectors import service_settings
from forms.selectors import get_form_options
from tests.factories import submission
from workflow.request.public_state import public_state
from workflow.request.services import submit_request

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fresh_release():
    release.cache_clear()
    yield
    release.cache_clear()


def queries(call) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as captured:
        value = call()
    return value, len(captured)


def test_cached_loads_once_then_answers_from_the_cache():
    loads = []
    assert cached("cctv:test:one", 60, lambda: loads.append(1) or "value") == "value"
    assert cached("cctv:test:one", 60, lambda: loads.append(1) or "other") == "value"
    assert loads == [1]


def test_cached_does_not_keep_a_none():
    loads = []
    assert cached("cctv:test:none", 60, lambda: loads.append(1)) is None
    assert cached("cctv:test:none", 60, lambda: loads.append(1)) is None
    assert loads == [1, 1]


def test_a_key_changes_when_the_release_changes(settings, tmp_path, fresh_release):
    settings.STATIC_ROOT = str(tmp_path)
    (tmp_path / "staticfiles.json").write_text('{"paths": {"forms/css/form.css": "forms/css/form.1.css"}}')
    before = cache_key("form-options", 1, 2, families=("form-options",))
    assert before == cache_key("form-options", 1, 2, families=("form-options",))
    (tmp_path / "staticfiles.json").write_text('{"paths": {"forms/css/form.css": "forms/css/form.2.css"}}')
    release.cache_clear()
    assert cache_key("form-options", 1, 2, families=("form-options",)) != before


def test_the_release_changes_when_a_class_moves_to_another_module(tmp_path):
    package = tmp_path / "workflow"
    package.mkdir()
    (package / "models.py").write_text("class ServiceStep: ...\n")
    (package / "constants.py").write_text("")
    before = fingerprint(package.rglob("*.py"), tmp_path)
    (package / "models.py").write_text("")
    (package / "constants.py").write_text("class ServiceStep: ...\n")
    moved = fingerprint(package.rglob("*.py"), tmp_path)
    (package / "models.py").rename(package / "handling.py")
    renamed = fingerprint(package.rglob("*.py"), tmp_path)
    assert len({before, moved, renamed}) == 3


def test_the_release_covers_the_code_templates_and_translations():
    names = {path.relative_to(ROOT).as_posix() for path in release_files()}
    for name in (
        "forms/selectors.py",
        "workflow/handling/models.py",
        "site/cctv/home/models.py",
        "site/cctv/thai/localised.py",
        "templates/base.html",
        "locale/th/LC_MESSAGES/django.mo",
    ):
        assert name in names
    assert not any(name.startswith(".venv/") for name in names)


def test_form_options_kept_by_another_release_are_not_loaded(form_page, monkeypatch):
    site = form_page.get_site()
    monkeypatch.setattr(readthrough, "release", lambda: "before-the-deploy")
    _options, count = queries(lambda: get_form_options(page=form_page, site=site))
    assert count > 0
    assert queries(lambda: get_form_options(page=form_page, site=site))[1] == 0
    monkeypatch.setattr(readthrough, "release", lambda: "after-the-deploy")
    assert queries(lambda: get_form_options(page=form_page, site=site))[1] > 0


def test_service_settings_are_read_once_for_a_site_a_request_and_the_default(home_page):
    site = home_page.get_site()
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    for argument in (site, request, None):
        first, count = queries(lambda argument=argument: service_settings(argument))
        assert first.organisation_name == "องค์การบริหารส่วนจังหวัดทดสอบ"
        assert count > 0
        again, count = queries(lambda argument=argument: service_settings(argument))
        assert again.pk == first.pk and count == 0


def test_a_saved_setting_shows_at_once_however_it_is_read(home_page):
    site = home_page.get_site()
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    for argument in (site, request, None):
        assert service_settings(argument).contact_phone == "054-237600"
    row = ServiceSettings.objects.get(site=site)
    row.contact_phone = "054-000000"
    row.save()
    for argument in (site, request, None):
        assert service_settings(argument).contact_phone == "054-000000"


def test_no_module_reads_service_settings_but_the_selector():
    pattern = re.compile(r"ServiceSettings\.(objects|for_site|for_request)\b")
    allowed = {
        "site/cctv/home/selectors.py",
        # Writes the demo's settings; a write loads the row itself.
        "forms/organisation.py",
        # Re-encrypts the organisations' SMS accounts: a write, row by row.
        "workflow/management/commands/rotate_field_key.py",
    }
    offenders = [
        path.relative_to(ROOT).as_posix()
        for folder in ("forms", "workflow", "site/cctv")
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
        and path.relative_to(ROOT).as_posix() not in allowed
        and pattern.search(path.read_text())
    ]
    assert offenders == []


def test_public_state_holds_only_builtin_types(home_page, stations, request_types):
    """Its key carries no release (it is forgotten by deleting it), so no class of ours may be pickled in it."""
    footage_request = submit_request(submission=submission(station=stations[0], request_type=request_types["view"]))
    state = public_state(footage_request.token)
    assert state is not None
    assert {type(value) for value in state.values()} <= {str, int, bool, type(None), datetime.datetime}
