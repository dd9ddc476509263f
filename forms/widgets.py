from django import forms


class OptionAttrsMixin:
    """A choice widget whose options carry extra attributes (data-* for the form's script)."""

    def __init__(self, *args, option_attrs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_attrs = option_attrs or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        option["attrs"].update(self.option_attrs.get(str(value), {}))
        return option


class AttrsSelect(OptionAttrsMixin, forms.Select):
    pass


class AttrsSelectMultiple(OptionAttrsMixin, forms.SelectMultiple):
    pass


class AttrsRadioSelect(OptionAttrsMixin, forms.RadioSelect):
    pass
