"""Shared numerics of the Bodas et al. figure reproductions (Figs. 2-4 of EPJC 81 (2021) 1065).

- the anomaly targets (Δa_e, Δa_μ and their 1σ ends) read from the measurement data of an edition;
- the inversion of Bodas Eq. (7) for C_V² or C_A²: Δa is linear in both,

      Δa = C_V² K_V(m) − C_A² K_A(m),   K_V = Δa(C_V = 1, C_A = 0),   K_A = −Δa(C_V = 0, C_A = 1) > 0,

  so C_V² = (Δa + C_A² K_A)/K_V and C_A² = (C_V² K_V − Δa)/K_A exactly (no heavy-Z' expansion; Bodas
  Eq. (15) is the heavy limit of the second with C_V = 0);
- the rule sets (``seed``/``current``, :mod:`zprime.physics.constraints.rulesets`): which constraint name plays
  which role;
- evaluating a list of constraints on a :class:`~zprime.core.couplings.Couplings` grid to boolean masks
  (constraints not yet registered are reported, not guessed);
- building the :class:`xarray.Dataset` of a figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from zprime.core.constants import LEPTON_MASS_MEV
from zprime.core.couplings import LABELS, Couplings
from zprime.core.errors import InputError
from zprime.core.lazy import lazy_module
from zprime.core.measurements import AE_PREFIX, EditionLike, check_ae

xr = lazy_module("xarray")  # loaded at its first use: listing the figures does not need it

RULES: tuple[str, ...] = ("seed", "current")

#: Variant -> the current constraint it replaces, used only while a variant is not registered yet
#: (a registered variant's own ``replaces:`` tag wins).
_REPLACES_FALLBACK: dict[str, str] = {
    "babar_2014_envelope": "babar_2014",
    "moller_e158_seed": "moller_e158",
    "texono_seed": "texono",
    "borexino_seed": "borexino",
}


# ------------------------------------------------------------------------------------------- options
def check_options(edition: str, ae: str, resolution: int, rules: str, min_resolution: int = 8) -> None:
    """Validate the options every Bodas figure accepts; raise InputError naming the parameter."""
    from zprime.core.errors import UnknownNameError
    from zprime.core.measurements import edition_key

    try:
        edition_key(edition)  # a shipped edition or a user edition file
    except UnknownNameError as exc:
        raise InputError("edition", str(exc)) from None
    check_ae(ae, edition)
    if rules not in RULES:
        raise InputError("rules", f"must be one of {', '.join(RULES)}, got {rules!r}")
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)):
        raise InputError("resolution", f"must be an integer >= {min_resolution}, got {resolution!r}")
    if not min_resolution <= resolution <= 4000:
        raise InputError(
            "resolution", f"must satisfy {min_resolution} <= resolution <= 4000, got {resolution}"
        )


def rule_map(rules: str) -> dict[str, str]:
    """Current constraint name -> the name the rule set uses instead (empty for ``current``)."""
    from zprime.physics.constraints.registry import all_constraints
    from zprime.physics.constraints.rulesets import RULESETS

    if rules not in RULESETS:
        raise InputError("rules", f"must be one of {', '.join(RULESETS)}, got {rules!r}")
    known = all_constraints()
    out: dict[str, str] = {}
    for variant in RULESETS[rules]:
        c = known.get(variant)
        replaced = [t.split(":", 1)[1] for t in c.tags if t.startswith("replaces:")] if c else []
        if not replaced and variant in _REPLACES_FALLBACK:
            replaced = [_REPLACES_FALLBACK[variant]]
        for r in replaced:
            out[r] = variant
    return out


def constraint_names(bases: Iterable[str], rules: str) -> list[str]:
    """The constraint names a figure evaluates: each base name, swapped for its variant under ``rules``."""
    m = rule_map(rules)
    return [m.get(b, b) for b in bases]


# ------------------------------------------------------------------------------------------- targets
@dataclass(frozen=True)
class Anomaly:
    """One Δa measurement of an edition: value ± sigma, and where it comes from."""

    quantity: str
    value: float
    sigma: float
    reference: str

    @property
    def low(self) -> float:
        """value − 1σ."""
        return self.value - self.sigma

    @property
    def high(self) -> float:
        """value + 1σ."""
        return self.value + self.sigma


def anomaly(flavour: str, edition: EditionLike = None, ae: str = "cs") -> Anomaly:
    """Δa_e (with α from ``ae`` = Cs or Rb) or Δa_μ of ``edition`` (2021: Bodas Eqs. (1)-(3))."""
    from zprime.core.measurements import get

    if flavour == "e":
        quantity = f"{AE_PREFIX}{check_ae(ae, edition)}"
    elif flavour == "mu":
        quantity = "delta_a_mu"
    else:
        raise InputError("flavour", f"must be 'e' or 'mu', got {flavour!r}")
    m = get(quantity, edition)
    return Anomaly(quantity, float(m.value), float(m.uncertainty), m.cite())


# ---------------------------------------------------------------------------------------- g-2 inverse
def g2_kernels(mass_mev: Any, flavour: str) -> tuple[np.ndarray, np.ndarray]:
    """(K_V, K_A) with Δa = C_V² K_V − C_A² K_A (Bodas Eq. (7)); both positive (g2.loop_coefficients)."""
    from zprime.physics.observables.g2 import loop_coefficients

    kv, ka = loop_coefficients(mass_mev, LEPTON_MASS_MEV[flavour])
    return np.asarray(kv, dtype=float), np.asarray(ka, dtype=float)


def solve_cv_sq(mass_mev: Any, ca: Any, target: float | np.ndarray, flavour: str) -> np.ndarray:
    """C_V² that gives Δa = ``target`` at axial coupling ``ca`` (exact Eq. (7)); NaN where negative."""
    kv, ka = g2_kernels(mass_mev, flavour)
    x = (target + np.asarray(ca, float) ** 2 * ka) / kv
    return np.where(x >= 0.0, x, np.nan)


def solve_ca_sq(mass_mev: Any, cv: Any, target: float | np.ndarray, flavour: str) -> np.ndarray:
    """C_A² that gives Δa = ``target`` at vector coupling ``cv`` (exact Eq. (7)); NaN where negative.

    With C_V = 0 and m_Z' ≫ m_ℓ this is Bodas Eq. (15), C_A² = −12π² m_Z'² Δa/(5 m_ℓ²).
    """
    kv, ka = g2_kernels(mass_mev, flavour)
    x = (np.asarray(cv, float) ** 2 * kv - target) / ka
    return np.where(x >= 0.0, x, np.nan)


def single_coupling_for(
    target: float, mass_mev: Any, flavour: str = "e"
) -> tuple[np.ndarray, np.ndarray, str]:
    """(C_V, C_A, which) with one coupling zero that gives Δa = ``target``: the axial one for Δa < 0 (as in
    Bodas Figs. 2c, 2d, 3c, 3d with C_Ve = 0, C_Ae > 0), the vector one for Δa > 0 (e.g. Rb)."""
    m = np.asarray(mass_mev, float)
    if target < 0:
        ca = np.sqrt(solve_ca_sq(m, 0.0, target, flavour))
        return np.zeros_like(m), ca, "axial"
    cv = np.sqrt(solve_cv_sq(m, 0.0, target, flavour))
    return cv, np.zeros_like(m), "vector"


def electron_end(edition: str, ae: str, low: bool) -> tuple[float, Anomaly]:
    """(Δa_e at its lower (``low``) or upper 1σ end, the Δa_e anomaly) of ``edition``/``ae``."""
    an = anomaly("e", edition, ae)
    return (an.low if low else an.high), an


def electron_attrs(
    panel: str, edition: str, ae: str, rules: str, target: float, an: Anomaly, missing: list[str], paper: str
) -> dict[str, Any]:
    """Dataset attributes shared by the Δa_e slices (Figs. 2, 3c, 3d)."""
    return {
        "panel": panel,
        "edition": edition,
        "ae": ae,
        "rules": rules,
        "target_delta_a_e": target,
        "delta_a_e": an.value,
        "delta_a_e_sigma": an.sigma,
        "delta_a_e_reference": an.reference,
        "missing_constraints": list(missing),
        "paper": paper,
    }


# -------------------------------------------------------------------------------------------- axes
def log_axis(lo: float, hi: float, n: int) -> np.ndarray:
    """n log-spaced points from lo to hi."""
    return np.geomspace(lo, hi, n)


def symmetric_linear_axis(half_range: float, n: int) -> np.ndarray:
    """n points evenly spaced in [−half_range, +half_range], never exactly 0 (n even)."""
    n = n + (n % 2)
    step = 2.0 * half_range / n
    return -half_range + step * (np.arange(n) + 0.5)


def symmetric_log_axis(lo: float, hi: float, n: int) -> np.ndarray:
    """Both signs, |y| log-spaced in [lo, hi]: n//2 negative values (ascending), then n//2 positive."""
    half = max(n // 2, 2)
    pos = np.geomspace(lo, hi, half)
    return np.concatenate([-pos[::-1], pos])


# --------------------------------------------------------------------------------------- evaluation
#: Margin given to points far outside a region (or where a constraint does not apply).
MARGIN_FLOOR = -10.0


@dataclass(frozen=True)
class Evaluated:
    """Constraint masks on a grid: ``masks[name]`` (excluded), ``margins[name]`` (a smooth field that is
    positive exactly where the mask is true, for drawing boundaries), ``missing`` (names not registered)
    and ``refs[name]`` (citations)."""

    masks: dict[str, np.ndarray]
    margins: dict[str, np.ndarray]
    missing: list[str]
    refs: dict[str, str]


def _margin(res: Any, threshold: float, mask: np.ndarray) -> np.ndarray:
    """log10(χ²/t) where applicable (the rules of constraints.base exclude iff χ² > t); if that disagrees with
    the status anywhere, fall back to ±1 from the mask."""
    from zprime.physics.constraints.base import Status

    chi2 = np.broadcast_to(np.asarray(res.chi2, float), mask.shape)
    applicable = np.broadcast_to(res.status != Status.NOT_APPLICABLE, mask.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        mg = np.log10(chi2 / threshold)
    mg = np.where(
        applicable & np.isfinite(mg), mg, np.where(applicable & (chi2 > threshold), 10.0, MARGIN_FLOOR)
    )
    mg = np.clip(mg, MARGIN_FLOOR, 10.0)
    if np.any((mg > 0) != mask):
        return np.where(mask, 1.0, -1.0)
    return mg


def evaluate_masks(
    couplings: Couplings, names: Iterable[str], edition: str, ae: str, valid: np.ndarray | None = None
) -> Evaluated:
    """Evaluate each constraint on ``couplings`` (each a single vectorised call).

    Where ``valid`` is false (points at which the figure's recipe has no solution) masks are false and margins
    at the floor. A name that is not registered is listed in ``missing`` instead of raising.
    """
    from zprime.physics.constraints.base import EvalOptions, Status, chi2_threshold
    from zprime.physics.constraints.registry import all_constraints

    known = all_constraints()
    opts = EvalOptions(edition=edition, ae=ae)  # type: ignore[arg-type]
    out = Evaluated({}, {}, [], {})
    ok = None if valid is None else np.broadcast_to(valid, couplings.shape)
    for name in names:
        c = known.get(name)
        if c is None:
            out.missing.append(name)
            continue
        res = c.evaluate(couplings, opts)
        m = np.broadcast_to(res.status == Status.EXCLUDED, couplings.shape).copy()
        mg = _margin(res, chi2_threshold(c.cl), m)
        if ok is not None:
            m &= ok
            mg = np.where(ok, mg, MARGIN_FLOOR)
        out.masks[name] = m
        out.margins[name] = mg
        out.refs[name] = c.reference
    return out


def constraint_regions(ev: Evaluated) -> dict[str, tuple[np.ndarray, dict[str, str]]]:
    """The ``regions`` entries of :func:`build_dataset` for every evaluated constraint: (mask, attributes)."""
    from zprime.app.figures._style import region_attrs

    return {n: (mk, region_attrs(n, ev.refs)) for n, mk in ev.masks.items()}


def any_excluded(masks: Mapping[str, np.ndarray], shape: tuple[int, ...]) -> np.ndarray:
    """Logical OR of all masks (False where there are none)."""
    out = np.zeros(shape, dtype=bool)
    for m in masks.values():
        out |= m
    return out


def mass_span(mass_mev: np.ndarray, flag: np.ndarray) -> tuple[float, float]:
    """(min, max) of ``mass_mev`` where ``flag`` holds along the mass axis; (nan, nan) if nowhere."""
    flag = np.asarray(flag, bool)
    if flag.ndim > 1:
        flag = flag.any(axis=tuple(range(flag.ndim - 1)))
    if not flag.any():
        return float("nan"), float("nan")
    sel = np.asarray(mass_mev)[flag]
    return float(sel.min()), float(sel.max())


# ----------------------------------------------------------------------------------------- dataset
def coord_attrs(
    name: str, units: str = "", scale: str = "linear", label: str | None = None
) -> dict[str, str]:
    """Attributes of a coordinate: units, axis label (LaTeX) and axis scale."""
    lab = label if label is not None else LABELS.get(name, name)
    return {"units": units, "label": lab, "long_name": lab, "scale": scale}


def build_dataset(
    mass_mev: np.ndarray,
    y_name: str,
    y: np.ndarray,
    y_attrs: Mapping[str, str],
    regions: Mapping[str, tuple[np.ndarray, Mapping[str, Any]]],
    extra: Mapping[str, tuple[tuple[str, ...], np.ndarray, Mapping[str, Any]]] | None = None,
    attrs: Mapping[str, Any] | None = None,
    extra_coords: Mapping[str, tuple[np.ndarray, Mapping[str, str]]] | None = None,
    margins: Mapping[str, np.ndarray] | None = None,
) -> xr.Dataset:
    """A figure Dataset on dims (y_name, 'mass_mev'): one boolean variable per region, its ``<name>_margin``
    (float, positive exactly inside; used to draw smooth boundaries), plus ``extra`` variables
    ((dims, values, attrs)); ``attrs['regions']`` lists the region variables in drawing order."""
    coords: dict[str, Any] = {
        "mass_mev": ("mass_mev", np.asarray(mass_mev, float), coord_attrs("mass_mev", "MeV", "log")),
        y_name: (y_name, np.asarray(y, float), dict(y_attrs)),
    }
    for cname, (values, cattrs) in (extra_coords or {}).items():
        coords[cname] = (cname, np.asarray(values, float), dict(cattrs))
    data_vars: dict[str, Any] = {}
    for name, (mask, vattrs) in regions.items():
        data_vars[name] = ((y_name, "mass_mev"), np.asarray(mask, bool), dict(vattrs))
    for name, mg in (margins or {}).items():
        data_vars[f"{name}_margin"] = (
            (y_name, "mass_mev"),
            np.asarray(mg, np.float32),
            {
                "kind": "margin",
                "description": f"positive exactly inside {name} "
                "(log10 chi2/threshold for constraints); for drawing boundaries",
            },
        )
    for name, (dims, values, vattrs) in (extra or {}).items():
        data_vars[name] = (dims, np.asarray(values), dict(vattrs))
    ds = xr.Dataset(data_vars, coords=coords)
    ds.attrs.update(dict(attrs or {}))
    ds.attrs["regions"] = list(regions)
    ds.attrs["y"] = y_name
    return ds


# ---------------------------------------------------------------------------- neutrino-coupling slices
#: The neutrino couplings a Δa_e slice scans (Figs. 2c/2d: C_νe; 3c/3d: C_νμ) -> the other one, held at 0.
_OTHER_NU: dict[str, str] = {"c_nue": "C_numu", "c_numu": "C_nue"}


def neutrino_slice(
    figure: str,
    panel: str,
    low: bool,
    nu: str,
    nu_label: str,
    half_range: float,
    bases: Iterable[str],
    mass_range_mev: tuple[float, float],
    paper: str,
    edition: str,
    ae: str,
    resolution: int,
    rules: str,
    vector_note: str = "",
    mass_span_attrs: bool = False,
    window_mev: tuple[float, float] | None = None,
) -> xr.Dataset:
    """Fig. ``figure`` ``panel`` over (``nu``, m_Z'): a neutrino coupling against m_Z' with one electron
    coupling solved from the exact Eq. (7) at the lower (``low``) or upper 1σ end of Δa_e (C_Ve = 0, C_Ae > 0;
    for Δa_e > 0 C_Ae = 0, C_Ve > 0, the slice text then led by ``vector_note``), the other neutrino couplings
    and the muon couplings zero; regions of the constraints ``bases`` (swapped per ``rules``).

    Summary attributes: with ``mass_span_attrs`` the allowed mass range, with ``window_mev`` the largest
    allowed |``nu``| in that mass window (``allowed_abs_<nu>_max_<lo>_<hi>``), always the largest allowed
    |``nu``| (``allowed_abs_<nu>_max``).
    """
    check_options(edition, ae, resolution, rules)
    target, an = electron_end(edition, ae, low)
    m = log_axis(*mass_range_mev, resolution)
    y = symmetric_linear_axis(half_range, resolution)
    cv, ca, which = single_coupling_for(target, m, "e")
    mm, yy = np.meshgrid(m, y)
    c = Couplings(mass_mev=mm, c_ve=cv[None, :], c_ae=ca[None, :], **{nu: yy})
    ev = evaluate_masks(c, constraint_names(bases, rules), edition, ae)
    allowed = ~any_excluded(ev.masks, mm.shape)

    def abs_max(flag: np.ndarray) -> float:
        return float(np.abs(yy[flag]).max()) if flag.any() else float("nan")

    solved = "C_Ve = 0, C_Ae > 0" if which == "axial" else f"{vector_note}C_Ae = 0, C_Ve > 0"
    attrs = electron_attrs(f"{figure}{panel}", edition, ae, rules, target, an, ev.missing, paper + panel)
    attrs["slice"] = f"{solved} from exact Eq. (7); {_OTHER_NU[nu]} = C_nutau = 0, muon couplings 0"
    attrs["solved_coupling"] = which
    if mass_span_attrs:
        attrs["allowed_mass_min_mev"], attrs["allowed_mass_max_mev"] = mass_span(m, allowed)
    if window_mev is not None:
        lo, hi = window_mev
        attrs[f"allowed_abs_{nu}_max_{lo:g}_{hi:g}"] = abs_max(allowed & (mm >= lo) & (mm <= hi))
    attrs[f"allowed_abs_{nu}_max"] = abs_max(allowed)
    extra = {
        "c_ae_slice": (("mass_mev",), ca, {"label": r"$C_{Ae}$ on the slice"}),
        "c_ve_slice": (("mass_mev",), cv, {"label": r"$C_{Ve}$ on the slice"}),
        "allowed": ((nu, "mass_mev"), allowed, {"label": "allowed", "kind": "allowed"}),
    }
    return build_dataset(
        m,
        nu,
        y,
        coord_attrs(nu, "", "linear", nu_label),
        constraint_regions(ev),
        extra,
        attrs,
        margins=ev.margins,
    )


#: Dataset attributes copied into :func:`summary` (numbers that characterise a figure).
SUMMARY_KEYS: tuple[str, ...] = (
    "allowed_mass_min_mev",
    "allowed_mass_max_mev",
    "allowed_cae_min",
    "allowed_cae_max",
    "allowed_cve_max",
    "allowed_abs_c_nue_max",
    "allowed_abs_c_numu_max_16_38",
    "allowed_abs_c_numu_max",
    "allowed_cvmu_max_16_38",
    "allowed_cvmu_min_16_38",
    "allowed_neg_abs_cvmu_max_16_38",
    "camu_max_16_38",
    "camu_over_cvmu_max_16_38",
    "overlap_mass_min_mev",
    "overlap_mass_max_mev",
    "overlap_allowed_mass_min_mev",
    "overlap_allowed_mass_max_mev",
    "overlap_excluded",
)


def summary(ds: xr.Dataset) -> dict[str, Any]:
    """Compact numeric summary of a figure: the excluded fraction of every region, the allowed fraction and
    the figure's characteristic numbers (allowed mass range, coupling extremes); NaN becomes None."""
    out: dict[str, Any] = {
        "resolution": [int(ds.sizes[ds.attrs["y"]]), int(ds.sizes["mass_mev"])],
        "fractions": {n: float(ds[n].values.mean()) for n in ds.attrs["regions"]},
        "missing_constraints": sorted(ds.attrs.get("missing_constraints", [])),
    }
    if "allowed" in ds:
        out["fractions"]["allowed"] = float(ds["allowed"].values.mean())
    for k in SUMMARY_KEYS:
        if k in ds.attrs:
            v = float(ds.attrs[k])
            out[k] = v if np.isfinite(v) else None
    return out


__all__ = [
    "RULES",
    "Anomaly",
    "anomaly",
    "electron_end",
    "electron_attrs",
    "check_options",
    "rule_map",
    "constraint_names",
    "g2_kernels",
    "solve_cv_sq",
    "solve_ca_sq",
    "single_coupling_for",
    "log_axis",
    "symmetric_linear_axis",
    "symmetric_log_axis",
    "MARGIN_FLOOR",
    "Evaluated",
    "evaluate_masks",
    "constraint_regions",
    "any_excluded",
    "mass_span",
    "coord_attrs",
    "build_dataset",
    "neutrino_slice",
    "SUMMARY_KEYS",
    "summary",
]
