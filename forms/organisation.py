"""Everything an organisation (a municipality) needs on this installation: its Wagtail Site with the home, request
form and privacy-policy pages, its service settings, and (forms/organisation_lists.py) its own approval steps,
workflows, request types and lists. ``manage.py create_organisation`` (production), the superuser console's "add
organisation" and ``seed_demo`` all make it here. Idempotent: what exists is kept as it is, so editors' changes
survive a second run.

The first organisation takes the installation's default site (on a fresh database Wagtail's welcome site) and the
lists the migrations made; each later one gets a site of its own, not the default, with its own home page under
the tree root and copies of the starting lists (ADR 0016). A host name and a reference prefix belong to one
organisation: a prefix another organisation has is refused, and so is, when adding one, a host that already serves.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from cctv.home.models import HomePage, PrivacyPolicyPage, ServiceSettings
from cctv.organisations.console import OrganisationRefused, has_references
from cctv.organisations.models import Organisation
from forms import organisation_texts as texts
from forms.models import RequestFormPage
from forms.organisation_lists import make_lists
from workflow.constants import REFERENCE_PREFIX


class PrefixTaken(OrganisationRefused):
    field = "prefix"

    def __init__(self, prefix: str, other: Organisation):
        super().__init__(
            _("The reference prefix %(prefix)s already belongs to %(organisation)s (%(host)s): choose another one."),
            prefix=prefix,
            organisation=other.name_th,
            host=other.site.hostname,
        )


class PrefixNeeded(OrganisationRefused):
    field = "prefix"

    def __init__(self, other: Organisation):
        super().__init__(
            _(
                "Give the new organisation a reference prefix of its own: %(prefix)s already belongs to "
                "%(organisation)s."
            ),
            prefix=other.code,
            organisation=other.name_th,
        )


class HostTaken(OrganisationRefused):
    field = "host"

    def __init__(self, host: str, other: Organisation):
        super().__init__(
            _("The host name %(host)s already serves %(organisation)s."), host=host, organisation=other.name_th
        )


@dataclass
class OrganisationSetup:
    site: Site
    home: HomePage
    organisation: Organisation | None = None
    form_page: RequestFormPage | None = None
    made: list[str] = field(default_factory=list)  # what this run created, for the operator
    kept: list[str] = field(default_factory=list)  # what differs from the arguments and was left as it was


def served_sites():
    """The sites that serve an organisation: those whose root is a home page of ours."""
    return Site.objects.filter(root_page__in=HomePage.objects.values("pk"))


def create_organisation(
    *,
    host: str,
    name: str,
    name_en: str = "",
    port: int = 443,
    phone: str = "",
    contact_unit: str = "",
    approved_instructions: str = "",
    prefix: str | None = None,
    new: bool = False,
) -> OrganisationSetup:
    """``prefix`` None: the organisation's own, or REFERENCE_PREFIX for the first one. ``new``: refuse a host that
    already serves an organisation (the console adds; the command runs again)."""
    with transaction.atomic():
        made: list[str] = []
        kept: list[str] = []
        site = served_sites().filter(hostname=host).first()
        if site is not None:
            if new and (other := Organisation.objects.filter(site=site).first()) is not None:
                raise HostTaken(host, other)
            home = site.root_page.specific
            if site.port != port:
                kept.append(f"port {site.port} (change it under Settings → Sites)")
        elif not served_sites().exists():
            home = HomePage.objects.first()
            if home is None:
                home = _new_home(name, slug=texts.home_page(name)["slug"], made=made)
            site = _take_site(home, host=host, port=port, name=name, made=made)
        else:
            _refuse_taken(prefix)
            home = _new_home(name, slug=_free_slug(f"{texts.home_page(name)['slug']}-{prefix.lower()}"), made=made)
            site = _own_site(home, host=host, port=port, name=name, made=made)
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
        make_lists(setup.organisation, made)
    return setup


def _refuse_taken(prefix: str | None) -> None:
    """A later organisation needs a prefix no other one has: references must stay unique across the installation."""
    if prefix is None:
        raise PrefixNeeded(Organisation.objects.select_related("site").order_by("pk").first())
    other = Organisation.objects.select_related("site").filter(code=prefix).first()
    if other is not None:
        raise PrefixTaken(prefix, other)


def _new_home(name: str, *, slug: str, made: list[str]) -> HomePage:
    home = Page.get_first_root_node().add_child(instance=HomePage(**{**texts.home_page(name), "slug": slug}))
    home.save_revision().publish()
    made.append(f"home page “{home.title}”")
    return home


def _free_slug(slug: str) -> str:
    """``slug``, or with a number after it while another page at the top of the tree has it."""
    taken = set(Page.get_first_root_node().get_children().values_list("slug", flat=True))
    candidates = (slug, *(f"{slug}-{number}" for number in range(2, len(taken) + 3)))
    return next(candidate for candidate in candidates if candidate not in taken)


def _own_site(home: HomePage, *, host: str, port: int, name: str, made: list[str]) -> Site:
    """A later organisation's site: not the default one, which stays the first organisation's."""
    site = Site.objects.filter(hostname=host, port=port).first() or Site(hostname=host, port=port)
    site.root_page, site.site_name = home, name
    site.save()
    made.append(f"site {host}:{port}")
    return site


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


def _organisation(setup: OrganisationSetup, *, name: str, name_en: str, prefix: str | None) -> None:
    """The Organisation row of the site. The migrations gave an existing installation's default site one, named
    after its host until now; a prefix already on references is kept, and another organisation's is refused."""
    organisation = Organisation.objects.filter(site=setup.site).first()
    others = Organisation.objects.select_related("site").exclude(site=setup.site)
    if prefix is not None and (other := others.filter(code=prefix).first()) is not None:
        raise PrefixTaken(prefix, other)
    if organisation is None:
        code = prefix or REFERENCE_PREFIX
        if prefix is None and (other := others.filter(code=code).first()) is not None:
            raise PrefixNeeded(other)
        setup.organisation = Organisation.objects.create(site=setup.site, name_th=name, name_en=name_en, code=code)
        setup.made.append(f"organisation “{name}” (reference prefix {code})")
        return
    setup.organisation = organisation
    if organisation.name_th in ("", setup.site.hostname, "localhost"):
        organisation.name_th, organisation.name_en = name, name_en or organisation.name_en
        organisation.save(update_fields=["name_th", "name_en"])
        setup.made.append(f"organisation “{name}”")
    if prefix is not None and organisation.code != prefix:
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
