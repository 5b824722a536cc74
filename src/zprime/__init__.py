"""zprime: phenomenology of light vector bosons (Z', dark photon, dark Z) coupled to leptons.

Units are MeV throughout. The main entry points:

- :class:`zprime.Couplings`: mass and effective couplings (Bodas et al. Eq. (6)).
- :mod:`zprime.physics.observables`: vectorised physics (g-2, widths, neutrino scattering, weak charges, ...).
- :mod:`zprime.physics.constraints`: every bound as a named, cited constraint; ``zprime.physics.constraints.get(name)``.
- :mod:`zprime.analyses.likelihood`: combine constraints into chi2, pulls and verdicts.
"""

from importlib.metadata import PackageNotFoundError, version

from zprime.core.couplings import Couplings

try:
    __version__ = version("zprime")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = ["Couplings", "__version__"]
