"""Z' partial widths, total width, branching ratios and proper lifetime (Bodas Sec. 3.1.2;
as in DarkCast, arXiv:1801.04847).

With the Lagrangian of Bodas Eq. (6), L ⊃ −[ℓ̄γ^μ(C_V + C_A γ5)ℓ + C_ν ν̄γ^μ P_L ν + C_νR ν̄γ^μ P_R ν] Z'_μ
(C_νR: light Dirac right-handed neutrinos, zero unless a model includes them), the tree-level two-body widths
are (derived; r = m_ℓ²/m_Z'²)

    Γ(Z' → ℓ⁺ℓ⁻)   = m_Z'/(12π) √(1 − 4r) [C_V² (1 + 2r) + C_A² (1 − 4r)]        (zero below 2 m_ℓ)
    Γ(Z' → ν_α ν̄_α) = (C_να² + C_νRα²) m_Z'/(24π)

The second is the first for a massless fermion with chiral couplings g_L = C_V − C_A, g_R = C_V + C_A:
C_V² + C_A² = (g_L² + g_R²)/2, so Γ = (g_L² + g_R²) m/(24π), each helicity alone half a Dirac vector (the
form of the SM width Γ(Z → νν̄) = m_Z g_L²/(24π), PDG review "Electroweak model and constraints on new
physics").
With C_νR = C_ν (a vector coupling to Dirac ν, DarkCast 2023's convention) the neutrino width doubles.

Checks: with C_V = eεQ_ℓ the first is the dark-photon width α ε² m/3 (1 + 2r)√(1 − 4r); with the SM Z coupling
C_ν = g/(2 c_W) the second gives Γ(Z → νν̄) = G_F m_Z³/(12√2 π) = 165.9 MeV per flavour.

Hadrons: ``decay_widths(c, hadronic=True)`` adds Γ(Z' → hadrons) of DarkCast 2023
(:mod:`zprime.physics.observables.hadrons`: vector-meson dominance and the τ-decay axial spectral functions below
2 GeV, c, b, t quarks above their thresholds; Ilten et al. arXiv:1801.04847 Eqs. (2.13)-(2.18), Baruch et al.
arXiv:2206.08563), of which Γ(Z' → π⁺π⁻) is also kept as its own channel ``pipi``. The default
(``hadronic=False``) counts leptons and neutrinos only: for a Z' with quark couplings above 2 m_π the total width
is then underestimated. Which one the recast of published limits uses is a property of the edition
(``recast_widths``, :mod:`zprime.core.measurements`).

All functions broadcast over numpy arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zprime.core.constants import E_CHARGE, ELECTRIC_CHARGE, HBAR_MEV_S, LEPTON_MASS_MEV
from zprime.core.couplings import QUARK_FLAVOURS, Couplings
from zprime.core.errors import InputError
from zprime.physics.arrays import broadcast

_FLAVOURS = ("e", "mu", "tau")


def partial_width_ll(
    mass_mev: np.ndarray | float, cv: np.ndarray | float, ca: np.ndarray | float, lepton_mass_mev: float
) -> np.ndarray:
    """Γ(Z' → ℓ⁺ℓ⁻) [MeV] = m/(12π) √(1−4r) [C_V²(1+2r) + C_A²(1−4r)], r = m_ℓ²/m²; 0 below threshold."""
    m = np.asarray(mass_mev, dtype=float)
    if m.size and m.max() <= 2.0 * lepton_mass_mev:  # all below threshold (e.g. Z' → τ⁺τ⁻ at MeV masses)
        return np.zeros(np.broadcast_shapes(m.shape, np.shape(cv), np.shape(ca)))
    r = lepton_mass_mev**2 / m**2
    x = np.clip(1.0 - 4.0 * r, 0.0, None)
    cv2 = np.square(cv)
    ca2 = np.square(ca)
    return m / (12.0 * np.pi) * np.sqrt(x) * (cv2 * (1.0 + 2.0 * r) + ca2 * x)


def partial_width_nunu(
    mass_mev: np.ndarray | float, cnu: np.ndarray | float, cnur: np.ndarray | float = 0.0
) -> np.ndarray:
    """Γ(Z' → ν_α ν̄_α) [MeV] = (C_να² + C_νRα²) m/(24π): left-handed ν, plus light ν_R if ``cnur`` ≠ 0."""
    return (np.square(cnu) + np.square(cnur)) * np.asarray(mass_mev, dtype=float) / (24.0 * np.pi)


#: Channels of :meth:`DecayWidths.channel`
CHANNELS: tuple[str, ...] = ("ee", "mumu", "tautau", "invisible", "hadrons", "pipi")


@dataclass(frozen=True)
class DecayWidths:
    """Partial widths [MeV] of one Couplings array: leptons and neutrinos, and (``hadrons`` not None) the
    hadronic width with its π⁺π⁻ part ``pipi``."""

    ee: np.ndarray
    mumu: np.ndarray
    tautau: np.ndarray
    nue: np.ndarray
    numu: np.ndarray
    nutau: np.ndarray
    hadrons: np.ndarray | None = None
    pipi: np.ndarray | None = None

    @property
    def invisible(self) -> np.ndarray:
        """Γ(Z' → νν̄), summed over flavours."""
        return self.nue + self.numu + self.nutau

    @property
    def total(self) -> np.ndarray:
        leptonic = self.ee + self.mumu + self.tautau + self.invisible
        return leptonic if self.hadrons is None else leptonic + self.hadrons

    def channel(self, name: str) -> np.ndarray:
        """Partial width of a channel: 'ee', 'mumu', 'tautau', 'invisible' (or 'nunu'), 'hadrons', 'pipi'
        (zero without hadronic widths)."""
        if name == "nunu":
            name = "invisible"
        if name not in CHANNELS:
            raise InputError("channel", f"must be one of {', '.join(CHANNELS)}; got {name!r}")
        if name in ("hadrons", "pipi"):
            w = getattr(self, name)
            return np.zeros_like(self.ee) if w is None else w
        return getattr(self, name)

    def br(self, name: str) -> np.ndarray:
        """Branching ratio of a channel; 0 where the total width vanishes."""
        tot = self.total
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(tot > 0, self.channel(name) / np.where(tot > 0, tot, 1.0), 0.0)
        return out


def decay_widths(c: Couplings, hadronic: bool = False) -> DecayWidths:
    """All partial widths of a Couplings array (broadcast shape ``c.shape``); ``hadronic``: with Γ(Z' →
    hadrons) of DarkCast 2023 (see the module docstring)."""
    m = c.mass_mev
    out = {}
    if hadronic:
        from zprime.physics.observables.hadrons import hadronic_widths_of

        h = hadronic_widths_of(c)
        out["hadrons"] = broadcast(h["hadrons"], c.shape)
        out["pipi"] = broadcast(h["pi+_pi-"], c.shape)
    for name, fl in zip(("ee", "mumu", "tautau"), _FLAVOURS, strict=True):
        w = partial_width_ll(m, c.cv(fl), c.ca(fl), LEPTON_MASS_MEV[fl])
        out[name] = broadcast(w, c.shape)
    for fl in _FLAVOURS:
        out[f"nu{fl}"] = broadcast(partial_width_nunu(m, c.cnu(fl), c.cnur(fl)), c.shape)
    return DecayWidths(**out)


def channel_widths(c: Couplings, hadronic: bool = True) -> dict[str, np.ndarray]:
    """Every partial width [MeV] of a Couplings array by channel, each of broadcast shape ``c.shape``:
    'e_e', 'mu_mu', 'tau_tau', 'nue_nue', 'numu_numu', 'nutau_nutau' (ν_R included where a model couples to
    them) and, with ``hadronic``, every hadronic channel of :func:`zprime.physics.observables.hadrons.
    hadronic_widths` (π⁺π⁻, π⁺π⁻π⁰, K K̄, ..., the axial pieces, c c̄, b b̄, t t̄; DarkCast 2023's names) and
    their sum 'hadrons'; 'total' is the sum of all of them (as :func:`total_width`)."""
    w = decay_widths(c)
    out = {
        "e_e": w.ee,
        "mu_mu": w.mumu,
        "tau_tau": w.tautau,
        "nue_nue": w.nue,
        "numu_numu": w.numu,
        "nutau_nutau": w.nutau,
    }
    total = w.total
    if hadronic:
        from zprime.physics.observables.hadrons import hadronic_widths_of

        for name, v in hadronic_widths_of(c).items():
            out[name] = broadcast(v, c.shape)
        total = total + out["hadrons"]
    out["total"] = total
    return out


def total_width(c: Couplings, hadronic: bool = False) -> np.ndarray:
    """Γ_tot [MeV] = Σ_ℓ Γ(ℓℓ) + Σ_α Γ(ν_α ν̄_α) (+ Γ(hadrons) with ``hadronic``)."""
    return decay_widths(c, hadronic).total


def branching_ratios(c: Couplings, hadronic: bool = False) -> dict[str, np.ndarray]:
    """BR of 'ee', 'mumu', 'tautau', 'invisible' (and 'hadrons', 'pipi' with ``hadronic``); all but 'pipi'
    (a part of 'hadrons') sum to 1 wherever Γ_tot > 0."""
    w = decay_widths(c, hadronic)
    names = ("ee", "mumu", "tautau", "invisible") + (("hadrons", "pipi") if hadronic else ())
    return {k: w.br(k) for k in names}


def lifetime_from_width(width_mev: np.ndarray | float) -> np.ndarray:
    """Proper lifetime τ = ħ/Γ [s]; +inf for Γ = 0."""
    g = np.asarray(width_mev, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(g > 0, HBAR_MEV_S / np.where(g > 0, g, 1.0), np.inf)


def proper_lifetime_s(c: Couplings) -> np.ndarray:
    """Proper lifetime τ = ħ/Γ_tot of the Z' [s] (+inf for vanishing couplings)."""
    return lifetime_from_width(total_width(c))


def dark_photon_leptonic_width(mass_mev: np.ndarray | float, eps: np.ndarray | float = 1.0) -> DecayWidths:
    """Widths of a leptonic-only dark photon (C_Vℓ = −eε, C_A = C_ν = 0): the reference of the recast with
    leptonic widths.

    Γ(A' → ℓℓ) = α ε² m/3 (1 + 2r)√(1 − 4r); hadronic widths are neglected (see module docstring).
    """
    m = np.asarray(mass_mev, dtype=float)
    cv = -E_CHARGE * np.asarray(eps, dtype=float)
    shape = np.broadcast_shapes(m.shape, cv.shape)
    z = np.zeros(shape)
    ee, mm, tt = (broadcast(partial_width_ll(m, cv, 0.0, LEPTON_MASS_MEV[f]), shape) for f in _FLAVOURS)
    return DecayWidths(ee=ee, mumu=mm, tautau=tt, nue=z, numu=z, nutau=z)


def dark_photon_width(
    mass_mev: np.ndarray | float, eps: np.ndarray | float = 1.0, hadronic: bool = False
) -> DecayWidths:
    """Widths of the dark photon, C_Vf = eεQ_f for every charged fermion (no axial, no ν): leptonic only
    (:func:`dark_photon_leptonic_width`), or with ``hadronic`` also its hadronic width (DarkCast 2023), the
    reference of the recast with hadronic widths."""
    if not hadronic:
        return dark_photon_leptonic_width(mass_mev, eps)
    from zprime.physics.observables.hadrons import hadronic_widths

    m = np.asarray(mass_mev, dtype=float)
    ee_ = E_CHARGE * np.asarray(eps, dtype=float)
    lep = dark_photon_leptonic_width(m, eps)
    h = hadronic_widths(m, {q: (ELECTRIC_CHARGE[q] * ee_, 0.0) for q in QUARK_FLAVOURS})
    shape = lep.ee.shape
    return DecayWidths(
        ee=lep.ee,
        mumu=lep.mumu,
        tautau=lep.tautau,
        nue=lep.nue,
        numu=lep.numu,
        nutau=lep.nutau,
        hadrons=broadcast(h["hadrons"], shape),
        pipi=broadcast(h["pi+_pi-"], shape),
    )


__all__ = [
    "partial_width_ll",
    "partial_width_nunu",
    "DecayWidths",
    "decay_widths",
    "total_width",
    "branching_ratios",
    "lifetime_from_width",
    "proper_lifetime_s",
    "dark_photon_leptonic_width",
    "dark_photon_width",
    "channel_widths",
    "CHANNELS",
]
