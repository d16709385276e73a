"""Dashboard panels: reports."""


def register() -> None:
    """Register this area's panels with portal.dashboards (called from AppealsConfig.ready)."""
