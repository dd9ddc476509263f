"""How the audit trail words what it lists: a Thai label for every action code, and for each
django-simple-history row the fields it changed as "field: old → new".

Values are shown as staff entered them: choices by their label, yes/no, related rows by name, dates in the
Buddhist Era. A sensitive field (the applicant's personal data, ID numbers, signatures and other files) is named
as changed, never with its values.
"""

from datetime import date, datetime

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.log_actions import registry as log_action_registry

from cctv.thai.dates import format_be_date
from workflow.request.submission import APPLICANT_FIELDS

SENSITIVE_NAMES = frozenset({*APPLICANT_FIELDS, "signature", "token", "download_token"})
LONGEST_VALUE = 60


def action_label(code: str) -> str:
    """The label Wagtail's log action registry gives the code (the project's codes are registered there too)."""
    if log_action_registry.action_exists(code):
        return str(log_action_registry.get_action_label(code))
    return _("Other action (%(code)s)") % {"code": code}


def codes_labelled(text: str) -> list[str]:
    """The registered codes whose label, in the language in use, contains the text (for the action filter)."""
    text = text.casefold()
    return [code for code, label in log_action_registry.get_choices() if text in str(label).casefold()]


def is_sensitive(field: models.Field) -> bool:
    return isinstance(field, models.FileField) or field.name in SENSITIVE_NAMES or "national_id" in field.name


def previous_row_id(history_model) -> Subquery:
    """The history row just before each row of the same object (to annotate a history queryset with)."""
    pk = history_model.instance_type._meta.pk.attname
    earlier = Q(history_date__lt=OuterRef("history_date")) | Q(
        history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")
    )
    return Subquery(
        history_model.objects.filter(earlier, **{pk: OuterRef(pk)})
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )


def changes_of(model, records) -> dict[int, str]:
    """For each changed row of ``records`` (annotated ``previous_id``), what it changed: history_id → text.
    Two queries at most, whatever the number of rows: the previous rows, then the related rows they name."""
    changed = [record for record in records if record.history_type == "~" and record.previous_id]
    if not changed:
        return {}
    previous = model.history.model.objects.in_bulk([record.previous_id for record in changed])
    deltas = {
        record.history_id: record.diff_against(previous[record.previous_id]).changes
        for record in changed
        if record.previous_id in previous
    }
    names = _related_names(model, [change for delta in deltas.values() for change in delta])
    order = {field.name: index for index, field in enumerate(model._meta.fields)}
    return {
        history_id: " · ".join(
            describe(model._meta.get_field(change.field), change.old, change.new, names)
            for change in sorted(delta, key=lambda change: order.get(change.field, len(order)))
        )
        # Saved with nothing changed (a station's save saves each of its cameras again, for one).
        or _("no value changed")
        for history_id, delta in deltas.items()
    }


def field_name(field: models.Field) -> str:
    # A field given no verbose name has its own name as one ("station"): the catalogue translates those too.
    name = field.verbose_name
    return str(name) if isinstance(name, Promise) else _(name)


def describe(field: models.Field, old, new, names: dict | None = None) -> str:
    if is_sensitive(field):
        return _("%(field)s: changed") % {"field": field_name(field)}
    return _("%(field)s: %(old)s → %(new)s") % {
        "field": field_name(field),
        "old": shown(field, old, names or {}),
        "new": shown(field, new, names or {}),
    }


def shown(field: models.Field, value, names: dict) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return names.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return pgettext("audit value", "yes") if value else pgettext("audit value", "no")
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{format_be_date(local.date(), 'short')} {local:%H:%M}"
    if isinstance(value, date):
        return format_be_date(value, "short")
    text = " ".join(str(value).split())
    return text if len(text) <= LONGEST_VALUE else text[: LONGEST_VALUE - 1] + "…"


def _related_names(model, changes) -> dict:
    """(related model, pk) → its name, one query per related model named by the changes."""
    wanted: dict = {}
    for change in changes:
        field = model._meta.get_field(change.field)
        if field.is_relation and field.many_to_one:
            wanted.setdefault(field.related_model, set()).update(
                value for value in (change.old, change.new) if value is not None
            )
    return {
        (related, pk): str(row)
        for related, pks in wanted.items()
        for pk, row in related._default_manager.in_bulk(pks).items()
    }
