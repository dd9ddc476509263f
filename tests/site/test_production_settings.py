"""Production settings pass Django's deployment checks, refuse to start without secrets, run tasks on the worker
and route no benchmark view."""

import base64
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env_overrides):
    return run_manage("check", "--deploy", "--fail-level", "WARNING", **env_overrides)


def run_manage(*args, **env_overrides):
    # Without what the test settings put in this process's environment.
    ours = ("DJANGO_", "CCTV_", "DATABASE_URL", "CACHE_URL", "CELERY_", "EMAIL_", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env.update(
        DJANGO_SETTINGS_MODULE="cctv.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        CCTV_FIELD_ENCRYPTION_KEY=base64.b64encode(os.urandom(32)).decode(),
        CCTV_LOOKUP_HASH_KEY=secrets.token_urlsafe(32),
        DJANGO_ALLOWED_HOSTS="cctv.example.go.th",
    )
    env.update(env_overrides)
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(  # noqa: S603 - our own manage.py with arguments from the tests
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


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
    result = run_manage("collectstatic", "--no-input", STATIC_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    scripts = ("thai-dates", "calendar", "signature", "request-form", "altcha-setup")
    vendored = ("forms/vendor/signature_pad.umd.min.js", "forms/vendor/altcha/pbkdf2.js")
    for name in (*vendored, *(f"forms/js/{script}.js" for script in scripts)):
        assert f'"{name}"' in manifest


def settings_in(module: str, code: str, **env_overrides):
    """What ``code`` prints last (JSON), run by manage.py shell under ``module``."""
    result = run_manage("shell", "--no-imports", "-c", code, DJANGO_SETTINGS_MODULE=module, **env_overrides)
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
