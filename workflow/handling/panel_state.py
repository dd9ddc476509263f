"""What a post from the request page's handling panel leaves for the page it returns to: the message of an
action done, or what was typed with the errors, so that nothing typed is lost and the panel opens where it was.

Each form on the panel has a slot (``preserve``, ``row-4-12`` for a step's row, ...) that its post carries; the
action view keeps the outcome in the session under the request and redirects to the slot's anchor, and the panel
takes it out once, when it is drawn again (post, redirect, get).
"""

import re

from django.http import QueryDict
from django.urls import reverse

SLOT_FIELD = "handling-slot"
_SLOT = re.compile(r"^[a-z0-9-]{1,40}$")
_NOT_DATA = ("csrfmiddlewaretoken", SLOT_FIELD)


def _key(pk: int) -> str:
    return f"cctv-handling-{pk}"


def slot_of(request) -> str | None:
    """The panel slot a post came from, or None for the action's own page."""
    slot = request.POST.get(SLOT_FIELD, "")
    return slot if _SLOT.match(slot) else None


def anchor(slot: str) -> str:
    return f"handling-{slot}"


def panel_url(pk: int, slot: str | None = None) -> str:
    url = reverse("wagtailsnippets_cctv_workflow_footagerequest:edit", args=[pk])
    return f"{url}#{anchor(slot) if slot else 'handling'}"


def remember_done(request, *, pk: int, slot: str, action: str, message: str) -> None:
    request.session[_key(pk)] = {"slot": slot, "action": action, "done": str(message)}


def remember_failed(request, *, pk: int, slot: str, action: str, form) -> None:
    """What was typed (not the files: a browser never fills a file input again) and the errors beyond the form's
    own checks, which the panel adds back when it binds the form to the same data."""
    data = {name: request.POST.getlist(name) for name in request.POST if name not in _NOT_DATA}
    request.session[_key(pk)] = {
        "slot": slot,
        "action": action,
        "data": data,
        "errors": [[field, [str(message) for message in messages]] for field, messages in form.errors.items()],
    }


def take(request, pk: int) -> dict | None:
    """The outcome of the last post for this request, once."""
    state = request.session.pop(_key(pk), None)
    if not isinstance(state, dict) or not _SLOT.match(str(state.get("slot", ""))):
        return None
    if "data" in state:
        data = QueryDict(mutable=True)
        for name, values in state["data"].items():
            data.setlist(name, values)
        state["data"] = data
    return state
