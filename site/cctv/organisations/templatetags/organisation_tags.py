from django import template

from cctv.organisations.context import current_scope
from cctv.organisations.models import Organisation

register = template.Library()


@register.simple_tag
def dashboard_heading(site_name: str) -> str:
    """The dashboard's heading: the staff member's own organisations, by name (Wagtail puts the installation's
    name there, the same for every municipality's staff); the installation's name for a system administrator."""
    scope = current_scope()
    if not scope:
        return site_name
    names = [organisation.display_name for organisation in Organisation.objects.filter(pk__in=scope)]
    return ", ".join(names) or site_name
