"""Production settings pass Django's deployment checks, refuse to start without secrets, run tasks on the worker
and route no benchmark view."""

import json
from pathlib import Path

from tests.manage_process import production_manage

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env_overrides):
    return production_manage("check", "--deploy", "--fail-level", "WARNING", **env_overrides)


def test_check_deploy_reports_nothing():
    result = run_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check(DJANGO_SECRET_KEY=None)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_the_encryption_key():
    result = run_check(CCTV_FIELD_ENCRYPTION_KEY=None)
    assert result.returncode != 0
    assert "CCTV_FIELD_ENCRYPTION_KEY" in result.stderr


def test_collectstatic_with_the_production_storage_succeeds(tmp_path):
    """The hashed, compressed storage refuses a file that points at a missing one (a vendored source map did)."""
    result = production_manage("collectstatic", "--no-input", STATIC_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    scripts = ("thai-dates", "calendar", "signature", "request-form", "altcha-setup")
    vendored = ("forms/vendor/signature_pad.umd.min.js", "forms/vendor/altcha/pbkdf2.js")
    for name in (*vendored, *(f"forms/js/{script}.js" for script in scripts)):
        assert f'"{name}"' in manifest


def settings_in(module: str, code: str, **env_overrides):
    """What ``code`` prints last (JSON), run by manage.py shell under ``module``."""
    result = production_manage("shell", "--no-imports", "-c", code, DJANGO_SETTINGS_MODULE=module, **env_overrides)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


RESOLVE_BENCH = (
    "import json; from django.urls import resolve; print(json.dumps(resolve('/bench/plain/').func.__module__))"
)


def test_production_urlconf_has_no_bench_route_whatever_the_environment():
    # The variable that used to mount the plain view in the production URLconf.
    assert settings_in("cctv.settings.production", RESOLVE_BENCH, CCTV_BENCH_PLAIN_VIEW="true") == "cctv.caching.routes"


def test_the_bench_settings_are_production_with_the_plain_view():
    code = (
        "import json; from django.conf import settings; from django.urls import resolve; "
        "print(json.dumps([resolve('/bench/plain/').func.__module__, settings.DEBUG, settings.SESSION_COOKIE_SECURE]))"
    )
    assert settings_in("cctv.settings.bench", code) == ["cctv.bench", False, True]


def test_tasks_go_to_the_worker_unless_in_development_or_tests():
    code = "import json; from django.conf import settings; print(json.dumps(settings.CELERY_TASK_ALWAYS_EAGER))"
    eager = {
        module: settings_in(module, code)
        for module in ("cctv.settings.base", "cctv.settings.production", "cctv.settings.dev", "cctv.settings.test")
    }
    assert eager == {
        "cctv.settings.base": False,
        "cctv.settings.production": False,
        "cctv.settings.dev": True,
        "cctv.settings.test": True,
    }
