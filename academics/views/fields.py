"""Form fields shared by academics pages."""

from django import forms

from academics.models import Discipline


class DisciplineChoice(forms.ModelChoiceField):
    """A discipline shown with its code, catalogue order."""

    def label_from_instance(self, obj: Discipline) -> str:
        return f"{obj.code} · {obj.name}"
