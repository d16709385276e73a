from typing import Any

from django import template
from django.db import models

from portal.audit import history_of

register = template.Library()


@register.inclusion_tag("includes/history_panel.html", takes_context=True)
def history_panel(context: dict[str, Any], obj: models.Model) -> dict[str, Any]:
    """Render the audit history of `obj`; callers show it to staff only (portal.view_history)."""
    return {"history_entries": history_of(obj)}
