"""Gauged B − L (as in DarkCast, Ilten, Soreq, Williams, Xue, JHEP 06 (2018) 004, arXiv:1801.04847).

Charges −1 for every lepton (l_L, e_R, and ν_R), +1/3 for every quark: C_Vα = −g′, C_να = −g′
(left-handed ν, Bodas Eq. (6)), C_Vq = g′/3 for all six quarks (u, d, s, c, b, t), C_A = 0. Anomaly free
with three right-handed neutrinos. Optional photon kinetic mixing ε adds ε e Q_f to every charged lepton and
quark (``kinetic_mixing=False`` for ε = 0).

Option ``nu_r`` (default False, left-handed neutrinos only): the three ν_R are light (Dirac neutrinos) and
carry the same charge −1 as the left-handed ν, C_νRα = −g′. The Z′ then decays to both helicities,
Γ(Z′ → ν_αν̄_α) = (C_να² + C_νRα²) m_Z′/(24π) = g′² m_Z′/(12π) per flavour, twice the left-handed width
(the convention of DarkCast 2023): below 2m_μ, BR(Z′ → e⁺e⁻) drops from 2/5 to 1/4.
``zprime limits b_minus_l --set nu_r=1`` (or ``nu_r=true``); ``couplings(..., nu_r=True)`` in Python.
"""

from __future__ import annotations

from zprime.physics.models.base import Model
from zprime.physics.models.u1 import VectorU1Model


class BminusL(VectorU1Model):
    """B − L: parameters m_Z′, g′ and (optional) ε."""

    name = "b_minus_l"
    description = (
        "Gauged B - L: C_V = -g' (leptons), g'/3 (all quarks), C_nu = -g', plus kinetic mixing eps; "
        "option nu_r: light Dirac nu_R (C_nuR = -g')."
    )
    reference = "Mohapatra, Marshak, PRL 44 (1980) 1316; Bodas, Coy, King, EPJC 81 (2021) 1065"
    lepton_charges = (-1.0, -1.0, -1.0)
    quark_charges = (1 / 3, 1 / 3)
    relations = (
        "C_Va = C_nua = -g' (eps = 0)",
        "C_Vq = g'/3 for q = u, d, s, c, b, t (eps = 0)",
        "C_A = 0",
        "C_nuRa = -g' with nu_r, else 0",
    )


def provide() -> list[Model]:
    return [BminusL()]
