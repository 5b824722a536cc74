"""Gauged baryon number U(1)_B, the "B boson" (Nelson, Tetradis, PLB 221 (1989) 80; Carone, Murayama,
PRL 74 (1995) 3122; Tulin, PRD 89 (2014) 114008, arXiv:1404.4370; DarkCast 2023, Baruch et al.,
arXiv:2206.08563).

Every quark has charge 1/3 and the leptons none, L ⊃ −(g′/3) Σ_q q̄γ^μq Z′_μ, so at tree level

    C_Vq = g′/3 for q = u, d, s, c, b, t,   C_A = 0,   C_Vℓ = C_νℓ = 0.

Quark loops mix the B boson with the photon. The mixing is not calculable in the low-energy theory
(Σ_q N_c Q_q B_q ≠ 0, so the loop is logarithmically sensitive to the scale where it vanishes); its natural
size is ε ~ e g′/(4π)² (Tulin 2014, Sec. II). ``eps`` is that default, the word ``"loop"``:

    ε = e g′/(4π)²,   so   C_Vℓ = ε e Q_ℓ = −g′ e²/(4π)²   for ℓ = e, μ, τ,

the lepton coupling of DarkCast 2023's B-boson model (x_ℓ = −e²/(4π)² per unit of the global coupling g′,
x_q = 1/3, x_ν = 0). As for every other model, ε is kinetic mixing with the photon, ε e Q_f for every charged
fermion, so the quarks also get ε e Q_q on top of g′/3: a relative shift 3Q_q e²/(4π)² (+1.2e-3 for u, c, t,
−5.8e-4 for d, s, b) that DarkCast's table leaves out. A number for ``eps`` overrides the default (``eps=0``:
the tree-level model without lepton couplings); ``kinetic_mixing=False`` drops the parameter (ε = 0).
The neutrinos stay uncharged (no ``nu_r`` option).
"""

from __future__ import annotations

import math
from types import MappingProxyType

import numpy as np

from zprime.core.constants import E_CHARGE
from zprime.physics.models.base import Model
from zprime.physics.models.u1 import LOOP, VectorU1Model

#: ε per unit g′ of ``eps="loop"``: e/(4π)² (Tulin 2014, Sec. II; DarkCast 2023's B_boson model)
LOOP_EPS_PER_G: float = E_CHARGE / (4.0 * math.pi) ** 2


class BBoson(VectorU1Model):
    """Gauged baryon number: parameters m_Z′, g′ and ε (default ``"loop"``, ε = e g′/(4π)²)."""

    name = "b_boson"
    description = (
        "Gauged baryon number: C_Vq = g'/3 for every quark; leptons through kinetic mixing eps, "
        "by default eps = 'loop' = e g'/(4 pi)^2 (C_Vl = -g' e^2/(4 pi)^2, as DarkCast 2023)."
    )
    reference = (
        "Nelson, Tetradis, PLB 221 (1989) 80; Carone, Murayama, PRL 74 (1995) 3122; "
        "Tulin, PRD 89 (2014) 114008; Baruch, Ilten, Soreq, Williams, arXiv:2206.08563"
    )
    lepton_charges = (0.0, 0.0, 0.0)
    quark_charges = (1 / 3, 1 / 3)
    relations = (
        "C_Vq = g'/3 + eps e Q_q (q = u, d, s, c, b, t)",
        "C_Ve = C_Vmu = C_Vtau = -eps e; eps = e g'/(4 pi)^2 by default ('loop')",
        "C_A = 0",
        "C_nu = 0",
    )

    def __init__(self, kinetic_mixing: bool = True):
        super().__init__(kinetic_mixing)
        self.loop_parameters = ("eps",) if kinetic_mixing else ()
        self.defaults = MappingProxyType({"eps": LOOP} if kinetic_mixing else {})

    def loop_eps(self, mass_mev: np.ndarray, g_prime: np.ndarray) -> np.ndarray:
        """ε = e g′/(4π)² (mass independent)."""
        return LOOP_EPS_PER_G * np.asarray(g_prime, float)


def provide() -> list[Model]:
    return [BBoson()]
