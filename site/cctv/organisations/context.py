"""The organisations a staff request may see, for the length of that request (ADR 0016).

The admin's views, Wagtail's generic ones included, find their rows through each model's default manager
(``get_object_or_404(self.model, ...)``, listings, choosers, form choices, uniqueness checks). The models of
request data and of an organisation's lists have ``ScopedManager`` as that manager: while a scope is set it shows
only the rows of the scope's organisations, so an officer of A opening B's request, station or template by URL
gets a 404 from Wagtail's own code, and B's rows are in no list, count or search of A. The middleware sets the
scope for signed-in staff in the admin once an installation has two organisations (with one it would change
nothing); Celery jobs and public pages name their organisation in their queries instead. Deletion and saving use
the base manager, which is never scoped.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models

_scope: ContextVar[frozenset[int] | None] = ContextVar("cctv_organisation_scope", default=None)


def current_scope() -> frozenset[int] | None:
    """The organisations in scope, or None when nothing is scoped (every organisation)."""
    return _scope.get()


@contextmanager
def only_organisations(ids):
    token = _scope.set(frozenset(ids))
    try:
        yield
    finally:
        _scope.reset(token)


class ScopedManager(models.Manager):
    def get_queryset(self):
        queryset = super().get_queryset()
        ids = _scope.get()
        if ids is None:
            return queryset
        from cctv.organisations.scope import path_to_organisation

        path = path_to_organisation(self.model)
        return queryset if path is None else queryset.filter(**{f"{path}__in": ids})
