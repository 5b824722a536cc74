"""zprime: phenomenology of light vector bosons (Z', dark photon, dark Z) coupled to leptons.

Units are MeV throughout. The main entry points:

- :class:`zprime.Couplings`: mass and effective couplings (Bodas et al. Eq. (6)).
- :mod:`zprime.physics.observables`: vectorised physics (g-2, widths, neutrino scattering, weak charges, ...).
- :mod:`zprime.physics.constraints`: every bound as a named, cited constraint; ``zprime.physics.constraints.get(name)``.
- :mod:`zprime.analyses.likelihood`: combine constraints into chi2, pulls and verdicts.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zprime.core.couplings import Couplings


def __getattr__(name: str) -> Any:
    """``Couplings``, imported on first use (it imports numpy, which ``zprime --help`` does not need), and
    ``__version__``, read from the installed metadata on first use (importlib.metadata is slow to import,
    and the command line needs it only for ``--version``)."""
    if name == "Couplings":
        from zprime.core.couplings import Couplings

        globals()["Couplings"] = Couplings
        return Couplings
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            v = version("zprime")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            v = "0.0.0+unknown"
        globals()["__version__"] = v
        return v
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Couplings", "__version__"]
