"""The forms app's part in the Wagtail admin: it is what makes an organisation (forms/organisation.py), for the
superuser console's "add organisation" (cctv.organisations.console.MAKER_HOOK), which may not import it."""

from wagtail import hooks

from cctv.organisations.console import MAKER_HOOK
from forms.organisation import create_organisation


@hooks.register(MAKER_HOOK)
def make_organisation(**values):
    return create_organisation(**values)
