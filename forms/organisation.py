"""Everything an organisation (a municipality) needs on this installation: its Wagtail Site with the home, request
form and privacy-policy pages, its service settings, the staff role groups, the four-level approval workflow of each
request type and the default refusal reasons. ``manage.py create_organisation`` (production) and ``seed_demo`` (the
demo) both make it here. Idempotent: what exists is kept as it is, so editors' changes survive a second run.

The migrations make what is national rather than the organisation's (the service steps, the laws, the no-footage
reasons: workflow/migrations/0012_footage_handling_content.py). Until the Organisation model separates the lists and
requests of each (issue #14, ADR 0016), an installation serves one organisation: a second host is refused.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Page, Site, Workflow, WorkflowTask

from cctv.home.models import HomePage, PrivacyPolicyPage, ServiceSettings
from cctv.organisations.console import has_references
from cctv.organisations.models import Organisation
from cctv.roles import APPROVAL_LEVELS, ROLES, setup_roles
from forms import organisation_texts as texts
from forms.models import RequestFormPage
from workflow.approval.models import ApprovalTask, RefusalReason
from workflow.constants import REFERENCE_PREFIX
from workflow.request.models import RequestType


class AnotherOrganisationExists(Exception):
    def __init__(self, hostname: str):
        self.hostname = hostname
        super().__init__(
            f"This installation already serves an organisation, at {hostname}. It serves one organisation until "
            "multi-organisation support lands (issue #14). To rename it or change its host name, use Settings → "
            "Service settings and Settings → Sites in the admin."
        )


@dataclass
class OrganisationSetup:
    site: Site
    home: HomePage
    form_page: RequestFormPage | None = None
    made: list[str] = field(default_factory=list)  # what this run created, for the operator
    kept: list[str] = field(default_factory=list)  # what differs from the arguments and was left as it was


def create_organisation(
    *,
    host: str,
    name: str,
    name_en: str = "",
    port: int = 443,
    phone: str = "",
    contact_unit: str = "",
    approved_instructions: str = "",
    prefix: str = REFERENCE_PREFIX,
) -> OrganisationSetup:
    with transaction.atomic():
        home = HomePage.objects.first()
        site = Site.objects.filter(root_page=home).first() if home else None
        if site is not None and site.hostname != host:
            raise AnotherOrganisationExists(site.hostname)
        made: list[str] = []
        kept: list[str] = []
        if home is None:
            home = Page.get_first_root_node().add_child(instance=HomePage(**texts.home_page(name)))
            home.save_revision().publish()
            made.append(f"home page “{home.title}”")
        if site is None:
            site = _take_site(home, host=host, port=port, name=name, made=made)
        elif site.port != port:
            kept.append(f"port {site.port} (change it under Settings → Sites)")
        setup = OrganisationSetup(site=site, home=home, made=made, kept=kept)
        _organisation(setup, name=name, name_en=name_en, prefix=prefix)
        _pages(setup, name=name, contact_unit=contact_unit, phone=phone)
        _service_settings(
            setup,
            organisation_name=name,
            organisation_name_en=name_en,
            contact_unit=contact_unit,
            contact_phone=phone,
            approved_instructions=approved_instructions,
        )
        _request_types(setup, _workflows(setup, _approval_tasks(setup)))
        if not RefusalReason.objects.exists():
            for order, (th, en) in enumerate(texts.REFUSAL_REASONS):
                RefusalReason.objects.create(text_th=th, text_en=en, sort_order=order)
            made.append(f"{len(texts.REFUSAL_REASONS)} refusal reasons")
    return setup


def _take_site(home: HomePage, *, host: str, port: int, name: str, made: list[str]) -> Site:
    """The host's site, or the default one (on a fresh database Wagtail's localhost:80 with its welcome page, which
    goes), made the organisation's default site with the home page as its root."""
    site = Site.objects.filter(hostname=host).first() or Site.objects.filter(is_default_site=True).first()
    old_root = site.root_page if site is not None else None
    if site is None:
        site = Site(hostname=host, port=port)
    site.hostname, site.port, site.root_page, site.site_name, site.is_default_site = host, port, home, name, True
    Site.objects.exclude(pk=site.pk).filter(is_default_site=True).update(is_default_site=False)
    site.save()
    made.append(f"site {host}:{port} (the default site)")
    if (
        old_root is not None
        and old_root.specific_class is Page
        and old_root.is_leaf()
        and not Site.objects.filter(root_page=old_root).exists()
    ):
        old_root.delete()
    return site


def _organisation(setup: OrganisationSetup, *, name: str, name_en: str, prefix: str) -> None:
    """The Organisation row of the site. The migrations gave an existing installation's default site one, named
    after its host until now; a prefix already on references is kept."""
    organisation = Organisation.objects.filter(site=setup.site).first()
    if organisation is None:
        Organisation.objects.create(site=setup.site, name_th=name, name_en=name_en, code=prefix)
        setup.made.append(f"organisation “{name}” (reference prefix {prefix})")
        return
    if organisation.name_th in ("", setup.site.hostname, "localhost"):
        organisation.name_th, organisation.name_en = name, name_en or organisation.name_en
        organisation.save(update_fields=["name_th", "name_en"])
        setup.made.append(f"organisation “{name}”")
    if organisation.code != prefix:
        if has_references(organisation):
            setup.kept.append(f"reference prefix {organisation.code}, which references already carry")
        else:
            organisation.code = prefix
            organisation.save(update_fields=["code"])
            setup.made.append(f"reference prefix {prefix}")


def _pages(setup: OrganisationSetup, *, name: str, contact_unit: str, phone: str) -> None:
    home = setup.home
    if not PrivacyPolicyPage.objects.child_of(home).exists():
        policy = home.add_child(
            instance=PrivacyPolicyPage(**texts.privacy_page(name, contact_unit=contact_unit, phone=phone))
        )
        policy.save_revision().publish()
        setup.made.append(f"privacy policy page /{policy.url_path.removeprefix(home.url_path)}")
    setup.form_page = RequestFormPage.objects.child_of(home).first()
    if setup.form_page is None:
        setup.form_page = home.add_child(instance=RequestFormPage(**texts.FORM_PAGE))
        setup.form_page.save_revision().publish()
        setup.made.append(f"request form page /{setup.form_page.url_path.removeprefix(home.url_path)}")


def _service_settings(setup: OrganisationSetup, **values: str) -> None:
    # A write loads the row itself; reads go through cctv.home.selectors.
    row = ServiceSettings.objects.filter(site=setup.site).first() or ServiceSettings(site=setup.site)
    if row.organisation_name:
        if row.organisation_name != values["organisation_name"]:
            setup.kept.append(
                f"organisation name “{row.organisation_name}” (change it under Settings → Service settings)"
            )
        return
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    setup.made.append("service settings")


def _approval_tasks(setup: OrganisationSetup) -> list[ApprovalTask]:
    # A group found under its earlier name is renamed by setup_roles, not made.
    found = set(
        Group.objects.filter(name__in=[name for role in ROLES for name in role.names]).values_list("name", flat=True)
    )
    had = {role.key for role in ROLES if found.intersection(role.names)}
    groups = setup_roles()
    if new := [group.name for key, group in groups.items() if key not in had]:
        setup.made.append("groups " + ", ".join(new))
    thai = {role.key: role.thai for role in ROLES}
    tasks = []
    for level in APPROVAL_LEVELS:
        task = ApprovalTask.objects.filter(name=thai[level]).first()
        if task is None:
            task = ApprovalTask.objects.create(name=thai[level])
            task.groups.set([groups[level]])
            setup.made.append(f"approval step “{task.name}” ({groups[level].name})")
        tasks.append(task)
    return tasks


def _workflows(setup: OrganisationSetup, tasks: list[ApprovalTask]) -> dict[str, Workflow]:
    workflows = {}
    for kind, *_type, workflow_name in texts.REQUEST_TYPES:
        workflow, created = Workflow.objects.get_or_create(name=workflow_name)
        if created:
            for order, task in enumerate(tasks):
                WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
            setup.made.append(f"workflow “{workflow.name}” ({len(tasks)} steps)")
        workflows[kind] = workflow
    return workflows


def _request_types(setup: OrganisationSetup, workflows: dict[str, Workflow]) -> None:
    for order, (kind, name_th, name_en, needs_file_count, _workflow) in enumerate(texts.REQUEST_TYPES):
        request_type, created = RequestType.objects.get_or_create(
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
            setup.made.append(f"request type “{request_type.name_th}”")
