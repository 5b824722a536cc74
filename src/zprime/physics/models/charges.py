"""A user-defined U(1)′ given by its charges (YAML or Python), mapped to Couplings at tree level.

The charges fix the model; the free parameters are m_Z′ [MeV], the gauge coupling g′ and (unless
``kinetic_mixing: false``) the kinetic-mixing parameter ε of Bodas Eq. (18), g̃ = −g₁ε/√(1−ε²) (Eq. (19)).
Couplings follow from the exact tree-level algebra of :mod:`zprime.physics.models.u1` (Eqs. (20)–(24) with any
number of Higgs doublets, Eqs. (25)–(29), and flavons, Eqs. (31)–(32)).

Schema (every field optional except ``name``; unknown keys are errors)::

    name: my_model                  # registry name
    description: "..."
    reference: "..."
    z_L: {e: 0, mu: 1, tau: -1}     # lepton doublets l_Lα (numbers or fractions such as "1/3")
    z_R: {e: 0, mu: 1, tau: -1}     # charged-lepton singlets e_Rα; default z_L − z_H(Yukawa doublet) − n
    flavon_n: {e: 0, mu: 0, tau: 0} # Froggatt–Nielsen n_α (Eq. (31)): z_H + z_R − z_L = −n_α
    z_H: 0                          # one Higgs doublet ...
    higgs_doublets:                 # ... or several (type I): charge and vev fraction v_j²/v² (sum 1)
      - {z: 1, vev_fraction: 0.2}
      - {z: 0, vev_fraction: 0.8}
    yukawa_doublet: 1               # index of the doublet giving fermion masses (default 0)
    quarks: {Q: 0, u: 0, d: 0}      # quark charges, see below
    nu_R: false                     # light Dirac ν_R: false (default), true, or charges {e: .., mu: .., tau: ..}
    kinetic_mixing: true            # false: ε = 0 and no ε parameter
    parameters:                     # optional range overrides for mass_mev, g_prime, eps
      g_prime: {hi: 0.1, search_range: [1e-6, 1e-2]}

If both ``z_R`` and ``flavon_n`` are given they must satisfy z_H + z_Rα − z_Lα = −n_α; if only ``z_R`` is
given, a non-zero n_α = z_Lα − z_H − z_Rα is implied (a Froggatt–Nielsen Yukawa; see ``implied_flavon_n``).

Quarks, per flavour: ``Q`` is the charge of the first-generation doublet (u_L, d_L), ``Q2`` and ``Q3`` those
of (c_L, s_L) and (t_L, b_L); ``u, d, s, c, b, t`` the charges of the right-handed singlets. Defaults:
Q2 = Q3 = Q; u = Q + z_H and d = Q − z_H (Yukawa invariant, z_H of the Yukawa doublet); a singlet of the
second or third generation takes the Yukawa-invariant value Q2 ± z_H (Q3 ± z_H) when that generation's
doublet charge is given, and otherwise copies the first generation (c, t take u's charge; s, b take d's).
So a file that gives only ``Q``, ``u``, ``d`` (every file written before per-flavour charges existed) keeps
its meaning: generation-universal quark charges, now applied to all six flavours.

Light right-handed neutrinos: without ``nu_R`` (or with ``nu_R: false``) only the left-handed neutrinos
couple (C_νR = 0). ``nu_R: true`` adds three light Dirac ν_R with the charges of gauge-invariant Dirac Yukawas
l̄_Lα H̃ ν_Rα through the Yukawa doublet, z_νRα = z_Lα + z_H; a mapping gives them explicitly. They couple
as C_νRα = c_φ g′z_νRα (SM singlets: no mixing term) and add (C_να² + C_νRα²) m_Z′/(24π) to Γ(Z′ → ν_αν̄_α).

>>> m = ChargedU1Model.from_dict({"name": "lmu_ltau_demo", "z_L": {"mu": 1, "tau": -1}})
>>> float(m.couplings(mass_mev=20.0, g_prime=1e-3, eps=0.0).c_vmu)
0.001
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

import zprime.physics.models.registry as registry
from zprime.core.couplings import Couplings
from zprime.core.errors import DataFileError, InputError
from zprime.core.yaml_io import read_yaml
from zprime.physics.models.base import Model, Parameter
from zprime.physics.models.u1 import (
    EPS_SEARCH,
    FLAVOURS,
    coupling_parameter,
    g_tilde_from_eps,
    mass_parameter,
    singlet_mass_term,
    tree_couplings,
)

#: Tolerance for the Yukawa-consistency check between z_R and flavon_n
_TOL = 1e-12


def _parse_charge(value: Any) -> Any:
    """Accept numbers and fraction strings such as "1/3" or "-2/3"."""
    if isinstance(value, str):
        try:
            return float(Fraction(value.strip()))
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"not a number or fraction: {value!r}") from None
    return value


#: A U(1)′ charge: a number or a fraction string ("1/3")
Charge = Annotated[float, BeforeValidator(_parse_charge)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LeptonCharges(_Strict):
    """U(1)′ charges per lepton flavour."""

    e: Charge = 0.0
    mu: Charge = 0.0
    tau: Charge = 0.0

    def as_tuple(self) -> tuple[float, float, float]:
        return (self.e, self.mu, self.tau)


class HiggsDoublet(_Strict):
    """A Higgs doublet (hypercharge 1/2): U(1)′ charge and vev fraction v_j²/v²."""

    z: Charge
    vev_fraction: Charge = Field(gt=0.0, le=1.0)


class QuarkCharges(_Strict):
    """Quark charges: doublets Q (first generation), Q2, Q3 and singlets u, d, s, c, b, t (defaults: see the
    module docstring; a file with only Q, u, d means the same charges for all three generations)."""

    Q: Charge = 0.0
    Q2: Charge | None = None
    Q3: Charge | None = None
    u: Charge | None = None
    d: Charge | None = None
    s: Charge | None = None
    c: Charge | None = None
    b: Charge | None = None
    t: Charge | None = None


class ParameterRange(_Strict):
    """Override of a parameter's allowed range, scale or search range."""

    lo: float | None = Field(default=None, gt=0.0)
    hi: float | None = Field(default=None, gt=0.0)
    scale: Literal["lin", "log", "symlog"] | None = None
    search_range: tuple[float, float] | None = None


class ChargeSpec(_Strict):
    """Validated charge assignment of a U(1)′ model (see the module docstring for the schema)."""

    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_\-]*$")
    description: str = ""
    reference: str = ""
    z_L: LeptonCharges = LeptonCharges()
    z_R: LeptonCharges | None = None
    flavon_n: LeptonCharges | None = None
    z_H: Charge | None = None
    higgs_doublets: list[HiggsDoublet] | None = None
    yukawa_doublet: int = Field(default=0, ge=0)
    quarks: QuarkCharges = QuarkCharges()
    nu_R: bool | LeptonCharges = False
    kinetic_mixing: bool = True
    parameters: dict[Literal["mass_mev", "g_prime", "eps"], ParameterRange] = {}

    @model_validator(mode="after")
    def _consistent(self) -> ChargeSpec:
        if self.z_H is not None and self.higgs_doublets is not None:
            raise ValueError("z_H: give either z_H (one doublet) or higgs_doublets, not both")
        if self.higgs_doublets is not None:
            if not self.higgs_doublets:
                raise ValueError("higgs_doublets: at least one doublet")
            total = sum(d.vev_fraction for d in self.higgs_doublets)
            if abs(total - 1.0) > 1e-9:
                raise ValueError(f"higgs_doublets: vev fractions must sum to 1, got {total:g}")
        if self.yukawa_doublet >= len(self.doublets()):
            raise ValueError(
                f"yukawa_doublet: index {self.yukawa_doublet} but only {len(self.doublets())} doublet(s)"
            )
        if self.z_R is not None and self.flavon_n is not None:
            for fl, n in zip(FLAVOURS, self.implied_flavon_n(), strict=True):
                if abs(n - getattr(self.flavon_n, fl)) > _TOL:
                    raise ValueError(
                        f"flavon_n.{fl}: z_H + z_R - z_L = -n violated (z_R, z_L, z_H imply n = {n:g})"
                    )
        return self

    # ------------------------------------------------------------------ derived charges
    def doublets(self) -> list[tuple[float, float]]:
        """(z_j, w_j) of every Higgs doublet."""
        if self.higgs_doublets is not None:
            return [(d.z, d.vev_fraction) for d in self.higgs_doublets]
        return [(self.z_H or 0.0, 1.0)]

    def z_yukawa(self) -> float:
        """Charge of the doublet that gives fermion masses."""
        return self.doublets()[self.yukawa_doublet][0]

    def right_charges(self) -> tuple[float, float, float]:
        """z_Rα: as given, else z_Lα − z_H − n_α."""
        if self.z_R is not None:
            return self.z_R.as_tuple()
        n = self.flavon_n.as_tuple() if self.flavon_n is not None else (0.0, 0.0, 0.0)
        zh = self.z_yukawa()
        return tuple(zl - zh - k for zl, k in zip(self.z_L.as_tuple(), n, strict=True))  # type: ignore[return-value]

    def implied_flavon_n(self) -> tuple[float, float, float]:
        """n_α = z_Lα − z_H − z_Rα (zero for gauge-invariant renormalisable Yukawas)."""
        zh = self.z_yukawa()
        return tuple(
            zl - zh - zr
            for zl, zr in zip(
                self.z_L.as_tuple(),
                self.right_charges(),  # type: ignore[return-value]
                strict=True,
            )
        )

    def quark_charges(self) -> tuple[float, float, float]:
        """(z_Q, z_u, z_d) of the first generation, with Yukawa-invariant defaults z_u = z_Q + z_H,
        z_d = z_Q − z_H."""
        q, zh = self.quarks, self.z_yukawa()
        return (q.Q, q.Q + zh if q.u is None else q.u, q.Q - zh if q.d is None else q.d)

    def quark_generations(self) -> tuple[tuple[float, float, float], ...]:
        """(z_Q, z_up, z_down) for the generations (u, d), (c, s), (t, b) (defaults: module docstring)."""
        q, zh = self.quarks, self.z_yukawa()
        first = self.quark_charges()
        out = [first]
        for zq_given, up, down in ((q.Q2, q.c, q.s), (q.Q3, q.t, q.b)):
            zq = q.Q if zq_given is None else zq_given
            zu = (first[1] if zq_given is None else zq + zh) if up is None else up
            zd = (first[2] if zq_given is None else zq - zh) if down is None else down
            out.append((zq, zu, zd))
        return tuple(out)

    def nu_r_charges(self) -> tuple[float, float, float] | None:
        """Charges of light ν_R (None without them); ``nu_R: true`` gives z_νRα = z_Lα + z_H (Dirac Yukawa)."""
        if self.nu_R is False:
            return None
        if self.nu_R is True:
            zh = self.z_yukawa()
            return tuple(z + zh for z in self.z_L.as_tuple())  # type: ignore[return-value]
        return self.nu_R.as_tuple()


def _field_and_message(err: Any) -> tuple[str, str]:
    """(dotted field, message) of a pydantic error; model-level checks put the field before a colon."""
    loc = ".".join(str(p) for p in err.get("loc", ()))
    msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
    if not loc and ": " in msg:
        loc, msg = msg.split(": ", 1)
    return loc or "<root>", msg


class ChargedU1Model(Model):
    """A U(1)′ model defined by its charges: parameters m_Z′ [MeV], g′ and (optionally) ε."""

    def __init__(self, spec: ChargeSpec):
        self.spec = spec
        self.name = spec.name
        self.description = spec.description or f"User-defined U(1)' '{spec.name}' (charges in spec)"
        self.reference = spec.reference
        params = [mass_parameter(), coupling_parameter("g_prime", r"$g'$")]
        if spec.kinetic_mixing:
            params.append(coupling_parameter("eps", r"$\varepsilon$", search=EPS_SEARCH))
        self.parameters = tuple(self._override(p) for p in params)
        rel = ["C_Va - C_Aa - C_nua the same for every flavour (Eq. (33))"]
        rel.append(
            "light Dirac nu_R included (C_nuR = c_phi g' z_nuR)" if spec.nu_r_charges() else "C_nuR = 0"
        )
        if not any(self.spec.implied_flavon_n()) and len(spec.doublets()) == 1:
            rel.append("C_Aa = 0 at leading order (gauge-invariant Yukawas, Eq. (24))")
        self.relations = tuple(rel)

    def _override(self, p: Parameter) -> Parameter:
        o = self.spec.parameters.get(p.name)  # type: ignore[call-overload]
        if o is None:
            return p
        return Parameter(
            p.name,
            o.lo if o.lo is not None else p.lo,
            o.hi if o.hi is not None else p.hi,
            o.scale or p.scale,
            p.label,
            p.unit,
            tuple(o.search_range) if o.search_range is not None else p.search_range,
        )

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_dict(
        cls, data: dict[str, Any], *, register: bool = False, replace: bool = False, source: str | None = None
    ) -> ChargedU1Model:
        """Build (and optionally register) a model from a dict of charges.

        Errors: :class:`InputError` naming the field (:class:`DataFileError` naming ``source`` and the
        field when ``source`` is given).
        """
        if not isinstance(data, dict):
            msg = f"must be a mapping of charges, got {type(data).__name__}"
            if source is not None:
                raise DataFileError(source, msg)
            raise InputError("charges", msg)
        try:
            spec = ChargeSpec.model_validate(data)
        except ValidationError as exc:
            field, msg = _field_and_message(exc.errors()[0])
            if source is not None:
                raise DataFileError(source, msg, field=field) from None
            raise InputError(field, msg) from None
        model = cls(spec)
        if register:
            registry.register(model, replace=replace)
        return model

    @classmethod
    def from_yaml(cls, path: str | Path, *, register: bool = False, replace: bool = False) -> ChargedU1Model:
        """Load a model from a YAML file (safe loader); errors name the file and the field."""
        path = Path(path)
        data = read_yaml(path)
        return cls.from_dict(data, register=register, replace=replace, source=str(path))

    # ------------------------------------------------------------------ physics
    def _charges(self, g: np.ndarray) -> dict[str, Any]:
        s = self.spec
        gz: dict[
            float, np.ndarray
        ] = {}  # one array per distinct charge (generation-universal: computed once)

        def times(z: float) -> np.ndarray:
            return gz.setdefault(z, g * z)

        nu_r = s.nu_r_charges()
        return dict(
            gz_higgs=tuple(g * z for z, _ in s.doublets()),
            vev_fractions=tuple(w for _, w in s.doublets()),
            gz_l=tuple(g * z for z in s.z_L.as_tuple()),
            gz_r=tuple(g * z for z in s.right_charges()),
            gz_generations=tuple(tuple(times(z) for z in gen) for gen in s.quark_generations()),
            gz_nu_r=None if nu_r is None else tuple(g * z for z in nu_r),
        )

    def _couplings(self, **p: np.ndarray) -> Couplings:
        g = p["g_prime"]
        g_tilde = g_tilde_from_eps(p.get("eps", 0.0))
        return tree_couplings(p["mass_mev"], g_tilde, **self._charges(g))

    def singlet_mass_term(self, **params: Any) -> np.ndarray:
        """g′²z_S²v_S² [MeV²] required for the light eigenvalue to be m_Z′ (≥ 0 for the point to exist)."""
        self.couplings(**params)
        g = np.asarray(params["g_prime"], float)
        ch = self._charges(g)
        return singlet_mass_term(
            params["mass_mev"], g_tilde_from_eps(params.get("eps", 0.0)), ch["gz_higgs"], ch["vev_fractions"]
        )

    def physical(self, **params: Any) -> np.ndarray:
        """True where the point exists (see :func:`zprime.physics.models.u1.singlet_mass_term`)."""
        return self.singlet_mass_term(**params) >= 0.0


def define(name: str, *, register: bool = False, replace: bool = False, **charges: Any) -> ChargedU1Model:
    """Shorthand: ``define("mymodel", z_L={"mu": 1, "tau": -1}, register=True)``."""
    return ChargedU1Model.from_dict({"name": name, **charges}, register=register, replace=replace)


__all__ = ["ChargeSpec", "ChargedU1Model", "LeptonCharges", "HiggsDoublet", "QuarkCharges", "define"]
