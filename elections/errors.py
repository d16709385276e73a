class ElectionError(Exception):
    """A refused election action; the message is translated and shown to the user."""
