"""Neutrino trident production ν_μ N → ν_μ μ⁺μ⁻ N with a light Z' (Bodas et al. Eq. (16), Sec. 3.2.2).

    σ/σ_SM ≈ 1 + a₁ C_Vμ C_νμ + a₂ C_Vμ² C_νμ² log(m_μ²/m_Z'²),

a₁ = 5.6e5, a₂ = 1.3e11 (data entry ``trident_zprime_coefficients``; Altmannshofer, Gori, Pospelov, Yavin,
PRL 113 (2014) 091801, arXiv:1406.2332). Convention of Bodas Eq. (6): C_Vμ C_νμ > 0 interferes constructively
with the SM (W+Z) amplitude (the sign of the linear term of Bodas Eq. (16)). C_Aμ is neglected, as in the seed.

Validity: the logarithm is the leading term for m_Z' ≪ m_μ, where the muon mass cuts off the Z' propagator
integral. At m_Z' = m_μ the log vanishes and above it the "quadratic" term turns negative, so that the ratio
can even become negative (near 80 MeV for couplings of interest): the formula is not a cross-section there.
:data:`TRIDENT_MAX_MASS_MEV` = m_μ is the upper edge of its validity; the constraints in
``zprime.physics.constraints.trident`` answer "not applicable" above it. This function itself evaluates the formula
for any positive mass (for plotting and tests).

With the Z' propagator kept (edition 2025, :func:`trident_ratio_propagator`): the trident cross section
is the Q²-spectrum of the four-fermion (SM) process, computed in the equivalent-photon approximation
(:mod:`zprime.physics.observables.trident_epa`, tabulated in ``data/trident/q2_spectra.yaml``), with
g_V → g_V + C_Vμ C_νμ / (√2 G_F (Q² + m_Z'²)) at each Q² = −(p_ν − p_ν')² (Altmannshofer et al.,
arXiv:1406.2332; arXiv:1902.06765 Sec. II):

    σ/σ_SM = 1 + (2 g_V K I₁(m) + K² I₂(m)) / (g_V² σ_V + g_A² σ_A),   K = C_Vμ C_νμ/(√2 G_F),
    I_k(m) = ∫ dQ² (dσ_V/dQ²) / (Q² + m_Z'²)^k,

g_V = 1/2 + 2 sin²θ_W, g_A = 1/2 (W and Z exchange, sin²θ_W at low Q). For m_Z' → ∞ it is the heavy-Z' ratio
of 1406.2332, [(g_V + K/m_Z'²)² + g_A²]/(g_V² + g_A²) (up to muon-mass terms σ_V ≠ σ_A); for m_Z' ≪ m_μ it
has the form of Bodas Eq. (16), with I₂ ∝ log(1/m_Z'²). The g_V g_A interference vanishes by C symmetry
(μ⁺ ↔ μ⁻) and is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from zprime.core.constants import G_F, M_MU, SIN2W_LOW_Q
from zprime.core.couplings import Couplings
from zprime.core.errors import DataFileError, InputError
from zprime.core.integrity import data_dir
from zprime.core.measurements import EditionLike, get
from zprime.core.yaml_io import read_yaml
from zprime.physics.arrays import broadcast, positive_finite

#: Upper edge of the validity of Bodas Eq. (16) [MeV]: the log form needs m_Z' ≪ m_μ.
TRIDENT_MAX_MASS_MEV: float = M_MU


def trident_coefficients(edition: EditionLike = None) -> tuple[float, float]:
    """(a₁, a₂) of Bodas Eq. (16), read from the data entry ``trident_zprime_coefficients``."""
    p = get("trident_zprime_coefficients", edition).parameters
    return float(p["linear"]), float(p["quadratic"])


def trident_ratio(
    mass_mev, c_vmu, c_numu, *, coefficients: tuple[float, float] | None = None, edition: EditionLike = None
) -> np.ndarray:
    """σ_trident/σ_SM of Bodas Eq. (16) for arrays of m_Z' [MeV], C_Vμ, C_νμ (broadcasting).

    ``coefficients`` = (a₁, a₂) overrides the data entry (default: :func:`trident_coefficients`).
    Raises :class:`~zprime.core.errors.InputError` for a non-positive or non-finite mass.
    """
    m = np.asarray(mass_mev, dtype=float)
    if not positive_finite(m):
        raise InputError("mass_mev", "must be positive and finite (allowed range: 0 < mass_mev < inf MeV)")
    a1, a2 = coefficients if coefficients is not None else trident_coefficients(edition)
    cv, cn = np.asarray(c_vmu, dtype=float), np.asarray(c_numu, dtype=float)
    if m.ndim == cv.ndim == cn.ndim == 0:  # one point: the same operations on Python floats, numpy's log
        x1 = cv.item() * cn.item()
        return np.float64(1.0 + a1 * x1 + a2 * (x1 * x1) * 2.0 * float(np.log(M_MU / m.item())))
    x = cv * cn
    return 1.0 + a1 * x + a2 * x**2 * 2.0 * np.log(M_MU / m)


def trident_ratio_of(couplings: Couplings, edition: EditionLike = None) -> np.ndarray:
    """Bodas Eq. (16) on a :class:`~zprime.core.couplings.Couplings` array (shape ``couplings.shape``)."""
    r = trident_ratio(couplings.mass_mev, couplings.c_vmu, couplings.c_numu, edition=edition)
    return broadcast(r, couplings.shape)


#: SM effective couplings of (G_F/√2)[ν̄γ^α(1−γ₅)ν][μ̄γ_α(g_V − g_Aγ₅)μ] (W + Z exchange, 1406.2332).
G_V_SM: float = 0.5 + 2.0 * SIN2W_LOW_Q
G_A_SM: float = 0.5

#: Experiments of ``data/trident/q2_spectra.yaml`` and the entries their inputs come from.
TRIDENT_EXPERIMENTS: dict[str, str] = {"ccfr": "trident_ccfr_beam", "charm2": "trident_charm2_beam"}


@dataclass(frozen=True)
class Q2Spectrum:
    """Binned SM trident cross section in Q² (one experiment): bin edges [MeV²] and the vector (g_V = 1) and
    axial (g_A = 1) parts [MeV⁻²] per bin; ``energy_mev``/``nuclei`` are the inputs it was computed from."""

    edges: np.ndarray
    vector: np.ndarray
    axial: np.ndarray
    energy_mev: float
    nuclei: tuple[tuple[float, float, float], ...]

    @property
    def slope(self) -> float:
        """c of dσ_V/dQ² = c Q² below the first edge (from the first bin)."""
        e0, e1 = self.edges[0], self.edges[1]
        return 2.0 * self.vector[0] / (e1**2 - e0**2)

    @property
    def sigma_vector(self) -> float:
        return float(self.vector.sum() + 0.5 * self.slope * self.edges[0] ** 2)

    @property
    def sigma_axial(self) -> float:
        return float(self.axial.sum())

    def moments(self, mass_mev: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(I₁, I₂) = ∫ dQ² (dσ_V/dQ²)/(Q² + m²)^k, k = 1, 2, for masses (1-d), with dσ_V/dQ² constant in each
        bin and = c Q² below the first edge."""
        m2 = np.asarray(mass_mev, dtype=float)[:, None] ** 2
        lo, hi = self.edges[None, :-1], self.edges[None, 1:]
        dens = self.vector[None, :] / (hi - lo)
        i1 = np.sum(dens * np.log((hi + m2) / (lo + m2)), axis=1)
        i2 = np.sum(dens * (1.0 / (lo + m2) - 1.0 / (hi + m2)), axis=1)
        e0, c, m2 = self.edges[0], self.slope, m2[:, 0]
        log0 = np.log1p(e0 / m2)
        i1 += c * (e0 - m2 * log0)
        i2 += c * (log0 - e0 / (e0 + m2))
        return i1, i2


def _number_list(raw: object, path: str, field: str) -> np.ndarray:
    try:
        arr = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        raise DataFileError(path, "must be a list of numbers", field=field) from None
    if arr.ndim != 1 or not np.all(np.isfinite(arr)):
        raise DataFileError(path, "must be a list of finite numbers", field=field)
    return arr


@lru_cache(maxsize=1)
def load_q2_spectra() -> dict[str, Q2Spectrum]:
    """Read ``data/trident/q2_spectra.yaml`` (written by ``tools/trident_spectrum.py``; safe loader)."""
    path = data_dir() / "trident" / "q2_spectra.yaml"
    raw = read_yaml(path)
    edges = _number_list(raw.get("q2_edges_mev2"), str(path), "q2_edges_mev2")
    if edges.size < 3 or np.any(np.diff(edges) <= 0) or edges[0] <= 0:
        raise DataFileError(str(path), "must be > 0 and increasing", field="q2_edges_mev2")
    out = {}
    for key, entry in (raw.get("experiments") or {}).items():
        parts = {p: _number_list(entry.get(p), str(path), f"experiments.{key}.{p}") for p in ("vv", "aa")}
        if any(a.size != edges.size - 1 for a in parts.values()):
            raise DataFileError(str(path), "needs one number per Q^2 bin", field=f"experiments.{key}")
        nuclei = tuple(tuple(float(x) for x in n) for n in entry.get("nuclei", ()))
        out[key] = Q2Spectrum(edges, parts["vv"], parts["aa"], float(entry["energy_mev"]), nuclei)
    return out


def trident_ratio_propagator(mass_mev, c_vmu, c_numu, experiment: str = "ccfr") -> np.ndarray:
    """σ_trident/σ_SM with the Z' propagator (module docstring) for arrays of m_Z' [MeV], C_Vμ, C_νμ
    (broadcasting), from the Q² spectrum of ``experiment`` (``"ccfr"`` or ``"charm2"``).

    Raises :class:`~zprime.core.errors.InputError` for a non-positive or non-finite mass or an unknown
    experiment.
    """
    spectra = load_q2_spectra()
    if experiment not in spectra:
        raise InputError("experiment", f"must be one of {', '.join(sorted(spectra))}, got {experiment!r}")
    m = np.asarray(mass_mev, dtype=float)
    if not positive_finite(m):
        raise InputError("mass_mev", "must be positive and finite (allowed range: 0 < mass_mev < inf MeV)")
    spec = spectra[experiment]
    uniq, inv = np.unique(m, return_inverse=True)
    i1, i2 = spec.moments(uniq)
    i1, i2 = i1[inv].reshape(m.shape), i2[inv].reshape(m.shape)
    k = np.asarray(c_vmu, dtype=float) * np.asarray(c_numu, dtype=float) / (np.sqrt(2.0) * G_F)
    sm = G_V_SM**2 * spec.sigma_vector + G_A_SM**2 * spec.sigma_axial
    return 1.0 + (2.0 * G_V_SM * k * i1 + k**2 * i2) / sm


def trident_ratio_heavy(mass_mev, c_vmu, c_numu) -> np.ndarray:
    """Heavy-Z' (four-fermion) trident ratio of 1406.2332: [(g_V + K/m_Z'²)² + g_A²]/(g_V² + g_A²)."""
    k = np.asarray(c_vmu, dtype=float) * np.asarray(c_numu, dtype=float) / (np.sqrt(2.0) * G_F)
    gv = G_V_SM + k / np.asarray(mass_mev, dtype=float) ** 2
    return (gv**2 + G_A_SM**2) / (G_V_SM**2 + G_A_SM**2)


__all__ = [
    "G_A_SM",
    "G_V_SM",
    "TRIDENT_EXPERIMENTS",
    "TRIDENT_MAX_MASS_MEV",
    "Q2Spectrum",
    "load_q2_spectra",
    "trident_coefficients",
    "trident_ratio",
    "trident_ratio_heavy",
    "trident_ratio_of",
    "trident_ratio_propagator",
]
