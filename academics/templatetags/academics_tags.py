"""Template helpers for academics pages."""

from django import forms, template

register = template.Library()


@register.filter
def fields_named(form: forms.BaseForm, names: str) -> list[forms.BoundField]:
    """The form's bound fields named in a space-separated list, in that order."""
    return [form[name] for name in names.split()]
