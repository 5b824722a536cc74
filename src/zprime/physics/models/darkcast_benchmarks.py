"""DarkCast 2023's axial-vector benchmarks ``axial`` and ``chiral`` (Baruch, Ilten, Soreq, Williams,
"Axial vectors in DarkCast", arXiv:2206.08563; model files axial.py and chiral.py of DarkCast 2023).

Fixed charge tables: the coupling to fermion f is g′ times its vector and axial charges, in zprime's
convention L ⊃ −Σ_f f̄γ^μ(C_Vf + C_Af γ5)f Z′_μ − C_ν ν̄γ^μP_Lν Z′_μ, so C_Vf = g′x_Vf, C_Af = g′x_Af and, for a
left-handed neutrino, x_V = −x_A = C_ν/(2g′). DarkCast 2023 lists the neutrino of ``axial`` as
(x_A, x_V) = (−1/4, 1/4), i.e. γ^μ(1 − γ5)/4 = γ^μP_L/2: that fixes its sign convention to the same
γ^μ(x_V + x_Aγ5) as zprime's (a right-handed light neutrino would be the only other reading), and C_ν = g′/2.

    axial:   C_Ae = C_Aμ = C_Aτ = −g′, C_Au = g′, C_Ad = C_As = −g′, C_ν = g′/2, no c, b, t coupling, C_V = 0
    chiral:  C_Vℓ = C_Aℓ = −g′ (ℓ = e, μ, τ: right-handed only, −2g′P_R), C_Vu = C_Au = g′ (u_R only),
             C_Vd = C_Vs = g′, C_Ad = C_As = −g′ (d_L and s_L only), no ν, c, b, t coupling

Both are phenomenological benchmarks for recasting (not SU(2)-invariant charge assignments, e.g. ``chiral``
couples to d_L but not u_L). Parameters: m_Z′ [MeV] and g′. The light-neutrino convention is zprime's
(left-handed only): DarkCast's neutrino widths for these tables are the same, since their neutrino charges are
already left-handed.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np

from zprime.core.couplings import Couplings
from zprime.physics.models.base import Model
from zprime.physics.models.u1 import VECTOR_MASS_RANGE_MEV, coupling_parameter, mass_parameter

#: Couplings per unit g′ (zprime's fields) of the two DarkCast 2023 benchmarks; fields not listed are 0
AXIAL: Mapping[str, float] = MappingProxyType(
    {
        "c_ae": -1.0, "c_amu": -1.0, "c_atau": -1.0, "c_nue": 0.5, "c_numu": 0.5, "c_nutau": 0.5,
        "c_au": 1.0, "c_ad": -1.0, "c_as": -1.0,
    }
)  # fmt: skip
CHIRAL: Mapping[str, float] = MappingProxyType(
    {
        "c_ve": -1.0, "c_ae": -1.0, "c_vmu": -1.0, "c_amu": -1.0, "c_vtau": -1.0, "c_atau": -1.0,
        "c_vu": 1.0, "c_au": 1.0, "c_vd": 1.0, "c_ad": -1.0, "c_vs": 1.0, "c_as": -1.0,
    }
)  # fmt: skip


class ChargeTableModel(Model):
    """A Z′ whose couplings are g′ times a fixed table (``table``: coupling field → value per unit g′)."""

    table: Mapping[str, float] = MappingProxyType({})
    parameters = (mass_parameter(VECTOR_MASS_RANGE_MEV), coupling_parameter("g_prime", r"$g'$"))

    def _couplings(self, **p: np.ndarray) -> Couplings:
        g = np.asarray(p["g_prime"], float)
        return Couplings(mass_mev=p["mass_mev"], **{f: g * x for f, x in self.table.items()})


class Axial(ChargeTableModel):
    """DarkCast 2023's ``axial`` benchmark: axial couplings to e, μ, τ, u, d, s; left-handed ν."""

    name = "axial"
    description = (
        "DarkCast 2023 axial-vector benchmark: C_A = -g' (leptons, d, s), +g' (u), C_nu = g'/2, C_V = 0, "
        "no c, b, t coupling."
    )
    reference = "Baruch, Ilten, Soreq, Williams, arXiv:2206.08563 (DarkCast 2023, model 'axial')"
    table = AXIAL
    relations = ("C_V = 0", "C_Ae = C_Amu = C_Atau = C_Ad = C_As = -C_Au = -g'", "C_nu = g'/2")


class Chiral(ChargeTableModel):
    """DarkCast 2023's ``chiral`` benchmark: right-handed e, μ, τ and u; left-handed d and s; no ν."""

    name = "chiral"
    description = (
        "DarkCast 2023 chiral benchmark: -2g' P_R on e, mu, tau; 2g' P_R on u; 2g' P_L on d, s; "
        "no neutrino or c, b, t coupling."
    )
    reference = "Baruch, Ilten, Soreq, Williams, arXiv:2206.08563 (DarkCast 2023, model 'chiral')"
    table = CHIRAL
    relations = (
        "C_Vl = C_Al = -g' (l = e, mu, tau)",
        "C_Vu = C_Au = g'",
        "C_Vd = -C_Ad = g' (d, s)",
        "C_nu = 0",
    )


def provide() -> list[Model]:
    return [Axial(), Chiral()]
