"""Academics pages, one module per concept; views stay thin over services and selectors."""
