class AppealError(Exception):
    """A refused step on an application; the message is translated and shown to the user."""
