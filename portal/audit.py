"""PT-08: one audit mechanism (django-simple-history) and a readable view of it."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class HistoryEntry:
    date: datetime
    user: Any
    type: str
    changes: list[Change] = field(default_factory=list)


def history_of(obj: models.Model, limit: int = 20) -> list[HistoryEntry]:
    """The latest changes of `obj`, newest first, each with its field-level differences."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])  # type: ignore[attr-defined]
    entries = []
    for i, rec in enumerate(records[:limit]):
        previous = records[i + 1] if i + 1 < len(records) else None
        changes: list[Change] = []
        if previous is not None and rec.history_type == "~":
            delta = rec.diff_against(previous)
            for c in delta.changes:
                verbose = getattr(obj._meta.get_field(c.field), "verbose_name", c.field)
                changes.append(Change(str(verbose), c.old, c.new))
        entries.append(HistoryEntry(rec.history_date, rec.history_user, rec.history_type, changes))
    return entries
