"""Data integrity (issue 16 item 4): the SHA-256 manifest of the shipped data and ``zprime data validate``.

Every case works on a copy of ``src/zprime/data`` (``zprime data validate --data-dir COPY``): a changed
curve, σ = 0, a duplicate YAML key, a truncated file, a deleted file, ... each fail with exit 2 and one
line naming the file.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from zprime.app.cli import main
from zprime.core import integrity
from zprime.core.errors import DataFileError
from zprime.core.yaml_io import load_yaml_text, read_yaml

DATA = integrity.data_dir()


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
        raise SystemExit(0)
    out = capsys.readouterr()
    return exc.value.code or 0, out.out, out.err


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    dst = tmp_path / "data"
    shutil.copytree(DATA, dst)
    return dst


def _edit(path: Path, fn: Callable[[str], str]) -> None:
    text = path.read_text(encoding="utf-8")
    new = fn(text)
    assert new != text
    path.write_text(new, encoding="utf-8")


def _times_ten(text: str) -> str:
    out = []
    for line in text.splitlines(keepends=True):
        if line[:1].isdigit():
            m, *eps = line.strip().split(",")
            line = ",".join([m, *(f"{10 * float(e):.4g}" if float(e) < 1e4 else e for e in eps)]) + "\n"
        out.append(line)
    return "".join(out)


def _validate_fails(copy: Path, capsys, names: str, *words: str) -> str:
    code, out, err = run(["data", "validate", "--data-dir", str(copy)], capsys)
    assert code == 2, (out, err)
    assert err.count("\n") == 1 and err.startswith("zprime: error: ") and "Traceback" not in err
    assert names in err, err
    for w in words:
        assert w in err, err
    return err


# ---------------------------------------------------------------------------------------- manifest
def test_manifest_lists_every_shipped_file_with_its_digest() -> None:
    manifest = integrity.read_manifest(DATA)
    assert manifest == integrity.compute_manifest(DATA), "run tools/make_manifest.py"
    assert {"editions.yaml", "references.bib", "limits/visible/A1_Merkel2014avp.csv"} <= set(manifest)
    assert all(re.fullmatch(r"[0-9a-f]{64}", d) for d in manifest.values())


def test_validate_passes_on_the_shipped_data_and_on_a_clean_copy(copy: Path, capsys) -> None:
    code, out, err = run(["data", "validate"], capsys)
    assert code == 0 and "SHA-256 unchanged" in out and not err
    code, out, err = run(["data", "validate", "--data-dir", str(copy), "--json"], capsys)
    assert code == 0 and not err
    rep = json.loads(out)
    assert rep["ok"] and any("limits: 50 limit files" in c for c in rep["checks"])


# ------------------------------------------------------------------------------- the five required
def test_curve_times_ten_fails(copy: Path, capsys) -> None:
    # BaBar stays below eps = 1 after x10: only the manifest can tell
    _edit(copy / "limits/visible/BaBar_Lees2014xha.csv", _times_ten)
    _validate_fails(copy, capsys, "BaBar_Lees2014xha.csv", "changed", "SHA-256")


def test_curve_times_ten_above_one_fails_as_unphysical(copy: Path, capsys) -> None:
    _edit(copy / "limits/visible/A1_Merkel2014avp.csv", _times_ten)
    _validate_fails(copy, capsys, "A1_Merkel2014avp.csv", "eps must be <= 1")


def test_sigma_zero_fails(copy: Path, capsys) -> None:
    _edit(
        copy / "measurements/anomalous_moments.yaml",
        lambda t: t.replace("    uncertainty: 59.0e-11\n", "    uncertainty: 0.0\n", 1),
    )
    _validate_fails(copy, capsys, "anomalous_moments.yaml", "delta_a_mu_2021", "> 0")


def test_negative_sigma_fails(copy: Path, capsys) -> None:
    _edit(
        copy / "measurements/anomalous_moments.yaml",
        lambda t: t.replace("    uncertainty: 59.0e-11\n", "    uncertainty: -59.0e-11\n", 1),
    )
    _validate_fails(copy, capsys, "anomalous_moments.yaml", "delta_a_mu_2021")


def test_duplicate_key_fails(copy: Path, capsys) -> None:
    _edit(
        copy / "measurements/anomalous_moments.yaml",
        lambda t: t.replace("    value: 251.0e-11\n", "    value: 251.0e-11\n    value: 2510.0e-11\n", 1),
    )
    _validate_fails(copy, capsys, "anomalous_moments.yaml", "duplicate key 'value' at line 9", "line 8")


def test_duplicate_key_in_a_limit_file_fails(copy: Path, capsys) -> None:
    _edit(copy / "limits/visible/KEK_Konaka1986cb.yaml", lambda t: t + "cl: 0.95\n")
    _validate_fails(copy, capsys, "KEK_Konaka1986cb.yaml", "duplicate key 'cl'")


def test_truncated_curve_fails(copy: Path, capsys) -> None:
    path = copy / "limits/visible/APEX_Abrahamyan2011gv.csv"
    raw = path.read_bytes()
    cut = raw.index(b"\n", len(raw) // 2) + 5  # in the middle of a row
    path.write_bytes(raw[:cut])
    _validate_fails(copy, capsys, "APEX_Abrahamyan2011gv.csv", "truncated")


def test_truncated_curve_at_a_row_end_fails(copy: Path, capsys) -> None:
    path = copy / "limits/visible/APEX_Abrahamyan2011gv.csv"
    raw = path.read_bytes()
    path.write_bytes(raw[: raw.index(b"\n", len(raw) // 2) + 1])
    _validate_fails(copy, capsys, "APEX_Abrahamyan2011gv.csv", "rows")


def test_truncated_yaml_fails(copy: Path, capsys) -> None:
    path = copy / "measurements/anomalous_moments.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text[: text.index("    reference:", text.index("id: delta_a_mu_2021")) + 20], encoding="utf-8"
    )
    _validate_fails(copy, capsys, "anomalous_moments.yaml", "truncated")


def test_truncated_yaml_at_a_line_end_fails(copy: Path, capsys) -> None:
    path = copy / "measurements/anomalous_moments.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("    reference:", text.index("id: delta_a_mu_2021"))], encoding="utf-8")
    _validate_fails(copy, capsys, "anomalous_moments.yaml", "delta_a_mu_2021")


@pytest.mark.parametrize(
    "rel", ["limits/visible/E137_Bjorken1988as.csv", "reproduction/bodas2021.yaml", "limits/README.md"]
)
def test_deleted_file_fails(copy: Path, capsys, rel: str) -> None:
    (copy / rel).unlink()
    _validate_fails(copy, capsys, rel, "missing", "MANIFEST.sha256")


# ------------------------------------------------------------------------------------ other checks
def test_unlisted_file_fails(copy: Path, capsys) -> None:
    (copy / "limits/visible/extra.md").write_text("a note\n", encoding="utf-8")
    _validate_fails(copy, capsys, "extra.md", "not listed")


def test_changed_readme_fails(copy: Path, capsys) -> None:
    _edit(copy / "limits/README.md", lambda t: t + "more\n")
    _validate_fails(copy, capsys, "limits/README.md", "changed")


def test_missing_manifest_fails(copy: Path, capsys) -> None:
    (copy / integrity.MANIFEST_NAME).unlink()
    _validate_fails(copy, capsys, integrity.MANIFEST_NAME, "manifest")


def test_non_monotonic_masses_fail(copy: Path, capsys) -> None:
    path = copy / "limits/visible/APEX_Abrahamyan2011gv.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    k = next(i for i, line in enumerate(lines) if line[:1].isdigit()) + 10
    lines[k], lines[k + 1] = lines[k + 1], lines[k]
    path.write_text("".join(lines), encoding="utf-8")
    _validate_fails(copy, capsys, "APEX_Abrahamyan2011gv.csv", "non-decreasing")


@pytest.mark.parametrize(
    ("rel", "old", "new", "words"),
    [
        ("limits/visible/KEK_Konaka1986cb.yaml", "cl: 0.9\n", "cl: 1.5\n", ("cl",)),
        ("limits/visible/KEK_Konaka1986cb.yaml", "cl: 0.9\n", "cl: 0.0\n", ("cl",)),
        ("limits/visible/A1_Merkel2014avp.yaml", '  licence: "GPL-2.0-or-later"\n', "", ("licence",)),
        ("constants/pdg.yaml", "    value: 105.6583755\n", "    value: -105.6583755\n", ("m_mu", "> 0")),
        (
            "measurements/anomalous_moments.yaml",
            '    reference: "Muon g-2 Collaboration, Phys. Rev. Lett. 126 (2021) 141801; T. Aoyama et al., '
            'Phys. Rept. 887 (2020) 1"\n',
            "",
            ("delta_a_mu_2021", "reference"),
        ),
        ("measurements/astro_cosmo.yaml", "min_mass_mev: 0.05", "min_mass_mev: 0.0", ("min_mass_mev",)),
        ("measurements/astro_cosmo.yaml", "cl: 0.954\n", "cl: 1.954\n", ("cl",)),
    ],
)
def test_out_of_range_or_missing_provenance_fails(copy: Path, capsys, rel, old, new, words) -> None:
    _edit(copy / rel, lambda t: t.replace(old, new, 1))
    _validate_fails(copy, capsys, Path(rel).name, *words)


def test_eps_zero_in_a_curve_fails(copy: Path, capsys) -> None:
    path = copy / "limits/visible/APEX_Abrahamyan2011gv.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    k = next(i for i, line in enumerate(lines) if line[:1].isdigit()) + 5
    lines[k] = lines[k].split(",")[0] + ",0.0\n"
    path.write_text("".join(lines), encoding="utf-8")
    _validate_fails(copy, capsys, "APEX_Abrahamyan2011gv.csv", "positive")


def test_data_dir_that_is_not_a_folder(tmp_path: Path, capsys) -> None:
    code, _, err = run(["data", "validate", "--data-dir", str(tmp_path / "nope")], capsys)
    assert code == 2 and err.count("\n") == 1 and "nope" in err


# ------------------------------------------------------------------------------------------ at load
def test_load_refuses_a_changed_shipped_file() -> None:
    path = DATA / "editions.yaml"
    integrity.verify_shipped(path, path.read_bytes())  # unchanged: fine
    with pytest.raises(DataFileError, match=r"editions\.yaml.*changed.*SHA-256"):
        integrity.verify_shipped(path, path.read_bytes() + b"# edited\n")
    with pytest.raises(DataFileError, match="not listed"):
        integrity.verify_shipped(DATA / "limits" / "new.yaml", b"x: 1\n")


def test_files_outside_the_data_folder_are_not_checked(tmp_path: Path) -> None:
    p = tmp_path / "editions.yaml"
    p.write_text("a: 1\n", encoding="utf-8")
    assert read_yaml(p) == {"a": 1}


def test_duplicate_keys_refused_in_any_yaml(tmp_path: Path) -> None:
    p = tmp_path / "model.yaml"
    p.write_text("name: x\ncharges:\n  e: 1\n  mu: 2\n  e: 3\n", encoding="utf-8")
    with pytest.raises(
        DataFileError, match=r"model\.yaml: duplicate key 'e' at line 5 \(first given at line 3\)"
    ):
        read_yaml(p)
    assert load_yaml_text("a: {b: 1}\nc: [1, 2]\n") == {"a": {"b": 1}, "c": [1, 2]}
    assert load_yaml_text("base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n") == {
        "base": {"x": 1},
        "d": {"x": 1, "y": 2},
    }
    with pytest.raises(DataFileError, match="not valid YAML"):
        load_yaml_text("a: [1, 2\n")


# ----------------------------------------------------------------------------------------- examples
def test_examples_are_shipped_and_copied_out(tmp_path: Path, capsys) -> None:
    from zprime.app import examples

    names = [p.name for p in examples.example_files()]
    assert names == ["my_u1_model.yaml", "scan_generic.toml"]
    code, out, _ = run(["examples", "--out", str(tmp_path / "ex")], capsys)
    assert code == 0
    for n in names:
        assert (tmp_path / "ex" / n).read_bytes() == (examples.examples_dir() / n).read_bytes()
        assert str(tmp_path / "ex" / n) in out
    code, _, err = run(["examples", "--out", str(tmp_path / "ex")], capsys)  # no silent overwrite
    assert code == 2 and "--force" in err and err.count("\n") == 1
    assert run(["examples", "--out", str(tmp_path / "ex"), "--force"], capsys)[0] == 0
    (tmp_path / "file").write_text("x", encoding="utf-8")
    code, _, err = run(["examples", "--out", str(tmp_path / "file")], capsys)
    assert code == 2 and "not a folder" in err
    code, out, _ = run(["examples", "--list", "--json"], capsys)
    assert code == 0 and [r["name"] for r in json.loads(out)] == names


def test_source_checkout_examples_are_the_package_files() -> None:
    """One copy: the top-level examples/ of a source checkout is a link to src/zprime/examples."""
    from zprime.app import examples

    top = Path(__file__).resolve().parents[1] / "examples"
    if not top.exists():
        pytest.skip("not a source checkout")
    assert top.resolve() == examples.examples_dir().resolve()


def test_figure_list_json(capsys) -> None:
    code, out, _ = run(["figure", "--list", "--json"], capsys)
    assert code == 0
    figs = json.loads(out)["figures"]
    assert {"bodas2021-fig2a"} <= {f["name"] for f in figs}
    assert all(f["title"] and f["paper"] for f in figs)


def test_figure_json_needs_list(capsys) -> None:
    code, _, err = run(["figure", "bodas2021-fig2a", "--json"], capsys)
    assert code == 2 and "--json" in err and err.count("\n") == 1
