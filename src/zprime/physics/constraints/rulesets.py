"""Named rule sets: which variants replace which current constraints.

- ``current``: every current constraint as published / derived (BaBar 2014 as digitised, the E158 bound
  derived from the data, first-principles ν–e scattering).
- ``seed``: the choices of Bodas et al. (EPJC 81 (2021) 1065) used to reproduce their figures and window:
  the smoothed BaBar envelope, the symmetric Møller rule |C_Ve C_Ae| ≲ 1e-8 (B(12)) and the fitted
  ν–e forms B(13), B(14).
"""

from __future__ import annotations

from typing import Literal

from zprime.core.errors import InputError

RuleSet = Literal["seed", "current"]

RULESETS: dict[str, tuple[str, ...]] = {
    "current": (),
    "seed": ("babar_2014_envelope", "moller_e158_seed", "texono_seed", "borexino_seed"),
}


def excludes_for(rules: str) -> tuple[str, ...]:
    """Constraint names the rule set leaves out: for ``seed``, the published limits that are not among the
    seed's ingredients (``not_in_seed`` of ``data/reproduction/bodas2021.yaml``); only registered names."""
    from zprime.core.settings import reproduction_settings
    from zprime.physics.constraints.registry import names

    if rules not in RULESETS:
        raise InputError("rules", f"must be one of {', '.join(RULESETS)}, got {rules!r}")
    if rules != "seed":
        return ()
    known = set(names())
    return tuple(n for n in reproduction_settings("bodas2021").get("not_in_seed", ()) if n in known)


def variants_for(rules: str) -> tuple[str, ...]:
    """Variant names that the rule set swaps in (only those registered are returned)."""
    from zprime.physics.constraints.registry import names

    if rules not in RULESETS:
        raise InputError("rules", f"must be one of {', '.join(RULESETS)}, got {rules!r}")
    known = set(names())
    return tuple(v for v in RULESETS[rules] if v in known)
