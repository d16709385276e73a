"""EL-08, EL-09: campaign material and meetings with voters."""

from datetime import datetime

from elections.models import CampaignMaterial, Election


def hide_materials(election: Election, now: datetime) -> int:
    """EL-08: at the start of silence day every piece of campaign material is hidden. Called under the
    election's row lock by `calendar.sync_phase`; returns how many were hidden."""
    hidden = CampaignMaterial.objects.filter(candidate__election=election, hidden=False).update(hidden=True)
    election.materials_hidden_at = now
    election._history_user = None  # type: ignore[attr-defined]
    election.save(update_fields=["materials_hidden_at"])
    return hidden
