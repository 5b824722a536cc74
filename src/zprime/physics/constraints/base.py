"""Constraint = observable + data + rule.

A :class:`Constraint` evaluates a :class:`~zprime.core.couplings.Couplings` array to a :class:`Result`: the
constrained quantity, the bound or measurement it is compared with, a status per point
(``allowed``/``excluded``/``not_applicable``), a χ² contribution and the reference. Outside its validity
range a constraint answers ``not_applicable`` and never extrapolates.

Statistical rules (explicit and selectable):

- ``chi2``: a Gaussian measurement x ± σ; χ² = ((pred − x)/σ)²; excluded where χ² > χ²₁(CL)
  (two-sided Gaussian at the chosen CL; CL 0.95 reproduces "0.82 ± 1.96·0.28" for CCFR).
- ``upper_bound`` / ``recast_curve``: |value| ≤ limit at the limit's own CL (published curves: hard cut).
  For likelihood use a pseudo-χ² t·(value/limit)² is reported, with t = χ²₁(CL), so χ² > t ⇔ excluded.
- ``band``: beam dumps exclude lower < value < upper; the pseudo-χ² exceeds t only inside the band.
- ``mass_bound``: cosmological lower bounds on m_Z' when a coupling exceeds a threshold.
"""

from __future__ import annotations

import copy
import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from functools import lru_cache, wraps
from typing import Literal, TypeVar

import numpy as np

from zprime.core.couplings import Couplings
from zprime.core.errors import InputError, MissingMeasurementError, UnknownNameError
from zprime.core.measurements import Edition, EditionLike, check_ae, edition_key, editions, load_edition
from zprime.physics.arrays import all_finite, any_nan, broadcast, broadcast_all, full


class Status(IntEnum):
    """Per-point verdict of a constraint (stored as int8 arrays)."""

    ALLOWED = 0
    EXCLUDED = 1
    NOT_APPLICABLE = 2


STATUS_NAMES: tuple[str, ...] = ("allowed", "excluded", "not_applicable")

_F = TypeVar("_F", bound=Callable[..., object])
_T = TypeVar("_T")

Rule = Literal["chi2", "upper_bound", "two_sided_bound", "band", "recast_curve", "mass_bound"]
Category = Literal["current", "projection", "variant"]


def chi2_threshold(cl: float, dof: int = 1) -> float:
    """Δχ² that corresponds to confidence level ``cl`` for ``dof`` degrees of freedom."""
    if dof == 1 and cl.__class__ is float and (t := _ONE_DOF.get(cl)) is not None:
        return t  # a CL seen before (every result of a constraint asks for its CL)
    if not 0.0 < cl < 1.0:
        raise InputError("cl", f"must satisfy 0 < cl < 1, got {cl}")
    t = _chi2_ppf(float(cl), int(dof))
    if dof == 1 and cl.__class__ is float and len(_ONE_DOF) < 256:
        _ONE_DOF[cl] = t
    return t


#: {cl: χ²₁(cl)} of the CLs asked for so far (a dictionary look-up is cheaper than the lru_cache call)
_ONE_DOF: dict[float, float] = {}


@lru_cache(maxsize=256)
def _chi2_ppf(cl: float, dof: int) -> float:
    from scipy.special import chdtri  # imported on first use: scipy.special is slow to import

    return float(chdtri(dof, 1.0 - cl))


@dataclass(frozen=True)
class EvalOptions:
    """Choices that affect evaluation: measurement edition, a_e (Cs or Rb) and CL for χ² rules.

    ``edition`` is a shipped edition name, the path of a user edition file or None (the default edition);
    it is stored as :func:`~zprime.core.measurements.edition_key` (a name, or a file's absolute path).
    ``ae`` is one of :func:`~zprime.core.measurements.ae_choices`.
    """

    edition: EditionLike = None  # a str (name or absolute path) after __post_init__
    ae: str = "cs"
    cl: float | None = None  # None: each constraint's own default CL

    def __post_init__(self) -> None:
        try:
            key = edition_key(self.edition)
        except UnknownNameError as exc:
            raise InputError("edition", str(exc)) from None
        object.__setattr__(self, "edition", key)
        check_ae(self.ae, self.edition)
        if self.cl is not None:
            chi2_threshold(self.cl)


@dataclass(frozen=True, init=False)
class Result:
    """Per-point outcome of one constraint; arrays have the broadcast shape of the input."""

    name: str
    value: np.ndarray
    limit: np.ndarray
    status: np.ndarray
    chi2: np.ndarray
    reference: str
    rule: str = ""
    #: why the constraint is not applicable at any point (e.g. "no delta_a_e_rb in edition my-2026"), or ""
    reason: str = ""

    def __init__(
        self,
        name: str,
        value: np.ndarray,
        limit: np.ndarray,
        status: np.ndarray,
        chi2: np.ndarray,
        reference: str,
        rule: str = "",
        reason: str = "",
    ) -> None:
        # the fields set in one dict update: a frozen dataclass's generated __init__ calls object.__setattr__
        # once per field, which costs as much as a one-point constraint's arithmetic
        d = self.__dict__
        d["name"], d["value"], d["limit"], d["status"], d["chi2"] = name, value, limit, status, chi2
        d["reference"], d["rule"], d["reason"] = reference, rule, reason

    # compared with int8 scalars: numpy converts an IntEnum member slowly (microseconds per comparison)
    @property
    def excluded(self) -> np.ndarray:
        return self.status == _STATUS_SCALARS[Status.EXCLUDED]

    @property
    def allowed(self) -> np.ndarray:
        return self.status == _STATUS_SCALARS[Status.ALLOWED]

    @property
    def applicable(self) -> np.ndarray:
        return self.status != _STATUS_SCALARS[Status.NOT_APPLICABLE]

    def status_names(self) -> np.ndarray:
        return np.asarray(STATUS_NAMES, dtype=object)[self.status]

    @classmethod
    def row(
        cls,
        name: str,
        arrays: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
        j: int,
        reference: str,
        rule: str = "",
    ) -> Result:
        """The Result whose value, limit, status and χ² are the row views ``a[j, ...]`` of ``arrays`` (e.g.
        the recast bank's (searches, *shape) arrays): the four views are made at the first access of any (a
        code that makes many Results per call but reads few pays for the ones it reads). Behaves as the
        constructor's."""
        r = object.__new__(cls)
        d = r.__dict__
        d["name"] = name
        d["_row"] = (arrays, j)
        d["reference"] = reference
        d["rule"] = rule
        d["reason"] = ""
        return r

    def __getstate__(self) -> dict[str, object]:
        """The fields (a :meth:`row` Result's views made; copies and pickles hold the fields only)."""
        return {f: getattr(self, f) for f in _RESULT_FIELDS}


_RESULT_FIELDS = ("name", "value", "limit", "status", "chi2", "reference", "rule", "reason")


class _RowField:
    """An array field of :class:`Result` read from the row of a :meth:`Result.row` Result: a non-data
    descriptor, so a field set in the instance (every other Result, and a row Result once read) is found
    first; the first read of any of the four makes all four views and sets them."""

    def __init__(self, name: str):
        self.name = name

    def __get__(self, r: Result | None, owner: type | None = None) -> np.ndarray:
        if r is None:  # as before: the class has no attribute of a field without default (dataclasses)
            raise AttributeError(f"type object 'Result' has no attribute {self.name!r}")
        d = r.__dict__
        row = d.get("_row")
        if row is None:
            raise AttributeError(f"'Result' object has no attribute {self.name!r}")
        (value, limit, status, chi2), j = row
        d["value"], d["limit"] = value[j, ...], limit[j, ...]
        d["status"], d["chi2"] = status[j, ...], chi2[j, ...]
        return d[self.name]  # type: ignore[no-any-return]


for _f in ("value", "limit", "status", "chi2"):  # after @dataclass: the fields keep no default
    setattr(Result, _f, _RowField(_f))
del _f


#: ``compute_into(couplings, options, cl, out) -> (reference, rule)`` (see :meth:`Constraint.evaluate_into`)
ComputeInto = Callable[[Couplings, "EvalOptions", float, dict[str, np.ndarray]], tuple[str, str]]

#: ``evaluate_group(constraints, couplings, options) -> {name: Result}`` (see :func:`evaluate_all`)
EvaluateGroup = Callable[[Sequence["Constraint"], Couplings, "EvalOptions"], dict[str, "Result"]]


@dataclass(frozen=True)
class Constraint:
    """A named, cited bound on the Z' couplings.

    ``compute(couplings, options) -> Result`` does the physics; :meth:`evaluate` validates the input
    and applies the validity mass range (points outside are ``not_applicable``).
    """

    name: str
    title: str
    reference: str
    rule: Rule
    compute: Callable[[Couplings, EvalOptions, float], Result]
    mass_range_mev: tuple[float, float] = (0.0, np.inf)
    category: Category = "current"
    cl: float = 0.90
    couplings_used: tuple[str, ...] = ()
    description: str = ""
    tags: tuple[str, ...] = field(default=())
    #: short names for plots and tables: the experiment (e.g. "TEXONO") and a label (e.g. "TEXONO 2010")
    experiment: str = ""
    label: str = ""
    #: keys of the measurements the constraint reads from an edition (for citations)
    measurements: tuple[str, ...] = ()
    #: arXiv ids of papers that derived or compared the same bound (not the result's own), e.g. Bauer,
    #: Foldenauer, Jaeckel ("1803.05466") for the ν–e curves; shown in docs/constraints.md, `zprime data list
    #: --json` and the ``related`` field of every limit curve
    related: tuple[str, ...] = ()
    #: True when ``compute`` itself answers not_applicable outside ``mass_range_mev`` (skips the re-check)
    range_in_compute: bool = False
    #: optional ``compute_into(couplings, options, cl, out) -> (reference, rule)``: the same numbers as
    #: ``compute``, written into the flat arrays ``out["value"|"limit"|"status"|"chi2"]`` (see
    #: :meth:`evaluate_into`); requires ``range_in_compute``
    compute_into: ComputeInto | None = field(default=None, repr=False)
    #: optional ``evaluate_group(constraints, couplings, options) -> {name: Result}``, shared by constraints
    #: that are cheaper computed together (e.g. the recast searches: one vectorised pass over all curves); it
    #: returns the same Results as :meth:`evaluate` one by one, bit for bit, for the constraints it covers
    #: (any it leaves out are evaluated one by one; see :func:`evaluate_all`)
    evaluate_group: EvaluateGroup | None = field(default=None, repr=False, compare=False)

    def evaluate(self, couplings: Couplings, options: EvalOptions | None = None, **kwargs: object) -> Result:
        """Evaluate on a Couplings array. ``kwargs`` build an :class:`EvalOptions` (edition, ae, cl)."""
        if not isinstance(couplings, Couplings):
            raise InputError("couplings", f"must be a zprime.Couplings, got {type(couplings).__name__}")
        opts = options if options is not None else EvalOptions(**kwargs)  # type: ignore[arg-type]
        try:
            res = self.compute(couplings, opts, self._cl(opts))
        except MissingMeasurementError as exc:  # the edition lacks an input: not applicable, with why
            return self.unavailable_result(couplings.shape, exc.reason)
        lo, hi = self.mass_range_mev
        if not self.range_in_compute and (lo > 0.0 or math.isfinite(hi)):
            m = couplings.mass_mev
            mn, mx = (m.item(), m.item()) if m.size == 1 else (m.min(), m.max()) if m.size else (lo, hi)
            if mn < lo or mx > hi:
                outside = (m < lo) | (m > hi)
                # most computes already answer not_applicable outside their range: mask only what is left
                if np.any(outside & (res.status != Status.NOT_APPLICABLE)):
                    res = mask_not_applicable(res, outside)
        return res

    def _cl(self, options: EvalOptions) -> float:
        """The CL to apply: the options' CL for χ² rules when given, else the constraint's own."""
        return options.cl if (options.cl is not None and self.rule == "chi2") else self.cl

    def evaluate_into(
        self, couplings: Couplings, options: EvalOptions, out: dict[str, np.ndarray]
    ) -> tuple[str, str]:
        """:meth:`evaluate`, with the result written into the flat (C-order) arrays ``out["value"]``,
        ``out["limit"]``, ``out["status"]`` (int8) and ``out["chi2"]`` of ``couplings.size`` elements, e.g.
        slices of a larger output; only ``status`` is required (the others are filled where given).
        Returns (reference, rule)."""
        if not isinstance(couplings, Couplings):
            raise InputError("couplings", f"must be a zprime.Couplings, got {type(couplings).__name__}")
        if self.compute_into is not None and self.range_in_compute:
            try:
                return self.compute_into(couplings, options, self._cl(options), out)
            except MissingMeasurementError:  # the reason: see :meth:`unavailable`
                r = self.unavailable_result(couplings.shape, "")
        else:
            r = self.evaluate(couplings, options)
        for f, a in out.items():  # "value", "limit", "status", "chi2" (a caller may ask for fewer)
            a[...] = np.ravel(getattr(r, f))
        return r.reference, r.rule

    def unavailable_result(self, shape: tuple[int, ...], reason: str) -> Result:
        """Not applicable at every point (value, limit NaN; χ² 0), with ``reason``."""
        return not_applicable_one(self.name, shape, self.reference, self.rule, reason)

    def unavailable(self, options: EvalOptions | None = None) -> str:
        """Why this constraint cannot be evaluated under ``options`` (a measurement absent from the
        edition), or "" when it can. Evaluates one point."""
        probe = Couplings(mass_mev=1.0)
        return self.evaluate(probe, options if options is not None else EvalOptions()).reason

    def cite(self) -> str:
        return self.reference


def evaluate_all(
    constraints: Sequence[Constraint], couplings: Couplings, options: EvalOptions
) -> dict[str, Result]:
    """{name: :meth:`Constraint.evaluate`} of every constraint, in the given order, with the constraints that
    share an ``evaluate_group`` (two or more) evaluated together in one call of it: the same numbers, with
    the fixed cost of a call paid once per group instead of once per constraint."""
    if not isinstance(couplings, Couplings):
        raise InputError("couplings", f"must be a zprime.Couplings, got {type(couplings).__name__}")
    groups = _groups_of(constraints)
    if not groups:
        return {k.name: k.evaluate(couplings, options) for k in constraints}
    done: dict[str, Result] = {}
    for fn, members in groups:
        done.update(fn(members, couplings, options))
    return {k.name: done[k.name] if k.name in done else k.evaluate(couplings, options) for k in constraints}


_GroupsEntry = tuple[tuple["Constraint", ...], list[tuple[EvaluateGroup, list["Constraint"]]]]

#: {constraint ids: (constraints, groups)} of :func:`_groups_of` (a few entries)
_GROUPS: dict[tuple[int, ...], _GroupsEntry] = {}

#: the entry of :data:`_GROUPS` that :func:`_groups_of` returned last (one slot: a tuple, replaced whole)
_LAST_GROUPS: list[_GroupsEntry | None] = [None]


def _groups_of(constraints: Sequence[Constraint]) -> list[tuple[EvaluateGroup, list[Constraint]]]:
    """The ``evaluate_group`` functions shared by two or more of ``constraints``, each with its members in
    order; kept per list of constraint objects (checked by identity), the last one asked checked first."""
    kept = _LAST_GROUPS[0]
    if kept is not None and len(kept[0]) == len(constraints) and all(map(operator.is_, kept[0], constraints)):
        return kept[1]  # the same constraints as the last call (e.g. every call of evaluate's default)
    key = tuple(map(id, constraints))
    kept = _GROUPS.get(key)
    if kept is not None and all(map(operator.is_, kept[0], constraints)):
        _LAST_GROUPS[0] = kept
        return kept[1]
    by_fn: dict[EvaluateGroup, list[Constraint]] = {}
    for k in constraints:
        if k.evaluate_group is not None:
            by_fn.setdefault(k.evaluate_group, []).append(k)
    groups = [(fn, members) for fn, members in by_fn.items() if len(members) > 1]
    if len(_GROUPS) >= 16:
        _GROUPS.clear()
    _GROUPS[key] = _LAST_GROUPS[0] = (tuple(constraints), groups)
    return groups


# ------------------------------------------------------------------------------------------- helpers
#: Most editions :func:`per_edition` keeps the numbers of (user edition files included) before starting over
_PER_EDITION_SIZE = 64


def per_edition(fn: Callable[[str], _T]) -> Callable[[str], _T]:
    """``fn(edition)`` (the numbers a constraint reads from an edition: entries, references, derived
    constants) computed once per edition and kept while :func:`~zprime.core.measurements.load_edition`
    returns the same :class:`~zprime.core.measurements.Edition` for it: the shipped editions are resolved
    once (their data files are part of the package: a hit needs no look-up), and a user edition file that
    changed on disk is read again (a new Edition), so ``fn`` runs again.
    A :class:`~zprime.core.errors.MissingMeasurementError` of ``fn`` is kept too and raised again (a copy)."""
    cache: dict[object, tuple[Edition, bool, object, bool]] = {}

    @wraps(fn)
    def cached(edition: str) -> _T:
        hit = cache.get(edition)
        if hit is None or not (hit[3] or hit[0] is load_edition(edition)):
            ed = load_edition(edition)
            shipped = edition in editions()
            try:
                hit = (ed, True, fn(edition), shipped)
            except MissingMeasurementError as exc:
                hit = (ed, False, exc.with_traceback(None), shipped)
            if len(cache) >= _PER_EDITION_SIZE:
                cache.clear()
            cache[edition] = hit
        if hit[1]:
            return hit[2]  # type: ignore[return-value]
        # a copy each time: a raised error keeps its traceback (and the caller's arrays) alive
        raise copy.copy(hit[2])  # type: ignore[misc]

    return cached


def pointwise(fn: _F) -> _F:
    """Mark ``fn`` (a constraint's ``compute``) as pointwise: its numbers at a point depend on that point's
    couplings only (elementwise arithmetic, no sum over points, no method chosen for the whole array that
    changes a number), so any subset of at least two of the points of a flat Couplings gives the same numbers
    bit for bit (one point alone may take a scalar path). ``evaluate(..., detail="allowed")`` then evaluates
    it only on the points that no other constraint excludes. Returns ``fn``."""
    fn.pointwise = True  # type: ignore[attr-defined]
    return fn


def is_pointwise(k: Constraint) -> bool:
    """True when the function that :meth:`Constraint.evaluate_into` calls for ``k`` is marked pointwise
    (:func:`pointwise`, or a ``compute_into`` with ``pointwise`` set that also accepts a partial ``out``)."""
    if k.compute_into is not None and k.range_in_compute:
        f = k.compute_into
        return bool(getattr(f, "pointwise", False) and getattr(f, "accepts_partial_out", False))
    return bool(getattr(k.compute, "pointwise", False))


def _owned(x: np.ndarray | float, shape: tuple[int, ...], dtype: type = float) -> np.ndarray:
    """``x`` itself when it is a writeable, C-contiguous full-shape array owning its data (safe to modify
    in place: results are built from fresh arrays and Couplings fields are read-only views), else a copy."""
    if (
        isinstance(x, np.ndarray)
        and x.shape == shape
        and x.dtype == dtype
        and x.base is None
        and x.flags.writeable
        and x.flags.c_contiguous
    ):
        return x
    return np.array(broadcast(np.asarray(x, dtype=dtype), shape), order="C")


def set_where(mask: np.ndarray, *targets: tuple[np.ndarray, object]) -> None:
    """``a[mask] = v`` for each (a, v) of C-contiguous arrays of the mask's shape.

    The mask's true positions are found once (``np.flatnonzero``) and written by index: for masks without
    a pattern this is several times faster than ``np.copyto(..., where=mask)`` or ``np.where``, whose
    per-element branches the CPU cannot predict.
    """
    idx = np.flatnonzero(mask)
    if idx.size:
        for a, v in targets:
            a.reshape(-1)[idx] = v


def mask_not_applicable(res: Result, mask: np.ndarray) -> Result:
    """Mark points where ``mask`` is true as not applicable (value/limit NaN, χ² 0)."""
    shape = res.status.shape
    mask = broadcast(mask, shape)
    status = _owned(res.status, shape, np.int8)
    value, limit, chi2 = (_owned(a, shape) for a in (res.value, res.limit, res.chi2))
    set_where(mask, (status, Status.NOT_APPLICABLE), (value, np.nan), (limit, np.nan), (chi2, 0.0))
    return Result(res.name, value, limit, status, chi2, res.reference, res.rule, res.reason)


def _zero_nan(chi2: np.ndarray) -> None:
    """Pseudo-χ² of undefined ratios (0/0, NaN inputs) is 0; in place."""
    if any_nan(chi2):
        chi2[np.isnan(chi2)] = 0.0


def nonfinite_reason(count: int, size: int) -> str:
    """The reason given where a value or limit is not finite (NaN or ±inf): never allowed, not applicable."""
    where = "" if size <= 1 else f" at {count} of {size} points"
    return f"value or limit not finite{where} (numerical overflow or undefined); not applicable there"


def _finish(res: Result, na: np.ndarray | None, nonfinite: np.ndarray | None = None) -> Result:
    """``res`` with the points where ``na`` (or ``nonfinite``, a value or limit that is NaN or ±inf) is true
    marked not applicable (nothing to do without any); a non-finite point that ``na`` leaves applicable sets
    the result's reason."""
    if nonfinite is not None and nonfinite.any():
        if na is not None:
            nonfinite = nonfinite & ~na
        n_bad = int(np.count_nonzero(nonfinite))
        if not n_bad:
            return mask_not_applicable(res, na) if na is not None else res
        res = mask_not_applicable(res, nonfinite if na is None else na | nonfinite)
        why = nonfinite_reason(n_bad, nonfinite.size)
        return Result(res.name, res.value, res.limit, res.status, res.chi2, res.reference, res.rule, why)
    if na is not None and na.any():
        return mask_not_applicable(res, na)
    return res


def _not_applicable(
    applicable: np.ndarray | None, shape: tuple[int, ...], *more: np.ndarray
) -> np.ndarray | None:
    """Union of ``~applicable`` and the masks ``more`` (None when there is nothing to mask)."""
    na = None if applicable is None else ~broadcast(applicable, shape)
    for m in more:
        na = m if na is None else na | m
    return na


def status_one(shape: tuple[int, ...], excluded: bool) -> np.ndarray:
    """The status of one point as the comparisons of the general paths give it: an ``np.int8`` scalar for a
    0-d shape (a comparison of 0-d arrays gives a numpy scalar), else an int8 array."""
    if shape == ():
        return _STATUS_SCALARS[1 if excluded else 0]  # type: ignore[return-value]  # immutable: shared
    return full(shape, Status.EXCLUDED if excluded else Status.ALLOWED, np.int8)


#: ``np.int8(s)`` of each Status s, by value (a numpy scalar costs as much to make as a one-point constraint's
#: arithmetic; immutable, so shared)
_STATUS_SCALARS = tuple(np.int8(s) for s in Status)


def not_applicable_one(
    name: str, shape: tuple[int, ...], reference: str, rule: str, reason: str = ""
) -> Result:
    """Every point of ``shape`` (e.g. one point) marked not applicable as :func:`mask_not_applicable` marks
    it (value, limit NaN; χ² 0), with ``reason``."""
    nan = full(shape, np.nan)
    status = full(shape, _STATUS_SCALARS[Status.NOT_APPLICABLE], np.int8)
    return Result(name, nan, nan.copy(), status, full(shape, 0.0), reference, rule, reason)


def _one_applicable(applicable: np.ndarray | None) -> bool | None:
    """For a one-point result: True when ``applicable`` is None or true, False when false, None when it is
    not a one-element array (the general path decides)."""
    if applicable is None:
        return True
    a = np.asarray(applicable)
    return bool(a.item()) if a.size == 1 else None


def upper_bound_result(
    name: str,
    reference: str,
    value: np.ndarray,
    limit: np.ndarray,
    cl: float,
    applicable: np.ndarray | None = None,
    rule: str = "upper_bound",
) -> Result:
    """|value| ≤ limit; pseudo-χ² = t·(value/limit)², excluded iff |value| > limit.

    Points where the limit is not finite, or the value is NaN or ±inf, are not applicable (never allowed)."""
    value, limit = np.asarray(value, float), np.asarray(limit, float)
    if value.shape != limit.shape:
        value, limit = broadcast_all(value, limit)
    t = chi2_threshold(cl)
    if value.size == 1 and (ok := _one_applicable(applicable)) is not None:
        # one point: the same IEEE operations on Python floats (fewer temporaries)
        v, lim = value.item(), limit.item()
        shape = value.shape
        if not ok:
            return not_applicable_one(name, shape, reference, rule)
        if lim != 0.0 and math.isfinite(v) and math.isfinite(lim):
            q = v / lim
            chi2_1 = min(q * q * t, 1e300)
            return Result(
                name,
                value.copy(),
                limit.copy(),
                status_one(shape, abs(v) > lim),
                full(shape, chi2_1),
                reference,
                rule,
            )
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        chi2 = np.divide(value, limit, out=np.empty(value.shape))
        np.square(chi2, out=chi2)
        chi2 *= t
    _zero_nan(chi2)
    np.minimum(chi2, 1e300, out=chi2)
    status = np.greater(np.abs(value), limit).view(np.int8)  # Status.EXCLUDED = 1, ALLOWED = 0
    res = Result(name, value.copy(), limit.copy(), status, chi2, reference, rule)
    if applicable is None and all_finite(limit) and all_finite(value):
        return res  # nothing to mark not applicable (the common case: no masks built)
    no_limit = ~np.isfinite(limit)  # e.g. outside a curve: not applicable without a reason
    bad_value = ~np.isfinite(value) & ~no_limit
    return _finish(res, _not_applicable(applicable, value.shape, no_limit), bad_value)


def gaussian_result(
    name: str,
    reference: str,
    prediction: np.ndarray,
    measured: float,
    sigma: float,
    cl: float,
    applicable: np.ndarray | None = None,
) -> Result:
    """Gaussian measurement: χ² = ((pred − x)/σ)², excluded where χ² > χ²₁(CL).

    Points where the prediction (or the χ²) is NaN or ±inf are not applicable (never allowed)."""
    prediction = np.asarray(prediction, float)
    if (
        prediction.size == 1
        and isinstance(measured, float)
        and isinstance(sigma, float)
        and sigma != 0.0
        and (ok := _one_applicable(applicable)) is not None
    ):
        # one point: the same IEEE operations on Python floats (fewer temporaries)
        shape = prediction.shape
        if not ok:
            return not_applicable_one(name, shape, reference, "chi2")
        q = (prediction.item() - measured) / sigma
        chi2_1 = q * q
        if math.isfinite(chi2_1):
            return Result(
                name,
                prediction.copy(),
                full(shape, measured),
                status_one(shape, chi2_1 > chi2_threshold(cl)),
                full(shape, chi2_1),
                reference,
                "chi2",
            )
    chi2 = np.subtract(prediction, measured, out=np.empty(prediction.shape))
    chi2 /= sigma
    np.square(chi2, out=chi2)
    status = np.greater(chi2, chi2_threshold(cl)).view(np.int8)  # Status.EXCLUDED = 1, ALLOWED = 0
    limit = np.full(prediction.shape, measured)
    res = Result(name, prediction.copy(), limit, status, chi2, reference, "chi2")
    if applicable is None and all_finite(chi2):
        return res
    return _finish(res, _not_applicable(applicable, prediction.shape), ~np.isfinite(chi2))


def band_result(
    name: str,
    reference: str,
    value: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    cl: float,
    applicable: np.ndarray | None = None,
) -> Result:
    """Excluded where lower < |value| < upper (beam dumps). Pseudo-χ² > t only inside the band.

    χ² = t · min(|value|/lower, upper/|value|), kept within [1e-50, 1e50]: the ratio to the nearer band
    edge, > 1 exactly inside the band. ``limit`` reports the lower edge (the bound a user usually asks for).
    Points where an edge is not finite, or the value is NaN or ±inf, are not applicable (never allowed).
    """
    value, lower, upper = np.asarray(value, float), np.asarray(lower, float), np.asarray(upper, float)
    if not value.shape == lower.shape == upper.shape:
        value, lower, upper = broadcast_all(value, lower, upper)
    t = chi2_threshold(cl)
    if value.size == 1 and (ok := _one_applicable(applicable)) is not None:
        shape = value.shape
        if not ok:
            return not_applicable_one(name, shape, reference, "band")
        av1, lo, hi = abs(value.item()), lower.item(), upper.item()
        if 0.0 < av1 < math.inf and 0.0 < lo < math.inf and 0.0 < hi < math.inf:
            # one point: the same IEEE operations on Python floats (fewer temporaries)
            chi2_1 = min(max(min(av1 / lo, hi / av1), 1e-50), 1e50) * t
            return Result(
                name,
                value.copy(),
                lower.copy(),
                status_one(shape, lo < av1 < hi),
                full(shape, chi2_1),
                reference,
                "band",
            )
    av = np.abs(value)
    status = ((av > lower) & (av < upper)).view(np.int8)  # Status.EXCLUDED = 1, ALLOWED = 0
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = np.minimum(av / lower, upper / av, out=np.empty(av.shape))
    _zero_nan(chi2)
    np.clip(chi2, 1e-50, 1e50, out=chi2)
    chi2 *= t
    res = Result(name, value.copy(), lower.copy(), status, chi2, reference, "band")
    if applicable is None and all_finite(lower) and all_finite(upper) and all_finite(value):
        return res
    invalid = ~(np.isfinite(lower) & np.isfinite(upper))
    bad_value = ~np.isfinite(value) & ~invalid
    return _finish(res, _not_applicable(applicable, value.shape, invalid), bad_value)


__all__ = [
    "Status",
    "STATUS_NAMES",
    "Constraint",
    "Result",
    "EvalOptions",
    "chi2_threshold",
    "evaluate_all",
    "mask_not_applicable",
    "nonfinite_reason",
    "not_applicable_one",
    "pointwise",
    "per_edition",
    "status_one",
    "is_pointwise",
    "set_where",
    "upper_bound_result",
    "gaussian_result",
    "band_result",
]
