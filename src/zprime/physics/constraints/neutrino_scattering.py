"""Neutrino–electron scattering constraints (Bodas et al. Sec. 3.1.3, 3.2.2; Lindner et al., JHEP 05 (2018) 098).

First-principles (full dσ/dT with the Z' propagator 1/(2 m_e T + m_Z'²), zprime.physics.observables.nu_e_scattering),
applicable for every m_Z' above min_mass_mev = 1e-3 MeV (a documented range, not a physical edge):

- ``texono``: σ(ν̄_e e)/σ_SM over T = 3–8 MeV with a Huber–Mueller reactor spectrum against the measured
  1.08 ± 0.26 (Deniz et al. 2010): Gaussian χ², excluded at the chosen CL (default 0.90).
- ``borexino``: ⁷Be rate shift |σ/σ_SM − 1| ≤ b (50% ν_e, 25% ν_μ, 25% ν_τ): upper bound; b = 0.10 in editions
  2021 and 2023 (the seed's rule), 0.145 in 2025 (90% CL from Borexino's P_ee = 0.51 ± 0.07; entry notes).
- ``charm2``: ν_μ e and ν̄_μ e shifts, each |σ/σ_SM − 1| ≤ 0.06 (beams as lines at ⟨E⟩): upper bound on the
  larger of the two; ``value`` is that signed shift.

Related: Bauer, Foldenauer, Jaeckel (arXiv:1803.05466) derived the same three bounds; the comparison and its
differences are in docs/constraints.md and tests/test_nu_e_vs_bauer2018.py.

Variants (the seed's heavy-Z' fits; they replace the current constraint of the same physics):

- ``texono_seed``: Bodas Eq. (13), same Gaussian rule; applicable for m_Z' ≥ f·√(2 m_e T_max) (f = 10, YAML).
- ``borexino_seed``: Bodas Eq. (14), same 10% rule; applicable for m_Z' ≥ f·√(2 m_e T_max).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from zprime.core.couplings import Couplings
from zprime.core.measurements import EditionLike, editions, get
from zprime.physics.arrays import full
from zprime.physics.constraints.base import (
    Constraint,
    EvalOptions,
    Result,
    gaussian_result,
    per_edition,
    pointwise,
    upper_bound_result,
)
from zprime.physics.observables import nu_e_scattering as nues


# The three ν–e constraints below are pointwise (base.pointwise): the rate shift of a point is a sum over
# the recoil nodes of that point's propagators alone (RateSetting.shift), the same for two or more points
def _entry(
    quantity: str, settings: Callable[[str], tuple[nues.RateSetting, ...]]
) -> Callable[[str], tuple[str, float, float, tuple[nues.RateSetting, ...]]]:
    """(reference, value, uncertainty) of ``quantity`` in an edition and its rate settings, read once per
    edition (and again when a user edition file changed)."""

    def read(edition: str) -> tuple[str, float, float, tuple[nues.RateSetting, ...]]:
        x = get(quantity, edition)
        return x.cite(), x.value, x.uncertainty, settings(edition)

    return per_edition(read)


_texono_entry = _entry("texono_nuebar_e", lambda ed: (nues.texono_setting(ed),))
_borexino_entry = _entry("borexino_be7", lambda ed: (nues.borexino_setting(ed),))
_charm2_entry = _entry(
    "charm2_numu_e", lambda ed: (nues.charm2_setting(False, ed), nues.charm2_setting(True, ed))
)


@pointwise
def _texono(c: Couplings, opts: EvalOptions, cl: float) -> Result:
    ref, value, sigma, (setting,) = _texono_entry(opts.edition)
    return gaussian_result("texono", ref, setting.ratio(c), value, sigma, cl)


def _texono_seed(c: Couplings, opts: EvalOptions, cl: float) -> Result:
    x = get("texono_nuebar_e", opts.edition)
    ref = f"Bodas, Coy, King, Eur. Phys. J. C 81 (2021) 1065, Eq. (13); {x.cite()}"
    return gaussian_result(
        "texono_seed", ref, nues.texono_ratio_seed(c, opts.edition), x.value, x.uncertainty, cl
    )


@pointwise
def _borexino(c: Couplings, opts: EvalOptions, cl: float) -> Result:
    ref, bound, _, (setting,) = _borexino_entry(opts.edition)
    shift = setting.shift(c)
    return upper_bound_result("borexino", ref, shift, full(c.shape, bound), cl)


def _borexino_seed(c: Couplings, opts: EvalOptions, cl: float) -> Result:
    x = get("borexino_be7", opts.edition)
    ref = f"Bodas, Coy, King, Eur. Phys. J. C 81 (2021) 1065, Eq. (14); {x.cite()}"
    shift = nues.borexino_ratio_seed(c, opts.edition) - 1.0
    return upper_bound_result("borexino_seed", ref, shift, np.full(c.shape, x.value), cl)


def charm2_shifts(c: Couplings, edition: EditionLike = None) -> tuple[np.ndarray, np.ndarray]:
    """(σ/σ_SM − 1 for ν_μ e, for ν̄_μ e) in the CHARM-II setting."""
    return nues.charm2_setting(False, edition).shift(c), nues.charm2_setting(True, edition).shift(c)


@pointwise
def _charm2(c: Couplings, opts: EvalOptions, cl: float) -> Result:
    ref, bound, _, (nu, nubar) = _charm2_entry(opts.edition)
    s_nu, s_nubar = nu.shift(c), nubar.shift(c)
    if s_nu.size == 1:  # one point: the same choice without the index arrays
        a, b = s_nu.item(), s_nubar.item()
        value = full(c.shape, a if abs(a) >= abs(b) else b)
    else:
        value = np.array(s_nubar, dtype=float, order="C")  # the larger shift in size, ν where tied
        k = np.flatnonzero(np.abs(s_nu) >= np.abs(s_nubar))
        value.reshape(-1)[k] = np.ravel(s_nu)[k]
    return upper_bound_result("charm2", ref, value, full(c.shape, bound), cl)


#: Papers that derived the same ν–e bounds (Bauer, Foldenauer, Jaeckel, JHEP 07 (2018) 094)
RELATED = ("1803.05466",)

_SEED_NOTE = "Bodas Eq. ({}); valid for m_Z'^2 >> 2 m_e T: applied for m >= f sqrt(2 m_e T_max), f from YAML"


def _by_edition(quantity: str) -> str:
    """The value of ``quantity`` in each shipped edition, e.g. "2021: 0.1, 2023: 0.1, 2025: 0.145"."""
    return ", ".join(f"{ed}: {get(quantity, ed).value:g}" for ed in editions())


def provide() -> list[Constraint]:
    tx = get("texono_nuebar_e")
    bx = get("borexino_be7")
    ch = get("charm2_numu_e")
    nu_e = ("c_ve", "c_ae", "c_nue")
    all_nu = ("c_ve", "c_ae", "c_nue", "c_numu", "c_nutau")
    return [
        Constraint(
            "texono",
            "TEXONO anti-nu_e e (full Z' propagator, Huber-Mueller flux)",
            tx.cite(),
            "chi2",
            _texono,
            mass_range_mev=(tx.parameters["min_mass_mev"], np.inf),
            cl=tx.cl or 0.90,
            couplings_used=nu_e,
            description="sigma/sigma_SM over T = 3-8 MeV against 1.08 +- 0.26; value = ratio",
            experiment="TEXONO",
            label="TEXONO 2010",
            measurements=("texono_nuebar_e", "reactor_spectrum_huber_mueller", "nu_e_gv_sm", "nu_e_ga_sm"),
            related=RELATED,
        ),
        Constraint(
            "borexino",
            "Borexino 7Be nu e rate shift bound (full Z' propagator)",
            bx.cite(),
            "upper_bound",
            _borexino,
            mass_range_mev=(bx.parameters["min_mass_mev"], np.inf),
            cl=bx.cl or 0.90,
            couplings_used=all_nu,
            description=f"|sigma/sigma_SM - 1| <= bound ({_by_edition('borexino_be7')}; "
            "nu_e:nu_mu:nu_tau = 2:1:1); value = shift",
            experiment="Borexino",
            label="Borexino 2011",
            measurements=("borexino_be7", "nu_e_gv_sm", "nu_e_ga_sm"),
            related=RELATED,
        ),
        Constraint(
            "charm2",
            "CHARM-II nu_mu e and anti-nu_mu e within 6% (full Z' propagator)",
            ch.cite(),
            "upper_bound",
            _charm2,
            mass_range_mev=(ch.parameters["min_mass_mev"], np.inf),
            cl=ch.cl or 0.90,
            couplings_used=("c_ve", "c_ae", "c_numu"),
            description="max(|shift_nu|, |shift_nubar|) <= 0.06; beams as lines at <E>",
            experiment="CHARM-II",
            label="CHARM-II νe 1994",
            measurements=("charm2_numu_e", "nu_e_gv_sm", "nu_e_ga_sm"),
            related=RELATED,
        ),
        Constraint(
            "texono_seed",
            "TEXONO, Bodas Eq. (13) heavy-Z' fit",
            tx.cite(),
            "chi2",
            _texono_seed,
            mass_range_mev=(nues.seed_min_mass_mev(tx), np.inf),
            category="variant",
            cl=tx.cl or 0.90,
            couplings_used=nu_e,
            tags=("replaces:texono",),
            description=_SEED_NOTE.format(13),
            experiment="TEXONO",
            label="TEXONO (Bodas Eq. 13)",
            measurements=("texono_nuebar_e",),
            related=RELATED,
        ),
        Constraint(
            "borexino_seed",
            "Borexino, Bodas Eq. (14) heavy-Z' fit",
            bx.cite(),
            "upper_bound",
            _borexino_seed,
            mass_range_mev=(nues.seed_min_mass_mev(bx), np.inf),
            category="variant",
            cl=bx.cl or 0.90,
            couplings_used=all_nu,
            tags=("replaces:borexino",),
            description=_SEED_NOTE.format(14),
            experiment="Borexino",
            label="Borexino (Bodas Eq. 14)",
            measurements=("borexino_be7",),
            related=RELATED,
        ),
    ]
