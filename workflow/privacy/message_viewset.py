from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from workflow.notifications.models import Notification
from workflow.privacy.message_views import MessageFilterSet, MessageIndexView, MessageInspectView, ViewOnlyPolicy


class MessageViewSet(ModelViewSet):
    """ "ข้อความที่ส่ง": the listing and one message's page, nothing else (no add, edit, copy, delete or history
    URL exists). Shown to holders of ``cctv_workflow.view_notification`` (cctv.roles)."""

    model = Notification
    icon = "mail"
    menu_label = _("Messages")
    add_to_admin_menu = True
    menu_order = 210
    index_view_class = MessageIndexView
    inspect_view_class = MessageInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = MessageFilterSet
    search_fields = ["request__reference"]  # searched as an exact reference (MessageIndexView.search_queryset)
    list_export = []

    @property
    def permission_policy(self):
        return ViewOnlyPolicy(self.model)

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]

    def get_common_view_kwargs(self, **kwargs):
        # No such views: nothing may link to them.
        unused = ("add", "edit", "delete", "history", "usage")
        return super().get_common_view_kwargs(**{f"{name}_url_name": None for name in unused}, **kwargs)

    def get_permissions_to_register(self):
        """Only "view" is offered on a group's page: the other rights would do nothing."""
        content_type = ContentType.objects.get_for_model(self.model)
        return Permission.objects.filter(content_type=content_type, codename="view_notification")
