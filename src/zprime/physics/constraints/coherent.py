"""COHERENT CsI[Na] 2017 CEvNS rate: a bound on Z′ couplings to u, d quarks and to ν_μ, ν_e.

``coherent_csi`` (rule ``chi2``, default 90% CL): the ratio R = N(SM + Z′)/N(SM) of CEvNS counts in the
recoil window, computed from first principles by :func:`zprime.physics.observables.cevns.rate_ratio` (full Z′
propagator 1/(2MT + m_Z′²), Helm form factor, prompt ν_μ + delayed ν̄_μ, ν_e of π⁺ decay at rest, step
efficiency in the recoil window), is compared with the measured ratio x = N_obs/N_SM = 134/173 of Akimov et al.,
Science 357 (2017) 1123 (arXiv:1708.01294) with σ_x = x·√((σ_obs/N_obs)² + (σ_SM/N_SM)²) (the fit error and
the 28% normalisation error of the prediction, in quadrature): χ² = ((R − x)/σ_x)², excluded where χ² > χ²₁(CL).
Numbers: data entries ``coherent_csi_events``, ``coherent_csi_events_sm`` (editions 2023 and 2025; in 2021 the
constraint is not applicable, with the reason), and the inputs ``cevns_csi_window``, ``cevns_csi_targets``,
``cevns_pion_dar_source``.

Applicable where the Z′ couples to a quark (C_Vu or C_Vd ≠ 0) and to ν_e or ν_μ; a non-finite ratio is not
applicable. Tagged :data:`~zprime.physics.constraints.parity_violation.QUARK_COUPLING_TAG`: the lepton-class
verdicts of :mod:`zprime.analyses.viability` (quark charges free) leave it out.
"""

from __future__ import annotations

import math

import numpy as np

from zprime.core.couplings import Couplings
from zprime.core.measurements import EditionLike, get, latest_edition
from zprime.physics.arrays import broadcast, full
from zprime.physics.constraints.base import (
    Constraint,
    EvalOptions,
    Result,
    gaussian_result,
    not_applicable_one,
    per_edition,
    pointwise,
)
from zprime.physics.constraints.parity_violation import QUARK_COUPLING_TAG
from zprime.physics.observables import cevns

#: Default CL (as the other χ² constraints of zprime)
COHERENT_DEFAULT_CL = 0.90
#: Papers that derived COHERENT bounds on light vector mediators (Abdullah et al.; Cadeddu et al.)
RELATED = ("1803.10661", "2008.05022")


def measured_ratio(edition: EditionLike = None) -> tuple[float, float]:
    """(x, σ_x): N_obs/N_SM and its uncertainty (module docstring)."""
    obs, sm = get("coherent_csi_events", edition), get("coherent_csi_events_sm", edition)
    x = obs.value / sm.value
    return x, x * math.hypot(obs.uncertainty / obs.value, sm.uncertainty / sm.value)


_measured = per_edition(measured_ratio)


@per_edition
def _reference(edition: str) -> str:
    return get("coherent_csi_events", edition).cite()


def _applicable(c: Couplings) -> np.ndarray:
    if c.size == 1:  # one point: the same tests on Python floats
        on = (c.c_vu.item() != 0.0 or c.c_vd.item() != 0.0) and (
            c.c_nue.item() != 0.0 or c.c_numu.item() != 0.0
        )
        return full(c.shape, on, bool)
    q = (np.asarray(c.c_vu, float) != 0.0) | (np.asarray(c.c_vd, float) != 0.0)
    nu = (np.asarray(c.c_nue, float) != 0.0) | (np.asarray(c.c_numu, float) != 0.0)
    return broadcast(q & nu, c.shape)


@pointwise  # each point's recoil sums are its own row reductions (cevns.rate_ratio)
def _compute(c: Couplings, opts: EvalOptions, cl: float) -> Result:
    ref = _reference(opts.edition)
    x, sx = _measured(opts.edition)
    applicable = _applicable(c)
    if not applicable.any():
        return not_applicable_one("coherent_csi", c.shape, ref, "chi2")
    with np.errstate(over="ignore", invalid="ignore"):
        ratio = cevns.rate_ratio(c, opts.edition)
    return gaussian_result("coherent_csi", ref, ratio, x, sx, cl, applicable=applicable)


def _description() -> str:
    lo, hi = cevns.recoil_window_mev()
    ed = latest_edition()
    obs, sm = get("coherent_csi_events", ed), get("coherent_csi_events_sm", ed)
    return (
        f"R = N(SM+Z')/N(SM) for recoils {lo * 1e3:.3g}-{hi * 1e3:.3g} keVnr (step efficiency, Helm form "
        f"factor) against N_obs/N_SM = {obs.value:g}({obs.uncertainty:g})/{sm.value:g}({sm.uncertainty:g}); "
        "value = R"
    )


def provide() -> list[Constraint]:
    obs = get("coherent_csi_events", latest_edition())
    return [
        Constraint(
            "coherent_csi",
            "COHERENT CsI CEvNS rate (full Z' propagator, pion decay-at-rest source)",
            obs.cite(),
            "chi2",
            _compute,
            category="current",
            cl=COHERENT_DEFAULT_CL,
            couplings_used=("c_nue", "c_numu", "c_vu", "c_vd"),
            description=_description(),
            experiment="COHERENT",
            label="COHERENT CsI 2017",
            measurements=(
                "coherent_csi_events",
                "coherent_csi_events_sm",
                "cevns_csi_window",
                "cevns_csi_targets",
                "cevns_pion_dar_source",
            ),
            tags=(QUARK_COUPLING_TAG,),
            related=RELATED,
            range_in_compute=True,
        )
    ]


__all__ = ["COHERENT_DEFAULT_CL", "RELATED", "measured_ratio", "provide"]
