"""Gauged L_e − L_μ (as in DarkCast, Ilten, Soreq, Williams, Xue, JHEP 06 (2018) 004, arXiv:1801.04847).

Charges +1 for (l_Le, e_R), −1 for (l_Lμ, μ_R): C_Ve = −C_Vμ = g′, C_νe = −C_νμ = g′ (left-handed ν, so
C_ν = g′ in Bodas Eq. (6)), C_A = 0, no τ or quark coupling at tree level. Optional photon kinetic mixing ε
adds ε e Q_f (``kinetic_mixing=False`` for ε = 0). ``eps`` is a number (``eps=0``: tree level) or the word
``"loop"``: the mixing induced by the e and μ loops, ε ≈ −e g′ ln(m_μ²/m_e²)/(12π²) at low mass, with its full
dependence on m_Z′ (:func:`zprime.physics.models.u1.loop_kinetic_mixing`); ``"loop"`` is the default.

Option ``nu_r`` (default False): light Dirac ν_R with the charges of their doublets (see
:class:`zprime.physics.models.u1.VectorU1Model`), doubling Γ(Z′ → νν̄).
"""

from __future__ import annotations

from zprime.physics.models.base import Model
from zprime.physics.models.u1 import VectorU1Model


class LeLmu(VectorU1Model):
    """L_e − L_μ: parameters m_Z′, g′ and (optional) ε."""

    name = "le_lmu"
    lepton_class = True
    description = "Gauged L_e - L_mu: C_Ve = -C_Vmu = C_nue = -C_numu = g', plus kinetic mixing eps."
    reference = "He, Joshi, Lew, Volkas, PRD 43 (1991) R22"
    lepton_charges = (1.0, -1.0, 0.0)
    relations = ("C_Ve = -C_Vmu = g' (eps = 0)", "C_nue = -C_numu = g'", "C_A = 0")


def provide() -> list[Model]:
    return [LeLmu()]
