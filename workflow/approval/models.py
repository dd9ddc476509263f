from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.models import AbstractGroupApprovalTask

from cctv.organisations.context import ScopedManager
from cctv.organisations.membership import works_for
from cctv.organisations.models import organisation_key
from workflow.constants import DecisionAction
from workflow.editable_lists import EditableListItem
from workflow.request.models import FootageRequest


class RefusalReason(EditableListItem):
    """Why a request can be declined; editors keep the list, approvers pick one."""

    history = HistoricalRecords()

    class Meta(EditableListItem.Meta):
        verbose_name = _("refusal reason")
        verbose_name_plural = _("refusal reasons")


class ApprovalTask(AbstractGroupApprovalTask):
    """One level of the approval chain (officer, head of the CCTV centre, deputy chief, chief executive).

    Actions: approve, request more information (comment required), decline (reason and comment required),
    cancel (comment required: for example the applicant withdrew by phone). Each is a service of its own in
    ``workflow/approval/services.py``, with its checks, so that they hold however the action arrives.

    A task is its organisation's: its groups' members act on it only as staff of that organisation.
    """

    organisation = organisation_key()

    def _user_in_groups(self, user):
        """In one of the step's groups and working for the step's organisation: Wagtail asks this for every right
        on the step (its actions, the editor, locking, the tasks awaiting the user's review), so an officer of B
        can never act on A's step, whatever URL they post to."""
        return works_for(user, self.organisation_id) and super()._user_in_groups(user)

    def get_actions(self, obj, user):
        if user.is_superuser or self._user_in_groups(user):
            return [
                (DecisionAction.APPROVE.value, _("Approve"), False),
                (DecisionAction.APPROVE.value, _("Approve with comment"), True),
                (DecisionAction.REQUEST_INFO.value, _("Request more information"), True),
                (DecisionAction.DECLINE.value, _("Decline"), True),
                (DecisionAction.CANCEL.value, _("Cancel request"), True),
            ]
        return []

    def get_form_for_action(self, action):
        from workflow.approval.forms import DeclineForm, RequestInformationForm, StaffCancelForm

        if action == DecisionAction.DECLINE:
            return DeclineForm
        if action == DecisionAction.CANCEL:
            return StaffCancelForm
        if action == DecisionAction.REQUEST_INFO:
            return RequestInformationForm
        return super().get_form_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        """Wagtail's entry for every action (its action view, its modal through the edit view, our views).
        Returns nothing: Wagtail would redirect to a returned value."""
        from workflow.approval.services import take_action

        take_action(task_state=task_state, user=user, action=action_name, data=kwargs)

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups approve, ask for more information or decline footage requests")

    class Meta:
        verbose_name = _("footage request approval")
        verbose_name_plural = _("footage request approvals")


class Decision(models.Model):
    """An approver's decision on a request: append-only, one row per action taken."""

    request = models.ForeignKey(FootageRequest, on_delete=models.CASCADE, related_name="decisions")
    task_state = models.ForeignKey("wagtailcore.TaskState", null=True, on_delete=models.SET_NULL, related_name="+")
    task_name = models.CharField(_("step"), max_length=255)
    action = models.CharField(_("decision"), max_length=20, choices=DecisionAction.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    comment = models.TextField(_("comment"), blank=True)
    reason = models.ForeignKey(
        RefusalReason, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("reason")
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.get_action_display()} ({self.pk})"
