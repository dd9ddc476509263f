"""The Containerfile and the Kubernetes manifests in deploy/k8s/, checked offline.

kubernetes-validate checks each manifest against the Kubernetes API schemas it bundles (strict: unknown fields
fail); the rest checks what the schemas cannot: the probes reach the health views under an allowed host, there is
a worker for each Celery queue and one beat, nothing runs as root, no secret is committed, and every program and
management command the image and the manifests name exists in the project.
"""

import re
import shlex
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands
from django.urls import resolve

from cctv.health import health, live

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
CONTAINERFILE = ROOT / "Containerfile"
VENV_BIN = ROOT / ".venv" / "bin"
SECRET_KEYS = re.compile(r"SECRET|PASSWORD|TOKEN|_KEY|DSN|DATABASE_URL|CACHE_URL|BROKER_URL", re.IGNORECASE)


def documents() -> list[dict]:
    found = []
    for path in sorted(K8S.glob("*.yaml")):
        found += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return found


def named(kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in documents() if doc["kind"] == kind}


def containers(doc: dict) -> list[dict]:
    return doc["spec"]["template"]["spec"]["containers"]


def workloads() -> list[dict]:
    return [doc for doc in documents() if doc["kind"] in ("Deployment", "Job")]


@pytest.mark.parametrize("doc", documents(), ids=lambda doc: f"{doc['kind']}/{doc['metadata']['name']}")
def test_manifest_is_valid_kubernetes(doc):
    version = kubernetes_validate.utils.latest_version()
    kubernetes_validate.validate(doc, version, strict=True)


def test_validation_can_fail():
    bad = {**named("Deployment")["cctv-beat"], "spec": {"replicas": "one"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, kubernetes_validate.utils.latest_version(), strict=True)


def test_web_probes_reach_the_health_views_under_an_allowed_host(client, db, settings):
    (web,) = containers(named("Deployment")["cctv-web"])
    config = named("ConfigMap")["cctv-config"]["data"]
    settings.ALLOWED_HOSTS = config["DJANGO_ALLOWED_HOSTS"].split(",")
    for probe, view in (("livenessProbe", live), ("readinessProbe", health)):
        get = web[probe]["httpGet"]
        assert resolve(get["path"]).func is view
        (host,) = [header["value"] for header in get["httpHeaders"] if header["name"] == "Host"]
        assert host in settings.ALLOWED_HOSTS
        assert client.get(get["path"], HTTP_HOST=host).status_code == 200
    assert web["livenessProbe"]["httpGet"]["path"] == "/health/live/"
    assert web["readinessProbe"]["httpGet"]["path"] == "/health/ready/"
    service = named("Service")["cctv-web"]
    assert service["spec"]["selector"] == named("Deployment")["cctv-web"]["spec"]["template"]["metadata"]["labels"]


def test_one_worker_per_queue_and_one_beat():
    deployments = named("Deployment")
    queues = {}
    for name, doc in deployments.items():
        (container,) = containers(doc)
        command = container.get("command", [])
        if command[:4] == ["celery", "-A", "cctv", "worker"]:
            queue = command[command.index("--queues") + 1]
            assert doc["spec"]["replicas"] >= 1
            queues[queue] = name
    assert sorted(queues) == sorted(settings.CCTV_CELERY_QUEUES)
    beats = [doc for doc in deployments.values() if containers(doc)[0].get("command", [])[3:4] == ["beat"]]
    assert len(beats) == 1
    assert beats[0]["spec"]["replicas"] == 1
    assert beats[0]["spec"]["strategy"]["type"] == "Recreate"


def test_nothing_runs_as_root():
    for doc in workloads():
        pod = doc["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, doc["metadata"]["name"]
        assert pod["securityContext"]["runAsUser"] != 0
        for container in pod["containers"]:
            assert container["securityContext"]["allowPrivilegeEscalation"] is False


def test_no_secret_is_committed():
    assert not named("Secret")
    for name, config in named("ConfigMap").items():
        assert not [key for key in config["data"] if SECRET_KEYS.search(key)], name
    for doc in workloads():
        for container in containers(doc):
            refs = [source.get("secretRef", {}).get("name") for source in container["envFrom"]]
            assert "cctv-secrets" in refs, doc["metadata"]["name"]
            assert not any(SECRET_KEYS.search(var["name"]) and "value" in var for var in container.get("env", []))


def containerfile_instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", CONTAINERFILE.read_text())
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in (raw.strip() for raw in text.splitlines())
        if line and not line.startswith("#")
    ]


def test_containerfile_is_a_python_311_debian_image_that_runs_as_a_user():
    instructions = containerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim-bookworm")
    users = [value for op, value in instructions if op == "USER"]
    assert users, "no USER: the image would run as root"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    assert re.fullmatch(r"\d+", user), "a numeric user, so that runAsNonRoot can check it"
    assert any(op == "RUN" and f"--uid {user}" in value for op, value in instructions), "USER is not the user made"
    for doc in workloads():
        assert doc["spec"]["template"]["spec"]["securityContext"]["runAsUser"] == int(user)


def named_commands() -> list[list[str]]:
    """Every command the image and the manifests run: CMD, the manifests' commands, the build's manage.py."""
    found = []
    for op, value in containerfile_instructions():
        if op == "CMD":
            found.append(yaml.safe_load(value))
        elif op == "RUN" and "manage.py" in value:
            found += [shlex.split(part)[-3:] for part in value.split("&&") if "manage.py" in part]
    for doc in workloads():
        for container in containers(doc):
            command = container.get("command")
            if command and command[:2] == ["sh", "-c"]:
                found += [shlex.split(part) for part in command[2].split("&&")]
            elif command:
                found.append(command)
    return found


def test_the_commands_named_exist_in_the_project():
    commands = named_commands()
    programs = {command[0] for command in commands}
    assert {"gunicorn", "celery", "python"} <= programs
    management = get_commands()
    for command in commands:
        if command[0] in ("gunicorn", "celery"):
            assert (VENV_BIN / command[0]).exists(), f"{command[0]} is not installed by requirements.txt"
        if command[0] == "gunicorn":
            module, _, attribute = command[1].partition(":")
            assert module == "cctv.wsgi" and attribute == "application"
            assert (ROOT / "site" / "cctv" / "wsgi.py").exists()
        if command[0] == "celery":
            assert command[1:3] == ["-A", "cctv"] and (ROOT / "site" / "cctv" / "celery.py").exists()
            assert command[3] in ("worker", "beat")
        if "manage.py" in " ".join(command):
            name = command[command.index(next(arg for arg in command if arg.endswith("manage.py"))) + 1]
            assert name in management, f"manage.py {name} does not exist"
    requirements = (ROOT / "requirements.txt").read_text()
    assert re.search(r"^gunicorn==", requirements, flags=re.MULTILINE)
