"""Froggatt–Nielsen-type SM + U(1)′ (Bodas et al. Sec. 4.3, Eqs. (31)–(33)).

The charged-lepton Yukawas are the flavon operators of Eq. (31), λ_α (l̄_Lα H e_Rα)(φ/Λ)^{n_α}, so U(1)′
invariance gives z_H + z_Rα − z_Lα = −n_α with n_α free and flavour dependent. Exact tree-level couplings from
:mod:`zprime.physics.models.u1`; at leading order in g′, g̃, m_Z′²/m_Z²:

    C_Vα ≃ −g̃c_w² + (g′/2)(z_H(4s_w² − 1) + z_Lα + z_Rα)     (Eq. (23))
    C_Aα ≃ (g′/2)(z_H + z_Rα − z_Lα) = −g′n_α/2               (Eq. (24))
    C_να ≃ g′(z_H + z_Lα)                                     (Eq. (32))

hence Eq. (33), C_Ve − C_Ae − C_νe = C_Vμ − C_Aμ − C_νμ; it holds exactly at tree level (both sides equal
c_w² g_Z s_φ ≃ −c_w²(g̃ + 2g′z_H); derived in ``_u1_common``). FN ⊃ NHDM ⊃ SM+U(1)′ as sets of coupling points.

Parametrisation (no redundancy): m_Z′, g̃, x_α ≡ g′z_Lα and y_α ≡ g′n_α, with z_H = 0 by the hypercharge shift
(see :mod:`zprime.physics.models.sm_u1`); so z_Rα = z_Lα − n_α and the quark charges vanish in all three
generations (every quark flavour couples through the mixing alone, as in ``sm_u1``). That is seven lepton
coupling directions: every point obeying Eq. (33) for (e, μ) and (e, τ) is reached.
"""

from __future__ import annotations

import numpy as np

from zprime.core.couplings import Couplings
from zprime.physics.models.base import Model
from zprime.physics.models.u1 import coupling_parameter, mass_parameter, tree_couplings


class FroggattNielsenU1(Model):
    """FN-type U(1)′ (Bodas Sec. 4.3): m_Z′, g̃, g′z_Lα, g′n_α (z_H = 0 basis)."""

    name = "froggatt_nielsen"
    lepton_class = True
    description = (
        "SM + U(1)' with Froggatt-Nielsen lepton Yukawas (flavon charges n_alpha free); "
        "parameters g_tilde, g' z_L and g' n per flavour (z_H = 0 basis)."
    )
    reference = "Bodas, Coy, King, EPJC 81 (2021) 1065, Sec. 4.3, Eqs. (31)-(33)"
    parameters = (
        mass_parameter(),
        coupling_parameter("g_tilde", r"$\tilde g$"),
        coupling_parameter("gz_le", r"$g' z_{L_e}$"),
        coupling_parameter("gz_lmu", r"$g' z_{L_\mu}$"),
        coupling_parameter("gz_ltau", r"$g' z_{L_\tau}$"),
        coupling_parameter("gn_e", r"$g' n_e$"),
        coupling_parameter("gn_mu", r"$g' n_\mu$"),
        coupling_parameter("gn_tau", r"$g' n_\tau$"),
    )
    relations = (
        "C_Ve - C_Ae - C_nue = C_Vmu - C_Amu - C_numu = C_Vtau - C_Atau - C_nutau (Eq. (33))",
        "C_Aa = -g' n_a / 2 at leading order (Eq. (24))",
    )

    def _couplings(self, **p: np.ndarray) -> Couplings:
        zl = (p["gz_le"], p["gz_lmu"], p["gz_ltau"])
        n = (p["gn_e"], p["gn_mu"], p["gn_tau"])
        zr = tuple(a - b for a, b in zip(zl, n, strict=True))
        return tree_couplings(
            p["mass_mev"], p["g_tilde"], gz_higgs=(0.0,), vev_fractions=(1.0,), gz_l=zl, gz_r=zr
        )


def provide() -> list[Model]:
    return [FroggattNielsenU1()]
