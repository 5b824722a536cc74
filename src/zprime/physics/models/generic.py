"""Generic Z′: every effective lepton coupling of Bodas Eq. (6) free (the model-independent positive control).

Parameters: m_Z′ [MeV] and C_Ve, C_Ae, C_Vμ, C_Aμ, C_Vτ, C_Aτ, C_νe, C_νμ, C_ντ (signed, |C| ≤ 1, searched
over ±[1e-9, 0.1] in log). Every quark coupling (u, d, s, c, b, t) and C_νR are zero. No relation is imposed:
a viability search on this model answers Bodas Sec. 3 (the model-independent window), against which the UV
classes are compared.
"""

from __future__ import annotations

import numpy as np

from zprime.core.couplings import LABELS, LEPTON_FIELDS, Couplings
from zprime.physics.models.base import Model
from zprime.physics.models.u1 import coupling_parameter, mass_parameter


class GenericZprime(Model):
    """All nine lepton couplings free."""

    name = "generic"
    description = (
        "Model-independent Z': m_Z' and the nine effective lepton couplings of Bodas Eq. (6), all free."
    )
    reference = "Bodas, Coy, King, EPJC 81 (2021) 1065, Eq. (6) and Sec. 3"
    parameters = (mass_parameter(),) + tuple(coupling_parameter(f, LABELS[f]) for f in LEPTON_FIELDS)
    relations = ()

    def _couplings(self, **p: np.ndarray) -> Couplings:
        return Couplings(**p)


def provide() -> list[Model]:
    return [GenericZprime()]
