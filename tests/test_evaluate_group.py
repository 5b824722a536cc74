"""Constraints evaluated together (``Constraint.evaluate_group``, ``evaluate_all``) give the one-by-one numbers."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from zprime.analyses.likelihood import evaluate
from zprime.core.couplings import Couplings, random_couplings
from zprime.core.errors import InputError
from zprime.physics.constraints import EvalOptions, evaluate_all, select

FIELDS = ("value", "limit", "status", "chi2", "reference", "rule", "reason")


def _same(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray)
        return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()
    return a == b


@pytest.mark.parametrize("edition", ["2021", "2023", "2025"])
@pytest.mark.parametrize("n", [0, 1, 7, 300])
def test_evaluate_all_matches_one_by_one(edition: str, n: int) -> None:
    c = Couplings(mass_mev=35.0, c_ve=2e-4, c_vu=1e-3, c_vd=-1e-3) if n == 0 else random_couplings(n, n)
    opts = EvalOptions(edition=edition)
    ks = select(include_projections=True, include_variants=True)  # projections and variants too
    together = evaluate_all(ks, c, opts)
    assert list(together) == [k.name for k in ks]  # the order of the constraints (χ² sums depend on it)
    grouped = sum(k.evaluate_group is not None for k in ks)
    assert grouped > 30  # the recast searches share one
    for k in ks:
        want = k.evaluate(c, opts)
        for f in FIELDS:
            assert _same(getattr(together[k.name], f), getattr(want, f)), (k.name, f)


def test_group_leaves_changed_constraints_to_evaluate() -> None:
    """A recast constraint at another CL, or with a user's compute, is evaluated one by one."""
    ks = [k for k in select() if k.evaluate_group is not None]
    c = random_couplings(20, 3)
    opts = EvalOptions()
    other_cl = dataclasses.replace(ks[0], cl=0.5)
    mine = dataclasses.replace(ks[1], compute=lambda cc, o, cl: ks[2].compute(cc, o, cl))
    got = evaluate_all([other_cl, mine, *ks[3:]], c, opts)
    for k in (other_cl, mine):
        want = k.evaluate(c, opts)
        assert got[k.name].chi2.tobytes() == want.chi2.tobytes()
    assert got[mine.name].chi2.tobytes() == ks[2].evaluate(c, opts).chi2.tobytes()
    with pytest.raises(InputError, match="couplings"):
        evaluate_all(ks, "not couplings", opts)  # type: ignore[arg-type]


def test_evaluate_small_input_uses_the_groups() -> None:
    c = random_couplings(5, 9)
    ev = evaluate(c)
    opts = EvalOptions()
    for k in select():
        assert ev.results[k.name].chi2.tobytes() == k.evaluate(c, opts).chi2.tobytes()


def test_result_constructor_behaves_as_the_frozen_dataclass() -> None:
    from zprime.physics.constraints.base import Result

    a = np.arange(3.0)
    s = np.zeros(3, np.int8)
    made = Result("x", a, a, s, a, "ref", "rule", "why")
    by_name = Result(name="x", value=a, limit=a, status=s, chi2=a, reference="ref")
    assert [f.name for f in dataclasses.fields(Result)] == list(vars(made))
    assert (by_name.rule, by_name.reason) == ("", "")  # the fields' defaults
    assert repr(made) == repr(dataclasses.replace(by_name, rule="rule", reason="why"))
    for f in ("value", "limit", "status", "chi2"):
        assert getattr(made, f) is (s if f == "status" else a)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.name = "y"  # type: ignore[misc]


@pytest.mark.parametrize("shape", [(), (4,), (2, 3)])
def test_result_row_equals_the_constructor(shape: tuple[int, ...]) -> None:
    """A row Result (the recast group's) makes its array fields on first access: the same views as
    ``a[j, ...]``, kept (the same object each access), in copies and pickles too."""
    import copy
    import pickle

    from zprime.physics.constraints.base import Result

    n = int(np.prod(shape))
    arrays = tuple(np.arange(5.0 * n).reshape((5, *shape)) + k for k in range(4))
    arrays = (*arrays[:2], (arrays[2] % 3).astype(np.int8), arrays[3])
    made = Result("x", *(a[2, ...] for a in arrays), "ref", "rule")
    lazy = Result.row("x", arrays, 2, "ref", "rule")
    assert type(lazy) is Result and repr(lazy) == repr(made)
    for f in dataclasses.fields(Result):
        assert _same(getattr(lazy, f.name), getattr(made, f.name)), f.name
    assert lazy.value is lazy.value and lazy.value.shape == shape and lazy.status.dtype == np.int8
    assert not hasattr(lazy, "nothing")
    with pytest.raises(dataclasses.FrozenInstanceError):
        lazy.value = arrays[0][0]  # type: ignore[misc]
    for other in (copy.copy(Result.row("x", arrays, 2, "ref", "rule")), pickle.loads(pickle.dumps(lazy))):
        assert repr(other) == repr(made) and "_row" not in vars(other)
    assert dataclasses.replace(lazy, name="y").chi2.tobytes() == made.chi2.tobytes()


def test_select_is_kept_until_the_registry_changes() -> None:
    from zprime.physics.constraints.registry import register, unregister

    first = select()
    again = select()
    assert again == first and again is not first  # a new list each call
    again.pop()
    assert select() == first  # a caller's change does not leak
    mine = dataclasses.replace(first[0], name="zz_user_copy")
    register(mine)
    try:
        assert [k.name for k in select()] == sorted([k.name for k in first] + ["zz_user_copy"])
    finally:
        unregister("zz_user_copy")
    assert select() == first
