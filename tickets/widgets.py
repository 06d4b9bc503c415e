"""Form widgets written directly: Django's renders a template per option."""

from html import escape as _esc

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A <select> written directly: Django's widget renders a template per
    option and builds a dict of attributes for each (get_context), which made
    the filter panel's some 100 options most of the list page's CPU. One line
    per option; `django_layout` writes the whitespace of Django's own template."""

    django_layout = False

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        values = self.format_value(value)
        options = []
        chosen = False
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):  # an optgroup: Django's widget writes it
                return super().render(name, value, attrs, renderer)
            text = "" if option_value is None else str(option_value)
            selected = not chosen and text in values
            chosen = chosen or selected
            options.append(
                f'<option value="{_esc(text)}"{" selected" if selected else ""}>'
                f"{_esc(str(label))}</option>"
            )
        head = f'<select name="{_esc(name)}"{flatatt(attrs)}>'
        if self.django_layout:
            return mark_safe(head + "".join(f"\n  {o}\n" for o in options) + "\n</select>")
        return mark_safe("\n".join([head, *options, "</select>"]))


class DjangoLayoutSelect(QuickSelect):
    django_layout = True
