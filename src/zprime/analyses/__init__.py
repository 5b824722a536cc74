"""zprime.analyses."""
