"""Gauged L_e − L_τ (He, Joshi, Lew, Volkas, PRD 43 (1991) R22; DarkCast 2023, Baruch et al.,
arXiv:2206.08563).

Charges +1 for (l_Le, e_R), −1 for (l_Lτ, τ_R): C_Ve = −C_Vτ = g′, C_νe = −C_ντ = g′ (left-handed ν, so
C_ν = g′ in Bodas Eq. (6)), C_A = 0, no μ or quark coupling at tree level. Optional photon kinetic mixing ε
adds ε e Q_f to every charged lepton and quark (``kinetic_mixing=False`` for ε = 0). ``eps`` is a number
(``eps=0``: tree level) or the word ``"loop"`` (the default): the mixing induced by the e and τ loops,
ε ≈ −e g′ ln(m_τ²/m_e²)/(12π²) at low mass, with its full dependence on m_Z′
(:func:`zprime.physics.models.u1.loop_kinetic_mixing` with charges (1, 0, −1)).

Difference from DarkCast 2023's Le−Lτ model file: it evaluates the loop with the μ and τ masses (the
L_μ − L_τ function) and puts the loop coupling on the muon, with none on the electron beyond its tree-level
charge; zprime uses the e and τ loops and applies ε to every charged fermion, as for the other models.

Option ``nu_r`` (default False): light Dirac ν_R with the charges of their doublets (see
:class:`zprime.physics.models.u1.VectorU1Model`), doubling Γ(Z′ → νν̄).
"""

from __future__ import annotations

from zprime.physics.models.base import Model
from zprime.physics.models.u1 import VectorU1Model


class LeLtau(VectorU1Model):
    """L_e − L_τ: parameters m_Z′, g′ and (optional) ε."""

    name = "le_ltau"
    lepton_class = True
    description = "Gauged L_e - L_tau: C_Ve = -C_Vtau = C_nue = -C_nutau = g', plus kinetic mixing eps."
    reference = "He, Joshi, Lew, Volkas, PRD 43 (1991) R22"
    lepton_charges = (1.0, 0.0, -1.0)
    relations = ("C_Ve = -C_Vtau = g' (eps = 0)", "C_nue = -C_nutau = g'", "C_A = 0")


def provide() -> list[Model]:
    return [LeLtau()]
