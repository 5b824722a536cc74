"""Test plugin: an L_mu - L_tau Z' with hypercharge kinetic mixing built from zprime.physics.models.u1, and a
deliberately loose toy bound on |C_Vmu| (illustrative, not a measurement)."""

from __future__ import annotations

import numpy as np

from zprime.core.couplings import Couplings
from zprime.physics.constraints.base import Constraint, EvalOptions, Result, upper_bound_result
from zprime.physics.models.base import Model
from zprime.physics.models.u1 import (
    EPS_SEARCH,
    coupling_parameter,
    g_tilde_from_eps,
    mass_parameter,
    tree_couplings,
)

#: U(1)' charges of (e, mu, tau), lepton doublets and singlets alike; the Higgs doublet is neutral
CHARGES: tuple[float, float, float] = (0.0, 1.0, -1.0)
#: Toy bound on |C_Vmu| (illustrative, loose enough never to matter)
TOY_LIMIT: float = 1.0


class PluginLmuLtau(Model):
    """L_mu - L_tau with hypercharge kinetic mixing (exact tree-level mixing of Bodas et al. Sec. 2)."""

    name = "testplugin_lmu_ltau"
    description = "Test plugin: gauged L_mu - L_tau with hypercharge kinetic mixing"
    reference = "Bodas, Coy, King, EPJC 81 (2021) 1065, arXiv:2102.07781, Eqs. (18)-(24)"

    def __init__(self) -> None:
        self.parameters = (
            mass_parameter(),
            coupling_parameter("g_prime", r"$g'$"),
            coupling_parameter("eps", r"$\varepsilon$", search=EPS_SEARCH),
        )

    def _couplings(self, **p: np.ndarray) -> Couplings:
        gz = tuple(p["g_prime"] * z for z in CHARGES)
        return tree_couplings(
            p["mass_mev"], g_tilde_from_eps(p["eps"]), gz_higgs=(0.0,), vev_fractions=(1.0,), gz_l=gz, gz_r=gz
        )


def provide_models() -> list[Model]:
    """Entry point of group zprime.models (a callable returning a list)."""
    return [PluginLmuLtau()]


def _toy(c: Couplings, opts: EvalOptions, cl: float) -> Result:
    value = np.abs(np.broadcast_to(c.c_vmu, c.shape))
    return upper_bound_result("testplugin_toy_bound", TOY_BOUND.reference, value, TOY_LIMIT, cl)


#: Entry point of group zprime.constraints (a Constraint object)
TOY_BOUND = Constraint(
    name="testplugin_toy_bound",
    title="Test plugin: toy bound |C_Vmu| <= 1",
    reference="zprime test plugin (illustrative bound, not a measurement)",
    rule="upper_bound",
    compute=_toy,
    couplings_used=("c_vmu",),
)

# ------------------------------------------------------------------ deliberately broken entry points
#: Not a model: an entry point pointing here is a type error
NOT_A_MODEL = "lmu_ltau"


def shadow_shipped() -> list[Model]:
    """A model reusing the name of a shipped one."""
    m = PluginLmuLtau()
    m.name = "lmu_ltau"
    return [m]


def crashing() -> list[Model]:
    """A callable that fails."""
    raise RuntimeError("boom")
