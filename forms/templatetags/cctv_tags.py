from django import forms, template
from django.utils.translation import get_language

from cctv.thai.dates import format_be_date, format_be_datetime
from cctv.thai.ids import format_thai_phone, mask_name
from forms.altcha import AltchaWidget

register = template.Library()


@register.filter
def be_date(value, style="long"):
    """A date in the Buddhist Era for Thai readers; English readers get the Christian Era with the BE year."""
    if not value:
        return ""
    if hasattr(value, "date"):
        from django.utils import timezone

        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if get_language() == "en":
        return f"{value.day} {value:%B %Y} (B.E. {value.year + 543})"
    return format_be_date(value, style)


@register.filter
def be_datetime(value):
    """A date, or a date and local time, for reading in the admin's tooltips: "2 ธ.ค. 2569 13:20 น."."""
    if not value:
        return ""
    if not hasattr(value, "hour"):
        return be_date(value, "short")
    if get_language() != "en":
        return format_be_datetime(value)
    from django.utils import timezone

    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{be_date(local)}, {local:%H:%M}"


@register.filter
def masked_name(footage_request):
    return mask_name(footage_request.first_name, footage_request.last_name)


@register.filter
def thai_phone(value):
    return format_thai_phone(value) if value else ""


@register.filter
def field_kind(bound_field) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, AltchaWidget):
        return "altcha"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choice"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


@register.simple_tag
def render_input(bound_field, **extra):
    """The field's widget with the ARIA links to its help and error texts."""
    attrs = {key.replace("_", "-"): value for key, value in extra.items()}
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_help")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if bound_field.field.required and field_kind(bound_field) in ("input", "file", "checkbox"):
        attrs["aria-required"] = "true"
    return bound_field.as_widget(attrs=attrs)


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def tel_href(value):
    """A dialable tel: target from a phone as editors write it ("054-237600 ต่อ 5060" dials 054237600)."""
    from cctv.thai.ids import normalise_digits

    number = normalise_digits(value or "").split("ต่อ")[0].lower().split("ext")[0]
    return "".join(ch for ch in number if ch.isdigit() or ch == "+")
