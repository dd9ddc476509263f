from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cctv.two_factor import log_actions, views


@hooks.register("register_log_actions")
def register_staff_log_actions(actions):
    for code, label, message in log_actions.LOG_ACTIONS:
        actions.register_action(code, label, message)


@hooks.register("register_admin_urls")
def register_enrolment_urls():
    return [path("cctv/enrolment-links/", views.enrolment_links, name="cctv_enrolment_links")]


class EnrolmentLinksMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.CREATE_PERMISSION)


@hooks.register("register_settings_menu_item")
def register_enrolment_menu_item():
    return EnrolmentLinksMenuItem(_("Enrolment links"), reverse("cctv_enrolment_links"), icon_name="key", order=610)


@hooks.register("register_permissions")
def register_enrolment_permission():
    # So that an administrator can give the right to a group in Wagtail's group editor.
    return Permission.objects.filter(content_type__app_label="cctv_two_factor", codename="add_enrolmentlink")
