import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zprime import Couplings
from zprime.core.couplings import ALL_FIELDS
from zprime.core.errors import InputError

finite = st.floats(min_value=-1.0, max_value=1.0, allow_nan=False)
masses = st.floats(min_value=1e-3, max_value=1e5)


def test_scalar_point_and_accessors():
    c = Couplings(mass_mev=20.0, c_ve=1e-5, c_ae=2e-4, c_vmu=5e-4, c_nue=3e-6)
    assert c.shape == ()
    assert c.cv("e") == 1e-5 and c.ca("e") == 2e-4 and c.cv("mu") == 5e-4 and c.cnu("e") == 3e-6
    assert c.cnu("mu") == 0.0


def test_broadcasting_shapes():
    m = np.geomspace(1, 100, 5)[:, None]
    cae = np.geomspace(1e-6, 1e-3, 7)[None, :]
    c = Couplings(mass_mev=m, c_ae=cae)
    assert c.shape == (5, 7)
    assert c.size == 35
    b = c.broadcast()
    assert b.mass_mev.shape == (5, 7) and b.c_ve.shape == (5, 7)
    assert c[2, 3].mass_mev == m[2, 0]
    with pytest.raises(InputError, match="broadcast"):
        Couplings(mass_mev=np.ones(3), c_ae=np.ones(4))


@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan, np.inf, "abc", None])
def test_bad_mass_names_the_field(bad):
    with pytest.raises(InputError) as exc:
        Couplings(mass_mev=bad)
    assert exc.value.parameter == "mass_mev"
    assert "mass_mev" in str(exc.value)


@pytest.mark.parametrize("field", ["c_ve", "c_numu", "c_ad"])
def test_bad_coupling_names_the_field(field):
    with pytest.raises(InputError, match=field):
        Couplings(mass_mev=10.0, **{field: np.nan})


@given(m=masses, a=finite, b=finite, n=finite)
def test_dict_and_json_round_trip(m, a, b, n):
    c = Couplings(mass_mev=m, c_ve=a, c_ae=b, c_numu=n)
    assert Couplings.from_dict(c.to_dict()) == c
    assert Couplings.from_json(c.to_json()) == c
    assert set(json.loads(c.to_json())) == set(ALL_FIELDS)


def test_array_round_trip_and_unknown_key():
    c = Couplings(mass_mev=[10.0, 20.0], c_ae=[1e-4, 2e-4])
    assert Couplings.from_json(c.to_json()) == c
    with pytest.raises(InputError, match="c_xx"):
        Couplings.from_dict({"mass_mev": 1.0, "c_xx": 1.0})
    with pytest.raises(InputError, match="mass_mev"):
        Couplings.from_dict({"c_ve": 1.0})


def test_repr_is_readable():
    c = Couplings(mass_mev=20.0, c_ae=2e-4)
    assert repr(c) == "Couplings(mass_mev=20, c_ae=0.0002)"
    assert "C_{Ae}" in c._repr_html_()
    assert "| c_ae |" in c._repr_markdown_()


def test_frozen_and_replace():
    c = Couplings(mass_mev=20.0)
    with pytest.raises(AttributeError):
        c.c_ae = 1.0  # type: ignore[misc]
    d = c.replace(c_ae=1e-4)
    assert d.c_ae == 1e-4 and c.c_ae == 0.0
    with pytest.raises(InputError, match="flavour"):
        c.cv("x")


def test_fields_are_read_only_views():
    user = np.array([1.0, 2.0])
    c = Couplings(mass_mev=user, c_ae=user)
    with pytest.raises(ValueError):
        c.c_ae[0] = 5.0
    assert user.flags.writeable  # the caller's array is untouched
    user[0] = 3.0  # ... and still the caller's to change


def test_every_quark_flavour_and_light_nu_r():
    """Every quark flavour has a vector and an axial field, light ν_R have their own; defaults are zero."""
    from zprime.core.couplings import NU_R_FIELDS, QUARK_FIELDS, QUARK_FLAVOURS

    assert QUARK_FLAVOURS == ("u", "d", "s", "c", "b", "t")
    assert QUARK_FIELDS[:4] == ("c_vu", "c_au", "c_vd", "c_ad")  # Bodas Eq. (6) fields first
    c = Couplings(mass_mev=[10.0, 20.0], c_vs=0.1, c_ab=-0.2, c_nurmu=0.3)
    assert c.cvq("s") == 0.1 and c.caq("b") == -0.2 and c.cnur("mu") == 0.3
    assert c.cvq("t") == 0.0 and c.cnur("e") == 0.0
    assert set(NU_R_FIELDS) <= set(c.to_dict())
    with pytest.raises(InputError, match="quark"):
        c.cvq("x")
    with pytest.raises(InputError, match="c_vt"):
        Couplings(mass_mev=1.0, c_vt=1e3)
    with pytest.raises(InputError, match="mass_mev"):
        Couplings(mass_mev=0.0)


def test_from_results_same_as_constructor_and_errors():
    """Couplings._from_results (a model's fresh arrays): the constructor's fields and errors, no copy."""
    import numpy as np
    import pytest

    from zprime.core.couplings import ALL_FIELDS, Couplings
    from zprime.core.errors import InputError

    m = np.array([1.0, 10.0])
    ve = np.array([1e-4, -2e-3])
    ae = np.array([3e-4, 0.0])
    c = Couplings._from_results(m, c_ve=ve, c_ae=ae, c_vmu=ae)
    ref = Couplings(mass_mev=m, c_ve=ve, c_ae=ae, c_vmu=ae)
    assert c == ref and c.shape == ref.shape
    assert all(np.array_equal(getattr(c, f), getattr(ref, f)) for f in ALL_FIELDS)
    assert c.c_ve is ve and not ve.flags.writeable  # kept (frozen), not copied
    assert c.mass_mev is not m  # the mass is the caller's: copied
    assert Couplings(mass_mev=c.mass_mev, c_ve=c.c_ve).c_ve is c.c_ve  # recognised as validated
    with pytest.raises(InputError, match="c_ae"):
        Couplings._from_results(m, c_ve=np.array([0.0, 1.0]), c_ae=np.array([np.nan, 0.0]))
    with pytest.raises(InputError, match="c_vmu"):
        Couplings._from_results(m, c_vmu=np.array([0.0, 20.0]))
    with pytest.raises(InputError, match="mass_mev"):
        Couplings._from_results(np.array([0.0, 1.0]), c_ve=np.array([0.0, 1e-3]))
    with pytest.raises(TypeError):
        Couplings._from_results(m, c_bogus=np.array([0.0, 1.0]))
    view = np.array([1e-3, 2e-3, 3e-3])[:2]  # a view: copied by the constructor
    assert Couplings._from_results(m, c_ve=view).c_ve is not view
