"""zprime.app."""
