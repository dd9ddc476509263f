"""The other organisations of a many-organisation bench database (ADR 0016), made inside Django by bench/data.py.

seed_demo makes the first organisation through the real code (forms/organisation.py); each further one is a copy of
it with the ORM: its own Site on its own host name with a copy of the first one's pages (home, request form with its
fields, privacy policy) and service settings, its own stations and cameras, approval steps (the same staff groups,
as every organisation has today), a workflow per request type over those steps, request types, and a copy of every
other list kept per organisation (refusal and no-footage reasons, laws, service steps, message templates). A few
hundred rows per organisation: the million requests are then spread over them by data.py's INSERT ... SELECT.

Organisation k (from 1) has host o<k>.bench.test and reference prefix O<k>, both three digits.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page, Site, Workflow, WorkflowTask

from cctv.home.models import HomePage, ServiceSettings
from cctv.organisations.models import Organisation
from cctv.roles import ROLES
from cctv.stations.models import Camera, Station
from workflow.approval.models import ApprovalTask
from workflow.privacy.models import RequestStatistic
from workflow.request.models import FootageRequest, ReferenceCounter, RequestType

HOST_DOMAIN = "bench.test"
# Made by hand below, or holding requests and their counts rather than an organisation's lists.
NOT_COPIED = {Station, RequestType, ApprovalTask, FootageRequest, ReferenceCounter, RequestStatistic}


def host(index: int) -> str:
    return f"o{index:03d}.{HOST_DOMAIN}"


def describe(organisation: Organisation) -> dict:
    """What data.py needs of one organisation: its ids in the order the request rows use them."""
    types = list(RequestType.objects.filter(organisation=organisation).order_by("sort_order", "pk"))
    tasks = list(
        WorkflowTask.objects.filter(workflow=types[0].workflow).order_by("sort_order").values_list("task_id", flat=True)
    )
    return {
        "id": organisation.pk,
        "code": organisation.code,
        "host": organisation.site.hostname,
        "stations": list(Station.objects.filter(organisation=organisation).order_by("pk").values_list("pk", flat=True)),
        "types": [t.pk for t in types],
        "workflows": [t.workflow_id for t in types],
        "tasks": tasks,
    }


def make_organisations(count: int) -> list[dict]:
    """Organisations 1 .. count-1 next to the first (index 0), each a copy of it; described in index order."""
    first = Organisation.objects.select_related("site").order_by("pk").first()
    made = [first]
    home = HomePage.objects.get(pk=first.site.root_page_id)
    root = Page.get_first_root_node()
    for index in range(1, count):
        made.append(_copy(first, home, root, index))
    return [describe(organisation) for organisation in made]


def _copy(first: Organisation, home: HomePage, root: Page, index: int) -> Organisation:
    code = f"O{index:03d}"
    name = f"เทศบาลทดสอบที่ {index}"
    new_home = home.copy(
        recursive=True, to=root, update_attrs={"slug": code.lower(), "title": name}, keep_live=True, log_action=None
    )
    site = Site.objects.create(hostname=host(index), port=80, root_page=new_home, site_name=name)
    organisation = Organisation.objects.create(site=site, name_th=name, name_en=f"Test municipality {index}", code=code)
    settings_row = ServiceSettings.objects.get(site=first.site)
    settings_row.pk, settings_row.site, settings_row.organisation_name = None, site, name
    settings_row.save()

    for station in Station.objects.filter(organisation=first).prefetch_related("cameras").order_by("pk"):
        cameras = list(station.cameras.all())
        station.pk, station.organisation = None, organisation
        station.save()
        Camera.objects.bulk_create(
            Camera(station=station, code=c.code, name=c.name, position=c.position, sort_order=c.sort_order)
            for c in cameras
        )
    tasks = {}
    for task in ApprovalTask.objects.filter(organisation=first).prefetch_related("groups"):
        copy = ApprovalTask.objects.create(name=task.name, organisation=organisation)
        copy.groups.set(task.groups.all())
        tasks[task.pk] = copy
    workflows = {}
    for request_type in RequestType.objects.filter(organisation=first).select_related("workflow"):
        old = request_type.workflow
        if old.pk not in workflows:
            workflows[old.pk] = Workflow.objects.create(name=f"{old.name} ({code})")
            WorkflowTask.objects.bulk_create(
                WorkflowTask(workflow=workflows[old.pk], task=tasks[step.task_id], sort_order=step.sort_order)
                for step in WorkflowTask.objects.filter(workflow=old)
            )
        request_type.pk, request_type.organisation, request_type.workflow = None, organisation, workflows[old.pk]
        request_type.save()
    for model in _lists():
        rows = list(model._base_manager.filter(organisation=first))
        for row in rows:
            row.pk, row.organisation = None, organisation
        model._base_manager.bulk_create(rows)
    return organisation


def _lists() -> list:
    """Every other model with an organisation key of its own: an organisation's list, copied as it is. One that
    points at another of the organisation's rows (other than a request) would need remapping: refused."""
    models = []
    for model in apps.get_models():
        fields = {f.name: f for f in model._meta.concrete_fields}
        if "organisation" not in fields or model in NOT_COPIED or model._meta.model_name.startswith("historical"):
            continue
        if model._meta.label.startswith("cctv_organisations.") or model._meta.proxy:
            continue
        keyed = [
            field
            for field in fields.values()
            if field.name != "organisation"
            and field.related_model is not None
            and "organisation" in {f.name for f in field.related_model._meta.concrete_fields}
        ]
        if any(field.related_model is FootageRequest for field in keyed):
            continue  # a request's own data (a rating, say), not a list
        if keyed:
            raise RuntimeError(f"{model._meta.label}.{keyed[0].name} needs remapping to the new organisation's row")
        models.append(model)
    return models


def staff_of(organisation_id: int, suffix: str) -> dict[str, str]:
    """An officer and a head of the CCTV centre who are members of this organisation only: the usernames."""
    User = get_user_model()
    usernames = {}
    for role in ROLES:
        if role.key not in ("officer", "head"):
            continue
        user, _ = User.objects.get_or_create(
            username=f"{role.key}-{suffix}", defaults={"email": f"{role.key}-{suffix}@example.invalid"}
        )
        user.groups.add(Group.objects.get(name=role.group))
        user.organisations.set([organisation_id])
        usernames[role.key] = user.username
    return usernames
