"""manage.py in a process of its own, as an operator runs it: under the production settings with none of the
suite's variables (``production_manage``), or with an environment the test gives (``run_manage``)."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What the test settings put in this process's environment.
SUITE_VARIABLES = (
    "DJANGO_",
    "CCTV_",
    "DATABASE_URL",
    "CACHE_URL",
    "CELERY_",
    "EMAIL_",
    "MEDIA_ROOT",
    "PRIVATE_MEDIA_ROOT",
)


def run_manage(*args: str, env: dict, cwd: Path = ROOT, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py with arguments from the tests
        [sys.executable, "manage.py", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def production_manage(*args: str, timeout: int = 120, **env_overrides) -> subprocess.CompletedProcess:
    """Fresh secrets each call; an override of None removes that variable."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(SUITE_VARIABLES)}
    env.update(
        DJANGO_SETTINGS_MODULE="cctv.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        CCTV_FIELD_ENCRYPTION_KEY=base64.b64encode(os.urandom(32)).decode(),
        CCTV_LOOKUP_HASH_KEY=secrets.token_urlsafe(32),
        DJANGO_ALLOWED_HOSTS="cctv.example.go.th",
    )
    env.update(env_overrides)
    return run_manage(*args, env={key: value for key, value in env.items() if value is not None}, timeout=timeout)
