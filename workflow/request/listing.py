"""The staff listing of requests, made for a table of millions of rows."""

from datetime import datetime

import django_filters
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import IndexView

from cctv.thai.dates import BE_OFFSET, format_be_date
from workflow.lifecycle import PublicStatus
from workflow.request.models import FootageRequest
from workflow.request.selectors import request_search, request_type_choices, station_choices


class RequestFilterSet(WagtailFilterSet):
    """Choices from the cache: a ModelChoiceFilter costs a query per filter on every page view."""

    public_status = django_filters.ChoiceFilter(label=_("Status"), choices=PublicStatus.choices)
    station = django_filters.ChoiceFilter(label=_("Station"), choices=station_choices)
    request_type = django_filters.ChoiceFilter(label=_("Purpose"), choices=request_type_choices)

    class Meta:
        model = FootageRequest
        fields = ["public_status", "station", "request_type"]


class CappedCountPaginator(WagtailPaginator):
    """Counts matches up to CAP only. An exact COUNT(*) of a million rows took 48 ms on every page view;
    past ten thousand matches, staff narrow the list with the filters or a search instead of paging."""

    CAP = 10_000

    @cached_property
    def count(self):
        # No ORDER BY: counting needs no sort, and the scan stops at CAP + 1 rows.
        return self.object_list.order_by()[: self.CAP + 1].count()


class BuddhistEraDateColumn(Column):
    """A date (and time) as the public pages show it: Buddhist-Era year for Thai readers, the Christian Era with
    the BE year for English ones (the ``be_date`` filter's rule)."""

    def get_value(self, instance):
        value = super().get_value(instance)
        if not value:
            return ""
        clock = ""
        if isinstance(value, datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
            clock = f" {value:%H:%M}"
            value = value.date()
        if get_language() == "en":
            return f"{value.day} {value:%b %Y} (B.E. {value.year + BE_OFFSET}){clock}"
        return format_be_date(value, "short") + clock


class RequestIndexView(IndexView):
    paginator_class = CappedCountPaginator
    search_backend_name = None

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        # Wagtail shows a date column in the Christian Era; the listing's dates are in the Buddhist Era.
        try:
            field = self.model._meta.get_field(field_name)
        except FieldDoesNotExist:
            field = None
        if column_class is Column and isinstance(field, models.DateField):  # DateTimeField is one too
            column_class = BuddhistEraDateColumn
        return super()._get_custom_column(field_name, column_class, **kwargs)

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(request_search(self.search_query))
