"""Gauged L_μ − L_τ (He, Joshi, Lew, Volkas, PRD 43 (1991) R22; DarkCast, arXiv:1801.04847).

Charges +1 for (l_Lμ, μ_R), −1 for (l_Lτ, τ_R): C_Vμ = −C_Vτ = g′, C_νμ = −C_ντ = g′ (the vector current
g′ν̄γ^μν of a left-handed neutrino is g′ν̄γ^μP_Lν, hence C_ν = g′ in Bodas Eq. (6)), C_A = 0, no quark or
electron coupling at tree level. Optional photon kinetic mixing ε adds ε e Q_f to every charged fermion.
A loop of μ and τ induces ε ≈ −e g′ ln(m_τ²/m_μ²)/(12π²) ≈ −g′/70 if ε vanishes at high scales (Amaral et al.,
arXiv:2006.11225, Eq. (7)). ``eps`` is the word ``"loop"`` (the default) or a number (``eps=0``: the
tree-level model); ``"loop"`` is the loop-induced mixing with its full dependence on m_Z′
(:func:`zprime.physics.models.u1.loop_kinetic_mixing`), which gives the Z′ its electron and quark couplings
(``zprime limits lmu_ltau``; ``--set eps=0`` for tree level).
``kinetic_mixing=False`` drops the parameter (ε = 0).

Option ``nu_r`` (default False): light Dirac ν_R with the charges of their doublets (see
:class:`zprime.physics.models.u1.VectorU1Model`), doubling Γ(Z′ → νν̄).
"""

from __future__ import annotations

from zprime.physics.models.base import Model
from zprime.physics.models.u1 import VectorU1Model


class LmuLtau(VectorU1Model):
    """L_μ − L_τ: parameters m_Z′, g′ and (optional) ε."""

    name = "lmu_ltau"
    lepton_class = True
    description = "Gauged L_mu - L_tau: C_Vmu = -C_Vtau = C_numu = -C_nutau = g', plus kinetic mixing eps."
    reference = "He, Joshi, Lew, Volkas, PRD 43 (1991) R22; PRD 44 (1991) 2118"
    lepton_charges = (0.0, 1.0, -1.0)
    relations = ("C_Vmu = -C_Vtau = g' (eps = 0)", "C_numu = -C_nutau = g'", "C_A = 0")


def provide() -> list[Model]:
    return [LmuLtau()]
