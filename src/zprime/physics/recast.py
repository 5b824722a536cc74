"""The recast engine: published dark-photon limits applied to any Z' (DarkCast, arXiv:1801.04847; Bodas et al.
Sec. 3.1.2, 3.3).

Public API (``name`` is one of :func:`names`; ``couplings`` a :class:`~zprime.core.couplings.Couplings` of any
broadcast shape; ``invisible_fraction`` f ∈ [0, 1] the Z' branching ratio into a dark sector, default 0):

- :func:`names` (category=, decay=) -> list of search names;
- :func:`bound` (name, couplings) -> :class:`RecastResult` (value, limit, applicable): excluded iff
  applicable and value > limit (the verdict of the search's constraint);
- :func:`excluded` (name, couplings) -> bool mask (fast path in log space; False where not applicable);
- :func:`excluded_band` (name, mass_mev, direction) -> :class:`Bounds` (lower, upper): the excluded interval
  of the model's overall coupling along a direction at each mass (NaN where nothing is excluded or outside
  the curve's measured range; ``coupling_bounds`` is the former name);
- :func:`search` (name) -> :class:`Search` (metadata and the per-search methods these functions call);
- :data:`STATE_CACHE`, a :class:`StateCache`: the per-Couplings widths, branching ratios and mass order that
  the searches share (bounded, thread-safe; ``STATE_CACHE.clear()`` frees it).

Method (DarkCast: Ilten, Soreq, Williams, Xue, arXiv:1801.04847, Sec. 2; axial couplings: Baruch, Ilten,
Soreq, Williams, arXiv:2206.08563): a search counts signal events

    N ∝ g_prod² · BR(Z' → F) · W(τ),     W = exp(−t0/τ) − exp(−t1/τ),

with g_prod² the production coupling of the search's mechanism normalised so that it equals e²ε² for a dark
photon, F the final states the search counts, τ = ħ/Γ_tot the proper lifetime and [t0, t1] the proper-time
window (boost absorbed, as in DarkCast). A model point is excluded where N_model > N_A'(ε_lim(m)), i.e.

    prompt (t0 = 0):   √(g_prod² BR_Z'(F) W_Z'/W_A') > e ε_lim(m) √BR_A'(F),
    beam dump:         g_prod² BR_Z'(F) W_Z'(t0, r t0) / N_lim(m) > 1,
    invisible:         √(g_prod² BR_Z'(inv)) > e ε_lim(m) √BR_A'(inv).

Decay scenario (``invisible_fraction`` f): the Z' decays to a dark sector with BR f and to SM states with
BR (1 − f) in the proportions of its SM widths: BR(F) = (1 − f) Γ_F/Γ_SM for visible F,
BR(inv) = f + (1 − f) Γ_νν/Γ_SM, Γ_tot = Γ_SM/(1 − f). f = 1 (e.g. the dark Z_d of
:mod:`zprime.analyses.searches_darkz`): BR(inv) = 1, visible searches see nothing, Γ_tot = ∞ (prompt).

Production couplings (normalised to the dark photon, C_Vf = eεQ_f; every mechanism of DarkCast Sec. 2.1 in
:mod:`zprime.physics.production`, several with constant or mass-dependent fractions, Eq. (2.12)), e.g.:

- e⁺e⁻ → γX and electron bremsstrahlung: C_Ve² + C_Ae² (chirality is conserved for m_e → 0); μ lines
  (``mu_brem``, e⁺e⁻ → μ⁺μ⁻X): C_Vμ² + C_Aμ²; proton bremsstrahlung (2C_Vu + C_Vd)² + axial form-factor term;
- π⁰ → γX: the amplitude is ∝ Tr(T_π⁰ {Q, Q_X}) ∝ Q_u C_Vu − Q_d C_Vd = (2C_Vu + C_Vd)/3, so
  g_prod² = (2C_Vu + C_Vd)² (= e²ε² for the dark photon);
- φ → ηX (vector-meson dominance, φ = s s̄): g_prod² = (C_Vs/Q_s)² = 9 C_Vs²;
- η, η′ → γX, ω → π⁰X, D*⁰ → D⁰X: ρ, ω, φ Breit–Wigners weighted by U(3) traces (Eqs. (2.7)–(2.10)).
  Axial quark couplings enter only proton bremsstrahlung (as in DarkCast). For a purely leptophilic Z' the
  meson-decay searches see no signal: they answer *allowed* (value 0), not "not applicable".

Kinds of search:

- prompt (t0 = 0; t1 = ∞, or t1 = L/(γc) for KLOE's 8 cm and NA48/2's 1 m):
  value = √(g_prod² · BR_Z'(F) · W_Z'/W_A'),  limit = e·ε_lim(m)·√BR_A'(F),  excluded iff value > limit.
  For t1 = ∞ (W = 1) this is Bodas's √((C_Ve²+C_Ae²) BR(ee)) ≤ e ε_lim √BR_A'(ee), the BR inside the square
  root (Bodas Eqs. (10), (11), (17) print it outside; the event yield is ∝ C² BR, as in DarkCast).
- beam dump (band files; t1 = r·t0, r = 1 + L_decay/L_shield from the header): for each mass row, t0 is solved
  ONCE at load time from N_A'(ε_l) = N_A'(ε_u) (vectorised bisection over rows); N_lim = N_A'(ε_l). log t0
  and log N_lim are interpolated linearly in log m. A model point needs no root finding:
  value = N_model/N_lim, limit = 1, excluded iff value > 1. For the dark photon both band edges are exactly
  on value = 1 at the tabulated masses.
- invisible: value = √(g_prod² · BR_Z'(νν̄)), limit = e·ε_lim·√0.99 (DarkCast sets the dark photon's
  invisible width to 99× its visible width; t0 = 0, t1 = ∞).
- r-value grid (LHCb's displaced A' → μμ; DarkCast Eq. (2.21)): r(m, ε) = upper limit / expected dark-photon
  yield; a point takes r of the dark photon with its lifetime, ε_τ² = Γ_tot/Γ_A'(m, 1):
  value = g_prod² BR_Z'(F) / (r(m, ε_τ) e² ε_τ² BR_A'(F)) = 1/r_model, limit = 1; not applicable where ε_τ is
  off the grid (section "r-value grids" below).

Reference dark photon: leptonic widths only (``widths.dark_photon_leptonic_width``). Above 2m_π ≈ 279 MeV the
true dark photon also decays to hadrons: R(m) = Γ_had/Γ_μμ(massless) ≈ ¼β_π³|F_π|² is ≈ 0.04 at 316 MeV and
≈ 0.1 at 350 MeV, so the beam dumps (E137 reaches 316 MeV: Γ_tot changes by ≤ 2%) and A1 (≤ 307 MeV) are
unaffected at the per-cent level. For the prompt ℓℓ searches above ~400 MeV (BaBar, KLOE 2015 up to
499 MeV, KLOE 2014 μμ) the leptonic-only reference overestimates BR_A'(ℓℓ) (by a factor of up to ~5 near
the ρ, R ≈ 9 at its peak), which makes the recast bound weaker than the true one: conservative. The π⁺π⁻
files (kloe_2016_pipi, kloe_2018_combined) take the reference BR into their channels as its upper bound 1
(conservative, their metadata files); the Z' width into π⁺π⁻ is not modelled, so they apply only to a Z' without
isovector vector quark coupling (C_Vu = C_Vd, e.g. leptophilic), which has no ρ-like π⁺π⁻ decay, and answer
"not applicable" otherwise (also for the dark photon).
The Z' total width has no hadronic part (see ``widths``): for a Z' with quark couplings above 2m_π it is
underestimated.

Outside a curve's measured mass range, and inside its vetoed windows, every search is "not applicable"
(NaN): nothing is extrapolated.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from typing import Any, NamedTuple

import numpy as np

from zprime.core import limit_curves
from zprime.core.constants import C_M_PER_S, E_CHARGE, ELECTRIC_CHARGE, HBAR_MEV_S
from zprime.core.couplings import COUPLING_FIELDS, COUPLING_MAX, Couplings
from zprime.core.errors import InputError, UnknownNameError
from zprime.core.limit_curves import LimitCurve, curve
from zprime.core.limits import CurveMeta, VariantMeta
from zprime.physics.observables.widths import DecayWidths, dark_photon_width, decay_widths
from zprime.physics.production import Production, mixture, production_sq

_N_BISECT = 64
_LOG_HBAR = float(np.log(HBAR_MEV_S))
_U_SATURATED = 40.0  # 1 − e^{−x} == 1 in double precision beyond x ≈ 37

# Quark charges (DarkCast stores x_u = +2e/3, x_d = -e/3).
_Q_U = ELECTRIC_CHARGE["u"]
_Q_D = ELECTRIC_CHARGE["d"]


# ------------------------------------------------------------------------------------------ models
def dark_photon(mass_mev: Any, eps: Any) -> Couplings:
    """Dark-photon couplings C_Vf = eεQ_f (C_Vℓ = −eε, C_Vu,c,t = 2eε/3, C_Vd,s,b = −eε/3; no axial, no ν)."""
    ee = E_CHARGE * np.asarray(eps, dtype=float)
    up, down = _Q_U * ee, _Q_D * ee
    return Couplings(
        mass_mev=mass_mev,
        c_ve=-ee,
        c_vmu=-ee,
        c_vtau=-ee,
        c_vu=up,
        c_vd=down,
        c_vs=down,
        c_vc=up,
        c_vb=down,
        c_vt=up,
    )


def production_coupling_sq(c: Couplings, mechanism: Production) -> np.ndarray:
    """g_prod², normalised to e²ε² for a dark photon: one mechanism's name or a
    :class:`~zprime.physics.production.Mixture` (DarkCast Eq. (2.12); see :mod:`zprime.physics.production`)."""
    return production_sq(c, mechanism)


#: Points from which a state groups equal masses (:meth:`_ModelState.group_starts`): measured faster from
#: ~2e4 points on (windows' grids), not on the verdicts' ray scans (1.7e3 to 1.7e4 points)
_GROUP_MIN_POINTS = 20_000


class _ModelState:
    """Per-Couplings quantities shared by all searches, as flat arrays of the broadcast shape.

    Holds log m, Γ_tot, log(Γ_tot/ħ), log(g_prod² · BR) per (mechanism, channels), and per curve the subset
    of points inside its mass range with their grid location (so a search only works on its own points).
    Only a weak reference to the Couplings is kept (the state is used while the caller holds the object).

    ``invisible_fraction`` f: the Z' also decays to a dark sector with BR f, the rest in the proportions of
    its SM widths: BR(F) = (1 − f) Γ_F/Γ_SM for visible F, BR(inv) = f + (1 − f) Γ_νν/Γ_SM (1 where no SM
    decay is open), Γ_tot = Γ_SM/(1 − f) (∞ for f = 1: the Z' decays promptly). f = 0 is the SM-only Z'.
    """

    def __init__(self, c: Couplings, invisible_fraction: float = 0.0, hadronic: bool = False):
        self._cref = weakref.ref(c)
        self.shape = c.shape
        self.size = c.size
        self.invisible_fraction = f = invisible_fraction
        self.hadronic = hadronic
        self.widths: DecayWidths = decay_widths(c, hadronic)
        width_sm = self.widths.total
        self._br_total = width_sm  # denominator of the branching ratios
        if f == 0.0:
            self.total_full = width_sm
        else:
            self._br_total = np.where(width_sm > 0, width_sm, 1.0)
            self.total_full = width_sm / (1.0 - f) if f < 1.0 else np.full(c.shape, np.inf)
        self.total = np.ascontiguousarray(self.total_full).ravel()
        self.mass = np.ascontiguousarray(np.broadcast_to(c.mass_mev, c.shape)).ravel()
        self.log_m = np.log(self.mass)
        self.isovector_zero = np.broadcast_to(c.c_vu == c.c_vd, c.shape)
        self._prod: dict[str, np.ndarray] = {}
        self._br: dict[tuple[str, ...], np.ndarray] = {}
        self._gbr: dict[tuple[str, tuple[str, ...]], np.ndarray] = {}
        self._log_gbr: dict[tuple[str, tuple[str, ...]], np.ndarray] = {}
        self._runs: dict[int, Any] = {}
        self._bounds: dict[int, tuple[int, int]] = {}
        self._groups: dict[int, Any] = {}
        self._group_starts: np.ndarray | None = None
        self._order: np.ndarray | None = None
        self._log_m_sorted = np.zeros(0)
        self._sorted: dict[Any, np.ndarray] = {}
        self.lock = threading.Lock()
        self.banked: dict[int, Any] = {}  # SearchBank results (see bank_arrays)
        self._log_goh: np.ndarray | None = None
        self._goh: np.ndarray | None = None

    @property
    def c(self) -> Couplings:
        """The Couplings of this state (alive while a caller evaluates it)."""
        c = self._cref()
        if c is None:  # pragma: no cover - a state is only used by a caller that holds its Couplings
            raise RuntimeError("recast state used after its Couplings was released")
        return c

    @property
    def gamma_over_hbar(self) -> np.ndarray:
        """Flat Γ_tot/ħ [1/s]."""
        if self._goh is None:
            self._goh = self.total * (1.0 / HBAR_MEV_S)
        return self._goh

    @property
    def log_gamma_over_hbar(self) -> np.ndarray:
        """Flat log(Γ_tot/ħ); −inf where Γ_tot = 0."""
        if self._log_goh is None:
            pos = self.total > 0
            self._log_goh = np.log(self.total, out=np.full(self.size, -np.inf), where=pos) - _LOG_HBAR
        return self._log_goh

    def prod(self, mechanism: Production) -> np.ndarray:
        if mechanism not in self._prod:
            # a mixture's terms come from this cache: mixtures and single mechanisms share them
            self._prod[mechanism] = production_sq(self.c, mechanism, self._component)
        return self._prod[mechanism]

    def _component(self, c: Couplings, mechanism: str) -> np.ndarray:
        """g_prod² of one mechanism (:func:`~zprime.physics.production.coupling_sq`), cached."""
        if mechanism not in self._prod:
            self._prod[mechanism] = production_sq(c, mechanism)
        return self._prod[mechanism]

    def br(self, channels: tuple[str, ...]) -> np.ndarray:
        """Σ BR over channels (broadcast shape); 'pipi' with leptonic widths: 0 for C_Vu = C_Vd, NaN (not
        modelled) otherwise; with hadronic widths Γ(π⁺π⁻) of DarkCast 2023."""
        if channels not in self._br:
            self._br[channels] = self._branching_ratio(channels, self._per_point, self.hadronic)
        return self._br[channels]

    def _per_point(self, key: str) -> np.ndarray:
        """'iso' (C_Vu = C_Vd), 'total' (Γ_tot) or a channel's partial width, in the broadcast shape."""
        if key == "iso":
            return self.isovector_zero
        if key == "total":
            return self._br_total
        w = self.widths.channel(key)
        f = self.invisible_fraction
        if f == 0.0:
            return w
        if key in ("invisible", "nunu"):
            return np.where(self.widths.total > 0, (1.0 - f) * w + f * self.widths.total, 1.0)
        return (1.0 - f) * w

    @staticmethod
    def _branching_ratio(
        channels: tuple[str, ...], arr: Callable[[str], np.ndarray], hadronic: bool = False
    ) -> np.ndarray:
        """Σ_channels Γ / Γ_tot from the per-point arrays ``arr(key)`` (see :meth:`_per_point`): 0 where
        Γ_tot = 0, NaN where a channel is not modelled ('pipi' with C_Vu ≠ C_Vd)."""
        part: np.ndarray | None = None
        for ch in channels:
            if ch == "pipi" and not hadronic:  # leptonic widths: π⁺π⁻ known to vanish only for C_Vu = C_Vd
                p = np.where(arr("iso"), 0.0, np.nan)
            else:
                p = arr(ch)
            part = np.array(p, dtype=float) if part is None else part + p
        assert part is not None
        tot = arr("total")
        pos = tot > 0
        if pos.all():
            part /= tot
            return part
        return np.divide(part, tot, out=np.where(np.isnan(part), np.nan, 0.0), where=pos)

    def gbr(self, mechanism: Production, channels: tuple[str, ...]) -> np.ndarray:
        """Flat g_prod² · BR(channels); NaN where not modelled."""
        mech = "e_e" if mechanism == "e_brem" else mechanism  # same production coupling
        key = (mech, channels)
        if key not in self._gbr:
            self._gbr[key] = np.ascontiguousarray(self.prod(mech) * self.br(channels)).ravel()
        return self._gbr[key]

    def log_gbr(self, mechanism: Production, channels: tuple[str, ...]) -> np.ndarray:
        """Flat log(g_prod² · BR(channels)); −inf where it vanishes, NaN where not modelled."""
        mech = "e_e" if mechanism == "e_brem" else mechanism
        key = (mech, channels)
        if key not in self._log_gbr:
            x = self.gbr(mech, channels)
            out = np.where(np.isnan(x), np.nan, -np.inf)
            self._log_gbr[key] = np.log(x, out=out, where=x > 0)
        return self._log_gbr[key]

    @property
    def order(self) -> np.ndarray:
        """Flat indices that sort the points by mass: the points of any curve's mass range are then one
        contiguous run ``order[i0:i1]`` (sorted once, shared by every search)."""
        if self._order is None:  # published last: a thread that sees _order also sees the sorted arrays
            order = np.argsort(self.log_m)
            self._log_m_sorted = self.log_m.take(order)
            self._sorted["mass"] = self.mass.take(order)
            self._order = order
        return self._order

    def sorted_array(self, key: str) -> np.ndarray:
        """A flat per-point array ('mass' or 'gamma_over_hbar') in mass order."""
        return self._by_mass(key, lambda: getattr(self, key))

    def _by_mass(self, key: Any, flat: Callable[[], np.ndarray]) -> np.ndarray:
        """Cached mass-ordered copy of the flat per-point array ``flat()``."""
        if key not in self._sorted:
            self._sorted[key] = np.ravel(flat()).take(self.order)
        return self._sorted[key]

    def gbr_sorted(self, mechanism: Production, channels: tuple[str, ...]) -> np.ndarray:
        """:meth:`gbr` in mass order, from the mass-ordered widths and production couplings (the same
        arithmetic as :meth:`br` and :meth:`gbr`, so the same numbers)."""
        mech = "e_e" if mechanism == "e_brem" else mechanism
        key = ("gbr", mech, channels)
        if key not in self._sorted:

            def by_mass(k: str) -> np.ndarray:
                return self._by_mass(("point", k), lambda: np.broadcast_to(self._per_point(k), self.shape))

            g = self._branching_ratio(channels, by_mass, self.hadronic)
            g *= self._by_mass(("prod", mech), lambda: self.prod(mech))
            self._sorted[key] = g
        return self._sorted[key]

    def bounds(self, cv: LimitCurve) -> tuple[int, int]:
        """(i0, i1): the mass-sorted points ``i0:i1`` lie inside the curve's measured range."""
        key = id(cv)
        if key not in self._bounds:
            self.order  # noqa: B018  (sorts on first use)
            ms = self._sorted["mass"]
            lo, hi = cv.mass_range_mev  # in MeV: the same edges as Constraint.mass_range_mev
            i0 = int(np.searchsorted(ms, lo, side="left"))
            i1 = int(np.searchsorted(ms, hi, side="right"))
            self._bounds[key] = (i0, i1)
        return self._bounds[key]

    def run(self, cv: LimitCurve) -> tuple[int, int, Any]:
        """(i0, i1, Location) of the mass-sorted points inside the curve's measured range."""
        key = id(cv)
        if key not in self._runs:
            i0, i1 = self.bounds(cv)
            self._runs[key] = (i0, i1, cv.locate_sorted(self._log_m_sorted[i0:i1]))
        return self._runs[key]

    @property
    def group_starts(self) -> np.ndarray:
        """Where each run of equal log masses starts among the mass-sorted points; empty below
        :data:`_GROUP_MIN_POINTS` points or when the masses repeat less than 4 times on average (grids of
        mass x couplings repeat each mass many times)."""
        if self._group_starts is None:
            self.order  # noqa: B018
            x = self._log_m_sorted
            starts = np.empty(0, dtype=np.intp)
            if x.size >= _GROUP_MIN_POINTS:
                starts = np.flatnonzero(x[1:] != x[:-1])
                starts += 1
                starts = starts if 4 * (starts.size + 1) <= x.size else np.empty(0, dtype=np.intp)
                if starts.size or x[0] == x[-1]:
                    starts = np.concatenate((np.zeros(1, dtype=np.intp), starts))
            self._group_starts = starts
        return self._group_starts

    def groups(self, cv: LimitCurve) -> tuple[np.ndarray, Any] | None:
        """(counts, Location) of the distinct masses of the curve's points ``i0:i1`` (each repeated
        ``counts`` times in mass order), or None where the masses do not repeat (see :attr:`group_starts`).
        The Location of every point is that of its mass repeated (:meth:`LimitCurve.locate_sorted` depends
        on each point's log mass only), so per-mass quantities are computed once per mass."""
        key = id(cv)
        if key not in self._groups:
            i0, i1 = self.bounds(cv)
            starts = self.group_starts
            out = None
            if starts.size and i1 > i0:
                a = int(np.searchsorted(starts, i0, side="right"))
                b = int(np.searchsorted(starts, i1, side="left"))
                first = np.concatenate((np.array([i0], dtype=np.intp), starts[a:b]))
                counts = np.diff(np.append(first, i1))
                out = (counts, cv.locate_sorted(self._log_m_sorted.take(first)))
            self._groups[key] = out
        return self._groups[key]

    def subset(self, cv: LimitCurve) -> tuple[np.ndarray, Any]:
        """(flat indices of the points inside the curve's mass range, in mass order; their Location)."""
        i0, i1, loc = self.run(cv)
        return self.order[i0:i1], loc


class StateCache:
    """Bounded, thread-safe cache of the per-Couplings state that the searches share.

    The ~20 searches evaluated on one Couplings array need the same widths, branching ratios and mass order;
    the cache computes them once. Key: (identity of the Couplings object, invisible fraction); a Couplings is
    immutable, so its identity fixes its values. Each entry holds only a weak reference to its object: an
    entry whose object was collected never answers (a new object at a recycled address misses) and is
    dropped at the next miss. At most ``maxsize`` entries (least recently used evicted first); a lock makes
    lookups safe from several threads (the state is built outside the lock: two threads missing on the same
    object at once both build it, with identical numbers). :meth:`clear` empties it.
    """

    def __init__(self, maxsize: int = 16):
        if int(maxsize) < 1:
            raise InputError("maxsize", f"must be an integer >= 1, got {maxsize!r}")
        self._maxsize = int(maxsize)
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[int, float, bool], tuple[weakref.ref[Couplings], _ModelState]] = (
            OrderedDict()
        )
        self.hits = 0
        self.misses = 0

    @property
    def maxsize(self) -> int:
        return self._maxsize

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, c: Couplings, invisible_fraction: float = 0.0, hadronic: bool = False) -> _ModelState:
        """The state of ``c`` with the given invisible fraction and widths (built on a miss)."""
        key = (id(c), invisible_fraction, hadronic)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                if entry[0]() is c:
                    self._entries.move_to_end(key)
                    self.hits += 1
                    return entry[1]
                del self._entries[key]  # the address now belongs to another object
        st = _ModelState(c, invisible_fraction, hadronic)
        with self._lock:
            self.misses += 1
            for k in [k for k, (ref, _) in self._entries.items() if ref() is None]:
                del self._entries[k]
            self._entries[key] = (weakref.ref(c), st)
            self._entries.move_to_end(key)
            while len(self._entries) > self._maxsize:
                self._entries.popitem(last=False)
        return st

    def clear(self) -> None:
        """Drop every entry (and reset the hit/miss counters)."""
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0


#: The cache of the module's evaluation functions (16 entries: two per thread of ``evaluate``'s pool).
STATE_CACHE = StateCache(maxsize=16)


def _state(c: Couplings, invisible_fraction: float = 0.0, hadronic: bool = False) -> _ModelState:
    """The shared state of ``c`` from :data:`STATE_CACHE`."""
    return STATE_CACHE.get(c, invisible_fraction, hadronic)


def _fraction(invisible_fraction: Any) -> float:
    """The invisible fraction as a float in [0, 1] (InputError otherwise)."""
    if invisible_fraction.__class__ is float and 0.0 <= invisible_fraction <= 1.0:
        return invisible_fraction + 0.0  # type: ignore[no-any-return]  # -0.0 -> 0.0: one cache key
    try:
        f = float(invisible_fraction)
    except (TypeError, ValueError):
        f = np.nan
    if not 0.0 <= f <= 1.0:
        raise InputError("invisible_fraction", f"must be a number in [0, 1], got {invisible_fraction!r}")
    return f + 0.0


def _same(a: np.ndarray) -> np.ndarray:
    return a


def _exp_minus(a: np.ndarray) -> np.ndarray:
    """e^{−a} (as ``np.exp(-a)``)."""
    return np.exp(-a)


# ------------------------------------------------------------------------------------- root finding
def _bisect_log(
    fn: Callable[[np.ndarray], np.ndarray], lo: np.ndarray, hi: np.ndarray, n_iter: int = _N_BISECT
) -> np.ndarray:
    """Vectorised bisection in log x for fn(x) = 0 with fn(lo) > 0 > fn(hi) (or the reverse, elementwise)."""
    a = np.log(lo)
    b = np.log(hi)
    sign_a = np.sign(fn(np.exp(a)))
    for _ in range(n_iter):
        mid = 0.5 * (a + b)
        s = np.sign(fn(np.exp(mid)))
        same = s == sign_a
        a = np.where(same, mid, a)
        b = np.where(same, b, mid)
    return np.exp(0.5 * (a + b))


def _log_decay_before(x: np.ndarray) -> np.ndarray:
    """log(1 − e^{−x}): log of the probability to decay before the flight-length cut, x = t1/τ ≥ 0
    (0 where saturated, −inf at x = 0)."""
    n = x.size
    open_ = x < _U_SATURATED
    t = np.expm1(-x, out=np.full(n, -1.0), where=open_)
    out = np.log(-t, out=np.zeros(n), where=open_ & (t < 0))
    out[open_ & (t >= 0)] = -np.inf
    return out


def _log_window(u: np.ndarray, r: float) -> np.ndarray:
    """log[e^{−u} − e^{−ru}] for u ≥ 0 (−inf at u = 0)."""
    with np.errstate(divide="ignore"):
        return -u + np.log(-np.expm1(-(r - 1.0) * u))


def _log_f(u: np.ndarray, r: float) -> np.ndarray:
    """log f(u), f(u) = u (e^{−u} − e^{−ru}): the beam-dump yield in units of the lifetime variable u."""
    return np.log(u) + _log_window(u, r)


def _f_peak(r: float) -> float:
    """u* maximising f(u) = u(e^{−u} − e^{−ru}): root of (1−u)e^{−u} = (1−ru)e^{−ru} (bisection)."""

    def g(u: np.ndarray) -> np.ndarray:  # d log f / du
        with np.errstate(over="ignore"):
            return 1.0 / u - 1.0 + (r - 1.0) / np.expm1((r - 1.0) * u)

    return float(_bisect_log(g, np.array(1e-12), np.array(1e3), 200))


# --------------------------------------------------------------------------------------------- search
class Bounds(NamedTuple):
    """Excluded interval lower < s < upper of the coupling scale along a direction.

    NaN for both edges where nothing is excluded or the search does not apply.
    """

    lower: np.ndarray
    upper: np.ndarray


class RecastResult(NamedTuple):
    value: np.ndarray
    limit: np.ndarray
    applicable: np.ndarray


@dataclass(frozen=True, eq=False)
class Search:
    """A published limit prepared for the recast (one per constraint name).

    Tables on the curve's mass rows (built once, interpolated linearly in log m):
    ``log_limit`` = log(e ε_lim √BR_A'(F)) (prompt, invisible), ``log_wref`` = log W_A'(ε_lim) (prompt with a
    flight-length cut), ``log_t0`` and ``log_nlim`` (beam dumps).
    """

    name: str
    title: str
    reference: str
    category: str
    kind: str  # 'prompt' | 'beam_dump' | 'invisible' | 'rvalue'
    production: Production  # a mechanism's name, or a Mixture (several mechanisms with fractions)
    channels: tuple[str, ...]
    curve: LimitCurve
    cl: float
    lifetime: dict[str, Any]
    reference_br: float | None
    tags: tuple[str, ...] = ()
    arxiv: str | None = None
    log_limit: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    log_wref: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    r: float = np.nan
    log_t0: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    log_nlim: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    u_peak: float = np.nan
    t1_table: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    hadronic: bool = False  # widths of the Z' and the reference dark photon: with hadrons (DarkCast 2023)
    rvalue_grid: tuple[np.ndarray, np.ndarray] | None = field(
        default=None, repr=False
    )  # (log ε, log r[m, ε])
    _steps: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, init=False, repr=False)

    def _table_steps(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """(table, table[i+1] − table[i]) of the row table ``key`` (built once; the step is NaN-padded)."""
        if key not in self._steps:
            table = np.ascontiguousarray(getattr(self, key), dtype=float)
            with np.errstate(invalid="ignore"):
                step = np.append(table[1:] - table[:-1], np.nan)
            self._steps[key] = (table, step)
        return self._steps[key]

    @property
    def mass_range_mev(self) -> tuple[float, float]:
        return self.curve.mass_range_mev

    @property
    def windowed(self) -> bool:
        """True for prompt searches with a finite proper-time cut: a flight length (KLOE, NA48/2) or a
        tabulated t1(m) (LHCb, CMS)."""
        return self.lifetime["kind"] in ("flight_length", "proper_time")

    def citation(self) -> str:
        extra = f", arXiv:{self.arxiv}" if self.arxiv else ""
        return (
            f"{self.reference}{extra}; curve digitised by DarkCast (Ilten, Soreq, Williams, Xue, "
            f"arXiv:1801.04847, arXiv:2206.08563)"
        )

    # ------------------------------------------------------------------------- reference dark photon
    def reference_br_at(self, mass_mev: np.ndarray) -> np.ndarray:
        """BR_A'(F) of the dark photon (leptonic-only, or with ``hadronic`` its DarkCast 2023 widths), or the
        metadata's fixed reference_br. With hadronic widths a visible search always takes the computed BR (the
        fixed 1 of the π⁺π⁻ files stands in for the unmodelled hadronic width); invisible searches keep
        DarkCast's fixed 0.99."""
        if self.reference_br is not None and not (self.hadronic and self.kind != "invisible"):
            return np.full(np.shape(mass_mev), self.reference_br)
        w = dark_photon_width(mass_mev, 1.0, self.hadronic)
        part = sum(w.channel(ch) for ch in self.channels)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(w.total > 0, part / w.total, np.nan)  # NaN below 2 m_e: no visible decay

    def t1_s(self, mass_mev: np.ndarray) -> np.ndarray:
        """Upper proper-time cut t1 = L/(γc) [s] of a prompt search with a flight-length cut (else inf)."""
        lt = self.lifetime
        m = np.asarray(mass_mev, float)
        if lt["kind"] == "proper_time":
            assert self.t1_table is not None
            return np.interp(m, self.t1_table[0], self.t1_table[1])
        if lt["kind"] != "flight_length":
            return np.full(m.shape, np.inf)
        b = lt["boost"]
        if b["kind"] == "two_body":
            big = b["parent_mass_mev"]
            gamma = (big**2 + m**2 - b["recoil_mass_mev"] ** 2) / (2.0 * big * m)
        else:
            gamma = b["energy_mev"] / m
        return lt["length_m"] / (np.maximum(gamma, 1.0) * C_M_PER_S)

    # ------------------------------------------------------------------------------------- recast
    def _log_ratio_flat(self, st: _ModelState, screen: bool) -> tuple[np.ndarray, ...]:
        """(sel, log value, log limit, applicable) on the points ``sel`` inside the curve's mass range."""
        if self.kind == "rvalue":
            sel, log_value, app = _rvalue_log_values(self, st)
            return sel, log_value, np.zeros(sel.size), app
        sel, loc = st.subset(self.curve)

        def take(a: np.ndarray) -> np.ndarray:
            return a.take(sel)

        lgb = take(st.log_gbr(self.production, self.channels))
        n = lgb.size
        with np.errstate(invalid="ignore"):
            if self.kind == "beam_dump":
                big_l = lgb - loc.interp_raw(self.log_nlim)  # log(g²BR/N_lim)
                log_u = loc.interp_raw(self.log_t0) + take(st.log_gamma_over_hbar)
                app = loc.valid & ~np.isnan(lgb) & self.finite_rows(loc)
                cand = app & (big_l > -np.inf) & (log_u > -np.inf)
                if screen:
                    pos = cand & (big_l > 0)
                    log_big_l = np.log(big_l, out=np.full(n, -np.inf), where=pos)
                    cand = pos & (log_u < log_big_l) & (log_u + np.log(self.r - 1.0) + big_l > 0)
                u = np.exp(log_u, out=np.zeros(n), where=cand)
                t = np.expm1(-(self.r - 1.0) * u, out=np.full(n, -1.0), where=cand)
                log_w = np.log(-t, out=np.full(n, -np.inf), where=cand & (t < 0))
                log_value = np.where(cand, big_l + log_w - u, -np.inf)
                log_lim = np.zeros(n)
            else:
                log_lim = loc.interp_raw(self.log_limit)
                log_value = 0.5 * lgb
                if self.windowed:
                    x = self.t1_s(take(st.mass)) * take(st.total) / HBAR_MEV_S
                    log_value = log_value + 0.5 * (_log_decay_before(x) - loc.interp_raw(self.log_wref))
                app = loc.valid & ~np.isnan(lgb) & np.isfinite(log_lim)
        return sel, log_value, log_lim, app

    def _applicable_arrays(self, st: _ModelState) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """(flat indices of the applicable points, in mass order; value; limit, None for beam dumps: 1).

        Only the applicable points are computed, in linear space with as few exp/log as possible:

        - prompt: value = √(g²BR · W/W_A'), W = 1 − e^{−t1/τ} (windowed searches only), limit = e^{log lim};
        - beam dump: value = g²BR · e^{−u − log N_lim} · (1 − e^{−(r−1)u}), u = t0 Γ/ħ, limit = 1. Where the
          exponent is below −745.5 the value underflows to 0 and the rest is skipped (the Z' decays in the
          shield).
        """
        if self.kind == "rvalue":  # value = 1/r_model, limit 1 (r-value grids, see _rvalue_log_values)
            sel, log_value, app = _rvalue_log_values(self, st)
            return sel[app], np.exp(log_value[app]), None
        grouped = st.groups(self.curve)
        if grouped is not None:
            return self._applicable_grouped(st, *grouped)
        i0, i1, loc = st.run(self.curve)
        sel: np.ndarray = st.order[i0:i1]
        g = st.gbr_sorted(self.production, self.channels)[i0:i1]
        idx, w = loc.index, loc.weight
        beam = self.kind == "beam_dump"
        app = None if loc.all_valid else loc.valid
        if "pipi" in self.channels:
            app = ~np.isnan(g) if app is None else app & ~np.isnan(g)
        if beam and not self._beam_rows_all_ok:
            app = self.finite_rows(loc) if app is None else app & self.finite_rows(loc)
        keep = None if app is None or app.all() else np.flatnonzero(app)
        if keep is not None:
            idx, w, g, sel = idx.take(keep), w.take(keep), g.take(keep), sel.take(keep)

        def take(key: str) -> np.ndarray:  # a per-point array of the state, on the points ``sel``
            a = st.sorted_array(key)[i0:i1]
            return a if keep is None else a.take(keep)

        def interp(key: str) -> np.ndarray:  # = Location.interp_raw of the table ``key``
            table, step = self._table_steps(key)
            out = step.take(idx)  # table[idx + 1] − table[idx], bit for bit
            out *= w
            out += table.take(idx)
            return out

        return self._values(sel, g, take, lambda key, f: f(interp(key)))

    def _applicable_grouped(
        self, st: _ModelState, counts: np.ndarray, loc: Any
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """:meth:`_applicable_arrays` where the masses repeat (``st.groups``: ``loc`` locates each distinct
        mass, repeated ``counts`` times): the interpolations and their exponentials are computed once per
        mass and repeated, the rest per point; every number is the one of the per-point arithmetic."""
        i0, i1 = st.bounds(self.curve)
        sel: np.ndarray = st.order[i0:i1]
        g = st.gbr_sorted(self.production, self.channels)[i0:i1]
        beam = self.kind == "beam_dump"
        app_m = None if loc.all_valid else loc.valid  # per mass
        if beam and not self._beam_rows_all_ok:
            app_m = self.finite_rows(loc) if app_m is None else app_m & self.finite_rows(loc)
        app = None if app_m is None or app_m.all() else np.repeat(app_m, counts)
        if "pipi" in self.channels:
            app = ~np.isnan(g) if app is None else app & ~np.isnan(g)
        keep = None if app is None or app.all() else np.flatnonzero(app)
        if keep is not None:
            g, sel = g.take(keep), sel.take(keep)

        def take(key: str) -> np.ndarray:  # a per-point array of the state, on the points ``sel``
            a = st.sorted_array(key)[i0:i1]
            return a if keep is None else a.take(keep)

        def per_point(a: np.ndarray) -> np.ndarray:  # per-mass values on the points ``sel``
            a = np.repeat(a, counts)
            return a if keep is None else a.take(keep)

        def interp(key: str) -> np.ndarray:  # per mass, as _applicable_arrays' interp per point
            table, step = self._table_steps(key)
            out = step.take(loc.index)
            out *= loc.weight
            out += table.take(loc.index)
            return out

        return self._values(sel, g, take, lambda key, f: per_point(f(interp(key))))

    def _values(
        self,
        sel: np.ndarray,
        g: np.ndarray,
        take: Callable[[str], np.ndarray],
        table: Callable[[str, Callable[[np.ndarray], np.ndarray]], np.ndarray],
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """The tail of :meth:`_applicable_arrays` on the applicable points ``sel`` with g_prod² BR ``g``:
        ``take(key)`` gives a per-point array of the model state, ``table(key, f)`` the per-point values of
        f(interpolated table ``key``) (interpolated per point, or per mass and repeated)."""
        n = g.size
        with np.errstate(invalid="ignore", over="ignore"):
            if self.kind == "beam_dump":
                u = table("log_t0", np.exp)
                u *= take("gamma_over_hbar")
                arg = table("log_nlim", _same)
                arg += u
                np.negative(arg, out=arg)  # −u − log N_lim
                ok = (arg > -745.5) & (g > 0) & (u > 0)
                value = np.zeros(n)
                if ok.any():
                    k = np.flatnonzero(ok)
                    uk = u.take(k)
                    win = np.expm1(uk * (1.0 - self.r))
                    np.negative(win, out=win)  # 1 − e^{−(r−1)u}
                    win *= np.exp(arg.take(k))
                    win *= g.take(k)
                    value[k] = win
                return sel, value, None
            lim = table("log_limit", np.exp)
            if self.windowed:
                x = self.t1_s(take("mass"))
                x *= take("gamma_over_hbar")
                ratio = np.expm1(-x)
                np.negative(ratio, out=ratio)  # W = 1 − e^{−t1/τ}
                ratio *= table("log_wref", _exp_minus)
                g = g * ratio
            value = np.sqrt(g)
            if not self._limit_rows_ok:  # rows without a reference dark photon (below 2 m_e)
                fin = np.isfinite(lim) & np.isfinite(value)
                if not fin.all():
                    k = np.flatnonzero(fin)
                    value, lim, sel = value.take(k), lim.take(k), sel.take(k)
        return sel, value, lim

    def _limit_rows_ok(self) -> bool:
        """True when every row of the prompt/invisible tables (limit, reference window) is finite."""
        return bool(
            np.isfinite(self.log_limit).all() and (not self.windowed or np.isfinite(self.log_wref).all())
        )

    def upper_bound_arrays(
        self, c: Couplings, t: float, *, invisible_fraction: float = 0.0
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(value, limit, status, χ²) in the broadcast shape, as ``upper_bound_result`` of
        :meth:`value_and_limit` with threshold ``t`` = χ²₁(CL) gives them (not applicable: NaN, NaN, 2, 0)."""
        n = c.size
        out = (np.empty(n), np.empty(n), np.empty(n, dtype=np.int8), np.empty(n))
        self.upper_bound_into(c, t, *out, invisible_fraction=invisible_fraction)
        return tuple(a.reshape(c.shape) for a in out)  # type: ignore[return-value]

    def upper_bound_into(
        self,
        c: Couplings,
        t: float,
        value: np.ndarray | None,
        limit: np.ndarray | None,
        status: np.ndarray,
        chi2: np.ndarray | None,
        *,
        invisible_fraction: float = 0.0,
    ) -> None:
        """:meth:`upper_bound_arrays` written into flat arrays of ``c.size`` (C order of the broadcast
        shape), e.g. slices of larger outputs: no temporaries of the full size. ``value``, ``limit`` or
        ``chi2`` None: not computed (a caller that needs the verdicts only)."""
        st = _state(c, _fraction(invisible_fraction), self.hadronic)
        if value is not None:
            value.fill(np.nan)
        if limit is not None:
            limit.fill(np.nan)
        status.fill(2)  # Status.NOT_APPLICABLE
        if chi2 is not None:
            chi2.fill(0.0)
        i0, i1 = st.bounds(self.curve)
        if i0 == i1:  # no point inside the curve's mass range: nothing else to do
            return
        sel, v, lim = self._applicable_arrays(st)
        # v ≥ 0 and lim > 0 are finite here (NaN inputs were left out): no NaN χ²
        ex = np.greater(v, 1.0 if lim is None else lim)  # beam dumps: value = N/N_lim, limit 1
        status[sel] = ex.view(np.int8)  # Status.EXCLUDED = 1, ALLOWED = 0
        if value is not None:
            value[sel] = v
        if limit is not None:
            limit[sel] = 1.0 if lim is None else lim
        if chi2 is not None:
            with np.errstate(over="ignore"):
                if lim is None:
                    c2 = np.square(v)
                else:
                    c2 = np.divide(v, lim)
                    np.square(c2, out=c2)
                c2 *= t
            np.minimum(c2, 1e300, out=c2)
            chi2[sel] = c2

    def finite_rows(self, loc: Any) -> np.ndarray:
        """Beam dumps: both neighbouring rows have a solved t0 (rows below 2 m_e have none)."""
        ok = self._beam_rows_ok
        return ok[loc.index] & ok[loc.index + 1]

    @cached_property
    def _beam_rows_all_ok(self) -> bool:
        """Beam dumps: every row has a solved t0 and N_lim."""
        return bool(self._beam_rows_ok.all())

    @cached_property
    def _beam_rows_ok(self) -> np.ndarray:
        """Beam dumps: rows with a solved t0 and N_lim (computed once per search)."""
        return np.isfinite(self.log_t0) & np.isfinite(self.log_nlim)

    def log_ratio(
        self, c: Couplings, *, screen: bool = False, invisible_fraction: float = 0.0
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(log value, log limit, applicable) in the broadcast shape; excluded iff log value > log limit.

        With ``screen`` the beam-dump window is only evaluated where exclusion is possible (necessary
        conditions g²BR > N_lim, u < log(g²BR/N_lim), (r−1)u > N_lim/(g²BR)); elsewhere log value = −inf.
        """
        st = _state(c, _fraction(invisible_fraction), self.hadronic)
        sel, lv, ll, app = self._log_ratio_flat(st, screen)
        full_v = np.full(st.size, np.nan)
        full_l = np.full(st.size, np.nan)
        full_a = np.zeros(st.size, bool)
        full_v[sel] = np.where(app, lv, np.nan)
        full_l[sel] = np.where(app, ll, np.nan)
        full_a[sel] = app
        return full_v.reshape(st.shape), full_l.reshape(st.shape), full_a.reshape(st.shape)

    def value_and_limit(self, c: Couplings, *, invisible_fraction: float = 0.0) -> RecastResult:
        """Recast value and limit for every point (see module docstring); NaN where not applicable."""
        st = _state(c, _fraction(invisible_fraction), self.hadronic)
        sel, v, lim = self._applicable_arrays(st)
        app = np.zeros(st.size, bool)
        app[sel] = True
        out_v = np.full(st.size, np.nan)
        out_l = np.full(st.size, np.nan)
        out_v[sel] = v
        out_l[sel] = 1.0 if lim is None else lim
        return RecastResult(out_v.reshape(st.shape), out_l.reshape(st.shape), app.reshape(st.shape))

    def excluded(self, c: Couplings, *, invisible_fraction: float = 0.0) -> np.ndarray:
        """True where the point is excluded (fast path: log space, own mass range only, screened window)."""
        st = _state(c, _fraction(invisible_fraction), self.hadronic)
        sel, lv, ll, app = self._log_ratio_flat(st, screen=True)
        full = np.zeros(st.size, bool)
        full[sel] = app & (lv > ll)
        return full.reshape(st.shape)

    # ------------------------------------------------------------------------------ coupling edges
    def coupling_bounds(
        self, mass_mev: Any, direction: Couplings | Mapping[str, Any], *, invisible_fraction: float = 0.0
    ) -> Bounds:
        """Excluded interval of the scale s of couplings = s·d̂ at each mass (vectorised, no per-point loop).

        d̂ is ``direction`` divided by its electron norm √(d_Ve² + d_Ae²) (so s = √(C_Ve² + C_Ae²)), or by its
        Euclidean norm when it has no electron coupling. Returns NaN for both edges where nothing is excluded,
        the search does not apply, or the mass lies outside the curve's measured range or in a veto window;
        upper = inf for one-sided searches, finite for the closed islands of beam dumps.

        A direction whose electron part is tiny (e.g. L_μ − L_τ with loop-induced mixing) is evaluated along
        its Euclidean unit vector (d̂ by the electron norm would exceed |C| ≤ 4π) and the edges converted back.
        """
        roots, finish = self._coupling_plan(mass_mev, direction, invisible_fraction)
        return finish(_solve_roots(roots))

    def _coupling_plan(
        self, mass_mev: Any, direction: Couplings | Mapping[str, Any], invisible_fraction: float
    ) -> tuple[list[_Root], Callable[[list[np.ndarray]], Bounds]]:
        """:meth:`coupling_bounds` as (roots, finish), see :meth:`_bounds_plan`."""
        m = np.asarray(mass_mev, dtype=float)
        vals = _direction_values(direction)
        norm = _direction_norm(vals)
        big = np.max(np.abs(np.stack(np.broadcast_arrays(*vals.values()))), axis=0)
        if np.any(big > COUPLING_MAX * norm):
            full = np.sqrt(sum(v**2 for v in vals.values()))
            inner = np.where(big > COUPLING_MAX * norm, full, norm)
            roots, finish = self._bounds_plan(
                m, Couplings(mass_mev=m, **{k: v / inner for k, v in vals.items()}), invisible_fraction
            )
            factor = norm / inner  # s along d/norm = s' along d/inner × norm/inner

            def scaled(x: list[np.ndarray]) -> Bounds:
                b = finish(x)
                return Bounds(b.lower * factor, b.upper * factor)

            return roots, scaled
        return self._bounds_plan(
            m, Couplings(mass_mev=m, **{k: v / norm for k, v in vals.items()}), invisible_fraction
        )

    def _bounds_unit(self, m: np.ndarray, d: Couplings, invisible_fraction: float) -> Bounds:
        """:meth:`coupling_bounds` along the unit direction ``d`` (its coupling scale s multiplies d)."""
        roots, finish = self._bounds_plan(m, d, invisible_fraction)
        return finish([_solve_roots([r])[0] for r in roots])

    def _bounds_plan(
        self, m: np.ndarray, d: Couplings | None, invisible_fraction: float, st: Any = None
    ) -> tuple[list[_Root], Callable[[list[np.ndarray]], Bounds]]:
        """:meth:`_bounds_unit` in two steps: the roots it needs (:class:`_Root`, solved by
        :func:`_solve_roots`, alone or together with other searches' roots) and the function that turns
        their solutions into the :class:`Bounds`. ``st``: the state of ``d`` (a :class:`_StatePart` of a
        state shared by several searches), else built here. r-value grids need no roots (edges on the grid)."""
        if self.kind == "rvalue":
            if d is None:
                d = st.couplings()
            b = _rvalue_bounds(self, m, d, invisible_fraction)
            return [], lambda _solved: b
        if st is None:
            assert d is not None
            st = _ModelState(d, _fraction(invisible_fraction), self.hadronic)
        a = st.prod(self.production) * st.br(self.channels)  # N(s) = s² a W(s)
        gam1 = st.total_full  # Γ_tot at s = 1 (Γ ∝ s²)
        loc = self.curve.locate(m)
        shape = st.shape
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.kind == "beam_dump":
                a0 = loc.interp_exp(self.log_t0) * gam1 / HBAR_MEV_S  # u = s² a0
                c_t = loc.interp_exp(self.log_nlim) * a0 / a  # f(u) = c_t at the edges
                fmax = float(np.exp(_log_f(np.array(self.u_peak), self.r)))
                ok = loc.valid & (a > 0) & (a0 > 0) & np.isfinite(c_t) & (c_t < fmax)
                logc = np.log(np.where(ok, c_t, 0.5 * fmax))
                up = np.full(shape, self.u_peak)
                lo_start = np.minimum(np.exp(0.5 * (logc - np.log(self.r - 1.0))), up) * (1 - 1e-12)
                hi_end = np.maximum(10.0 - 2.0 * logc, 2.0 * up)
                roots = [_Root("beam", lo_start, up, logc, self.r), _Root("beam", up, hi_end, logc, self.r)]

                def finish_beam(u: list[np.ndarray]) -> Bounds:
                    with np.errstate(divide="ignore", invalid="ignore"):
                        return Bounds(
                            np.where(ok, np.sqrt(u[0] / a0), np.nan), np.where(ok, np.sqrt(u[1] / a0), np.nan)
                        )

                return roots, finish_beam
            nlim = np.exp(2.0 * loc.interp(self.log_limit))  # e² ε² BR_A'
            ok = loc.valid & (a > 0) & np.isfinite(a) & np.isfinite(nlim)
            if self.windowed:
                nlim = nlim * loc.interp_exp(self.log_wref)
                a1 = self.t1_s(m) * gam1 / HBAR_MEV_S  # N = s² a (1 − e^{−s² a1}) = (a/a1) v(1 − e^{−v})
                ok &= a1 > 0
                c_t = np.where(ok, nlim * a1 / a, 1.0)
                lo_b = np.maximum(np.sqrt(c_t), c_t) * (1 - 1e-12)
                hi_b = np.maximum(np.sqrt(c_t / 0.632), c_t / 0.632) * (1 + 1e-12)
                logc = np.log(c_t)

                def finish_window(v: list[np.ndarray]) -> Bounds:
                    with np.errstate(divide="ignore", invalid="ignore"):
                        lower = np.where(ok, np.sqrt(v[0] / a1), np.nan)
                    return Bounds(lower, np.where(np.isfinite(lower), np.inf, np.nan))

                return [_Root("window", lo_b, hi_b, logc)], finish_window
            lower = np.where(ok, np.sqrt(nlim / a), np.nan)
        bounds = Bounds(lower, np.where(np.isfinite(lower), np.inf, np.nan))
        return [], lambda _: bounds


class _StatePart:
    """The points i0:i1 of a flat :class:`_ModelState` of constant couplings (what
    :meth:`Search._bounds_plan` reads of a state: production couplings, computed on these points, and
    branching ratios and total width, parts of the parent's; each elementwise, so the numbers are those of
    the state of these points alone)."""

    def __init__(self, parent: _ModelState, couplings: Couplings, i0: int, i1: int):
        self._parent, self._i0, self._i1 = parent, i0, i1
        self._couplings = couplings  # the parent state holds only a weak reference
        self.shape = (i1 - i0,)

    def _part(self, x: np.ndarray) -> np.ndarray:
        return x if np.ndim(x) == 0 else np.broadcast_to(x, self._parent.shape)[self._i0 : self._i1]

    def couplings(self) -> Couplings:
        """The Couplings of these points alone."""
        c = self._couplings
        return Couplings(
            mass_mev=c.mass_mev[self._i0 : self._i1], **{k: getattr(c, k) for k in COUPLING_FIELDS}
        )

    def prod(self, mechanism: Production) -> np.ndarray:
        # on these points only: a mechanism serves few searches (meson form factors are costly per point)
        return production_coupling_sq(self.couplings(), mechanism)

    def br(self, channels: tuple[str, ...]) -> np.ndarray:
        return self._part(self._parent.br(channels))

    @property
    def total_full(self) -> np.ndarray:
        return self._part(self._parent.total_full)


class _Root(NamedTuple):
    """A root to bracket-solve in log x (:func:`_bisect_log`): ``kind`` 'beam' (log f(u) = logc, f of the
    window factor ``r``) or 'window' (log v + log(1 − e^{−v}) = logc), between ``lo`` and ``hi``."""

    kind: str
    lo: np.ndarray
    hi: np.ndarray
    logc: np.ndarray
    r: float = np.nan


def _root_fn(kind: str, logc: np.ndarray, r: Any) -> Callable[[np.ndarray], np.ndarray]:
    if kind == "beam":
        return lambda u: _log_f(u, r) - logc
    return lambda v: np.log(v) + np.log(-np.expm1(-v)) - logc


def _solve_roots(roots: list[_Root]) -> list[np.ndarray]:
    """Solve the roots of one or several searches: those of one kind in one lockstep bisection (elementwise
    the same arithmetic as one bisection per root, so the same numbers)."""
    out: list[np.ndarray | None] = [None] * len(roots)
    for kind in ("beam", "window"):
        idx = [i for i, r in enumerate(roots) if r.kind == kind]
        if not idx:
            continue
        if len(idx) == 1:
            r = roots[idx[0]]
            out[idx[0]] = _bisect_log(_root_fn(kind, r.logc, r.r), r.lo, r.hi)
            continue
        sizes = [roots[i].lo.size for i in idx]
        cat = [np.concatenate([np.ravel(getattr(roots[i], f)) for i in idx]) for f in ("lo", "hi", "logc")]
        rr = np.concatenate([np.full(n, roots[i].r) for i, n in zip(idx, sizes, strict=True)])
        x = _bisect_log(_root_fn(kind, cat[2], rr), cat[0], cat[1])
        at = 0
        for i, n in zip(idx, sizes, strict=True):
            out[i] = x[at : at + n].reshape(roots[i].lo.shape)
            at += n
    return out  # type: ignore[return-value]


# ------------------------------------------------------------------------------------------- bank
#: Largest batch (points) for which :func:`bank_arrays` packs every search into one vectorised pass; larger
#: batches go search by search (less memory: N searches × n points of temporaries otherwise), see
#: ``benchmarks/bench_recast.py``.
BANK_MAX_POINTS = 512

_BEAM, _PROMPT = 0, 1

#: Mass arrays whose :class:`SearchBank` geometry is kept (a few MB at most: ≤ 512 points each)
_GEOMETRY_CACHE_SIZE = 8


def _kept_pairs(keep: np.ndarray, k: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """(which of the pairs at geometry positions ``k`` the boolean ``keep`` marks, their positions among the
    kept geometry pairs); (None, k) when none is kept."""
    sel = np.flatnonzero(keep.take(k))
    if sel.size == 0:
        return None, k
    return sel, (np.cumsum(keep) - 1).take(k.take(sel))


@dataclass(frozen=True)
class _BeamPairs:
    """The beam-dump (search, point) pairs of a :class:`SearchBank` geometry: positions ``k`` among the
    geometry's pairs, points ``p``, flat output positions ``at``, χ² thresholds and the mass-only factors
    exp(log t0(m)), log N_lim(m), 1 − r of the lifetime window."""

    k: np.ndarray
    p: np.ndarray
    at: np.ndarray
    t: np.ndarray
    exp_log_t0: np.ndarray
    log_nlim: np.ndarray
    one_minus_r: np.ndarray

    def subset(self, keep: np.ndarray) -> _BeamPairs | None:
        """The pairs whose geometry position is marked in the boolean ``keep`` (positions renumbered)."""
        sel, k = _kept_pairs(keep, self.k)
        if sel is None:
            return None
        return _BeamPairs(
            k,
            *(
                a.take(sel)
                for a in (self.p, self.at, self.t, self.exp_log_t0, self.log_nlim, self.one_minus_r)
            ),
        )


@dataclass(frozen=True)
class _PromptPairs:
    """The prompt (search, point) pairs of a :class:`SearchBank` geometry: positions ``k``, output positions
    ``at``, χ² thresholds, the interpolated limit, the lifetime-windowed pairs (``kw`` among these, their
    points ``pw``, t1 and exp(−log W_ref)) and the searches that drop non-finite rows."""

    k: np.ndarray
    at: np.ndarray
    t: np.ndarray
    limit: np.ndarray
    limit_finite: np.ndarray
    drop_nonfinite: np.ndarray
    any_drop: bool
    kw: np.ndarray
    pw: np.ndarray
    t1: np.ndarray
    exp_neg_log_wref: np.ndarray

    def subset(self, keep: np.ndarray) -> _PromptPairs | None:
        """The pairs whose geometry position is marked in the boolean ``keep`` (positions renumbered)."""
        sel, k = _kept_pairs(keep, self.k)
        if sel is None:
            return None
        # windowed pairs: their index among these pairs, kept where the pair is
        local = np.full(self.k.size, -1, dtype=np.intp)
        local[sel] = np.arange(sel.size)
        wsel = np.flatnonzero(local.take(self.kw) >= 0)
        drop = self.drop_nonfinite.take(sel)
        return _PromptPairs(
            k=k,
            at=self.at.take(sel),
            t=self.t.take(sel),
            limit=self.limit.take(sel),
            limit_finite=self.limit_finite.take(sel),
            drop_nonfinite=drop,
            any_drop=bool(drop.any()),
            kw=local.take(self.kw.take(wsel)),
            pw=self.pw.take(wsel),
            t1=self.t1.take(wsel),
            exp_neg_log_wref=self.exp_neg_log_wref.take(wsel),
        )


@dataclass(frozen=True)
class _BankGeometry:
    """The mass-only part of a :meth:`SearchBank.compute` at one array of masses: the (mechanism, channels)
    keys needed, the position of each pair's g_prod² BR in the stacked keys, the π⁺π⁻ pairs and the beam
    and prompt pairs."""

    needed: list[int]
    g_index: np.ndarray
    pipi: np.ndarray
    any_pipi: bool
    beam: _BeamPairs | None
    prompt: _PromptPairs | None


class SearchBank:
    """Every search of one width choice packed into concatenated tables, for small batches of points.

    The per-search path (:meth:`Search.upper_bound_into`) pays a fixed Python/numpy cost per search and call;
    for N searches and n points the bank computes locate + interpolation + value + limit + status + χ² of all
    N×n (search, point) pairs in one pass, with the same elementwise arithmetic in the same order, so the
    numbers are bit for bit those of the per-search path. Tables (the curve's log-m knots, the bin table of
    :meth:`~zprime.core.limit_curves.LimitCurve.locate_log`, ``log_limit``, ``log_wref``, ``log_t0``,
    ``log_nlim`` and their row steps) are concatenated with per-search offsets.
    """

    def __init__(self, searches: list[Search]):
        from zprime.physics.constraints.base import chi2_threshold  # the constraint layer imports this module

        self.searches = searches
        self.index = {s.name: j for j, s in enumerate(searches)}
        nrows = np.array([s.curve.log_mass.size for s in searches], dtype=np.intp)
        self.loff = np.concatenate(([0], np.cumsum(nrows)[:-1])).astype(np.intp)
        self.last = self.loff + nrows - 2  # last segment (global row index)
        luts = [s.curve._lut for s in searches]
        self.x0 = np.array([lut[1] for lut in luts])
        self.inv_dx = np.array([lut[2] for lut in luts])
        self.nbm1 = np.array([lut[3] - 1 for lut in luts], dtype=np.intp)
        self.steps = max(int(lut[4]) for lut in luts)
        starts = [np.asarray(lut[0], np.intp) for lut in luts]
        self.soff = np.concatenate(([0], np.cumsum([a.size for a in starts])[:-1])).astype(np.intp)
        self.start = np.concatenate([a + o for a, o in zip(starts, self.loff, strict=True)])
        self.log_m = np.concatenate([s.curve.log_mass for s in searches])
        self.log_m_next = np.concatenate([lut[5] for lut in luts])  # +inf after each curve's last row
        self.inv_dlm = np.concatenate([lut[6] for lut in luts])
        self.gap = np.concatenate([np.append(s.curve._gap_segment, False) for s in searches])
        self.any_gap = bool(self.gap.any())
        self.lo = np.array([s.curve.mass_range_mev[0] for s in searches])
        self.hi = np.array([s.curve.mass_range_mev[1] for s in searches])
        self.beam = np.array([s.kind == "beam_dump" for s in searches])
        self.r = np.array([s.r if s.kind == "beam_dump" else np.nan for s in searches])
        self.t = np.array([chi2_threshold(s.cl) for s in searches])
        self.pipi = np.array(["pipi" in s.channels for s in searches])
        self.windowed = [j for j, s in enumerate(searches) if s.windowed]
        # Search.t1_s per search: 1 two-body boost, 2 fixed energy, 3 tabulated t1 (0: no window)
        self.win_kind = np.zeros(len(searches), dtype=np.int8)
        self.big2, self.rec2, self.two_big, self.energy, self.length = (
            np.ones(len(searches)) for _ in range(5)
        )
        for j in self.windowed:
            lt = searches[j].lifetime
            if lt["kind"] == "proper_time":
                self.win_kind[j] = 3
                continue
            b = lt["boost"]
            self.length[j] = lt["length_m"]
            if b["kind"] == "two_body":
                self.win_kind[j] = 1
                big = b["parent_mass_mev"]
                self.big2[j], self.rec2[j], self.two_big[j] = big**2, b["recoil_mass_mev"] ** 2, 2.0 * big
            else:
                self.win_kind[j] = 2
                self.energy[j] = b["energy_mev"]
        #: prompt searches that drop rows without a reference dark photon (non-finite limit or value)
        self.drop_nonfinite = np.array([s.kind != "beam_dump" and not s._limit_rows_ok for s in searches])
        rows_ok = [
            s._beam_rows_ok if s.kind == "beam_dump" else np.ones(n, bool)
            for s, n in zip(searches, nrows, strict=True)
        ]
        self.rows_ok = np.concatenate(rows_ok)

        def tables(key: str, use: Callable[[Search], bool]) -> tuple[np.ndarray, np.ndarray]:
            parts = [
                s._table_steps(key) if use(s) else (np.zeros(n), np.zeros(n))
                for s, n in zip(searches, nrows, strict=True)
            ]
            return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

        beam = lambda s: s.kind == "beam_dump"  # noqa: E731
        self.tab = {
            "log_t0": tables("log_t0", beam),
            "log_nlim": tables("log_nlim", beam),
            "log_limit": tables("log_limit", lambda s: not beam(s)),
            "log_wref": tables("log_wref", lambda s: not beam(s) and s.windowed),
        }
        keys: dict[tuple[Any, tuple[str, ...]], int] = {}
        key_of = []
        for s in searches:
            mech = "e_e" if s.production == "e_brem" else s.production
            key_of.append(keys.setdefault((mech, s.channels), len(keys)))
        self.keys = list(keys)
        self.key_of = np.array(key_of, dtype=np.intp)
        self._geo: OrderedDict[bytes, _BankGeometry | None] = OrderedDict()
        self._geo_lock = threading.Lock()
        #: batch size n -> (search j, point p, lower and upper mass end) of every (search, point) pair
        self._grid: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
        #: windowed searches with a tabulated t1 (Search.t1_s), and the edges [j, j + 1) of their pairs
        self._t1_tabulated = [j for j in self.windowed if self.win_kind[j] == 3]
        self._t1_edges = np.array([e for j in self._t1_tabulated for e in (j, j + 1)], dtype=np.intp)

    def compute(self, st: _ModelState) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(value, limit, status, χ²) of every search at every point of ``st``: flat arrays of the
        (searches, points) table in C order (row j: search j), for the caller to reshape.

        What depends on the masses only (which (search, point) pairs are in range, the curve segments, the
        interpolated limits, lifetime windows and beam-dump tables) is :meth:`_geometry`, kept for the last
        few mass arrays; what depends on the couplings (g_prod² BR, Γ_tot) is applied here."""
        n, big_n = st.size, len(self.searches)
        value, limit = np.empty(big_n * n), np.empty(big_n * n)  # NaN (np.full costs more on a few points)
        value.fill(np.nan)
        limit.fill(np.nan)
        status = np.full(big_n * n, 2, dtype=np.int8)  # Status.NOT_APPLICABLE
        chi2 = np.zeros(big_n * n)
        out = (value, limit, status, chi2)
        geo = self._geometry(st.mass, st.log_m)
        if geo is None:
            return out
        # g_prod² BR only of the (mechanism, channels) that some search in range needs (meson form factors
        # are costly), as the per-search path computes them only for searches with points in range
        g_all = np.concatenate([st.gbr(*self.keys[i]) for i in geo.needed])  # flat arrays of n points
        g = g_all.take(geo.g_index)
        beam, prompt = geo.beam, geo.prompt
        if geo.any_pipi:
            bad = geo.pipi & np.isnan(g)  # π⁺π⁻ searches where BR(Z' → π⁺π⁻) is not modelled
            if bad.any():
                keep = np.flatnonzero(~bad)
                g = g.take(keep)
                beam, prompt = (None if x is None else x.subset(~bad) for x in (beam, prompt))
        goh = st.gamma_over_hbar
        with np.errstate(invalid="ignore", over="ignore"):
            if beam is not None:
                gb = g.take(beam.k)
                u = beam.exp_log_t0 * goh.take(beam.p)
                arg = beam.log_nlim + u
                np.negative(arg, out=arg)
                ok = (arg > -745.5) & (gb > 0) & (u > 0)
                vb = np.zeros(beam.k.size)
                k = ok.nonzero()[0]  # np.flatnonzero of the 1-D ok, without its Python-level calls
                if k.size:
                    win = np.expm1(u.take(k) * beam.one_minus_r.take(k))
                    np.negative(win, out=win)
                    win *= np.exp(arg.take(k))
                    win *= gb.take(k)
                    vb[k] = win
                c2 = np.square(vb)
                c2 *= beam.t
                np.minimum(c2, 1e300, out=c2)
                at = beam.at
                value[at] = vb
                limit[at] = 1.0
                status[at] = np.greater(vb, 1.0).view(np.int8)
                chi2[at] = c2
            if prompt is not None:
                gp = g.take(prompt.k)
                if prompt.kw.size:
                    xw = prompt.t1 * goh.take(prompt.pw)
                    ratio = np.expm1(-xw)
                    np.negative(ratio, out=ratio)
                    ratio *= prompt.exp_neg_log_wref
                    gp[prompt.kw] = gp.take(prompt.kw) * ratio
                vp = np.sqrt(gp)
                lim, at, t = prompt.limit, prompt.at, prompt.t
                if prompt.any_drop:
                    drop = prompt.drop_nonfinite & ~(prompt.limit_finite & np.isfinite(vp))
                    if drop.any():
                        k = np.flatnonzero(~drop)
                        vp, lim, at, t = vp.take(k), lim.take(k), at.take(k), t.take(k)
                c2 = np.divide(vp, lim)
                np.square(c2, out=c2)
                c2 *= t
                np.minimum(c2, 1e300, out=c2)
                value[at] = vp
                limit[at] = lim
                status[at] = np.greater(vp, lim).view(np.int8)
                chi2[at] = c2
        return out

    def _geometry(self, m_all: np.ndarray, log_m: np.ndarray) -> _BankGeometry | None:
        """The mass-only part of :meth:`compute` for the flat masses ``m_all`` (None: no search in range),
        from a small cache keyed by the masses' bytes (fits and limit scans call it at fixed masses)."""
        key = m_all.tobytes()
        with self._geo_lock:
            if key in self._geo:
                self._geo.move_to_end(key)
                return self._geo[key]
        geo = self._build_geometry(m_all, log_m)
        with self._geo_lock:
            self._geo[key] = geo
            while len(self._geo) > _GEOMETRY_CACHE_SIZE:
                self._geo.popitem(last=False)
        return geo

    def _pair_grid(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(j, p, lo_j, hi_j) of the N×n (search, point) pairs in search-major order, kept per batch size."""
        grid = self._grid.get(n)
        if grid is None:
            big_n = len(self.searches)
            j = np.repeat(np.arange(big_n, dtype=np.intp), n)
            grid = (j, np.tile(np.arange(n, dtype=np.intp), big_n), self.lo.take(j), self.hi.take(j))
            for a in grid:
                a.flags.writeable = False  # shared by the calls
            if len(self._grid) >= _GEOMETRY_CACHE_SIZE:
                self._grid.clear()
            self._grid[n] = grid
        return grid

    def _build_geometry(self, m_all: np.ndarray, x_all: np.ndarray) -> _BankGeometry | None:
        n = m_all.size
        j, p, lo, hi = self._pair_grid(n)
        m = m_all.take(p)
        inside = np.greater_equal(m, lo)
        inside &= np.less_equal(m, hi)
        pair = np.flatnonzero(inside)
        if pair.size == 0:
            return None
        j, p = j.take(pair), p.take(pair)
        x = x_all.take(p)
        # LimitCurve.locate_log, on the concatenated tables (same segment and weight as locate_sorted)
        b = x - self.x0.take(j)
        b *= self.inv_dx.take(j)
        np.maximum(b, 0, out=b)
        np.minimum(b, self.nbm1.take(j), out=b)
        gi = self.start.take(self.soff.take(j) + b.astype(np.intp))
        for _ in range(self.steps):
            gi += x >= self.log_m_next.take(gi)
        np.minimum(gi, self.last.take(j), out=gi)
        w = x - self.log_m.take(gi)
        w *= self.inv_dlm.take(gi)
        app = self.rows_ok.take(gi)
        app &= self.rows_ok.take(gi + 1)
        if self.any_gap:
            app &= ~(self.gap.take(gi) & (w > 0) & (w < 1))
        keep = np.flatnonzero(app)
        if keep.size == 0:
            return None
        if keep.size < pair.size:
            pair, j, p, gi, w = (a.take(keep) for a in (pair, j, p, gi, w))
        kj = self.key_of.take(j)
        present = np.zeros(len(self.keys), dtype=np.bool_)
        present[kj] = True
        needed = np.flatnonzero(present)  # = np.unique(kj)
        row = np.empty(len(self.keys), dtype=np.intp)
        row[needed] = np.arange(needed.size)

        def interp(key: str, k: np.ndarray) -> np.ndarray:  # = Search._applicable_arrays' interp
            table, step = self.tab[key]
            gk = gi.take(k)
            o = step.take(gk)
            o *= w.take(k)
            o += table.take(gk)
            return o

        is_beam = self.beam.take(j)
        beam = prompt = None
        with np.errstate(invalid="ignore", over="ignore"):
            kb = np.flatnonzero(is_beam)
            if kb.size:
                jb = j.take(kb)
                beam = _BeamPairs(
                    k=kb,
                    p=p.take(kb),
                    at=pair.take(kb),
                    t=self.t.take(jb),
                    exp_log_t0=np.exp(interp("log_t0", kb)),
                    log_nlim=interp("log_nlim", kb),
                    one_minus_r=1.0 - self.r.take(jb),
                )
            kp = np.flatnonzero(~is_beam) if kb.size else np.arange(j.size)
            if kp.size:
                jp = j.take(kp)
                lim = np.exp(interp("log_limit", kp))
                kw = np.flatnonzero(self.win_kind.take(jp)) if self.windowed else np.zeros(0, np.intp)
                pw = p.take(kp.take(kw))
                drop = self.drop_nonfinite.take(jp)
                prompt = _PromptPairs(
                    k=kp,
                    at=pair.take(kp),
                    t=self.t.take(jp),
                    limit=lim,
                    limit_finite=np.isfinite(lim),
                    drop_nonfinite=drop,
                    any_drop=bool(drop.any()),
                    kw=kw,
                    pw=pw,
                    t1=self._t1(jp.take(kw), m_all.take(pw)),
                    exp_neg_log_wref=np.exp(-interp("log_wref", kp.take(kw))),
                )
        pipi = self.pipi.take(j)
        g_index = row.take(kj)
        g_index *= n
        g_index += p
        return _BankGeometry(
            needed=needed.tolist(),
            g_index=g_index,
            pipi=pipi,
            any_pipi=bool(pipi.any()),
            beam=beam,
            prompt=prompt,
        )

    def _t1(self, j: np.ndarray, m: np.ndarray) -> np.ndarray:
        """:meth:`Search.t1_s` of the windowed searches ``j`` at the masses ``m`` (pairs in search order, as the
        geometry lists them; the same arithmetic)."""
        kind = self.win_kind.take(j)
        t1 = np.empty(m.size)
        for k in (1, 2):
            sel = np.flatnonzero(kind == k)
            if sel.size:
                js, ms = j.take(sel), m.take(sel)
                if k == 1:
                    gamma = (self.big2.take(js) + ms**2 - self.rec2.take(js)) / (self.two_big.take(js) * ms)
                else:
                    gamma = self.energy.take(js) / ms
                t1[sel] = self.length.take(js) / (np.maximum(gamma, 1.0) * C_M_PER_S)
        if self._t1_tabulated:
            ends = np.searchsorted(j, self._t1_edges).tolist()  # each tabulated search's pairs: a slice
            for i, jt in enumerate(self._t1_tabulated):
                a, b = ends[2 * i], ends[2 * i + 1]
                if b > a:
                    t1[a:b] = self.searches[jt].t1_s(m[a:b])
        return t1


@cache
def bank(hadronic: bool = False) -> SearchBank:
    """The :class:`SearchBank` of every search (:func:`search_names`) with the given widths (built once), but
    the r-value grids (their own path in :meth:`Search.upper_bound_into`)."""
    return SearchBank([s for n in search_names() if (s := search(n, bool(hadronic))).kind != "rvalue"])


def bank_arrays(
    name: str, c: Couplings, t: float, *, hadronic: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """(value, limit, status, χ²) of search ``name`` in the broadcast shape of ``c``, as
    :meth:`Search.upper_bound_arrays` gives them (bit for bit), from the bank pass over every search that the
    state of ``c`` caches: the first search asked computes all, the others take their row. Each row is handed
    out once (a second request recomputes), so callers own their arrays. None where the bank does not cover
    the request (a search outside the bank, another threshold ``t``; SM decays only)."""
    bk = bank(hadronic)
    j = bk.index.get(name)
    if j is None or bk.t[j] != t:
        return None
    st = _state(c, 0.0, hadronic)
    with st.lock:
        entry = st.banked.get(id(bk))
        if entry is None or j not in entry[1]:
            shape = (len(bk.searches), *st.shape)
            entry = ([a.reshape(shape) for a in bk.compute(st)], set(range(len(bk.searches))))
            st.banked[id(bk)] = entry
        entry[1].discard(j)
    value, limit, status, chi2 = entry[0]
    return value[j, ...], limit[j, ...], status[j, ...], chi2[j, ...]  # arrays, also for a 0-d shape


def bank_rows(
    c: Couplings, *, hadronic: bool = False
) -> tuple[SearchBank, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] | None:
    """The bank of every search and its (value, limit, status, χ²) at ``c``: arrays of shape
    (searches, *c.shape), row j that of ``bank.searches[j]`` at its own CL (the numbers of
    :meth:`Search.upper_bound_arrays`, bit for bit); new arrays, owned by the caller. None above
    :data:`BANK_MAX_POINTS` points (the per-search path is faster there)."""
    if c.size > BANK_MAX_POINTS:
        return None
    bk = bank(hadronic)
    st = _state(c, 0.0, hadronic)
    shape = (len(bk.searches), *st.shape)
    value, limit, status, chi2 = bk.compute(st)
    return bk, (value.reshape(shape), limit.reshape(shape), status.reshape(shape), chi2.reshape(shape))


def _direction_values(direction: Couplings | Mapping[str, Any]) -> dict[str, np.ndarray]:
    """The coupling fields of ``direction`` (a Couplings or a mapping; missing fields are 0)."""
    if isinstance(direction, Couplings):
        return {k: np.asarray(getattr(direction, k), float) for k in COUPLING_FIELDS}
    if isinstance(direction, Mapping):
        unknown = set(direction) - set(COUPLING_FIELDS) - {"mass_mev"}
        if unknown:
            raise InputError(
                sorted(unknown)[0], f"unknown coupling field; allowed: {', '.join(COUPLING_FIELDS)}"
            )
        return {k: np.asarray(direction.get(k, 0.0), float) for k in COUPLING_FIELDS}
    raise InputError("direction", "must be a Couplings or a mapping of coupling fields")


def _direction_norm(vals: Mapping[str, np.ndarray]) -> np.ndarray:
    """√(d_Ve² + d_Ae²), or the Euclidean norm of all fields where the electron part vanishes."""
    ne = np.sqrt(vals["c_ve"] ** 2 + vals["c_ae"] ** 2)
    full = np.sqrt(sum(v**2 for v in vals.values()))
    if np.any(full == 0):
        raise InputError("direction", "must have at least one nonzero coupling")
    if not np.all(np.isfinite(full)):
        raise InputError("direction", "every coupling must be finite")
    return np.where(ne > 0, ne, full)


# ------------------------------------------------------------------------------------ r-value grids
# A displaced search published as r(m, ε) = (upper limit on the yield)/(expected dark-photon yield), excluded where
# r < 1 (LHCb's displaced A' → μμ; DarkCast Efficiency(rvals=True), arXiv:1801.04847 Eq. (2.21)). The efficiency
# depends on the mass and the lifetime only, so a model point (m, Γ_tot) takes r of the dark photon with the same
# lifetime, ε_τ² = Γ_tot/Γ_A'(m, ε = 1), and
#
#     r_model = r(m, ε_τ) · e² ε_τ² BR_A'(F) / (g_prod² BR_Z'(F)),   value = 1/r_model,  limit = 1.
#
# log r is interpolated bilinearly in (log m, log ε) on the rectangular grid; a lifetime outside the grid's is not
# applicable (DarkCast extends the grid with an efficiency-ratio approximation; zprime does not extrapolate).


def _rvalue_reference(s: Search, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(log Γ_A'(m, ε = 1), log[e² Γ_A'(F)/Γ_A'(m, ε = 1)]) of the reference dark photon (NaN/−inf where it
    does not decay to F)."""
    w = dark_photon_width(m, 1.0, s.hadronic)
    part = sum(w.channel(ch) for ch in s.channels)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_gam1 = np.log(w.total)
        return log_gam1, np.log(E_CHARGE**2 * part) - log_gam1


def _rvalue_log_r(s: Search, index: np.ndarray, weight: np.ndarray, log_eps: np.ndarray) -> np.ndarray:
    """Bilinear interpolation of log r at mass rows (index, index + 1; weight in log m) and log ε; NaN outside
    the ε grid (and for NaN log ε)."""
    assert s.rvalue_grid is not None
    le, lr = s.rvalue_grid
    inside = (log_eps >= le[0]) & (log_eps <= le[-1])
    x = np.where(inside, log_eps, le[0])
    j = np.clip(np.searchsorted(le, x, side="right") - 1, 0, le.size - 2)
    v = (x - le[j]) / (le[j + 1] - le[j])
    lo = lr[index, j] + v * (lr[index, j + 1] - lr[index, j])
    hi = lr[index + 1, j] + v * (lr[index + 1, j + 1] - lr[index + 1, j])
    return np.where(inside, lo + weight * (hi - lo), np.nan)


def _rvalue_log_values(s: Search, st: _ModelState) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sel, log value, applicable) on the mass-sorted points ``sel`` of the grid's mass range: log value =
    −log r_model = log(g_prod² BR_Z'(F)) − log r(m, ε_τ) − log(e² ε_τ² BR_A'(F)); applicable where ε_τ lies on
    the grid and BR_Z'(F) is modelled."""
    i0, i1, loc = st.run(s.curve)
    sel: np.ndarray = st.order[i0:i1]
    g = st.gbr_sorted(s.production, s.channels)[i0:i1]
    log_gam1, log_ref = _rvalue_reference(s, st.sorted_array("mass")[i0:i1])
    with np.errstate(divide="ignore", invalid="ignore"):
        log_eps2 = np.log(st.sorted_array("total")[i0:i1]) - log_gam1  # ε_τ² = Γ_tot/Γ_A'(m, 1)
        log_r = _rvalue_log_r(s, loc.index, loc.weight, 0.5 * log_eps2)
        log_value = np.log(g) - log_r - log_eps2 - log_ref
    app = loc.valid & np.isfinite(log_r) & np.isfinite(log_ref) & ~np.isnan(g)
    return sel, np.where(app, log_value, np.nan), app


def _rvalue_bounds(s: Search, m: np.ndarray, d: Couplings, invisible_fraction: float) -> Bounds:
    """Excluded interval of the scale s' of couplings = s'·d at each mass, for an r-value grid.

    Along a direction Γ_tot = s'² Γ₁ and g_prod² BR = s'² a, so ε_τ = k s' (k² = Γ₁/Γ_A'(m, 1)) and
    r_model = r(m, k s') e² k² BR_A'(F)/a: the excluded set is where the (interpolated) r column at m lies below
    a/(e² k² BR_A'(F)). Its edges are found on the ε grid by linear interpolation in log ε (exact for the
    interpolant); as DarkCast, the band spans the lowest to the highest excluded ε. An edge at the end of the
    grid is the grid's end (nothing is extrapolated). NaN where nothing is excluded or not applicable.
    """
    assert s.rvalue_grid is not None
    le, lr = s.rvalue_grid
    st = _ModelState(d, _fraction(invisible_fraction), s.hadronic)
    m_flat = np.ascontiguousarray(np.broadcast_to(m, st.shape)).ravel()
    a = np.ravel(st.prod(s.production) * st.br(s.channels))
    loc = s.curve.locate(m_flat)
    log_gam1, log_ref = _rvalue_reference(s, m_flat)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_k2 = np.log(st.total) - log_gam1
        log_c = np.log(a) - log_k2 - log_ref  # excluded where log r < log_c
    ok = loc.valid & np.isfinite(log_k2) & np.isfinite(log_c)
    log_lo = np.full(m_flat.size, np.nan)
    log_hi = np.full(m_flat.size, np.nan)
    for k0 in range(0, m_flat.size, _RVALUE_BLOCK):  # blocks of masses: (block × ε grid) temporaries
        blk = slice(k0, k0 + _RVALUE_BLOCK)
        log_lo[blk], log_hi[blk] = _rvalue_edges(le, lr, loc.index[blk], loc.weight[blk], log_c[blk], ok[blk])
    with np.errstate(invalid="ignore"):
        lower = np.exp(log_lo - 0.5 * log_k2)
        upper = np.exp(log_hi - 0.5 * log_k2)
    return Bounds(lower.reshape(st.shape), upper.reshape(st.shape))


_RVALUE_BLOCK = 2048


def _rvalue_edges(
    le: np.ndarray, lr: np.ndarray, index: np.ndarray, weight: np.ndarray, log_c: np.ndarray, ok: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(lowest, highest) log ε where the log r column at each mass (rows index, index + 1, weight in log m) lies
    below log_c, the crossings interpolated linearly in log ε; the grid's end where the excluded set reaches it;
    NaN where nothing is excluded or ``ok`` is False."""
    idx = np.where(ok, index, 0)
    w = np.where(ok, weight, 0.0)
    col = lr[idx] + w[:, None] * (lr[idx + 1] - lr[idx])  # log r at each mass, on the ε grid
    diff = col - np.where(ok, log_c, -np.inf)[:, None]  # < 0: excluded
    below = diff < 0
    any_ = ok & below.any(axis=1)
    n = le.size
    j0 = np.argmax(below, axis=1)  # first excluded grid ε
    j1 = n - 1 - np.argmax(below[:, ::-1], axis=1)  # last excluded grid ε
    rows = np.arange(idx.size)

    def crossing(j_in: np.ndarray, j_out: np.ndarray) -> np.ndarray:
        """log ε where the interpolant crosses log_c between grid points j_out (allowed) and j_in (excluded);
        the grid's end where j_out falls outside it."""
        edge = (j_out < 0) | (j_out > n - 1)
        jo = np.clip(j_out, 0, n - 1)
        d_in, d_out = diff[rows, j_in], diff[rows, jo]
        with np.errstate(divide="ignore", invalid="ignore"):
            t = d_in / (d_in - d_out)
            x = le[j_in] + t * (le[jo] - le[j_in])
        return np.where(any_, np.where(edge, le[j_in], x), np.nan)

    return crossing(j0, j0 - 1), crossing(j1, j1 + 1)


# -------------------------------------------------------------------------------- building searches
def _solve_beam_dump(
    cv: LimitCurve, r: float, br_ref: np.ndarray, hadronic: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Per grid row: log t0 [s] from N_A'(ε_l) = N_A'(ε_u) with t1 = r t0, and log N_lim = log N_A'(ε_l).

    With u = t0/τ_A'(ε) and Γ_A' ∝ ε², the condition is f(u_l) = f(k u_l), k = (ε_u/ε_l)², f(u) = u W(u);
    h(u) = log f(ku) − log f(u) falls monotonically from 2 log k to −∞, so bisection finds the unique root.
    """
    assert cv.eps_upper is not None
    el, eu = cv.eps_lower, cv.eps_upper
    k = (eu / el) ** 2
    u_l = _bisect_log(
        lambda u: _log_f(k * u, r) - _log_f(u, r), np.full(el.shape, 1e-40), np.full(el.shape, 1e3), 200
    )
    gam_l = dark_photon_width(cv.mass_mev, el, hadronic).total
    with np.errstate(divide="ignore", invalid="ignore"):  # rows below 2 m_e: no e+e- decay -> NaN
        tau_l = np.where(gam_l > 0, HBAR_MEV_S / gam_l, np.nan)
        log_t0 = np.log(u_l * tau_l)
        log_nlim = np.log((E_CHARGE * el) ** 2 * br_ref) + _log_window(u_l, r)
    return log_t0, log_nlim


def _build(name: str, hadronic: bool = False) -> Search:
    """The search of limit ``name`` (a curve or a variant), from its metadata file (zprime.core.limits), with
    leptonic or (``hadronic``) DarkCast 2023 widths of the reference dark photon."""
    e = limit_curves.entry(name)
    if not isinstance(e, CurveMeta | VariantMeta):
        raise UnknownNameError("dark-photon search with a curve", name, search_names())
    base = limit_curves.base_curve(name)
    tags = tuple(e.tags) if isinstance(e, VariantMeta) else ()
    cv = curve(name)
    channels = tuple(base.decay)
    production: Production = base.mechanism
    if isinstance(base.production, dict):
        production = mixture(base.production)
    elif len(base.production) > 1:
        frac = limit_curves.production_fractions(base.name)
        assert frac is not None
        production = mixture(frac[0], frac[2], frac[1])
    kind = (
        "beam_dump"
        if base.lifetime.kind == "beam_dump"
        else ("invisible" if channels == ("invisible",) else "prompt")
    )
    if base.lifetime.kind == "rvalue":
        kind = "rvalue"
    s = Search(
        name=name,
        title=e.title,
        reference=base.reference,
        category=e.category,
        kind=kind,
        production=production,
        channels=channels,
        curve=cv,
        cl=float(base.cl),
        lifetime=base.lifetime.model_dump(),
        reference_br=base.reference_br,
        tags=tags,
        arxiv=base.arxiv,
        t1_table=limit_curves.t1_table(base.name),
        hadronic=hadronic,
    )
    if kind == "rvalue":  # log ε and log r of the grid (see _rvalue_log_values)
        assert cv.r_grid is not None
        return replace(s, rvalue_grid=(np.log(cv.r_grid[0]), np.log(cv.r_grid[1])))
    m = cv.mass_mev
    br_ref = s.reference_br_at(m)
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "beam_dump":
            lt = s.lifetime
            r = 1.0 + lt["l_decay_m"] / lt["l_shield_m"]
            log_t0, log_nlim = _solve_beam_dump(cv, r, br_ref, hadronic)
            return replace(s, r=r, log_t0=log_t0, log_nlim=log_nlim, u_peak=_f_peak(r))
        log_limit = np.log(E_CHARGE * cv.eps_lower * np.sqrt(br_ref))
        if s.windowed:
            gam = dark_photon_width(m, cv.eps_lower, hadronic).total
            log_wref = np.log(-np.expm1(-s.t1_s(m) * gam / HBAR_MEV_S))
            return replace(s, log_limit=log_limit, log_wref=log_wref)
    return replace(s, log_limit=log_limit)


@cache
def search(name: str, hadronic: bool = False) -> Search:
    """The prepared search ``name`` (beam-dump lifetimes solved once and cached); ``hadronic``: the Z' and the
    reference dark photon with their hadronic widths (DarkCast 2023), as an edition's ``recast_widths``
    chooses (:func:`hadronic_widths_for`)."""
    return _build(name, bool(hadronic))


def hadronic_widths_for(edition: Any = None) -> bool:
    """True when ``edition`` (a name, a user edition file or None for the default) recasts with hadronic
    widths (its ``recast_widths``, :mod:`zprime.core.measurements`). Shipped editions are answered from a
    cache; a user edition file is read through ``load_edition`` each time (it may change on disk)."""
    if edition.__class__ is str:
        known = _HADRONIC_SHIPPED.get(edition)
        if known is not None:
            return known
    from zprime.core.measurements import edition_key, editions, load_edition

    hadronic = load_edition(edition).recast_widths == "hadronic"
    key = edition_key(edition)
    if key in editions():
        _HADRONIC_SHIPPED[key] = hadronic
    return hadronic


_HADRONIC_SHIPPED: dict[str, bool] = {}  # shipped edition name -> recast with hadronic widths


def search_names(category: str | None = None, decay: str | None = None) -> list[str]:
    """Names of the curve-based searches (shipped and user limit files, then variants); filter by category
    ('current', 'projection', 'superseded', 'variant') and by decay ('visible' or 'invisible')."""
    known = _SEARCH_NAMES.get((category, decay))
    if known is not None:
        return list(known)
    out = []
    for e in limit_curves.entries("curve") + limit_curves.entries("variant"):
        base = limit_curves.base_curve(e.name)
        vis = "invisible" if tuple(base.decay) == ("invisible",) else "visible"
        if (category is None or e.category == category) and (decay is None or decay == vis):
            out.append(e.name)
    _SEARCH_NAMES[(category, decay)] = tuple(out)
    return out


#: search_names by (category, decay), until discovery restarts (limit_curves.reload clears it)
_SEARCH_NAMES: dict[tuple[str | None, str | None], tuple[str, ...]] = {}


def _on_limits_reload() -> None:
    """Discovery restarted (zprime.core.limit_curves.reload): forget the prepared searches."""
    search.cache_clear()
    bank.cache_clear()
    _SEARCH_NAMES.clear()
    STATE_CACHE.clear()  # the model states cache row locations per curve object


limit_curves.on_reload(_on_limits_reload)


# -------------------------------------------------------------------------------------- public API
def names(category: str | None = None, decay: str | None = None) -> list[str]:
    """Names of the recast searches, optionally filtered by category ('current', 'projection', 'variant')
    and decay ('visible', 'invisible'); the ``name`` of every function below is one of them."""
    return search_names(category=category, decay=decay)


def bound(
    name: str, couplings: Couplings, *, invisible_fraction: float = 0.0, hadronic: bool = False
) -> RecastResult:
    """(value, limit, applicable) of search ``name`` at every point (broadcast shape of ``couplings``);
    excluded iff applicable and value > limit, the verdict of the search's constraint. ``invisible_fraction``:
    BR of the Z' into a dark sector (see the module docstring; 0: SM decays only)."""
    return search(name, hadronic).value_and_limit(couplings, invisible_fraction=invisible_fraction)


def excluded(
    name: str, couplings: Couplings, *, invisible_fraction: float = 0.0, hadronic: bool = False
) -> np.ndarray:
    """True where search ``name`` excludes the point (False where allowed or not applicable)."""
    return search(name, hadronic).excluded(couplings, invisible_fraction=invisible_fraction)


def excluded_many(
    which: list[str], couplings: Couplings, *, invisible_fraction: float = 0.0, hadronic: bool = False
) -> dict[str, np.ndarray]:
    """:func:`excluded` for several searches (they share the cached state of ``couplings``)."""
    return {n: search(n, hadronic).excluded(couplings, invisible_fraction=invisible_fraction) for n in which}


def excluded_band(
    name: str,
    mass_mev: Any,
    direction: Couplings | Mapping[str, Any],
    *,
    invisible_fraction: float = 0.0,
    scale: str = "electron",
    hadronic: bool = False,
) -> Bounds:
    """Excluded interval lower < s < upper of a model's overall coupling along ``direction`` at each mass.

    ``scale='electron'``: s = √(C_Ve² + C_Ae²) (couplings = s·d̂, d̂ the direction over its electron norm, or
    its Euclidean norm when it has no electron coupling); ``scale='direction'``: s multiplies ``direction``
    as given (couplings = s·direction). NaN for both edges where nothing is excluded, the search does not
    apply, or the mass is outside the curve's measured range or in a veto window (nothing is extrapolated);
    upper = inf for prompt and invisible searches, finite for beam dumps (closed islands). Vectorised over
    ``mass_mev`` (any shape; direction fields may broadcast against it).
    """
    if scale not in ("electron", "direction"):
        raise InputError("scale", f"must be 'electron' or 'direction', got {scale!r}")
    b = search(name, hadronic).coupling_bounds(mass_mev, direction, invisible_fraction=invisible_fraction)
    if scale == "electron":
        return b
    norm = _direction_norm(_direction_values(direction))
    return Bounds(b.lower / norm, b.upper / norm)


def excluded_bands(
    names: list[str],
    masses: list[Any],
    direction: Couplings | Mapping[str, Any],
    *,
    invisible_fraction: float = 0.0,
    scale: str = "electron",
    hadronic: bool = False,
) -> list[Bounds]:
    """:func:`excluded_band` of several searches, search ``names[i]`` at the masses ``masses[i]``: the same
    numbers, with the root finding of all searches (beam-dump edges, flight-length windows) done together."""
    if scale not in ("electron", "direction"):
        raise InputError("scale", f"must be 'electron' or 'direction', got {scale!r}")
    if len(names) != len(masses):
        raise InputError(
            "masses", f"must give one mass array per search name ({len(names)}), got {len(masses)}"
        )
    f = _fraction(invisible_fraction)
    plans = _shared_plans(names, masses, direction, f, hadronic)
    if plans is None:
        plans = [
            search(n, hadronic)._coupling_plan(m, direction, f) for n, m in zip(names, masses, strict=True)
        ]
    solved = _solve_roots([r for roots, _ in plans for r in roots])
    out = []
    at = 0
    norm = _direction_norm(_direction_values(direction)) if scale == "direction" else None
    for roots, finish in plans:
        b = finish(solved[at : at + len(roots)])
        at += len(roots)
        out.append(b if norm is None else Bounds(b.lower / norm, b.upper / norm))
    return out


def _shared_plans(
    names: list[str], masses: list[Any], direction: Couplings | Mapping[str, Any], f: float, hadronic: bool
) -> list[tuple[list[_Root], Callable[[list[np.ndarray]], Bounds]]] | None:
    """The plans of :func:`excluded_bands` from one model state on all searches' masses (widths and
    branching ratios computed once), for a direction of constant couplings and 1-d mass arrays within the
    direction's perturbative range; None otherwise (each search then builds its own state)."""
    vals = _direction_values(direction)
    if any(v.ndim for v in vals.values()):
        return None
    ms = [np.asarray(m, dtype=float) for m in masses]
    if any(m.ndim != 1 for m in ms):
        return None
    norm = _direction_norm(vals)
    big = np.max(np.abs(np.stack(np.broadcast_arrays(*vals.values()))), axis=0)
    if np.any(big > COUPLING_MAX * norm):
        return None
    unit = {k: v / norm for k, v in vals.items()}
    allm = np.concatenate(ms) if ms else np.zeros(0)
    allc = Couplings(mass_mev=allm, **unit)
    parent = _ModelState(allc, f, hadronic)
    bounds = np.cumsum([0] + [m.size for m in ms])
    plans = []
    for i, (n, m) in enumerate(zip(names, ms, strict=True)):
        st = _StatePart(parent, allc, int(bounds[i]), int(bounds[i + 1]))
        plans.append(search(n, hadronic)._bounds_plan(m, None, f, st))
    return plans


#: Former names, kept for callers: recast_value_and_limit = :func:`bound`, excluded_mask = :func:`excluded`,
#: coupling_bounds = :func:`excluded_band` (electron scale).
recast_value_and_limit = bound
excluded_mask = excluded


def coupling_bounds(
    name: str, mass_mev: Any, direction: Couplings | Mapping[str, Any], *, invisible_fraction: float = 0.0
) -> Bounds:
    """Lower and upper excluded edge of √(C_Ve²+C_Ae²) along ``direction`` at each mass (:func:`excluded_band`)."""
    return excluded_band(name, mass_mev, direction, invisible_fraction=invisible_fraction)


__all__ = [
    "BANK_MAX_POINTS",
    "STATE_CACHE",
    "SearchBank",
    "Bounds",
    "RecastResult",
    "Search",
    "StateCache",
    "bound",
    "coupling_bounds",
    "dark_photon",
    "excluded",
    "excluded_band",
    "excluded_bands",
    "excluded_many",
    "excluded_mask",
    "hadronic_widths_for",
    "names",
    "bank",
    "bank_arrays",
    "production_coupling_sq",
    "recast_value_and_limit",
    "search",
    "search_names",
]
