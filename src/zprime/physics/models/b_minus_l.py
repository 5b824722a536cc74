"""Gauged B − L (as in DarkCast, Ilten, Soreq, Williams, Xue, JHEP 06 (2018) 004, arXiv:1801.04847).

Charges −1 for every lepton (l_L, e_R, and ν_R if present), +1/3 for every quark: C_Vα = −g′, C_να = −g′
(left-handed ν, Bodas Eq. (6)), C_Vu = C_Vd = g′/3, C_A = 0. Anomaly free with three right-handed
neutrinos. Optional photon kinetic mixing ε adds ε e Q_f (``kinetic_mixing=False`` for ε = 0).
"""

from __future__ import annotations

from zprime.physics.models.base import Model
from zprime.physics.models.u1 import VectorU1Model


class BminusL(VectorU1Model):
    """B − L: parameters m_Z′, g′ and (optional) ε."""

    name = "b_minus_l"
    description = "Gauged B - L: C_V = -g' (leptons), g'/3 (quarks), C_nu = -g', plus kinetic mixing eps."
    reference = "Mohapatra, Marshak, PRL 44 (1980) 1316; Bodas, Coy, King, EPJC 81 (2021) 1065"
    lepton_charges = (-1.0, -1.0, -1.0)
    quark_charges = (1 / 3, 1 / 3)
    relations = ("C_Va = C_nua = -g' (eps = 0)", "C_Vu = C_Vd = g'/3", "C_A = 0")


def provide() -> list[Model]:
    return [BminusL()]
