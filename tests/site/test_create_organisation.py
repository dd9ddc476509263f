"""`manage.py create_organisation` makes a fresh installation serve its request form, is idempotent, and refuses a
second organisation that does not bring a reference prefix of its own (ADR 0016). A second organisation made
properly: tests/site/test_create_second_organisation.py."""

import io
import re
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Revision, Site, Task, Workflow, WorkflowTask

from cctv.home.models import HomePage, PrivacyPolicyPage, ServiceSettings
from cctv.roles import APPROVAL_LEVELS, ROLES
from forms.models import RequestFormPage
from tests.manage_process import production_manage
from workflow.approval.models import RefusalReason
from workflow.handling.models import LegalBasis, NoFootageReason, ServiceStep
from workflow.request.models import RequestType

ROOT = Path(__file__).resolve().parents[2]
HOST = "cctv.example.go.th"
NAME = "เทศบาลตำบลบ้านทดสอบ"
PHONE = "053-111222 ต่อ 12"
OTHER = "cctv.other-town.go.th"


def create(*extra: str, host: str = HOST, name: str = NAME) -> str:
    out = io.StringIO()
    call_command("create_organisation", "--host", host, "--name", name, *extra, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    models = (
        Site, Page, Revision, ServiceSettings, Group, Task, Workflow, WorkflowTask, RequestType, RefusalReason,
        NoFootageReason, ServiceStep, LegalBasis,
    )  # fmt: skip
    counts = {model.__name__: model.objects.count() for model in models}
    counts["group permissions"] = Permission.objects.filter(group__isnull=False).count()
    return counts


@pytest.fixture
def host_allowed(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]


def test_a_fresh_installation_serves_the_request_form_in_thai(db, client, settings, host_allowed):
    del settings.CCTV_DEMO_PASSWORD  # what production has: the command does not need it
    output = create("--name-en", "Ban Thotsop Subdistrict Municipality", "--phone", PHONE)

    assert "Created for cctv.example.go.th" in output
    assert "Request form: https://cctv.example.go.th/request/" in output
    site = Site.objects.get()
    assert (site.hostname, site.port, site.is_default_site, site.site_name) == (HOST, 443, True, NAME)
    assert site.root_page.specific_class is HomePage
    # Wagtail's welcome page made way for the home page.
    assert not Page.objects.filter(depth=2).exclude(pk=site.root_page_id).exists()
    form = client.get("/request/", HTTP_HOST=HOST)
    assert form.status_code == 200
    page = form.content.decode()
    assert "<form" in page and "คำร้องขอดูหรือขอสำเนาข้อมูลภาพจากกล้องวงจรปิด" in page
    assert f"นโยบายความเป็นส่วนตัว (PDPA) ของ{NAME}" in page  # the consent statement above the box
    policy = client.get("/privacy/", HTTP_HOST=HOST)
    assert policy.status_code == 200
    assert NAME in policy.content.decode() and f"โทร. {PHONE}" in policy.content.decode()
    # Linking LINE is explained where the citizen consents: only the LINE user id, encrypted, and how to stop.
    assert "รหัสผู้ใช้ไลน์ (LINE user ID) ของท่านแบบเข้ารหัส" in policy.content.decode()
    assert "“เลิกติดตาม”" in page
    assert client.get("/", HTTP_HOST=HOST).status_code == 200
    for model in (HomePage, PrivacyPolicyPage, RequestFormPage):
        made = model.objects.get()
        assert made.live and made.live_revision_id is not None and made.latest_revision_id == made.live_revision_id
    service = ServiceSettings.objects.get(site=site)
    assert (service.organisation_name, service.organisation_name_en, service.contact_phone) == (
        NAME,
        "Ban Thotsop Subdistrict Municipality",
        PHONE,
    )
    defaults = ServiceSettings()
    assert (service.contact_unit, service.collect_race, service.retention_days, service.approved_instructions) == (
        defaults.contact_unit,
        defaults.collect_race,
        defaults.retention_days,
        defaults.approved_instructions,
    )


def test_each_request_type_goes_through_the_four_approval_levels(db):
    made_by_migrations = (NoFootageReason.objects.count(), ServiceStep.objects.count(), LegalBasis.objects.count())
    create()

    group_of = {role.key: role.group for role in ROLES}
    assert set(Group.objects.values_list("name", flat=True)) >= set(group_of.values())
    types = RequestType.objects.select_related("workflow")
    assert [(t.kind, t.needs_file_count) for t in types] == [("view", False), ("copy", True)]
    for request_type in types:
        steps = [
            step.task.specific
            for step in WorkflowTask.objects.filter(workflow=request_type.workflow).order_by("sort_order")
        ]
        assert [[group.name for group in step.groups.all()] for step in steps] == [
            [group_of[level]] for level in APPROVAL_LEVELS
        ]
        assert [type(step).__name__ for step in steps] == ["ApprovalTask"] * 4
    assert RefusalReason.objects.filter(active=True).count() == 5
    # The migrations' national lists are neither duplicated nor touched.
    assert (NoFootageReason.objects.count(), ServiceStep.objects.count(), LegalBasis.objects.count()) == (
        made_by_migrations
    )


def test_a_second_run_changes_nothing_and_says_so(db):
    create("--phone", PHONE)
    before = snapshot()

    output = create("--phone", PHONE)

    assert snapshot() == before
    assert "Nothing changed: the organisation at cctv.example.go.th already has everything it needs." in output
    assert "Created" not in output


def test_a_second_run_keeps_what_editors_changed(db):
    create()
    ServiceSettings.objects.update(organisation_name="เทศบาลเมืองทดสอบ", contact_phone="053-999999")
    policy = PrivacyPolicyPage.objects.get()
    policy.summary = "ข้อความที่ผู้ดูแลแก้ไขแล้ว"
    policy.save_revision().publish()
    before = snapshot()

    output = create("--phone", PHONE)

    assert snapshot() == before
    service = ServiceSettings.objects.get()
    assert (service.organisation_name, service.contact_phone) == ("เทศบาลเมืองทดสอบ", "053-999999")
    assert PrivacyPolicyPage.objects.get().summary == "ข้อความที่ผู้ดูแลแก้ไขแล้ว"
    assert "Kept organisation name “เทศบาลเมืองทดสอบ” (change it under Settings → Service settings)." in output


def test_a_second_host_without_a_prefix_of_its_own_is_refused_and_nothing_is_made(db):
    create()
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        create(host="cctv.other-town.go.th", name="เทศบาลตำบลอื่น")

    assert str(refused.value) == (
        f"--prefix: Give the new organisation a reference prefix of its own: CCTV already belongs to {NAME}."
    )
    assert snapshot() == before
    assert Site.objects.get().hostname == HOST
    assert ServiceSettings.objects.get().organisation_name == NAME


def test_an_installation_with_its_own_refusal_reasons_gets_no_defaults(db):
    RefusalReason.objects.create(text_th="เหตุผลของหน่วยงานเอง")
    create()
    assert list(RefusalReason.objects.values_list("text_th", flat=True)) == ["เหตุผลของหน่วยงานเอง"]


@pytest.mark.parametrize("host", ["https://cctv.example.go.th", "cctv.example.go.th:8443", "cctv.example.go.th/x", ""])
def test_a_host_that_is_not_a_host_name_is_refused(db, host):
    before = snapshot()
    with pytest.raises(CommandError, match="give the host name alone"):
        create(host=host)
    assert snapshot() == before


def test_seed_demo_makes_its_organisation_through_the_same_code(db):
    call_command("seed_demo", stdout=io.StringIO())
    before = snapshot()
    output = create("--port", "8000", host="127.0.0.1", name="องค์การบริหารส่วนจังหวัดลำปาง")
    assert snapshot() == before
    assert "Nothing changed" in output
    with pytest.raises(CommandError, match=re.escape("CCTV already belongs to องค์การบริหารส่วนจังหวัดลำปาง")):
        create()


def manage(*args: str, database: Path) -> subprocess.CompletedProcess:
    """manage.py under the production settings, with none of the suite's variables and no demo password."""
    return production_manage(
        *args,
        timeout=600,
        DJANGO_ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(database.parent / "media"),
        PRIVATE_MEDIA_ROOT=str(database.parent / "private"),
    )


def test_the_production_install_runs_it_after_migrate(tmp_path):
    """README's install steps: migrate, then create_organisation for each municipality; a rerun succeeds, another
    host without a prefix of its own exits non-zero, and with one it is made."""
    database = tmp_path / "db.sqlite3"
    steps = [manage("migrate", "--no-input", database=database)]
    for host, *prefix in ((HOST,), (HOST,), (OTHER,), (OTHER, "--prefix", "OTHER")):
        steps.append(manage("create_organisation", "--host", host, "--name", NAME, *prefix, database=database))
    migrate, first, again, other, with_prefix = steps

    assert migrate.returncode == 0, migrate.stderr[-2000:]
    assert first.returncode == 0, first.stderr[-2000:]
    assert "Created for cctv.example.go.th" in first.stdout
    assert again.returncode == 0, again.stderr[-2000:]
    assert "Nothing changed" in again.stdout
    assert other.returncode != 0
    assert "--prefix: Give the new organisation a reference prefix of its own" in other.stderr
    assert with_prefix.returncode == 0, with_prefix.stderr[-2000:]
    assert "Created for cctv.other-town.go.th" in with_prefix.stdout
