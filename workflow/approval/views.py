"""The request's admin views where approvers decide: Wagtail's edit view and workflow action views, narrowed.

Wagtail's views trust more than a request's approval chain can:

- its action views load any task state by the id in the URL; here only one of the request's own, and the action
  itself checks, under its locks, that the state is still the current one (services.py);
- its edit view runs an action on whatever step is current when the post arrives; here the page carries the task
  state it was drawn with (``SEEN_TASK_STATE``), so a stale page cannot decide the next level;
- its edit view accepts "cancel workflow", "restart", "submit" and "publish" posts even when the menu hides them;
  here they are refused, since they would move the workflow and leave the request's status behind;
- a refused action ends in Wagtail's generic "no permission"; here the reason is shown ("already decided by ...").

The edit view also locks the request row before it saves the edit (the lock order of services.py) and keeps the
columns events write, and it saves the edit and runs the action in one transaction: a refused action saves nothing.
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.models import TaskState, WorkflowState
from wagtail.snippets.views.snippets import CollectWorkflowActionDataView, EditView, WorkflowActionView

from workflow.approval.services import ActionRefused, check_step
from workflow.request.models import FootageRequest

# The hidden field of the edit form that names the task state the page was drawn with.
SEEN_TASK_STATE = "workflow-task-state-id"
# Wagtail's own workflow moves in the edit view (posted as "action-<name>"), refused for requests.
WAGTAIL_WORKFLOW_MOVES = ("cancel-workflow", "restart-workflow", "submit", "publish")
# What an action form may pass on to the task (Wagtail's modal sends the form's cleaned data as JSON).
ACTION_DATA = ("comment", "reason")


def request_task_states(footage_request: FootageRequest):
    return TaskState.objects.filter(
        workflow_state__base_content_type=ContentType.objects.get_for_model(FootageRequest),
        workflow_state__object_id=str(footage_request.pk),
    ).select_related("task", "workflow_state", "finished_by")


def page_out_of_date() -> ActionRefused:
    return ActionRefused(_("This page is out of date. Reload it and try again."))


def after_refusal_url(request, footage_request: FootageRequest) -> str:
    """The request's page if the user may still open it, else the dashboard (as Wagtail's own refusals)."""
    task = footage_request.current_workflow_task
    if request.user.has_perm("cctv_workflow.change_footagerequest") or (
        task is not None and task.user_can_access_editor(footage_request, request.user)
    ):
        return reverse(footage_request.snippet_viewset.get_url_name("edit"), args=[footage_request.pk])
    return reverse("wagtailadmin_home")


class RequestEditView(EditView):
    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST":
            try:
                self.refuse_early()
            except ActionRefused as refused:
                return self.refused(refused)
        return super().dispatch(request, *args, **kwargs)

    def refuse_early(self) -> None:
        """Refuses, before anything is saved, Wagtail's own workflow moves and a decision from a stale page."""
        if any(self.request.POST.get(f"action-{move}") for move in WAGTAIL_WORKFLOW_MOVES):
            raise ActionRefused(
                _("A request moves on only through its step's actions: approve, ask for information, decline, cancel.")
            )
        if self.request.POST.get("action-workflow-action"):
            check_step(self.seen_task_state(), self.request.user)

    def seen_task_state(self) -> TaskState:
        if not hasattr(self, "_seen_task_state"):
            try:
                pk = int(self.request.POST.get(SEEN_TASK_STATE, ""))
            except ValueError:
                raise page_out_of_date() from None
            self._seen_task_state = request_task_states(self.object).filter(pk=pk).first()
        if self._seen_task_state is None:
            raise page_out_of_date()
        return self._seen_task_state

    def get_available_actions(self):
        return [action for action in super().get_available_actions() if action not in WAGTAIL_WORKFLOW_MOVES]

    def workflow_action_is_valid(self):
        # Whether this user may take this action on the step they saw is the action's own check (services.py),
        # so that a stale page is told who decided instead of being saved as a plain edit.
        self.workflow_action = self.request.POST.get("workflow-action-name")
        return bool(self.workflow_action)

    def save_instance(self):
        # The request row first (the lock order); the form's copy of the columns events write was read before
        # the lock, and a full save of it would undo a decision made meanwhile.
        current = FootageRequest.objects.select_for_update().get(pk=self.object.pk)
        for name in FootageRequest.EVENT_FIELDS:
            setattr(self.form.instance, name, getattr(current, name))
        return super().save_instance()

    def form_valid(self, form):
        if self.action != "workflow-action":
            return super().form_valid(form)
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ActionRefused as refused:
            return self.refused(refused)

    def workflow_action_action(self):
        try:
            data = json.loads(self.request.POST.get("workflow-action-extra-data", "{}"))
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise page_out_of_date()
        task_state = self.seen_task_state()
        task_state.task.specific.on_action(
            task_state,
            self.request.user,
            self.workflow_action,
            **{key: data[key] for key in ACTION_DATA if key in data},
        )

    def refused(self, refused: ActionRefused):
        messages.error(self.request, str(refused))
        return redirect(after_refusal_url(self.request, self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        state = self.workflow_state
        in_progress = state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
        context["seen_task_state_id"] = state.current_task_state_id if in_progress else None
        return context


class RequestStepMixin:
    """For Wagtail's workflow action views: only the request's own task states, and refusals shown."""

    def get_task_state(self):
        return get_object_or_404(request_task_states(self.object), pk=self.task_state_id)

    def dispatch(self, request, *args, **kwargs):
        try:
            check_step(self.task_state, request.user)
        except ActionRefused as refused:
            return self.refused(refused)
        return super().dispatch(request, *args, **kwargs)

    def refused(self, refused: ActionRefused):
        if self.request.headers.get("x-requested-with") == "XMLHttpRequest":  # the modal: it stays open and says why
            return render_modal_workflow(
                self.request,
                "workflow/approval/refused_modal.html",
                None,
                {"title": self.model_opts.verbose_name, "message": str(refused)},
                json_data={"step": "action"},
            )
        messages.error(self.request, str(refused))
        return redirect(after_refusal_url(self.request, self.object))


class RequestWorkflowActionView(RequestStepMixin, WorkflowActionView):
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ActionRefused as refused:
            return self.refused(refused)


class RequestCollectActionDataView(RequestStepMixin, CollectWorkflowActionDataView):
    pass
