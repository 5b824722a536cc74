"""SM + U(1)′, one Higgs doublet, gauge-invariant lepton Yukawas (Bodas et al. Sec. 4.1, Eqs. (18)–(24)).

Couplings are the exact tree-level result of :mod:`zprime.physics.models.u1` (kinetic mixing Eqs. (18)–(20),
Z–Z′ mass mixing Eqs. (21)–(22), with the physical m_Z′ as input). At leading order in g′, g̃, m_Z′²/m_Z²:

    C_Vα ≃ −g̃ c_w² + (g′/2)(z_H(4s_w² − 1) + z_Lα + z_Rα)      (Eq. (23))
    C_Aα ≃ (g′/2)(z_H + z_Rα − z_Lα) = 0                        (Eq. (24), z_Rα = z_Lα − z_H from the Yukawa)
    C_να ≃ g′(z_Lα + z_H)

Beyond leading order C_Aα = (u/4) c_φ m_Z′²/(m_Z² − m_Z′²), u = g̃ + 2g′z_H, i.e. C_A/C_V = O(m_Z′²/m_Z²).

Parametrisation (no redundancy): couplings depend on g′ and the charges only through the products g′z, and a
shift of all charges along hypercharge (z → z + κY, g̃ → g̃ − κg′) is a field redefinition. We use it to set
z_H = 0, so the free parameters are m_Z′, g̃ and x_α ≡ g′z_Lα (z_Rα = z_Lα, quark charges 0, consistent with
gauge-invariant quark Yukawas). A point with Higgs charge z_H maps to g̃ → g̃ + 2g′z_H, x_α → g′(z_Lα + z_H).
The quark charges vanish for all three generations, so every quark flavour (u, d, s, c, b, t) couples
through the mixing alone: C_Vq ≃ −g̃c_w²Q_q at leading order, C_Aq = O(m_Z′²/m_Z²) (up-type as u, down-type as d).
Four independent lepton couplings: C_Vα = C_να − c_w²u (+O(m²/m_Z²)), C_Aα ≃ 0.
For arbitrary charges (z_H ≠ 0, quark charges) use :class:`zprime.physics.models.charges.ChargedU1Model`.
"""

from __future__ import annotations

import numpy as np

from zprime.core.couplings import Couplings
from zprime.physics.models.base import Model
from zprime.physics.models.u1 import coupling_parameter, mass_parameter, tree_couplings


class SMU1(Model):
    """SM+U(1)′ (Bodas Sec. 4.1): parameters m_Z′, g̃, g′z_Lα (z_H = 0 by a hypercharge shift)."""

    name = "sm_u1"
    lepton_class = True
    description = (
        "SM extended by a gauge U(1)' (one Higgs doublet, gauge-invariant lepton Yukawas) with "
        "kinetic and Z-Z' mass mixing; parameters g_tilde and g' z_L per flavour (z_H = 0 basis)."
    )
    reference = "Bodas, Coy, King, EPJC 81 (2021) 1065, Sec. 4.1, Eqs. (18)-(24)"
    parameters = (
        mass_parameter(),
        coupling_parameter("g_tilde", r"$\tilde g$"),
        coupling_parameter("gz_le", r"$g' z_{L_e}$"),
        coupling_parameter("gz_lmu", r"$g' z_{L_\mu}$"),
        coupling_parameter("gz_ltau", r"$g' z_{L_\tau}$"),
    )
    relations = (
        "C_Aa = 0 at leading order (Eq. (24) with z_La = z_Ra + z_H); exactly O(m_Z'^2/m_Z^2)",
        "C_Va - C_Aa - C_nua = -c_w^2 (g_tilde + 2 g' z_H), the same for every flavour (Eq. (33))",
    )

    def _couplings(self, **p: np.ndarray) -> Couplings:
        zl = (p["gz_le"], p["gz_lmu"], p["gz_ltau"])
        return tree_couplings(
            p["mass_mev"], p["g_tilde"], gz_higgs=(0.0,), vev_fractions=(1.0,), gz_l=zl, gz_r=zl
        )


def provide() -> list[Model]:
    return [SMU1()]
