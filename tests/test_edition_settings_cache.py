"""Rate settings derived from an edition (the ν–e recoil windows) follow a user edition file that changed on disk."""

from __future__ import annotations

from pathlib import Path

from zprime.core.couplings import Couplings
from zprime.physics.constraints import EvalOptions, select
from zprime.physics.observables import nu_e_scattering as nues


def _borexino(t_min_mev: float) -> dict:
    """A Borexino recoil window of a user's own edition (the entry of ``write_user_edition``)."""
    return {
        "id": "borexino_mine",
        "name": "borexino_be7",
        "kind": "upper_limit",
        "value": 0.145,
        "uncertainty": 0.0,
        "cl": 0.9,
        "reference": "mine",
        "arxiv": "1234.56789",
        "parameters": {
            "e_nu_mev": 0.862,
            "t_min_mev": t_min_mev,
            "t_max_mev": 0.665,
            "f_nue": 0.5,
            "f_numu": 0.25,
            "f_nutau": 0.25,
            "min_mass_mev": 0.001,
        },
    }


def test_a_changed_user_edition_gives_new_rate_settings(tmp_path: Path, write_user_edition) -> None:  # noqa: ANN001
    path = tmp_path / "mine.yaml"
    about = "a Borexino recoil window of my own"
    write_user_edition(path, _borexino(0.27), about)
    (k,) = select(only=["borexino"])
    c = Couplings(mass_mev=5.0, c_ve=1e-5, c_nue=1e-5)
    first = float(k.evaluate(c, EvalOptions(edition=str(path))).value)
    window = nues.borexino_setting(str(path)).t_nodes.min()
    write_user_edition(path, _borexino(0.4), about)
    assert nues.borexino_setting(str(path)).t_nodes.min() > window  # the new window
    second = float(k.evaluate(c, EvalOptions(edition=str(path))).value)
    assert second != first
    write_user_edition(path, _borexino(0.27), about)
    assert float(k.evaluate(c, EvalOptions(edition=str(path))).value) == first  # the same numbers again


def _window(pe_min: float) -> dict:
    """A COHERENT recoil window of a user's own edition (the entry of ``write_user_edition``)."""
    return {
        "id": "window_mine",
        "name": "cevns_csi_window",
        "kind": "input",
        "value": 1.0,
        "uncertainty": 0.0,
        "reference": "mine",
        "arxiv": "1234.56789",
        "parameters": {"pe_min": pe_min, "pe_max": 50.0, "pe_per_kevnr": 1.17},
    }


def test_a_changed_user_edition_gives_new_cevns_kernels(tmp_path: Path, write_user_edition) -> None:  # noqa: ANN001
    from zprime.physics.observables import cevns

    path = tmp_path / "window.yaml"
    about = "a COHERENT recoil window of my own"
    write_user_edition(path, _window(10.8), about)
    c = Couplings(mass_mev=20.0, c_vu=1e-4, c_vd=1e-4, c_nue=1e-4, c_numu=1e-4)
    first = float(cevns.rate_ratio(c, str(path)))
    write_user_edition(path, _window(20.0), about)
    assert float(cevns.rate_ratio(c, str(path))) != first
