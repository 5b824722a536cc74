"""Measurements as data: YAML entries grouped in editions, validated against a pydantic schema
(:mod:`zprime.core._measurement_schema`) on load, except the shipped files: those are checked against
``data/MANIFEST.sha256`` when read and validated by the tests (see :func:`_shipped_entry`).

A measurement entry (``data/measurements/*.yaml``)::

    - id: delta_a_mu_2021          # unique, carries the year
      name: delta_a_mu             # the quantity; unique within an edition
      value: 251.0e-11
      uncertainty: 59.0e-11        # Gaussian 1 sigma, > 0 (0 for kind: input, a number used as is)
      reference: "journal ..."
      arxiv: "2104.03281"          # and/or inspire, doi
      notes: "..."
      editions: ["2021"]

The quantity ``name`` is the stable key. An edition maps keys to entries; editions are listed in
``data/editions.yaml`` (with the ``default`` one) and may extend a ``base`` edition, overriding or adding keys.

A user edition is a YAML file, accepted wherever an edition name is (``edition=`` in Python, ``--edition`` on
the command line)::

    edition: my-2026            # its name (not one of the shipped names)
    extends: "2025"             # a shipped edition, another edition file (relative to this one) or null
    description: "..."
    measurements:               # entries as above, without ``editions:``; they override or add keys
      - id: delta_a_mu_mine
        name: delta_a_mu
        value: 100.0e-11
        uncertainty: 50.0e-11
        reference: "my own, Phys. Rev. D 1 (2026) 1"

A quantity absent from the chosen edition raises :class:`~zprime.core.errors.MissingMeasurementError`;
constraints that need it answer ``not_applicable`` with that reason.

>>> get("delta_a_mu", edition="2021").value
2.51e-09
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from zprime.core.errors import DataFileError, InputError, MissingMeasurementError, UnknownNameError
from zprime.core.yaml_io import read_yaml

#: An edition: a shipped name, the path of a user edition file, or None for the default edition.
EditionLike = str | os.PathLike[str] | None

#: Prefix of the Δa_e quantities; the rest of the key is an ``ae`` choice (``delta_a_e_cs`` -> "cs").
AE_PREFIX = "delta_a_e_"


@dataclass(frozen=True, kw_only=True)
class Measurement:
    """One measured quantity with its source. The loaders make it from an entry that the schema
    (:mod:`zprime.core._measurement_schema`: types, σ ≥ 0 and > 0 when Gaussian, CL of a limit, provenance) has
    checked: on reading for any file, in the tests for the shipped ones."""

    id: str
    name: str
    description: str = ""
    #: gaussian: value ± uncertainty (σ > 0); upper_limit/lower_limit: a bound at CL ``cl``; input: a fixed
    #: quoted number (a coefficient, a radius) used as is, uncertainty 0
    kind: Literal["gaussian", "upper_limit", "lower_limit", "input"] = "gaussian"
    value: float
    uncertainty: float
    cl: float | None = None
    unit: str = ""
    reference: str
    arxiv: str | None = None
    inspire: str | None = None
    doi: str | None = None
    notes: str = ""
    cite_keys: list[str] = field(default_factory=list)  # keys of data/references.bib (``cite:`` in the files)
    parameters: dict[str, float] = field(default_factory=dict)
    editions: list[str]

    def cite(self) -> str:
        extra = f", arXiv:{self.arxiv}" if self.arxiv else ""
        return f"{self.reference}{extra}"

    def _repr_markdown_(self) -> str:
        return f"**{self.name}** = {self.value:.4g} ± {self.uncertainty:.2g} ({self.cite()})"


#: Z' widths the recast of published limits uses (:mod:`zprime.physics.recast`): ``leptonic`` (charged leptons
#: and neutrinos only, for the Z' and the reference dark photon, as the seeds did) or ``hadronic`` (plus the
#: hadronic widths of DarkCast 2023, arXiv:2206.08563). An edition without the key takes its base's.
RecastWidths = Literal["leptonic", "hadronic"]
_ROOT_RECAST_WIDTHS: RecastWidths = "leptonic"


@dataclass(frozen=True)
class EditionSpec:
    """One edition of ``data/editions.yaml``."""

    description: str
    base: str | None = None
    recast_widths: RecastWidths | None = None


@dataclass(frozen=True)
class Editions:
    """``data/editions.yaml``: the default and latest edition, and every edition by name."""

    default: str
    latest: str
    editions: dict[str, EditionSpec]


@dataclass(frozen=True)
class Edition:
    """A named, resolved set of measurements (quantity name -> Measurement)."""

    name: str
    description: str
    measurements: Mapping[str, Measurement]  # read-only: editions are cached and shared
    base: str | None = None  # the edition it extends (a name or a file path)
    source: str | None = None  # the user edition file it was read from (None: shipped)
    recast_widths: RecastWidths = _ROOT_RECAST_WIDTHS  # the widths the recast uses (see RecastWidths)

    def __getitem__(self, quantity: str) -> Measurement:
        try:
            return self.measurements[quantity]
        except KeyError:
            raise MissingMeasurementError(quantity, self.name, list(self.measurements)) from None

    def __contains__(self, quantity: object) -> bool:
        return quantity in self.measurements


def _from_model(model: Any) -> Measurement:
    """The :class:`Measurement` of a validated entry (a :mod:`zprime.core._measurement_schema` model)."""
    return Measurement(**{f.name: getattr(model, f.name) for f in fields(Measurement)})


def _data_dir() -> Path:
    return Path(str(resources.files("zprime") / "data"))


def load_measurement_file(path: str | Path) -> list[Measurement]:
    """Validate one measurement file; errors name the file and the field."""
    from pydantic import ValidationError

    from zprime.core._measurement_schema import MeasurementFile, first_error

    path = Path(path)
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise DataFileError(str(path), "top level must be a mapping with key 'measurements'")
    try:
        return [_from_model(m) for m in MeasurementFile.model_validate(raw).measurements]
    except ValidationError as exc:
        loc, msg = first_error(exc)
        # name the entry by its id where possible
        parts = loc.split(".")
        if len(parts) >= 2 and parts[0] == "measurements" and parts[1].isdigit():
            idx = int(parts[1])
            entries = raw.get("measurements") or []
            if idx < len(entries) and isinstance(entries[idx], dict) and "id" in entries[idx]:
                loc = f"{entries[idx]['id']}." + ".".join(parts[2:])
        msg = str(msg).removeprefix("Value error, ")
        if loc.endswith(".") and ": " in msg:  # an entry-level check: "field: message"
            sub, _, msg = msg.partition(": ")
            loc += sub
        raise DataFileError(str(path), msg, field=loc.rstrip(".")) from None


def measurement_files() -> list[Path]:
    return sorted((_data_dir() / "measurements").glob("*.yaml"))


# ------------------------------------------------------------------------------ shipped data, fast
# The shipped files are read without running the pydantic validators: every shipped file is checked against
# data/MANIFEST.sha256 when read (zprime.core.integrity), and the tests validate those very files with the
# full schema (validate_all) and check that the objects made here equal the validated ones, field by field and
# type by type. A file read from anywhere else (a user edition, load_measurements' extra paths, a data folder
# given to validate_folder) is validated in full.

#: the float fields of an entry: pydantic's lax mode turns a YAML integer into a float, as float() does
_FLOAT_FIELDS = ("value", "uncertainty", "cl")


def _shipped_entry(raw: dict[str, Any]) -> Measurement:
    """A measurement of a shipped file (validated by the tests, unchanged since: see above)."""
    entry = dict(raw)
    if "cite" in entry:
        entry["cite_keys"] = entry.pop("cite")
    for key in _FLOAT_FIELDS:
        if entry.get(key) is not None:
            entry[key] = float(entry[key])
    if "parameters" in entry:
        entry["parameters"] = {k: float(v) for k, v in entry["parameters"].items()}
    return Measurement(**entry)


def _shipped_measurement_file(path: Path) -> list[Measurement]:
    return [_shipped_entry(e) for e in read_yaml(path)["measurements"]]


def _shipped_editions_file(path: Path) -> Editions:
    raw = read_yaml(path)
    specs = {name: EditionSpec(**spec) for name, spec in raw["editions"].items()}
    return Editions(raw["default"], raw["latest"], specs)


def _editions_spec() -> dict[str, EditionSpec]:
    return _editions_file().editions


@lru_cache(maxsize=1)
def _editions_file() -> Editions:
    return _shipped_editions_file(_data_dir() / "editions.yaml")


def _parse_editions_file(path: Path) -> Editions:
    from pydantic import ValidationError

    from zprime.core._measurement_schema import EditionsFile, first_error

    try:
        ef = EditionsFile.model_validate(read_yaml(path))
        specs = {k: EditionSpec(v.description, v.base, v.recast_widths) for k, v in ef.editions.items()}
        return Editions(ef.default, ef.latest, specs)
    except ValidationError as exc:
        loc, msg = first_error(exc)
        raise DataFileError(str(path), msg, field=loc or None) from None


def editions() -> list[str]:
    """Names of the shipped editions."""
    return sorted(_editions_spec())


def default_edition() -> str:
    """The edition used wherever none is chosen (``default`` in ``data/editions.yaml``)."""
    return _editions_file().default


def latest_edition() -> str:
    """The edition of the newest inputs (``latest`` in ``data/editions.yaml``): the default for current
    results such as :func:`zprime.analyses.limits.limits`."""
    return _editions_file().latest


def __getattr__(name: str) -> str:  # DEFAULT_EDITION, read from the data on first use
    if name == "DEFAULT_EDITION":
        return default_edition()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_measurements(extra_paths: Iterable[str | Path] = ()) -> list[Measurement]:
    """All measurement entries (shipped files, then ``extra_paths``), ids checked for uniqueness."""
    return _checked_entries([*measurement_files(), *map(Path, extra_paths)], set(_editions_spec()))


def _checked_entries(
    paths: Iterable[Path], known_editions: set[str], read: Callable[[Path], list[Measurement]] | None = None
) -> list[Measurement]:
    """The entries of ``paths`` (each file read by ``read``, default :func:`load_measurement_file`), ids
    checked for uniqueness and editions against ``known_editions``."""
    entries: list[Measurement] = []
    seen: dict[str, Path] = {}
    for path in paths:
        for m in (read or load_measurement_file)(path):
            if m.id in seen:
                raise DataFileError(str(path), f"duplicate id (also in {seen[m.id].name})", field=m.id)
            unknown = set(m.editions) - known_editions
            if unknown:
                raise DataFileError(
                    str(path),
                    f"unknown edition(s) {sorted(unknown)}; known: {sorted(known_editions)}",
                    field=f"{m.id}.editions",
                )
            seen[m.id] = path
            entries.append(m)
    return entries


@lru_cache(maxsize=16)
def _cached_all() -> tuple[Measurement, ...]:
    return tuple(_checked_entries(measurement_files(), set(_editions_spec()), _shipped_measurement_file))


def edition_key(edition: EditionLike = None) -> str:
    """The canonical string of an edition choice: a shipped name as is (None: the default edition), an
    edition file as its absolute path. Raises UnknownNameError (listing the shipped editions) when it is
    neither a shipped name nor an existing file."""
    if edition is None:
        return default_edition()
    if isinstance(edition, str) and edition in _editions_spec():
        return edition
    if not isinstance(edition, (str, os.PathLike)):
        raise InputError("edition", f"must be an edition name or a file path, got {type(edition).__name__}")
    path = Path(edition)
    if str(edition) and path.is_file():
        return str(path.resolve())
    raise UnknownNameError("edition (shipped name or edition file)", str(edition), editions())


class EditionRef:
    """A hashable handle of one resolved :class:`Edition`, equal only to a handle of the same object: a cache
    key for numbers derived from an edition that changes when :func:`load_edition` resolves it anew (a user
    edition file changed on disk), and keeps the edition alive while the cache holds it."""

    __slots__ = ("edition",)

    def __init__(self, edition: Edition):
        self.edition = edition

    def __hash__(self) -> int:
        return id(self.edition)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EditionRef) and other.edition is self.edition


def edition_ref(edition: EditionLike = None) -> tuple[str, EditionRef]:
    """(:func:`edition_key`, an :class:`EditionRef` of :func:`load_edition`) of ``edition``."""
    return edition_key(edition), EditionRef(load_edition(edition))


def load_edition(edition: EditionLike = None) -> Edition:
    """Resolve an edition: a shipped name (its base's measurements, overridden by the entries tagged with
    it), the path of a user edition file (see the module docstring), or None for :func:`default_edition`.

    User files are cached by path, modification time and size (of the file and the files it extends)."""
    key = edition_key(edition)
    if key in _editions_spec():
        return _load_edition(key)
    return _load_user_edition(Path(key))


@lru_cache(maxsize=16)
def _load_edition(edition: str) -> Edition:
    spec = _editions_spec()
    if edition not in spec:
        raise UnknownNameError("edition", str(edition), list(spec))
    return _resolve(spec, _cached_all(), edition, _data_dir() / "editions.yaml")


def _resolve(
    spec: Mapping[str, EditionSpec], entries: Sequence[Measurement], edition: str, editions_path: Path
) -> Edition:
    chain: list[str] = []
    e: str | None = edition
    while e is not None:
        if e not in spec:
            raise DataFileError(str(editions_path), f"unknown base edition {e!r}", field=chain[-1])
        if e in chain:
            raise DataFileError(str(editions_path), "cyclic base", field=e)
        chain.append(e)
        e = spec[e].base
    resolved: dict[str, Measurement] = {}
    for name in reversed(chain):
        here: dict[str, Measurement] = {}
        for m in entries:
            if name in m.editions:
                if m.name in here:
                    raise DataFileError(
                        "measurements",
                        f"quantity '{m.name}' appears twice in edition {name} ({here[m.name].id}, {m.id})",
                        field=m.id,
                    )
                here[m.name] = m
        resolved.update(here)
    widths = next((spec[n].recast_widths for n in chain if spec[n].recast_widths), _ROOT_RECAST_WIDTHS)
    return Edition(edition, spec[edition].description, MappingProxyType(resolved), recast_widths=widths)


def get(quantity: str, edition: EditionLike = None) -> Measurement:
    """The measurement of ``quantity`` in ``edition`` (None: the default edition); MissingMeasurementError
    when the edition has none."""
    return load_edition(edition)[quantity]


def edition_name(edition: EditionLike = None) -> str:
    """The name of an edition (a user file's ``edition:`` field)."""
    return load_edition(edition).name


# ------------------------------------------------------------------------------------ a_e choices
@lru_cache(maxsize=1)
def _shipped_ae() -> tuple[str, ...]:
    return tuple(
        sorted(
            {
                q[len(AE_PREFIX) :]
                for e in editions()
                for q in _load_edition(e).measurements
                if q.startswith(AE_PREFIX)
            }
        )
    )


def ae_choices(edition: EditionLike = None) -> tuple[str, ...]:
    """The values ``ae`` (the fine-structure constant behind Δa_e) may take: the ``x`` of every
    ``delta_a_e_x`` quantity of the shipped editions and of ``edition``. A choice the edition lacks is
    allowed; the a_e pull is then NaN, with the reason."""
    key = edition_key(edition)
    if key in _editions_spec():
        return _shipped_ae()
    own = {q[len(AE_PREFIX) :] for q in load_edition(key).measurements if q.startswith(AE_PREFIX)}
    return tuple(sorted(own.union(_shipped_ae())))


def check_ae(ae: object, edition: EditionLike = None) -> str:
    """``ae`` when it is one of :func:`ae_choices`; InputError naming the choices otherwise."""
    allowed = ae_choices(edition)
    if not isinstance(ae, str) or ae not in allowed:
        raise InputError(
            "ae", f"must be one of {', '.join(allowed)} (the delta_a_e_<ae> measurements), got {ae!r}"
        )
    return ae


# ---------------------------------------------------------------------------------- user editions
_USER_CACHE_SIZE = 32
_user_cache: OrderedDict[Path, tuple[tuple[tuple[Path, int, int], ...], Edition]] = OrderedDict()
_user_lock = threading.Lock()


def _stamp(path: Path) -> tuple[Path, int, int]:
    st = path.stat()
    return (path, st.st_mtime_ns, st.st_size)


def _load_user_edition(path: Path) -> Edition:
    with _user_lock:
        hit = _user_cache.get(path)
        if hit is not None:
            try:
                fresh = all(_stamp(p) == (p, mtime, size) for p, mtime, size in hit[0])
            except OSError:
                fresh = False
            if fresh:
                _user_cache.move_to_end(path)
                return hit[1]
    deps: list[tuple[Path, int, int]] = []
    ed = _read_user_edition(path, (), deps)
    with _user_lock:
        _user_cache[path] = (tuple(deps), ed)
        _user_cache.move_to_end(path)
        while len(_user_cache) > _USER_CACHE_SIZE:
            _user_cache.popitem(last=False)
    return ed


def _read_user_edition(path: Path, stack: tuple[Path, ...], deps: list[tuple[Path, int, int]]) -> Edition:
    """Parse and resolve one user edition file (and the files it extends); errors name file and field."""
    from pydantic import ValidationError

    from zprime.core._measurement_schema import MeasurementModel, UserEditionFile, first_error

    if path in stack:
        raise DataFileError(
            str(path), "extends itself (cycle: " + " -> ".join(map(str, stack)) + ")", "extends"
        )
    try:
        deps.append(_stamp(path))
    except OSError as exc:
        raise DataFileError(str(path), f"cannot read: {exc.strerror or exc}") from None
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise DataFileError(str(path), "top level must be a mapping with keys edition, extends, measurements")
    try:
        spec = UserEditionFile.model_validate(raw)
    except ValidationError as exc:
        loc, msg = first_error(exc)
        raise DataFileError(str(path), msg, field=loc or None) from None
    if spec.edition in _editions_spec():
        raise DataFileError(
            str(path),
            f"{spec.edition!r} is a shipped edition; give your edition a name of its own",
            "edition",
        )
    base: Mapping[str, Measurement] = {}
    widths: RecastWidths = _ROOT_RECAST_WIDTHS
    if spec.extends is not None:
        if spec.extends in _editions_spec():
            parent_ed = _load_edition(spec.extends)
            base, widths = parent_ed.measurements, parent_ed.recast_widths
        else:
            parent = Path(spec.extends)
            parent = (parent if parent.is_absolute() else path.parent / parent).resolve()
            if not parent.is_file():
                raise DataFileError(
                    str(path),
                    f"{spec.extends!r} is neither a shipped edition ({', '.join(editions())}) nor a file",
                    "extends",
                )
            parent_ed = _read_user_edition(parent, (*stack, path), deps)
            base, widths = parent_ed.measurements, parent_ed.recast_widths
    here: dict[str, Measurement] = {}
    ids: set[str] = set()
    for i, entry in enumerate(spec.measurements):
        label = str(entry["id"]) if isinstance(entry.get("id"), str) else f"measurements.{i}"
        if "editions" in entry:
            raise DataFileError(
                str(path), "not allowed here: the whole file is one edition", f"{label}.editions"
            )
        try:
            m = _from_model(MeasurementModel.model_validate({**entry, "editions": [spec.edition]}))
        except ValidationError as exc:
            loc, msg = first_error(exc)
            raise DataFileError(str(path), msg, field=f"{label}.{loc}" if loc else label) from None
        if m.id in ids:
            raise DataFileError(str(path), "duplicate id", field=m.id)
        if m.name in here:
            raise DataFileError(str(path), f"quantity '{m.name}' given twice ({here[m.name].id})", field=m.id)
        ids.add(m.id)
        here[m.name] = m
    return Edition(
        spec.edition,
        spec.description,
        MappingProxyType({**base, **here}),
        base=spec.extends,
        source=str(path),
        recast_widths=spec.recast_widths or widths,
    )


def by_id(measurement_id: str) -> Measurement:
    """A measurement entry by its unique id (e.g. ``delta_a_mu_2021``)."""
    for m in _cached_all():
        if m.id == measurement_id:
            return m
    raise UnknownNameError("measurement id", measurement_id, [m.id for m in _cached_all()])


def validate_folder(root: str | Path) -> str:
    """Check the measurement files and ``editions.yaml`` of the data folder ``root`` as the loaders do
    (schema, σ > 0, provenance, unique ids, known editions, each edition resolvable); one summary line."""
    root = Path(root)
    path = root / "editions.yaml"
    spec = _parse_editions_file(path).editions
    files = sorted((root / "measurements").glob("*.yaml"))
    entries = _checked_entries(files, set(spec))
    for e in spec:
        _resolve(spec, entries, e, path)
    return f"measurements: {len(files)} files, {len(entries)} entries; editions.yaml: {len(spec)} editions"


def validate_all() -> list[tuple[str, int]]:
    """Validate every shipped data file; returns (file, number of entries). Raises on the first error.

    The full schema, as for any other file (the loaders read the shipped files without it)."""
    out = [(p.name, len(load_measurement_file(p))) for p in measurement_files()]
    validate_folder(_data_dir())
    load_measurements()
    for e in editions():
        load_edition(e)
    return out


__all__ = [
    "AE_PREFIX",
    "Measurement",
    "Edition",
    "EditionLike",
    "ae_choices",
    "check_ae",
    "default_edition",
    "edition_key",
    "edition_name",
    "editions",
    "load_edition",
    "get",
    "by_id",
    "load_measurements",
    "load_measurement_file",
    "validate_all",
    "validate_folder",
]
