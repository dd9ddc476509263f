"""The system administrator's console of organisations (issue #14, ADR 0016): who may use it, what its listing
counts, and closing and re-opening an organisation.

Only superusers: an organisation is the boundary every other right sits inside, so no group's permission can reach
this console (the administrator role manages accounts of one installation, not the installations themselves).
An organisation is closed, never deleted: its requests stay under retention and its staff still sign in.

This package is below the back office (import-linter), so request and station rows are counted through
``apps.get_model`` and correlated subqueries on their ``organisation`` key (which has no reverse accessor): one
query for the listing whatever the number of organisations.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import log
from wagtail.permission_policies.base import BasePermissionPolicy

from cctv.organisations.models import Organisation

# workflow.lifecycle.FINAL, as values: this package may not import the back office. A test holds the two equal.
FINAL_STATUSES = ("cancelled", "approved", "no_footage")

CLOSED = "cctv.organisation_closed"
OPENED = "cctv.organisation_opened"

ADDED = "cctv.organisation_added"
ADD_LOG_ACTION = (ADDED, _("Add organisation"), _("The organisation was added"))
# The hook that makes an organisation: forms.organisation.create_organisation, registered by the forms app, which
# sits above this package (import-linter) and knows every page and list an organisation needs.
MAKER_HOOK = "cctv_make_organisation"
# What the console shows was made, by model (their names are the models' own, translated).
MADE_MODELS = (
    "cctv_workflow.ApprovalTask",
    "cctv_workflow.RequestType",
    "cctv_workflow.RefusalReason",
    "cctv_workflow.LegalBasis",
    "cctv_workflow.NoFootageReason",
    "cctv_workflow.ServiceStep",
)

LOG_ACTIONS = (
    (CLOSED, _("Close organisation"), _("The organisation's service was closed")),
    (OPENED, _("Re-open organisation"), _("The organisation's service was opened again")),
)


class OrganisationRefused(Exception):
    """Why an organisation cannot be made as asked, in the active language; ``field`` names the input at fault.
    The maker (forms.organisation) raises its kinds; the console shows them on its form."""

    field = ""

    def __init__(self, message, **values):
        self.message, self.values = message, values
        super().__init__(str(self))

    def __str__(self):
        return str(self.message) % self.values


def is_console_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


class SuperusersOnlyPolicy(BasePermissionPolicy):
    """Superusers may list and change organisations; nobody may add, copy or delete one here (create_organisation
    makes them; they are closed, never deleted)."""

    ALLOWED = ("change", "view")

    def user_has_permission(self, user, action):
        return action in self.ALLOWED and is_console_user(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True, is_superuser=True)
        return users if any(action in self.ALLOWED for action in actions) else users.none()


def _count_of(model_label: str, *, exclude: dict | None = None) -> Coalesce:
    """The number of ``model_label`` rows of each organisation, as a correlated subquery. The base manager: the
    console counts every organisation's rows whatever scope the admin request is in."""
    model = apps.get_model(model_label)
    rows = (
        model._base_manager.filter(organisation=OuterRef("pk"))
        .exclude(**(exclude or {}))
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def with_counts(queryset):
    """Each organisation with its requests, requests in progress, stations and staff members (one query)."""
    return queryset.select_related("site").annotate(
        request_count=_count_of("cctv_workflow.FootageRequest"),
        in_progress_count=_count_of("cctv_workflow.FootageRequest", exclude={"public_status__in": FINAL_STATUSES}),
        station_count=_count_of("cctv_stations.Station"),
        member_count=Count("members", distinct=True),
    )


def has_references(organisation: Organisation) -> bool:
    """Whether a reference number was ever issued with the organisation's prefix (then the prefix is kept)."""
    counters = apps.get_model("cctv_workflow", "ReferenceCounter")._base_manager
    return organisation.pk is not None and counters.filter(organisation=organisation).exists()


def set_open(organisation: Organisation, *, open_: bool, user) -> bool:
    """Open or close the organisation's service and write it to the audit log; False when it already was so.

    The row is locked so that two administrators pressing at once log one change, not two."""
    if not is_console_user(user):
        raise PermissionError("Only a superuser opens or closes an organisation.")
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if locked.active == open_:
            return False
        locked.active = open_
        locked.save(update_fields=["active"])
        log(locked, OPENED if open_ else CLOSED, user=user)
    organisation.active = open_
    return True


def add_organisation(*, user, host: str, name_th: str, name_en: str, code: str, phone: str, port: int = 443):
    """Make a new organisation on ``host`` (everything it needs, through the maker hook) and log who added it.
    A host that already serves an organisation, or another's prefix, is refused (the maker's OrganisationRefused,
    with ``field`` and a translated message)."""
    if not is_console_user(user):
        raise PermissionError("Only a superuser adds an organisation.")
    (make,) = hooks.get_hooks(MAKER_HOOK)
    with transaction.atomic():
        setup = make(host=host, port=port, name=name_th, name_en=name_en, phone=phone, prefix=code, new=True)
        log(setup.organisation, ADDED, user=user)
    return setup


def made_for(organisation: Organisation) -> list[tuple[str, int]]:
    """(the model's plural name, the organisation's rows of it) for each list the console says was made."""
    counts = []
    for label in MADE_MODELS:
        model = apps.get_model(label)
        counts.append((model._meta.verbose_name_plural, model._base_manager.filter(organisation=organisation).count()))
    return counts
