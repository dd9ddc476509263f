"""The request page's handling panel ("การดำเนินการกับภาพ"): every handling action's form inline, start and stop
buttons on each step (and camera) of the manual, and the outcome of the last post shown where it was made.

The panel sits inside Wagtail's edit form, and a form cannot hold another. So each of its forms is an empty
``<form>`` drawn outside the edit form (``PanelForms``, in the page's scripts, as the panel's media) and the
panel's fields and buttons name it with the ``form`` attribute. Without JavaScript each posts on its own to its
action view (views.py); the edit form never sees them, and Enter in a field sends that field's own form.
"""

from dataclasses import dataclass, field

from django import forms
from django.forms.utils import ErrorDict
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from workflow import lifecycle
from workflow.constants import RequestKind
from workflow.handling import panel_state
from workflow.handling.risk import days_left, is_at_risk
from workflow.handling.services import release_refusal
from workflow.handling.views import ACTIONS, may_handle, steps_for

# The actions whose one form always has its place on the panel, in the order they are drawn.
FIXED = ("preserve", "step", "finding", "privacy", "appointment", "copy", "receipt", "no-footage")


@dataclass
class Slot:
    """One form on the panel: which action it posts to, and what happened at its last post."""

    name: str
    action: str
    form: forms.Form
    url: str
    done: str = ""
    errors: list = field(default_factory=list)  # errors of a post the form could not be bound to again

    @property
    def title(self) -> str:
        return ACTIONS[self.action].title

    @property
    def form_id(self) -> str:
        return f"handling-{self.name}-form"

    @property
    def anchor(self) -> str:
        return panel_state.anchor(self.name)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or (self.form.is_bound and bool(self.form.errors))


class PanelForms:
    """The panel's empty forms, for the page's script block (outside the edit form): a Media asset by its
    ``__html__``, as Django allows."""

    def __init__(self, html: str):
        self.html = html

    def __html__(self) -> str:
        return self.html


def _hide(form: forms.Form, *names: str) -> None:
    for name in names:
        form.fields[name].widget = forms.HiddenInput()


class HandlingPanelContent:
    """Built once per page: the media (the empty forms) and the panel's template both read it."""

    def __init__(self, request, footage_request):
        self.request = request
        self.footage_request = footage_request
        self.can_handle = may_handle(request.user, footage_request)
        self.state = panel_state.take(request, footage_request.pk) if self.can_handle else None

    def _slot(self, name: str, action: str, *, initial=None, hidden=()) -> Slot:
        spec = ACTIONS[action]
        state = self.state if self.state and self.state["slot"] == name else None
        bound = state is not None and "data" in state and state["action"] == action
        form = spec.form(
            state["data"] if bound else None,
            footage_request=self.footage_request,
            initial=initial,
            auto_id=f"id_handling_{name}_%s",
        )
        _hide(form, *hidden)
        slot = Slot(
            name=name,
            action=action,
            form=form,
            url=reverse("cctv_request_action", args=[self.footage_request.pk, action]),
        )
        for bound_field in form:
            bound_field.field.widget.attrs["form"] = slot.form_id
        if bound:
            # The errors as the post had them (the service's among them), without checking the data again.
            form.cleaned_data, form._errors = {}, ErrorDict()
            for name_, messages in state["errors"]:
                form.add_error(name_ if name_ in form.fields else None, messages)
        elif state is not None and "data" in state:
            slot.errors = [message for _field, messages in state["errors"] for message in messages]
        if state is not None and "done" in state:
            slot.done = state["done"]
        return slot

    @cached_property
    def steps(self) -> list[dict]:
        rows = steps_for(self.footage_request)
        if not self.can_handle:
            return rows
        for row in rows:
            step = row["step"]
            for target in row["targets"]:
                camera, running = target["camera"], target["running"]
                name = f"row-{step.pk}-{camera.pk if camera else 0}"
                if running is not None:
                    target["slot"] = self._slot(name, "stop", initial={"record": running.pk})
                else:
                    initial = {"step": step.pk, "camera": camera.pk if camera else None}
                    target["slot"] = self._slot(name, "start", initial=initial, hidden=("step", "camera"))
            if step.per_camera and not step.approval:
                row["other"] = self._slot(f"other-{step.pk}", "start", initial={"step": step.pk}, hidden=("step",))
        return rows

    @cached_property
    def slots(self) -> dict[str, Slot]:
        if not self.can_handle:
            return {}
        return {name: self._slot(name, name) for name in FIXED}

    @cached_property
    def shown(self) -> dict[str, bool]:
        """Which of the fixed forms this request can take now (the others say why not)."""
        footage_request = self.footage_request
        status = footage_request.public_status
        is_copy = footage_request.request_type.kind == RequestKind.COPY
        return {
            "preserve": status not in (lifecycle.PublicStatus.CANCELLED, lifecycle.PublicStatus.NO_FOOTAGE),
            "appointment": lifecycle.may_offer_appointment(status),
            "copy": is_copy and self.copy_refusal is None,
            "receipt": is_copy and bool(footage_request.copies.all()),
            "no-footage": lifecycle.is_allowed(lifecycle.Event.NO_FOOTAGE, status),
        }

    @cached_property
    def copy_refusal(self) -> str | None:
        return release_refusal(self.footage_request, copies=True)

    def all_slots(self) -> list[Slot]:
        slots = list(self.slots.values())
        for row in self.steps:
            slots += [target["slot"] for target in row["targets"] if "slot" in target]
            if "other" in row:
                slots.append(row["other"])
        return slots

    @property
    def unplaced(self) -> dict | None:
        """The outcome of a post whose form is no longer on the panel (the request ended meanwhile, ...)."""
        if self.state is None or any(slot.name == self.state["slot"] for slot in self.all_slots()):
            return None
        return self.state

    def forms_html(self) -> str:
        if not self.can_handle:
            return ""
        return render_to_string(
            "workflow/handling/panel_forms.html",
            {"slots": self.all_slots(), "csrf_token": get_token(self.request), "slot_field": panel_state.SLOT_FIELD},
        )

    def context(self) -> dict:
        footage_request = self.footage_request
        return {
            "footage_request": footage_request,
            "can_handle": self.can_handle,
            "steps": self.steps,
            # By names a template can read ("no-footage" as no_footage).
            "slots": {name.replace("-", "_"): slot for name, slot in self.slots.items()},
            "shown": {name.replace("-", "_"): shown for name, shown in self.shown.items()} if self.can_handle else {},
            "release_refusal": self.copy_refusal,
            "unplaced": self.unplaced,
            "days_left": days_left(footage_request),
            "at_risk": is_at_risk(footage_request, preserved=bool(footage_request.preservations.all())),
            "now": timezone.now(),
        }
