"""Cell readers for the import resources: each turns a text cell into a value or a readable ValueError.

django-import-export turns a ValueError raised here into a validation error on the row's column.
"""

from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from import_export import widgets

M = TypeVar("M", bound=models.Model)


def find_by_text(queryset: "models.QuerySet[M]", field: str, text: str) -> M | None:
    """The object whose `field` equals `text` in any letter case.

    SQLite folds only ASCII letters in `iexact`; Cyrillic group names (ИС-25-1 / ис-25-1) are compared
    in Python when the database finds nothing, which costs a scan only for a missing or oddly cased value.
    """
    found = queryset.filter(**{f"{field}__iexact": text}).first()
    if found is not None or text.isascii():
        return found
    folded = text.casefold()
    return next((obj for obj in queryset.iterator() if str(getattr(obj, field)).casefold() == folded), None)


class TextWidget(widgets.Widget):
    """Plain text; an empty cell is empty text (or None where the field is nullable)."""

    def __init__(self, empty: str | None = "") -> None:
        super().__init__()
        self.empty = empty

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str | None:
        text = str(value or "").strip()
        return text or self.empty


class WholeNumberWidget(widgets.Widget):
    """A whole number, optionally within bounds."""

    def __init__(self, minimum: int, maximum: int, out_of_range: Promise) -> None:
        super().__init__()
        self.minimum, self.maximum, self.out_of_range = minimum, maximum, out_of_range

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text})
        if not self.minimum <= number <= self.maximum:
            raise ValueError(str(self.out_of_range) % {"minimum": self.minimum, "maximum": self.maximum})
        return int(number)


class ChoiceWidget(widgets.Widget):
    """One of a TextChoices' codes, in any letter case."""

    def __init__(self, choices: type[models.TextChoices]) -> None:
        super().__init__()
        self.choices = choices

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = str(value or "").strip()
        if not text:
            return ""
        for code in self.choices.values:
            if text.lower() == code.lower():
                return code
        allowed = ", ".join(self.choices.values)
        raise ValueError(_("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed})


class LookupWidget(widgets.Widget):
    """A related object by its code or name (case-insensitive); a missing one is named in the error."""

    def __init__(self, model: type[models.Model], field: str, missing: Promise) -> None:
        super().__init__()
        self.model, self.field, self.missing = model, field, missing

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> models.Model | None:
        text = str(value or "").strip()
        if not text:
            return None
        found = find_by_text(self.model._default_manager.all(), self.field, text)
        if found is None:
            raise ValueError(str(self.missing) % {"value": text})
        return found
