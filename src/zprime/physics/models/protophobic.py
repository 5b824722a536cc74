"""Protophobic vector boson (Feng, Fornal, Galon, Gardner, Smolinsky, Tait, Tanedo, PRL 117 (2016) 071803,
arXiv:1604.07411), with the charges of DarkCast 2023's benchmark (Baruch et al., arXiv:2206.08563).

Feng et al. write the couplings of the vector X as L ⊃ −X_μ Σ_f e ε_f f̄γ^μf, with nucleon charges
ε_p = 2ε_u + ε_d and ε_n = ε_u + 2ε_d. The ⁸Be anomaly with the NA48/2 bound on π⁰ → γX asks for a
protophobic boson, |ε_p| ≪ |ε_n| with |ε_n| ≈ (2–15)×10⁻³; the electron coupling must lie between about
2×10⁻⁴ and 1.4×10⁻³ (beam dumps below, KLOE and electron g−2 above), and the neutrino coupling be small
(ν–e scattering). (Equation numbers are not quoted here: the PRL states these in its text.)

zprime's ``protophobic`` is DarkCast 2023's benchmark: C_Vf = g′x_f with

    x_u = x_c = x_t = −1/3,   x_d = x_s = x_b = 2/3,   x_e = x_μ = x_τ = −1,   x_ν = 0,   C_A = 0,

i.e. the electric charges of up- and down-type quarks swapped, so x_p = 0 exactly and x_n = 1: g′ = e ε_n,
and ε_e = −ε_n. Differences from the paper: the paper fixes only the u, d, e and ν couplings (the second and
third generations here copy the first, as in DarkCast), and its ranges above allow |ε_e/ε_n| between about
0.01 and 0.7, whereas the benchmark ties the charged leptons to the neutron (|ε_e| = |ε_n|). It is the model
published limits are recast into, not a fit of the anomaly; it is not an anomaly-free charge assignment by
itself (Feng et al., PRD 95 (2017) 035017, arXiv:1608.03591, build protophobic couplings from U(1)_B or
U(1)_{B−L} with kinetic mixing). Parameters: m_Z′ [MeV] and g′ (no separate kinetic mixing).
"""

from __future__ import annotations

import numpy as np

from zprime.core.couplings import Couplings
from zprime.physics.models.base import Model
from zprime.physics.models.u1 import (
    FLAVOURS,
    VECTOR_MASS_RANGE_MEV,
    coupling_parameter,
    mass_parameter,
    quark_charge_map,
)

#: Charges x_f of DarkCast 2023's protophobic benchmark: leptons (e, μ, τ), quarks (up-type, down-type)
LEPTON_CHARGES: tuple[float, float, float] = (-1.0, -1.0, -1.0)
QUARK_CHARGES: tuple[float, float] = (-1 / 3, 2 / 3)


class Protophobic(Model):
    """Protophobic vector: C_Vf = g′x_f (x_up = −1/3, x_down = 2/3, x_ℓ = −1, x_ν = 0)."""

    name = "protophobic"
    description = (
        "Protophobic vector (Feng et al. 2016), DarkCast 2023 benchmark: C_V = -g'/3 (u, c, t), "
        "2g'/3 (d, s, b), -g' (e, mu, tau), no neutrino or axial coupling; proton charge 0."
    )
    reference = (
        "Feng et al., PRL 117 (2016) 071803, arXiv:1604.07411; Feng et al., PRD 95 (2017) 035017; "
        "Baruch, Ilten, Soreq, Williams, arXiv:2206.08563"
    )
    parameters = (mass_parameter(VECTOR_MASS_RANGE_MEV), coupling_parameter("g_prime", r"$g'$"))
    relations = (
        "2 C_Vu + C_Vd = 0 (proton charge), C_Vu + 2 C_Vd = g' (neutron)",
        "C_Ve = C_Vmu = C_Vtau = -g'",
        "C_nu = 0",
        "C_A = 0",
    )

    def _couplings(self, **p: np.ndarray) -> Couplings:
        g = np.asarray(p["g_prime"], float)
        out = {f"c_v{fl}": g * z for fl, z in zip(FLAVOURS, LEPTON_CHARGES, strict=True)}
        out.update({f"c_v{q}": g * z for q, z in quark_charge_map(QUARK_CHARGES).items()})
        return Couplings(mass_mev=p["mass_mev"], **out)  # x_ν = 0: C_ν = 0 (not an SU(2)-invariant charge)


def provide() -> list[Model]:
    return [Protophobic()]
