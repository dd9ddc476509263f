"""The Messages admin: every notification with its channel, masked recipient, status, attempts and last error, and
the text as sent. Read-only for everyone (``ViewOnlyPolicy``); each opening of a message is access-logged, as it
is a message to a citizen (threat: unlogged reads, docs/security.md). The listing shows no text: each text read
is one opening, one log row."""

import django_filters
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.permission_policies import ModelPermissionPolicy

from cctv.http import client_ip
from workflow.constants import Channel, NotificationEvent
from workflow.notifications.masking import mask_link_keys, mask_recipient
from workflow.notifications.models import Notification
from workflow.notifications.sms import permanent_error_label
from workflow.privacy.access import record_access
from workflow.privacy.models import AccessLog
from workflow.request.listing import BuddhistEraDateColumn


class ViewOnlyPolicy(ModelPermissionPolicy):
    """Only "view" is ever granted, to holders of ``view_notification``: nobody adds, edits or deletes a message
    (a superuser neither), so the admin offers no such button and would refuse such a URL."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and self.user_has_permission(user, "view")

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(["view"])


def error_label(code: str) -> str:
    """``last_error`` (an exception's class name, or "WorkerLost") as staff read it."""
    if not code:
        return ""
    if code == "WorkerLost":
        return gettext("The sender stopped while sending")
    if permanent := permanent_error_label(code):
        return permanent
    if code == "LinePermanent":
        return gettext("LINE refused the message for good; it was sent by SMS instead")
    if code == "LineError":
        return gettext("LINE did not accept the message now; it is tried again")
    if code == "SmsRejected":
        return gettext("The SMS provider refused the message")
    if code == "SmsError":
        return gettext("The SMS provider did not accept the message, or its answer was lost")
    if code.startswith("SMTP"):
        return gettext("The mail server did not accept the message")
    return gettext("Could not reach the provider")


def recipient(notification: Notification) -> str:
    """Masked, as it was when the text was made; the request's current contact for a row not yet sent."""
    if notification.payload.get("to"):
        return notification.payload["to"]
    if notification.user_id:
        return mask_recipient(notification.user.email)
    footage_request = notification.request
    return mask_recipient(footage_request.phone if notification.channel == Channel.SMS else footage_request.email)


def masked_text(notification: Notification, field: str) -> str:
    return mask_link_keys(notification.payload.get(field, ""), keys=(notification.request.token,))


class MessageFilterSet(WagtailFilterSet):
    reference = django_filters.CharFilter(label=_("Reference"), method="filter_reference")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Notification.Status.choices)
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    event = django_filters.ChoiceFilter(label=_("Event"), choices=NotificationEvent.choices)

    class Meta:
        model = Notification
        fields = ["reference", "status", "channel", "event"]

    def filter_reference(self, queryset, name, value):
        # The exact number (an indexed lookup); staff type it in any case, with spaces around.
        return queryset.filter(request__reference=value.strip().upper()) if value.strip() else queryset


class MessagePaginator(WagtailPaginator):
    """Counts "ข้อความ" ("2 ข้อความ"), shorter than the model's own name ("ข้อความที่ส่ง") under the page's title."""

    verbose_name = _("message")
    verbose_name_plural = _("messages")


class MessageIndexView(IndexView):
    paginator_class = MessagePaginator
    page_title = _("Messages")
    verbose_name = _("message")
    verbose_name_plural = _("messages")
    default_ordering = "-created_at"
    search_backend_name = None

    def get_base_queryset(self):
        # Each row shows its request's reference and, for a row not yet sent, the applicant's contact.
        return Notification.objects.select_related("request", "user")

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(request__reference=self.search_query.strip().upper())

    @cached_property
    def columns(self):
        return [
            BuddhistEraDateColumn("created_at", label=_("Time"), sort_key="created_at"),
            TitleColumn(
                "reference",
                label=_("Reference"),
                accessor="request.reference",
                get_url=self.get_inspect_url,
            ),
            Column("event", label=_("Event"), accessor="get_event_display"),
            Column("channel", label=_("Channel"), accessor="get_channel_display"),
            Column("recipient", label=_("Recipient"), accessor=recipient),
            Column("status", label=_("Status"), accessor="get_status_display"),
            Column("attempts", label=_("Attempts")),
            Column("last_error", label=_("Last error"), accessor=lambda row: error_label(row.last_error)),
        ]

    def get_list_buttons(self, instance):
        return []  # the reference opens the message; there is nothing else to do with one


class MessageInspectView(InspectView):
    page_title = _("Message")

    def get_object(self, queryset=None):
        return get_object_or_404(Notification.objects.select_related("request", "user"), pk=self.pk)

    def get_page_subtitle(self):
        return self.object.request.reference

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": gettext("Messages")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_fields_context(self):
        notification = self.object
        sent_at = notification.sent_at
        text = masked_text(notification, "text")
        rows = [
            (_("Reference"), notification.request.reference),
            (_("Event"), notification.get_event_display()),
            (_("Channel"), notification.get_channel_display()),
            (_("Recipient"), recipient(notification)),
        ]
        if notification.channel == Channel.EMAIL:
            rows.append((_("e-mail subject"), masked_text(notification, "subject") or "-"))
        rows += [
            (_("Text as sent"), linebreaksbr(text) if text else gettext("Not made yet: it is made when sent")),
            (_("Status"), notification.get_status_display()),
            (_("Attempts"), notification.attempts),
            (_("Provider's message id"), notification.provider_message_id or "-"),
            (_("Last error"), error_label(notification.last_error) or "-"),
            (_("Time"), BuddhistEraDateColumn("created_at").get_value(notification)),
            (_("Sent at"), BuddhistEraDateColumn("sent_at").get_value(notification) if sent_at else "-"),
        ]
        return [{"label": label, "value": value, "component": None} for label, value in rows]

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        record_access(
            footage_request=self.object.request,
            user=request.user,
            what=AccessLog.What.PERSONAL_DATA,
            object_id=self.object.pk,
            ip=client_ip(request),
        )
        return response
