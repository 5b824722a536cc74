"""The bibliography (data/references.bib) is valid BibTeX and covers every measurement's sources."""

from pathlib import Path

import pytest

from zprime.core import bibliography as bib
from zprime.core.errors import DataFileError, UnknownNameError
from zprime.core.measurements import load_measurement_file, load_measurements, measurement_files

bibtexparser = pytest.importorskip("bibtexparser")


def _parse(text: str):
    lib = bibtexparser.parse_string(text)
    assert not lib.failed_blocks, [b.error for b in lib.failed_blocks]
    return lib


def test_bib_file_is_valid_bibtex():
    text = bib.bib_path().read_text(encoding="utf-8")
    lib = _parse(text)
    ours = bib.load_bibliography()
    assert [e.key for e in lib.entries] == list(ours)
    for e in lib.entries:
        assert "year" in e.fields_dict and "author" in e.fields_dict, e.key
        if e.entry_type == "article" and "journal" not in e.fields_dict:
            pytest.fail(f"{e.key}: @article without journal (use @misc for arXiv-only papers)")


def test_keys_are_unique():
    text = bib.bib_path().read_text(encoding="utf-8")
    keys = [e.key for e in _parse(text).entries]
    assert len(keys) == len({k.lower() for k in keys})


def test_every_cite_key_exists():
    known = bib.load_bibliography()
    for path in measurement_files():
        for m in load_measurement_file(path):
            assert m.cite_keys, f"{path.name}: {m.id} has no cite keys"
            missing = [k for k in m.cite_keys if k not in known]
            assert not missing, f"{path.name}: {m.id} cites unknown {missing}"
    assert bib.validate() == len(known)


def test_arxiv_ids_are_cited():
    eprints = {
        e.key: e.fields_dict["eprint"].value
        for e in _parse(bib.entries(bib.load_bibliography())).entries
        if "eprint" in e.fields_dict
    }
    for m in load_measurements():
        if m.arxiv:
            cited = {eprints.get(k) for k in m.cite_keys}
            assert m.arxiv in cited, f"{m.id}: arXiv:{m.arxiv} not among the eprints of {m.cite_keys}"


def test_entries_deduplicated_and_parse():
    keys = [*bib.SEED_KEYS, "Muong-2:2021ojo", *bib.SEED_KEYS, *bib.DARKCAST_KEYS, "Muong-2:2021ojo"]
    text = bib.entries(keys)
    lib = _parse(text)
    assert [e.key for e in lib.entries] == [*bib.SEED_KEYS, "Muong-2:2021ojo", *bib.DARKCAST_KEYS]
    assert bib.entries([]) == ""
    every = bib.measurement_keys(load_measurements())
    assert len(_parse(bib.entries(every + every)).entries) == len(set(every))


def test_seed_darkcast_and_model_keys_exist():
    lib = {e.key: e for e in _parse(bib.bib_path().read_text(encoding="utf-8")).entries}
    assert lib["Bodas:2021fsy"].fields_dict["eprint"].value == "2102.07781"
    assert lib[bib.SEED_KEYS[1]].fields_dict["eprint"].value == "2104.03280"
    assert {lib[k].fields_dict["eprint"].value for k in bib.DARKCAST_KEYS} == {"1801.04847", "2206.08563"}
    for keys in bib.MODEL_KEYS.values():
        assert all(k in lib for k in keys)


def test_unknown_key_is_named():
    with pytest.raises(UnknownNameError, match="NoSuch:2099xx"):
        bib.entries(["NoSuch:2099xx"])


def test_validate_names_file_and_entry(tmp_path: Path):
    p = tmp_path / "mine.yaml"
    p.write_text(
        "measurements:\n"
        "  - id: my_thing_2030\n"
        "    name: my_thing\n"
        "    value: 1.0\n"
        "    uncertainty: 0.1\n"
        '    reference: "Me, Phys. Rev. D 1 (2030) 1"\n'
        '    cite: ["Nobody2030"]\n'
        '    editions: ["2021"]\n'
    )
    with pytest.raises(DataFileError) as exc:
        bib.validate([p])
    assert "mine.yaml" in str(exc.value) and "my_thing_2030.cite" in str(exc.value)
    assert "Nobody2030" in str(exc.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("@article{A:2020aa, year = {2020}", "never closed"),
        ("@article(A:2020aa, title = {x}}, year = 1)", "unbalanced"),
        ("@article{, year = {2020}}", "no key"),
        ("@article{A1, year = {2020}}\n@book{a1, year = {2021}}", "duplicate key"),
        ("@article{A1}", "no key"),
        ("@article{A1,}", "no fields"),
    ],
)
def test_reader_rejects_malformed(text: str, message: str):
    with pytest.raises(DataFileError, match=message):
        bib.parse_bibtex(text, "x.bib")


def test_reader_handles_parentheses_quotes_and_comments():
    text = (
        "% a comment with @article{Fake, in it\n"
        "@comment{ignored}\n"
        '@string{jhep = "JHEP"}\n'
        '@article(P:2018aa, doi = "10.1007/JHEP05(2018)098", title = "{a \\"quoted\\" ) brace}")\n'
        "@misc{Q:2019bb,\n  note = {email@example.org},\n  year = 2019\n}\n"
    )
    got = bib.parse_bibtex(text)
    assert list(got) == ["P:2018aa", "Q:2019bb"]
    assert got["P:2018aa"].endswith('brace}")')
