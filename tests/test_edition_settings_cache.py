"""Rate settings derived from an edition (the ν–e recoil windows) follow a user edition file that changed on disk."""

from __future__ import annotations

import os
import time
from pathlib import Path

from zprime.core.couplings import Couplings
from zprime.physics.constraints import EvalOptions, select
from zprime.physics.observables import nu_e_scattering as nues


def _write(path: Path, t_min_mev: float) -> None:
    path.write_text(
        "edition: mine\n"
        'extends: "2025"\n'
        "description: a Borexino recoil window of my own\n"
        "measurements:\n"
        "  - id: borexino_mine\n"
        "    name: borexino_be7\n"
        "    kind: upper_limit\n"
        "    value: 0.145\n"
        "    uncertainty: 0.0\n"
        "    cl: 0.9\n"
        '    reference: "mine"\n'
        '    arxiv: "1234.56789"\n'
        "    parameters: {e_nu_mev: 0.862, t_min_mev: " + repr(t_min_mev) + ", t_max_mev: 0.665, f_nue: 0.5,"
        " f_numu: 0.25, f_nutau: 0.25, min_mass_mev: 0.001}\n"
    )


def test_a_changed_user_edition_gives_new_rate_settings(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    _write(path, 0.27)
    (k,) = select(only=["borexino"])
    c = Couplings(mass_mev=5.0, c_ve=1e-5, c_nue=1e-5)
    first = float(k.evaluate(c, EvalOptions(edition=str(path))).value)
    window = nues.borexino_setting(str(path)).t_nodes.min()
    _write(path, 0.4)
    later = time.time_ns() + 10**9  # a new modification time even on a coarse clock
    os.utime(path, ns=(later, later))
    assert nues.borexino_setting(str(path)).t_nodes.min() > window  # the new window
    second = float(k.evaluate(c, EvalOptions(edition=str(path))).value)
    assert second != first
    _write(path, 0.27)
    os.utime(path, ns=(later + 10**9, later + 10**9))
    assert float(k.evaluate(c, EvalOptions(edition=str(path))).value) == first  # the same numbers again


def _write_window(path: Path, pe_min: float) -> None:
    path.write_text(
        "edition: mine\n"
        'extends: "2025"\n'
        "description: a COHERENT recoil window of my own\n"
        "measurements:\n"
        "  - id: window_mine\n"
        "    name: cevns_csi_window\n"
        "    kind: input\n"
        "    value: 1.0\n"
        "    uncertainty: 0.0\n"
        '    reference: "mine"\n'
        '    arxiv: "1234.56789"\n'
        "    parameters: {pe_min: " + repr(pe_min) + ", pe_max: 50.0, pe_per_kevnr: 1.17}\n"
    )


def test_a_changed_user_edition_gives_new_cevns_kernels(tmp_path: Path) -> None:
    from zprime.physics.observables import cevns

    path = tmp_path / "window.yaml"
    _write_window(path, 10.8)
    c = Couplings(mass_mev=20.0, c_vu=1e-4, c_vd=1e-4, c_nue=1e-4, c_numu=1e-4)
    first = float(cevns.rate_ratio(c, str(path)))
    _write_window(path, 20.0)
    later = time.time_ns() + 10**9
    os.utime(path, ns=(later, later))
    assert float(cevns.rate_ratio(c, str(path))) != first
