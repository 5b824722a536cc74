"""N-Higgs-doublet model + U(1)′, type I (Bodas et al. Sec. 4.2, Eqs. (25)–(30)).

All SM fermions couple to one doublet H_ℓ (H₂ of the 2HDM); doublet j has U(1)′ charge z_j and vev fraction
w_j = v_j²/v² (2HDM: w₁ = c_β², w₂ = s_β²). Yukawa invariance gives z_Rα = z_Lα − z_ℓ. Exact tree-level
couplings from :mod:`zprime.physics.models.u1`; at leading order (z̄ = Σ_j w_j z_j):

    C_Vα ≃ g′z_Lα − c_w²g̃ − (g′/2)[(1 − 4s_w²) z̄ + z_ℓ]       (Eq. (27) for two doublets)
    C_A  ≃ (g′/2)(z̄ − z_ℓ) = (g′/2) c_β²(z₁ − z₂)               (Eq. (28)), flavour universal
    C_να ≃ g′(z_Lα + z̄)                                          (Eq. (29) with z_H of Eq. (26))

Differences from the printed equations (tree-level derivation in ``_u1_common``): Eq. (29), C_ν = −g̃/2 +
g′(z_L + z_H/2), is right only with z_H = z′₁c_β² + z′₂s_β², z′_j = g̃/g′ + 2z_j, as in Eq. (26), not the
plain Higgs charge; "z²_H2" in Eq. (25) means c_β²z′₁² + s_β²z′₂²; "β → 0 (π)" should read β → 0 (π/2).
Relation (30), C_Ve − C_Vμ = C_νe − C_νμ = c_φ g′(z_Le − z_Lμ), and C_Vα − C_Aα − C_να = c_w² g_Z s_φ hold
exactly at tree level.

Parametrisation of the registered 2HDM ``nhdm_u1``: m_Z′, g̃, tan β, x₁ ≡ g′(z₁ − z₂) and x_α ≡ g′z_Lα, with
z₂ = 0 by the hypercharge shift (see :mod:`zprime.physics.models.sm_u1`), so z_Rα = z_Lα and quark charges vanish
(all three generations: every quark flavour couples through the mixing).
With m_Z′ as input the couplings depend on (tan β, x₁) only through c_β² x₁ = 2C_A; tan β is kept because it
decides whether the point exists: the doublet vevs alone give the Z′ a mass ≈ v|x₁|s_βc_β, so m_Z′ must
exceed it, i.e. roughly |C_A| ≲ m_Z′/(2v tan β). :meth:`NHDMU1.singlet_mass_term` / :meth:`NHDMU1.physical`
report this (the seed does not impose it; the couplings are returned either way).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from zprime.core.couplings import Couplings
from zprime.core.errors import InputError
from zprime.physics.models.base import Model, Parameter
from zprime.physics.models.u1 import (
    coupling_parameter,
    mass_parameter,
    singlet_mass_term,
    tree_couplings,
)


def nhdm_couplings(
    mass_mev,
    g_tilde,
    gz_doublets: Sequence,
    vev_fractions: Sequence,
    gz_l: Sequence,
    lepton_doublet: int = -1,
    gz_q=0.0,
) -> Couplings:
    """Type-I NHDM+U(1)′ couplings for N doublets (charges g′z_j, vev fractions w_j summing to 1).

    All fermions take their mass from doublet ``lepton_doublet``: z_R = z_L − z_ℓ, z_u = z_Q + z_ℓ,
    z_d = z_Q − z_ℓ; ``gz_q`` is the doublet charge of all three quark generations (c, t as u; s, b as d).
    Leading order: Eqs. (27)–(29) with z̄ = Σ w_j z_j.
    """
    if len(gz_doublets) != len(vev_fractions) or not gz_doublets:
        raise InputError("vev_fractions", "need one vev fraction per Higgs doublet (at least one doublet)")
    total = sum(np.asarray(w, float) for w in vev_fractions)
    if np.any(np.abs(total - 1.0) > 1e-9):
        raise InputError("vev_fractions", "must sum to 1 (v_j^2/v^2)")
    zl_h = np.asarray(gz_doublets[lepton_doublet], float)
    gz_r = tuple(np.asarray(z, float) - zl_h for z in gz_l)
    return tree_couplings(
        mass_mev,
        g_tilde,
        gz_higgs=gz_doublets,
        vev_fractions=vev_fractions,
        gz_l=gz_l,
        gz_r=gz_r,
        gz_q=gz_q,
        gz_u=np.asarray(gz_q) + zl_h,
        gz_d=np.asarray(gz_q) - zl_h,
    )


class NHDMU1(Model):
    """Type-I 2HDM + U(1)′ (Bodas Sec. 4.2): m_Z′, g̃, tan β, g′(z₁ − z₂), g′z_Lα (z₂ = 0 basis)."""

    name = "nhdm_u1"
    lepton_class = True
    description = (
        "Type-I two-Higgs-doublet model with a gauge U(1)' (leptons couple to H2); parameters "
        "g_tilde, tan(beta), g'(z1 - z2) and g' z_L per flavour (z2 = 0 basis)."
    )
    reference = "Bodas, Coy, King, EPJC 81 (2021) 1065, Sec. 4.2, Eqs. (25)-(30)"
    parameters = (
        mass_parameter(),
        coupling_parameter("g_tilde", r"$\tilde g$"),
        Parameter("tan_beta", 1e-3, 1e3, "log", r"$\tan\beta$", search_range=(0.01, 100.0)),
        coupling_parameter("gz_1", r"$g'(z_1 - z_2)$"),
        coupling_parameter("gz_le", r"$g' z_{L_e}$"),
        coupling_parameter("gz_lmu", r"$g' z_{L_\mu}$"),
        coupling_parameter("gz_ltau", r"$g' z_{L_\tau}$"),
    )
    relations = (
        "C_Ve - C_Vmu = C_nue - C_numu (Eq. (30))",
        "C_Ae = C_Amu = C_Atau = c_beta^2 g'(z1 - z2)/2 (Eq. (28))",
        "C_Va - C_Aa - C_nua the same for every flavour (Eq. (33))",
    )

    @staticmethod
    def _doublets(p: dict[str, np.ndarray]) -> tuple[tuple, tuple]:
        cb2 = 1.0 / (1.0 + p["tan_beta"] ** 2)
        return (p["gz_1"], 0.0), (cb2, 1.0 - cb2)

    def _couplings(self, **p: np.ndarray) -> Couplings:
        gz, w = self._doublets(p)
        return nhdm_couplings(
            p["mass_mev"], p["g_tilde"], gz, w, (p["gz_le"], p["gz_lmu"], p["gz_ltau"]), lepton_doublet=1
        )

    def singlet_mass_term(self, **params) -> np.ndarray:
        """g′²z_S²v_S² [MeV²] the singlet must supply for the light eigenvalue to be m_Z′ (≥ 0 to exist)."""
        self.couplings(**params)  # validates
        p = {k: np.asarray(v, float) for k, v in params.items()}
        gz, w = self._doublets(p)
        return singlet_mass_term(p["mass_mev"], p["g_tilde"], gz, w)

    def physical(self, **params) -> np.ndarray:
        """True where the point exists (the Higgs vevs alone do not make the Z′ heavier than m_Z′)."""
        return self.singlet_mass_term(**params) >= 0.0


def provide() -> list[Model]:
    return [NHDMU1()]
