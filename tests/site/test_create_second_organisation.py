"""`create_organisation` for a second (third, ...) host makes a complete municipality of its own: its site (not the
default), pages, settings, approval steps with the shared role groups, workflows, request types and copies of the
starting lists, all under its key; a second run changes nothing, the first organisation's rows are never touched,
and a prefix or host another organisation has is refused with a clear message (ADR 0016)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from wagtail.models import Page, Site, Workflow, WorkflowTask

from cctv.home.models import HomePage, PrivacyPolicyPage, ServiceSettings
from cctv.organisations.models import Organisation
from cctv.roles import APPROVAL_LEVELS, ROLES
from forms.models import RequestFormPage
from forms.organisation import HostTaken, create_organisation
from workflow.approval.models import ApprovalTask, RefusalReason
from workflow.handling.manual_lists import LAWS, NO_FOOTAGE, STEPS
from workflow.handling.models import LegalBasis, NoFootageReason, ServiceStep
from workflow.request.models import RequestType

FIRST, FIRST_NAME = "cctv.example.go.th", "เทศบาลตำบลบ้านทดสอบ"
SECOND, SECOND_NAME = "cctv.nan.go.th", "เทศบาลเมืองน่าน"
LISTS = (ApprovalTask, RequestType, RefusalReason, LegalBasis, NoFootageReason, ServiceStep)


def create(host: str, name: str, *extra: str) -> str:
    out = io.StringIO()
    call_command("create_organisation", "--host", host, "--name", name, *extra, stdout=out)
    return out.getvalue()


def rows_of(organisation: Organisation) -> dict:
    """Every list row of the organisation, with its fields, and its workflows' steps."""
    rows = {model.__name__: list(model._base_manager.filter(organisation=organisation).values()) for model in LISTS}
    workflows = RequestType._base_manager.filter(organisation=organisation).values("workflow")
    rows["workflow steps"] = list(WorkflowTask.objects.filter(workflow__in=workflows).values())
    rows["workflows"] = list(Workflow.objects.filter(pk__in=workflows).values())
    return rows


def everything() -> dict:
    models = (Site, Page, ServiceSettings, Organisation, Workflow, WorkflowTask, *LISTS)
    return {model.__name__: list(model._base_manager.order_by("pk").values()) for model in models}


@pytest.fixture
def first(db):
    create(FIRST, FIRST_NAME)
    return Organisation.objects.get(site__hostname=FIRST)


@pytest.fixture
def hosts(settings):
    settings.ALLOWED_HOSTS = [FIRST, SECOND, "cctv.phrae.go.th"]


def test_a_second_host_gets_a_complete_municipality_of_its_own(first, client, hosts):
    first_rows = rows_of(first)
    workflows = Workflow.objects.count()

    output = create(SECOND, SECOND_NAME, "--name-en", "Nan Town Municipality", "--prefix", "nan", "--phone", "054-1")

    assert "Created for cctv.nan.go.th" in output and "Request form: https://cctv.nan.go.th/request/" in output
    ours = Organisation.objects.get(site__hostname=SECOND)
    assert (ours.name_th, ours.name_en, ours.code, ours.active) == (SECOND_NAME, "Nan Town Municipality", "NAN", True)
    site = ours.site
    assert (site.port, site.is_default_site, site.site_name) == (443, False, SECOND_NAME)
    assert Site.objects.get(is_default_site=True).hostname == FIRST
    home = site.root_page.specific
    assert type(home) is HomePage and home.depth == 2 and home.pk != first.site.root_page_id
    for model in (PrivacyPolicyPage, RequestFormPage):
        page = model.objects.child_of(home).get()
        assert page.live and page.live_revision_id is not None
    service = ServiceSettings.objects.get(site=site)
    assert (service.organisation_name, service.contact_phone) == (SECOND_NAME, "054-1")

    group_of = {role.key: role.group for role in ROLES}
    thai = {role.key: role.thai for role in ROLES}
    tasks = list(ApprovalTask.objects.filter(organisation=ours).order_by("pk"))
    assert [task.name for task in tasks] == [f"{thai[level]} ({SECOND_NAME})" for level in APPROVAL_LEVELS]
    assert [[group.name for group in task.groups.all()] for task in tasks] == [
        [group_of[level]] for level in APPROVAL_LEVELS
    ]
    # The groups are the installation's, shared: the first organisation's steps have the same ones.
    first_tasks = ApprovalTask.objects.filter(organisation=first).order_by("pk")
    assert [list(task.groups.all()) for task in first_tasks] == [list(task.groups.all()) for task in tasks]
    types = list(RequestType.objects.filter(organisation=ours).select_related("workflow"))
    assert Workflow.objects.count() == workflows + 2
    assert [(t.kind, t.workflow.name) for t in types] == [
        ("view", f"อนุมัติการขอดูข้อมูลภาพ ({SECOND_NAME})"),
        ("copy", f"อนุมัติการขอสำเนาข้อมูลภาพ ({SECOND_NAME})"),
    ]
    for request_type in types:
        steps = WorkflowTask.objects.filter(workflow=request_type.workflow).order_by("sort_order")
        assert [step.task_id for step in steps] == [task.pk for task in tasks]
    assert RefusalReason.objects.filter(organisation=ours).count() == 5
    assert list(LegalBasis.objects.filter(organisation=ours).values_list("text_th", flat=True)) == [
        th for th, _en in LAWS
    ]
    assert list(NoFootageReason.objects.filter(organisation=ours).values_list("text_th", flat=True)) == [
        th for th, _en in NO_FOOTAGE
    ]
    assert list(ServiceStep.objects.filter(organisation=ours).values_list("code", "standard_minutes")) == [
        (step[0], step[5]) for step in STEPS
    ]
    # The first organisation's rows are as they were, and its names are the ones it always had.
    assert rows_of(first) == first_rows

    form = client.get("/request/", HTTP_HOST=SECOND)
    assert form.status_code == 200
    page = form.content.decode()
    assert f"นโยบายความเป็นส่วนตัว (PDPA) ของ{SECOND_NAME}" in page and FIRST_NAME not in page
    assert client.get("/request/", HTTP_HOST=FIRST).status_code == 200
    assert SECOND_NAME not in client.get("/request/", HTTP_HOST=FIRST).content.decode()


def test_a_second_run_for_the_second_host_changes_nothing_and_says_so(first):
    create(SECOND, SECOND_NAME, "--prefix", "NAN")
    before = everything()

    output = create(SECOND, SECOND_NAME)  # no prefix: its own is kept

    assert everything() == before
    assert "Nothing changed: the organisation at cctv.nan.go.th already has everything it needs." in output
    assert create(FIRST, FIRST_NAME).startswith("Nothing changed")
    assert everything() == before


def test_a_third_organisation_has_its_own_names_and_rows(first):
    create(SECOND, SECOND_NAME, "--prefix", "NAN")
    second_rows = rows_of(Organisation.objects.get(code="NAN"))
    workflows = Workflow.objects.count()
    create("cctv.phrae.go.th", "เทศบาลเมืองแพร่", "--prefix", "PHRAE")

    third = Organisation.objects.get(code="PHRAE")
    assert third.site.root_page.slug == "cctv-home-phrae"
    assert ApprovalTask.objects.filter(organisation=third, name__endswith="(เทศบาลเมืองแพร่)").count() == 4
    assert rows_of(Organisation.objects.get(code="NAN")) == second_rows
    assert Workflow.objects.count() == workflows + 2 and RequestType.objects.count() == 6


def test_an_editors_changes_to_the_second_organisations_lists_survive_a_second_run(first):
    create(SECOND, SECOND_NAME, "--prefix", "NAN")
    ours = Organisation.objects.get(code="NAN")
    NoFootageReason.objects.filter(organisation=ours).exclude(sort_order=0).delete()
    ServiceStep.objects.filter(organisation=ours, code="review").update(standard_minutes=25)

    create(SECOND, SECOND_NAME)

    assert NoFootageReason.objects.filter(organisation=ours).count() == 1
    assert ServiceStep.objects.get(organisation=ours, code="review").standard_minutes == 25


def test_another_organisations_prefix_is_refused_and_nothing_is_made(first):
    before = everything()

    with pytest.raises(CommandError) as refused:
        create(SECOND, SECOND_NAME, "--prefix", "cctv")

    assert str(refused.value) == (
        f"--prefix: The reference prefix CCTV already belongs to {FIRST_NAME} ({FIRST}): choose another one."
    )
    assert everything() == before


def test_a_prefix_taken_on_a_second_run_is_refused_and_the_prefix_stays(first):
    create(SECOND, SECOND_NAME, "--prefix", "NAN")
    with pytest.raises(CommandError, match="CCTV already belongs to"):
        create(SECOND, SECOND_NAME, "--prefix", "CCTV")
    assert Organisation.objects.get(site__hostname=SECOND).code == "NAN"


def test_adding_an_organisation_on_a_host_that_serves_one_is_refused_in_thai(first):
    before = everything()
    with translation.override("th"), pytest.raises(HostTaken) as refused:
        create_organisation(host=FIRST, name="เทศบาลอื่น", prefix="OTHER", new=True)
    assert refused.value.field == "host"
    with translation.override("th"):
        assert str(refused.value) == f"ชื่อโฮสต์ {FIRST} ให้บริการ{FIRST_NAME}อยู่แล้ว"
    assert everything() == before
