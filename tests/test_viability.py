"""Model verdicts (Bodas Sec. 4-5; SPEC §5 Checked): Cs no-go, the Rb finding, a positive control."""

import pytest

from zprime.analyses.viability import quark_produced, viability
from zprime.physics.constraints import select


def test_generic_positive_control_inside_cs_window():
    v = viability("generic", "2021", "cs", rules="seed")
    assert v.viable
    assert 16.0 <= v.best_point["parameters"]["mass_mev"] <= 38.5
    assert abs(v.pulls["e"]) <= 1 and abs(v.pulls["mu"]) <= 1
    assert v.blocking == []


def test_sm_u1_not_viable_for_cs():
    v = viability("sm_u1", "2021", "cs")
    assert not v.viable
    assert v.reason.startswith("Not viable")
    assert v.chi2_anomalies > 2.0
    # quark-produced searches are model dependent and are not used for a class verdict
    assert "na48_2" in v.ignored_model_dependent


def test_froggatt_nielsen_rb_depends_on_babar_envelope():
    """SPEC §5 Checked: with the published BaBar curve the simplest Eq. (33) point (C_Ve = C_Vmu) near
    30 MeV explains both anomalies; only the seed's envelope closes it."""
    v = viability("froggatt_nielsen", "2021", "rb")
    assert v.viable
    c = v.best_point["couplings"]
    assert 28.0 < c["mass_mev"] < 33.0
    assert c["c_ve"] == pytest.approx(c["c_vmu"], rel=0.05)
    assert v.envelope_changes_verdict is True
    assert "babar_2014_envelope" in v.reason


def test_quark_produced_list():
    names = quark_produced(select())
    assert "na48_2" in names and "kloe_2012" in names
    assert "babar_2014" not in names


def test_unknown_model_and_bad_sigma():
    with pytest.raises(KeyError, match="generic"):
        viability("no_such_model")
    with pytest.raises(ValueError, match="n_sigma"):
        viability("generic", n_sigma=0)
