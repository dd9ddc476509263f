"""An organisation's own approval steps, workflows, request types and lists (ADR 0016), made by create_organisation.

Every query names the organisation: a second run, or another organisation's run, never finds, counts or changes
the rows of the first. The role groups stay global (cctv.roles): Organisation.members says where a staff member
works, and each approval step checks it. Wagtail's workflows and tasks are global and their listings are not
scoped, so a later organisation's carry its name (the first organisation's keep the names they always had).

A list is made only while the organisation has none of it, so an editor's changes (a reason removed, a time
standard changed) survive a second run.
"""

from django.contrib.auth.models import Group
from wagtail.models import Workflow, WorkflowTask

from cctv.organisations.models import Organisation
from cctv.roles import APPROVAL_LEVELS, ROLES, setup_roles
from forms import organisation_texts as texts
from workflow.approval.models import ApprovalTask, RefusalReason
from workflow.handling.manual_lists import LAWS, NO_FOOTAGE, STEPS
from workflow.handling.models import LegalBasis, NoFootageReason, ServiceStep
from workflow.request.models import RequestType

STEP_FIELDS = (
    "code", "name_th", "name_en", "public_name_th", "public_name_en", "standard_minutes", "unit", "copies_only",
    "per_camera", "approval", "note_th",
)  # fmt: skip
# (model, its starting rows of Thai and English text, what the operator is told was made)
TEXT_LISTS = (
    (RefusalReason, texts.REFUSAL_REASONS, "refusal reasons"),
    (LegalBasis, LAWS, "legal bases"),
    (NoFootageReason, NO_FOOTAGE, "no-footage reasons"),
)


def own_name(name: str, organisation: Organisation) -> str:
    """The first organisation (the default site's) keeps the names; a later one's carry its name."""
    return name if organisation.site.is_default_site else f"{name} ({organisation.name_th})"


def make_lists(organisation: Organisation, made: list[str]) -> None:
    """Everything below the organisation's pages and settings, appending to ``made`` what this run created."""
    tasks = _approval_tasks(organisation, made)
    _request_types(organisation, _workflows(organisation, tasks, made), made)
    for model, rows, label in TEXT_LISTS:
        if not model._base_manager.filter(organisation=organisation).exists():
            for order, (text_th, text_en) in enumerate(rows):
                model.objects.create(organisation=organisation, text_th=text_th, text_en=text_en, sort_order=order)
            made.append(f"{len(rows)} {label}")
    if not ServiceStep._base_manager.filter(organisation=organisation).exists():
        for order, row in enumerate(STEPS):
            ServiceStep.objects.create(
                organisation=organisation, sort_order=order, **dict(zip(STEP_FIELDS, row, strict=True))
            )
        made.append(f"{len(STEPS)} service steps with the manual's time standards")


def _approval_tasks(organisation: Organisation, made: list[str]) -> list[ApprovalTask]:
    # A group found under its earlier name is renamed by setup_roles, not made.
    found = set(
        Group.objects.filter(name__in=[name for role in ROLES for name in role.names]).values_list("name", flat=True)
    )
    had = {role.key for role in ROLES if found.intersection(role.names)}
    groups = setup_roles()
    if new := [group.name for key, group in groups.items() if key not in had]:
        made.append("groups " + ", ".join(new))
    thai = {role.key: role.thai for role in ROLES}
    tasks = []
    for level in APPROVAL_LEVELS:
        name = own_name(thai[level], organisation)
        task = ApprovalTask.objects.filter(organisation=organisation, name=name).first()
        if task is None:
            task = ApprovalTask.objects.create(organisation=organisation, name=name)
            task.groups.set([groups[level]])
            made.append(f"approval step “{task.name}” ({groups[level].name})")
        tasks.append(task)
    return tasks


def _workflows(organisation: Organisation, tasks: list[ApprovalTask], made: list[str]) -> dict[str, Workflow]:
    """The workflow of each of the organisation's request types; for a type not made yet, the workflow of that name
    no other organisation's type uses, or a new one."""
    types = RequestType._base_manager.filter(organisation=organisation, workflow__isnull=False)
    current = dict(types.values_list("kind", "workflow_id"))
    others = RequestType._base_manager.exclude(organisation=organisation).filter(workflow__isnull=False)
    workflows = {}
    for kind, *_type, workflow_name in texts.REQUEST_TYPES:
        if kind in current:
            workflows[kind] = Workflow.objects.get(pk=current[kind])
            continue
        name = own_name(workflow_name, organisation)
        workflow = Workflow.objects.exclude(pk__in=others.values("workflow_id")).filter(name=name).first()
        if workflow is None:
            workflow = Workflow.objects.create(name=name)
            for order, task in enumerate(tasks):
                WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
            made.append(f"workflow “{workflow.name}” ({len(tasks)} steps)")
        workflows[kind] = workflow
    return workflows


def _request_types(organisation: Organisation, workflows: dict[str, Workflow], made: list[str]) -> None:
    for order, (kind, name_th, name_en, needs_file_count, _workflow) in enumerate(texts.REQUEST_TYPES):
        request_type, created = RequestType._base_manager.get_or_create(
            organisation=organisation,
            kind=kind,
            defaults={
                "name_th": name_th,
                "name_en": name_en,
                "needs_file_count": needs_file_count,
                "workflow": workflows[kind],
                "sort_order": order,
            },
        )
        if created:
            made.append(f"request type “{request_type.name_th}”")
