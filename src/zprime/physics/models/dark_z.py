"""Dark Z_d: kinetic mixing ε and Z–Z_d mass mixing δ (Davoudiasl, Lee, Marciano 2012–2015; Cadeddu et al.
2021).

Interaction, Cadeddu Eq. (5):  L_int = (−e ε J_em^μ − g/(2c_W) (m_Zd/m_Z) δ' J_NC^μ) Z_dμ, with
J_NC^μ = Σ_f f̄γ^μ(g_V^f − g_A^f γ5)f, g_V = T3 − 2Q s_W², g_A = T3 (PDG), and δ' = δ + (m_Zd/m_Z) ε tanθ_W
(Eq. (4); ε_Z = (m_Zd/m_Z) δ).

Map onto the effective couplings of Bodas Eq. (6), L ⊃ −[f̄γ^μ(C_V + C_Aγ5)f + C_ν ν̄γ^μP_Lν] Z'_μ, with
g = e/s_W and r = m_Zd/m_Z:

    C_Vf = e ε Q_f + (e/(2 s_W c_W)) r δ' (T3_f − 2 Q_f s_W²)
    C_Af = −(e/(2 s_W c_W)) r δ' T3_f
    C_ν  = (e/(2 s_W c_W)) r δ'                   (ν̄γ(½ − ½γ5)ν = ν̄γP_Lν)

so C_Ve = −e[ε + r δ'(1 − 4s_W²)/(4 s_W c_W)] = −e g_V of Cadeddu Eq. (8), and C_Ae = e r δ'/(4 s_W c_W).
The same formulas with (Q, T3) = (2/3, 1/2) give the up-type quarks u, c, t and (−1/3, −1/2) the down-type
d, s, b: every quark flavour is filled (the Z-like current is flavour universal).
Check with the Møller shift of :mod:`zprime.physics.observables.moller`: C_Ve C_Ae/(√2 G_F(Q² + m²)) =
s_W²(κ_d − 1) with κ_d of Eq. (7) at tree level, i.e. ε δ' > 0 lowers sin²θ_eff, as the Z_d formulae of
Davoudiasl, Lee, Marciano (PRD 92 (2015) 055005) say. The sign convention is that of dark_photon (C_Ve = −εe).
s_W² in the coupling map: the low-Q MSbar value 0.23857 (constants.SIN2W_LOW_Q).

g−2, Cadeddu Eqs. (8)–(11): a_ℓ = (α/2π) g_V² F_V(m/m_ℓ) − G_F m_ℓ²/(8√2π²) δ'² F_A(m/m_ℓ), with s_W at the
lepton mass scale: zprime uses the SM MSbar ŝ²(μ = m_ℓ) of :mod:`zprime.physics.observables.running_sin2w`
(0.23857 for e, 0.23847 for μ); the choice moves a_ℓ by < 1e-6 relative for δ' ≲ 1e-2.
"""

from __future__ import annotations

import numpy as np

from zprime.core.constants import E_CHARGE, LEPTON_MASS_MEV, M_Z, SIN2W_LOW_Q
from zprime.core.couplings import Couplings
from zprime.core.errors import InputError
from zprime.physics.models.base import Model, Parameter
from zprime.physics.observables.darkz_mixing import delta_prime
from zprime.physics.observables.g2 import darkz_axial_prefactor, darkz_vector_prefactor, f_a, f_v


def _sw_cw(sin2w: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s2 = np.asarray(sin2w, float)
    return np.sqrt(s2), np.sqrt(1.0 - s2)


def sin2w_lepton(flavour: str) -> float:
    """s_W² at the lepton mass scale (MSbar running, see module docstring)."""
    from zprime.physics.observables.running_sin2w import sin2w_msbar

    if flavour not in LEPTON_MASS_MEV:
        raise InputError("flavour", f"must be one of {tuple(LEPTON_MASS_MEV)}, got {flavour!r}")
    return float(sin2w_msbar(LEPTON_MASS_MEV[flavour]))


def g_vector(
    mass_mev: np.ndarray | float,
    epsilon: np.ndarray | float,
    delta: np.ndarray | float,
    sin2w: float | np.ndarray,
) -> np.ndarray:
    """g_V = ε + (m/m_Z) δ' (1 − 4s²)/(4 s c), the Z_d vector coupling to charged leptons in units of e
    (C(8))."""
    s, c = _sw_cw(sin2w)
    m = np.asarray(mass_mev, float)
    dp = delta_prime(m, epsilon, delta, sin2w)
    return np.asarray(epsilon, float) + m / M_Z * dp * (1.0 - 4.0 * s**2) / (4.0 * s * c)


def delta_a_vector(
    mass_mev: np.ndarray | float,
    epsilon: np.ndarray | float,
    delta: np.ndarray | float,
    flavour: str,
    fv: np.ndarray | None = None,
) -> np.ndarray:
    """a_ℓ,vector = (α/2π) g_V² F_V(m/m_ℓ), Cadeddu Eqs. (8), (9). ``fv`` may pass precomputed F_V."""
    s2 = sin2w_lepton(flavour)
    x = np.asarray(mass_mev, float) / LEPTON_MASS_MEV[flavour]
    fvv = f_v(x) if fv is None else fv
    return darkz_vector_prefactor() * g_vector(mass_mev, epsilon, delta, s2) ** 2 * fvv


def delta_a_axial(
    mass_mev: np.ndarray | float,
    epsilon: np.ndarray | float,
    delta: np.ndarray | float,
    flavour: str,
    fa: np.ndarray | None = None,
) -> np.ndarray:
    """a_ℓ,axial = −G_F m_ℓ²/(8√2π²) δ'² F_A(m/m_ℓ), Cadeddu Eqs. (10), (11)."""
    s2 = sin2w_lepton(flavour)
    ml = LEPTON_MASS_MEV[flavour]
    x = np.asarray(mass_mev, float) / ml
    faa = f_a(x) if fa is None else fa
    dp = delta_prime(mass_mev, epsilon, delta, s2)
    return -darkz_axial_prefactor(ml) * dp**2 * faa


def delta_a(
    mass_mev: np.ndarray | float, epsilon: np.ndarray | float, delta: np.ndarray | float, flavour: str
) -> np.ndarray:
    """Total Z_d contribution a_ℓ^{Zd}(ε, δ, m) = vector + axial (Cadeddu, after Eq. (11))."""
    return delta_a_vector(mass_mev, epsilon, delta, flavour) + delta_a_axial(
        mass_mev, epsilon, delta, flavour
    )


def darkz_couplings(
    mass_mev: np.ndarray | float,
    epsilon: np.ndarray | float,
    delta: np.ndarray | float,
    sin2w: float = SIN2W_LOW_Q,
) -> Couplings:
    """Effective couplings (Bodas Eq. (6) convention) of a dark Z_d; see the module docstring."""
    m = np.asarray(mass_mev, float)
    eps = np.asarray(epsilon, float)
    s, c = _sw_cw(sin2w)
    gz = E_CHARGE / (2.0 * s * c) * (m / M_Z) * delta_prime(m, eps, delta, sin2w)

    def cv(q: float, t3: float) -> np.ndarray:
        return E_CHARGE * eps * q + gz * (t3 - 2.0 * q * sin2w)

    def ca(t3: float) -> np.ndarray:
        return -gz * t3

    cve, cae = cv(-1.0, -0.5), ca(-0.5)
    cvu, cau = cv(2.0 / 3.0, 0.5), ca(0.5)  # up-type quarks u, c, t
    cvd, cad = cv(-1.0 / 3.0, -0.5), ca(-0.5)  # down-type quarks d, s, b
    return Couplings(
        mass_mev=m,
        c_ve=cve,
        c_ae=cae,
        c_vmu=cve,
        c_amu=cae,
        c_vtau=cve,
        c_atau=cae,
        c_nue=gz,
        c_numu=gz,
        c_nutau=gz,
        c_vu=cvu,
        c_au=cau,
        c_vd=cvd,
        c_ad=cad,
        c_vs=cvd,
        c_as=cad,
        c_vc=cvu,
        c_ac=cau,
        c_vb=cvd,
        c_ab=cad,
        c_vt=cvu,
        c_at=cau,
    )


class DarkZ(Model):
    """Dark Z_d with kinetic mixing ε and mass mixing δ (Cadeddu et al. 2021, Eqs. (4)–(5))."""

    name = "dark_z"
    description = (
        "Dark Z_d: kinetic mixing eps with the photon and Z-Z_d mass mixing delta "
        "(eps_Z = (m/m_Z) delta); couples to J_em and to J_NC through delta'."
    )
    reference = (
        "H. Davoudiasl, H.-S. Lee, W. J. Marciano, PRD 85 (2012) 115019, PRD 92 (2015) 055005; "
        "M. Cadeddu et al., PRD 104 (2021) L011701"
    )
    parameters = (
        Parameter("mass_mev", 1e-2, 1e5, "log", r"$m_{Z_d}$", "MeV", (1.0, 1e4)),
        Parameter("epsilon", 0.0, 1.0, "symlog", r"$\varepsilon$", "", (1e-6, 1e-1)),
        Parameter("delta", 0.0, 1.0, "symlog", r"$\delta$", "", (1e-7, 1e-1)),
    )
    relations = (
        "C_Ae = C_Amu = C_Atau = e (m/m_Z) delta'/(4 s_W c_W)",
        "C_nu = 2 C_Ae (all flavours)",
        "C_Ve = C_Vmu = C_Vtau = -e [eps + (m/m_Z) delta' (1 - 4 s_W^2)/(4 s_W c_W)]",
    )

    def _couplings(self, **p: np.ndarray) -> Couplings:
        if np.any(p["mass_mev"] <= 0):
            raise InputError("mass_mev", "must be positive (allowed [0.01, 1e5] MeV)")
        return darkz_couplings(p["mass_mev"], p["epsilon"], p["delta"])


def provide() -> list[Model]:
    return [DarkZ()]


__all__ = [
    "DarkZ",
    "darkz_couplings",
    "g_vector",
    "delta_a",
    "delta_a_vector",
    "delta_a_axial",
    "sin2w_lepton",
    "provide",
]
