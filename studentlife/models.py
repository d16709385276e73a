"""Student life: models arrive with the app's own issue."""
