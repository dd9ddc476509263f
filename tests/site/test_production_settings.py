"""Production settings pass Django's deployment checks and refuse to start without secrets."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env_overrides):
    return run_manage("check", "--deploy", "--fail-level", "WARNING", **env_overrides)


def run_manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CCTV_", "DATABASE_URL"))}
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
    for name in ("forms/vendor/signature_pad.umd.min.js", "forms/vendor/altcha/pbkdf2.js", "forms/js/altcha-setup.js"):
        assert f'"{name}"' in manifest
