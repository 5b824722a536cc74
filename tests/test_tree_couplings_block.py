"""tree_couplings of a batch: the shared partial products and the one-block Couplings (Couplings._from_block)
give bit for bit the couplings of chiral_coupling field by field (Bodas et al. Eqs. (6), (20)-(24))."""

from __future__ import annotations

import numpy as np
import pytest

from zprime.core.couplings import ALL_FIELDS, COUPLING_FIELDS, Couplings
from zprime.core.errors import InputError
from zprime.physics.models.u1 import FLAVOURS, GENERATIONS, chiral_coupling, higgs_u, mixing, tree_couplings


def _reference(mass, g_tilde, gz_higgs, vev, gz_l, gz_r, gens, gz_nu_r=None) -> dict[str, np.ndarray]:
    """The couplings from chiral_coupling, one field at a time (the definition)."""
    s, c = mixing(mass, higgs_u(g_tilde, gz_higgs, vev))
    out = {}
    for fl, zl, zr in zip(FLAVOURS, gz_l, gz_r, strict=True):
        gl, gr = chiral_coupling(s, c, "eL", g_tilde, zl), chiral_coupling(s, c, "eR", g_tilde, zr)
        out[f"c_v{fl}"], out[f"c_a{fl}"] = 0.5 * (gr + gl), 0.5 * (gr - gl)
        out[f"c_nu{fl}"] = chiral_coupling(s, c, "nuL", g_tilde, zl)
    for (up, down), (zq, zu, zd) in zip(GENERATIONS, gens, strict=True):
        for q, kind, zr in ((up, "u", zu), (down, "d", zd)):
            gl, gr = (
                chiral_coupling(s, c, f"{kind}L", g_tilde, zq),
                chiral_coupling(s, c, f"{kind}R", g_tilde, zr),
            )
            out[f"c_v{q}"], out[f"c_a{q}"] = 0.5 * (gr + gl), 0.5 * (gr - gl)
    for fl, z in zip(FLAVOURS, gz_nu_r or (), strict=False):
        out[f"c_nur{fl}"] = chiral_coupling(s, c, "nuR", g_tilde, z)
    return out


def _signed(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.choice([-1.0, 1.0], n) * 10 ** rng.uniform(-9, -1, n)


@pytest.mark.parametrize("n", [1, 3, 105])
@pytest.mark.parametrize("kind", ["one_doublet", "two_doublets", "generations", "nu_r"])
def test_batch_is_bitwise_the_field_by_field_couplings(n: int, kind: str) -> None:
    rng = np.random.default_rng(n)
    mass, gt = 10 ** rng.uniform(0, 3, n), _signed(rng, n)
    zl = (_signed(rng, n), _signed(rng, n), _signed(rng, n))
    zr = zl if kind == "one_doublet" else (_signed(rng, n), 0.0, _signed(rng, n))
    higgs, vev = ((0.0,), (1.0,)) if kind != "two_doublets" else ((_signed(rng, n), 0.0), (0.3, 0.7))
    gens = [(0.0, 0.0, 0.0)] * 3
    if kind == "generations":
        gens = [(_signed(rng, n), 0.0, _signed(rng, n)), (0.1, 0.2, 0.3), (_signed(rng, n),) * 3]
    nu_r = (_signed(rng, n), 0.0, 1e-5) if kind == "nu_r" else None
    kw = dict(gz_higgs=higgs, vev_fractions=vev, gz_l=zl, gz_r=zr, gz_nu_r=nu_r)
    if kind == "generations":
        kw["gz_generations"] = gens
    c = tree_couplings(mass, gt, **kw)
    ref = _reference(mass, gt, higgs, vev, zl, zr, gens, nu_r)
    for f in COUPLING_FIELDS:
        got = getattr(c, f)
        want = np.asarray(ref.get(f, 0.0))
        assert got.shape == want.shape and got.tobytes() == want.tobytes(), f
        assert not got.flags.writeable
    # the fields are views of one owned buffer: a new Couplings of them keeps them (no copy, no check)
    again = Couplings(**{f: getattr(c, f) for f in ALL_FIELDS})
    assert all(np.shares_memory(getattr(again, f), getattr(c, f)) for f in ("c_ve", "c_vu", "c_nutau"))
    assert again == c


def test_scalars_and_mixed_shapes_keep_their_shapes() -> None:
    """Fields of different broadcast shapes (or 0-d) do not take the block: each keeps its own shape."""
    one = tree_couplings(20.0, 1e-4, gz_higgs=(0.0,), vev_fractions=(1.0,), gz_l=(1e-3, 2e-3, 0.0),
                         gz_r=(1e-3, 2e-3, 0.0))  # fmt: skip
    assert one.shape == () and one.c_ve.shape == ()
    mixed = tree_couplings(
        np.array([[20.0], [30.0]]),
        np.array([1e-4, 2e-4, 3e-4]),
        gz_higgs=(0.0,),
        vev_fractions=(1.0,),
        gz_l=(1e-3, 2e-3, 0.0),
        gz_r=(1e-3, 2e-3, np.array([0.0, 1e-3, 2e-3])),
    )
    assert mixed.shape == (2, 3)
    ref = _reference(
        np.array([[20.0], [30.0]]), np.array([1e-4, 2e-4, 3e-4]), (0.0,), (1.0,), (1e-3, 2e-3, 0.0),
        (1e-3, 2e-3, np.array([0.0, 1e-3, 2e-3])), [(0.0, 0.0, 0.0)] * 3,
    )  # fmt: skip
    for f, want in ref.items():
        assert getattr(mixed, f).tobytes() == np.asarray(want).tobytes(), f


def test_batch_out_of_range_names_the_field() -> None:
    with pytest.raises(InputError, match="c_numu"):
        tree_couplings(np.array([20.0, 30.0]), np.array([1e-4, 5.0]), gz_higgs=(0.0,), vev_fractions=(1.0,),
                       gz_l=(1e-3, 20.0, 0.0), gz_r=(1e-3, 2e-3, 0.0))  # fmt: skip
    with pytest.raises(InputError, match="mass_mev"):
        tree_couplings(np.array([20.0, np.nan]), np.array([1e-4, 5.0]), gz_higgs=(0.0,), vev_fractions=(1.0,),
                       gz_l=(1e-3, 2e-3, 0.0), gz_r=(1e-3, 2e-3, 0.0))  # fmt: skip


@pytest.mark.parametrize(
    "kw",
    [
        dict(gz_l=(1e-3, 1e-3), gz_r=(1e-3, 1e-3)),
        dict(gz_l=(1e-3,) * 3, gz_r=(1e-3,) * 2),
        dict(gz_l=(1e-3,) * 3, gz_r=(1e-3,) * 3, gz_nu_r=(1e-3,) * 2),
    ],
)
def test_batch_needs_one_charge_per_flavour(kw: dict) -> None:
    """Two charges for three flavours is an error (as field by field), never a field left unset."""
    with pytest.raises(ValueError, match="zip"):
        tree_couplings(
            np.array([20.0, 30.0]), np.array([1e-4, 2e-4]), gz_higgs=(0.0,), vev_fractions=(1.0,), **kw
        )
