from pathlib import Path

import pytest

from zprime.core import constants
from zprime.core import measurements as M
from zprime.core.errors import DataFileError, UnknownNameError


def test_constants_have_references_and_values():
    cs = constants.load_constants()
    for c in cs.values():
        assert c.reference
    assert constants.M_E == pytest.approx(0.51099895, rel=1e-8)
    assert constants.M_MU / constants.M_E == pytest.approx(206.768283, rel=1e-7)
    assert constants.G_F == pytest.approx(1.1663788e-11, rel=1e-7)
    assert constants.E_CHARGE == pytest.approx(0.302822, rel=1e-5)


def test_snapshot_matches_particle_if_available():
    particle = pytest.importorskip("particle")
    table = {"m_e": 11, "m_mu": 13, "m_tau": 15, "m_z": 23, "m_p": 2212}
    for name, pid in table.items():
        assert particle.Particle.from_pdgid(pid).mass == pytest.approx(constants.get(name), rel=1e-6)


def test_editions_have_seed_values():
    e21 = M.load_edition("2021")
    assert e21["delta_a_mu"].value == pytest.approx(251e-11)
    assert e21["delta_a_mu"].uncertainty == pytest.approx(59e-11)
    assert e21["delta_a_e_cs"].value == pytest.approx(-8.7e-13)
    assert e21["delta_a_e_cs"].uncertainty == pytest.approx(3.6e-13)
    assert e21["delta_a_e_rb"].value == pytest.approx(4.8e-13)
    assert e21["delta_a_e_rb"].uncertainty == pytest.approx(3.0e-13)


def test_edition_2025_overrides_and_inherits():
    e25 = M.load_edition("2025")
    assert e25["delta_a_mu"].value == pytest.approx(38.5e-11, rel=0.02)
    assert e25["delta_a_mu"].uncertainty == pytest.approx(63e-11, rel=0.02)
    assert e25["delta_a_e_cs"].value == pytest.approx(-10.16e-13, rel=1e-3)
    assert e25["delta_a_e_rb"].value == pytest.approx(3.36e-13, rel=1e-3)
    assert "Fan" in e25["delta_a_e_cs"].notes or "Fan" in e25["delta_a_e_cs"].reference
    # everything not overridden is inherited from 2021
    assert e25["white_dwarf_cooling"] is M.load_edition("2021")["white_dwarf_cooling"]


def test_ae_2025_derivation_is_consistent():
    """The 2025 shift equals the change of a_e(exp) between Hanneke 2008 and Fan 2023 (-1.4e-13)."""
    shift = 0.00115965218059 - 0.00115965218073
    for ae in ("cs", "rb"):
        old = M.by_id(f"delta_a_e_{ae}_2021").value
        new = M.by_id(f"delta_a_e_{ae}_2025").value
        # the seeds round to 0.1e-13 (-8.76 -> -8.7, 4.76 -> 4.8)
        assert new - old == pytest.approx(shift, abs=0.1e-13)


def test_unknown_edition_lists_known():
    with pytest.raises(UnknownNameError, match="2021"):
        M.load_edition("1999")


def test_validate_all():
    files = dict(M.validate_all())
    assert "anomalous_moments.yaml" in files


def test_malformed_file_names_file_and_field(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "measurements:\n  - id: x_2021\n    name: x\n    value: abc\n    uncertainty: 1\n"
        "    reference: 'Phys. Rev. X'\n    editions: ['2021']\n"
    )
    with pytest.raises(DataFileError) as exc:
        M.load_measurement_file(bad)
    assert "bad.yaml" in str(exc.value) and "x_2021.value" in str(exc.value)
    bad.write_text("measurements: [\n")
    with pytest.raises(DataFileError, match="YAML"):
        M.load_measurement_file(bad)
    bad.write_text(
        "measurements:\n  - id: y_2021\n    name: y\n    value: 1\n    uncertainty: 1\n"
        "    reference: 'Phys. Rev. X'\n    editions: ['1800']\n"
    )
    with pytest.raises(DataFileError, match="unknown edition"):
        M.load_measurements(extra_paths=[bad])


def test_yaml_is_loaded_safely(tmp_path: Path):
    evil = tmp_path / "evil.yaml"
    evil.write_text("measurements: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(DataFileError):
        M.load_measurement_file(evil)
