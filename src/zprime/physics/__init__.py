"""zprime.physics."""
