class AcademicsError(Exception):
    """A refused academic action; the message is translated and shown to the user."""
