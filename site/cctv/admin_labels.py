"""Labels that Wagtail's admin forms leave out, so Django falls back to the field's name in English.

The login form's password field has none ("Password*" on the sign-in page): ``LoginForm`` gives it one and
``WAGTAILADMIN_USER_LOGIN_FORM`` points Wagtail at it. The workflow editor's forms are Wagtail's own, built into
its views, so ``install()`` gives their fields a label on the classes at start-up ("Page", "Content types").
Each label is a msgid with Thai in the catalogue.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

WORKFLOW_FIELD_LABELS = {
    ("WorkflowPageForm", "page"): _("Page"),
    ("WorkflowContentTypeForm", "content_types"): _("Content types"),
}


class LoginForm(WagtailLoginForm):
    """Wagtail's sign-in form with a label on the password field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")


def install() -> None:
    """Label the workflow editor's fields (idempotent; called once from an app's ready())."""
    from wagtail.admin.forms import workflows

    for (form_name, field_name), label in WORKFLOW_FIELD_LABELS.items():
        getattr(workflows, form_name).base_fields[field_name].label = label
