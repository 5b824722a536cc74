"""Dark photon: a massive U(1)′ boson kinetically mixed with the photon (Holdom, PLB 166 (1986) 196).

Couplings as in DarkCast (Ilten, Soreq, Williams, Xue, arXiv:1801.04847).

L ⊃ −ε e Q_f f̄γ^μ f A′_μ, so C_Vf = ε e Q_f for every charged fermion: C_Ve = −εe with Q_e = −1, and every
quark flavour, C_Vu = C_Vc = C_Vt = 2εe/3, C_Vd = C_Vs = C_Vb = −εe/3. C_A = 0 and C_ν = C_νR = 0 (valid
for m_A′ ≪ m_Z; Z-like corrections are O(m_A′²/m_Z²)). It is the g̃-only limit of SM+U(1)′ with
ε = −c_w ε_Y (ε_Y of Bodas Eq. (18)).
Parameters: m_Z′ [MeV] and ε (signed; the sign only matters through interference).
"""

from __future__ import annotations

import numpy as np

from zprime.core.couplings import Couplings
from zprime.physics.models.base import Model
from zprime.physics.models.u1 import (
    EPS_SEARCH,
    VECTOR_MASS_RANGE_MEV,
    coupling_parameter,
    mass_parameter,
    vector_u1_couplings,
)


class DarkPhoton(Model):
    """Dark photon: C_Vf = ε e Q_f, no axial and no neutrino coupling."""

    name = "dark_photon"
    description = "Dark photon kinetically mixed with the photon: C_Vf = eps e Q_f, C_A = C_nu = 0."
    reference = "Holdom, PLB 166 (1986) 196; Bodas, Coy, King, EPJC 81 (2021) 1065, Sec. 3"
    parameters = (
        mass_parameter(VECTOR_MASS_RANGE_MEV),
        coupling_parameter("eps", r"$\varepsilon$", search=EPS_SEARCH),
    )
    relations = (
        "C_A = 0",
        "C_nu = 0",
        "C_Ve = C_Vmu = C_Vtau = -eps e",
        "C_Vq = eps e Q_q (q = u, d, s, c, b, t)",
    )

    def _couplings(self, **p: np.ndarray) -> Couplings:
        return vector_u1_couplings(p["mass_mev"], 0.0, p["eps"], (0.0, 0.0, 0.0))


def provide() -> list[Model]:
    return [DarkPhoton()]
