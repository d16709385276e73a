"""Academics use cases: every state change of grades goes through here."""
