"""Shared pytest configuration."""

import matplotlib
from hypothesis import settings

matplotlib.use("Agg")

# No per-example deadline (CI machines are shared and slow at times); derandomized so that a CI run is
# reproducible: the same examples every time, shrunk counterexamples printed on failure.
settings.register_profile("zprime", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("zprime")
