"""Applications and appeals: models arrive with the app's own issue."""
