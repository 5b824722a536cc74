"""The shipped measurement files are read without the pydantic schema (faster start of ``zprime g2``);
this checks that what the loaders make of them is what the full schema makes, field by field and type by type,
and that the full schema accepts every shipped file. A changed shipped file is refused at load (data/MANIFEST),
so these tests cover every file the fast path can see."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from typing import Any

import pytest

from zprime.core import _measurement_schema as schema
from zprime.core import measurements as M


def typed(x: Any) -> Any:
    """``x`` with the type of every value, so that 1 and 1.0 (equal in Python) compare unequal."""
    if dataclasses.is_dataclass(x):
        return (type(x).__name__, typed(vars(x)))
    if isinstance(x, dict):
        return ("dict", sorted((typed(k), typed(v)) for k, v in x.items()))
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [typed(v) for v in x])
    return (type(x).__name__, repr(x))


def test_typed_tells_int_from_float() -> None:
    assert typed({"a": 1}) != typed({"a": 1.0})
    assert typed([1]) != typed([1.0])


@pytest.mark.parametrize("path", M.measurement_files(), ids=lambda p: p.name)
def test_shipped_file_reads_as_validated(path) -> None:
    validated = M.load_measurement_file(path)  # the full schema
    fast = M._shipped_measurement_file(path)
    assert [typed(m) for m in fast] == [typed(m) for m in validated]


def test_shipped_int_becomes_float() -> None:
    raw = {"id": "a_1", "name": "a", "value": 2, "uncertainty": 1, "reference": "Phys. Rev. D 1 (2020) 1"}
    raw |= {"editions": ["2021"], "parameters": {"mass_mev": 3}}
    raw |= {"cite": ["bodas2021"]}
    assert typed(M._shipped_entry(raw)) == typed(M._from_model(schema.MeasurementModel.model_validate(raw)))


def test_shipped_editions_file_reads_as_validated() -> None:
    path = M._data_dir() / "editions.yaml"
    assert typed(M._shipped_editions_file(path)) == typed(M._parse_editions_file(path))


def test_validate_all_runs_the_full_schema() -> None:
    assert len(M.validate_all()) == len(M.measurement_files())


def test_reading_shipped_editions_imports_no_pydantic() -> None:
    code = (
        "import sys; from zprime.core import measurements as M; M.load_edition('2023'); M.ae_choices(None); "
        "print('pydantic' in sys.modules)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.split() == ["False"]


def test_schema_matches_the_classes() -> None:
    """The schema and the plain classes the loaders make list the same fields, types and choices."""
    from typing import get_type_hints

    hints = get_type_hints(M.Measurement)
    model = schema.MeasurementModel.model_fields
    assert list(model) == list(hints)
    assert {n: f.annotation for n, f in model.items()} == hints
    assert schema.RecastWidths == M.RecastWidths
    assert list(schema.EditionSpecModel.model_fields) == [f.name for f in dataclasses.fields(M.EditionSpec)]
