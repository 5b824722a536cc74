"""zprime.core."""
