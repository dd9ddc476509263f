"""The stepped form's keys in the request form's template (forms/step_views.py defines the steps)."""

from django import template

from forms.step_views import SECTION_KEYS

register = template.Library()


@register.simple_tag
def section_step(index: int) -> str:
    """The step key of the form's section at ``index`` (``form.sections`` order)."""
    return SECTION_KEYS[index]
