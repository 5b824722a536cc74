"""The bibliography: BibTeX entries for every paper behind zprime's numbers (``data/references.bib``).

Each measurement entry lists the keys of the papers it rests on in its ``cite`` field; :func:`entries`
prints the BibTeX of any set of keys, deduplicated, so that a command can cite exactly what it used. The
two seed papers (Bodas, Coy, King, Eur. Phys. J. C 81 (2021) 1065; Cadeddu et al., Phys. Rev. D 104 (2021)
L011701) and the DarkCast papers (Ilten et al., JHEP 06 (2018) 004; Baruch et al., arXiv:2206.08563), whose
digitised dark-photon limits zprime ships, have their keys in :data:`SEED_KEYS` and :data:`DARKCAST_KEYS`.

The file is read by a small reader of our own (entries split at top-level ``@type{key,`` with brace
matching), so no BibTeX library is needed at run time.

>>> "Bodas:2021fsy" in load_bibliography()
True
>>> entries(["Bodas:2021fsy", "Bodas:2021fsy"]).count("@article{Bodas:2021fsy,")
1
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from zprime.core.errors import DataFileError, UnknownNameError
from zprime.core.integrity import read_data_text

SEED_KEYS: tuple[str, ...] = ("Bodas:2021fsy", "Cadeddu2021")
"""The two seed papers: Bodas, Coy, King (arXiv:2102.07781) and Cadeddu et al. (arXiv:2104.03280)."""

DARKCAST_KEYS: tuple[str, ...] = ("Ilten:2018crw", "Baruch2022")
"""DarkCast (arXiv:1801.04847, arXiv:2206.08563): cite with any digitised dark-photon limit curve."""

MODEL_KEYS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "generic": ("Bodas:2021fsy",),
        "dark_photon": ("Holdom:1985ag", "Bodas:2021fsy"),
        "b_minus_l": ("Mohapatra1980", "Bodas:2021fsy"),
        "le_lmu": ("He:1990pn",),
        "lmu_ltau": ("He:1990pn", "He:1991qd"),
        "sm_u1": ("Bodas:2021fsy",),
        "nhdm_u1": ("Bodas:2021fsy",),
        "froggatt_nielsen": ("Bodas:2021fsy",),
        "dark_z": ("Davoudiasl2012", "Davoudiasl2015", "Cadeddu2021"),
        "le_ltau": ("He:1990pn",),
        "b_boson": ("Nelson:1989fx", "Carone:1994aa", "Tulin:2014tya", "Baruch2022"),
        "protophobic": ("Feng:2016jff", "Feng:2016ysn", "Baruch2022"),
        "axial": ("Baruch2022",),
        "chiral": ("Baruch2022",),
    }
)
"""Papers behind each shipped model (the ``reference`` strings of ``zprime.physics.models``)."""

# "@type{" or "@type(" at the start of a line (after optional blanks); the key follows up to the first comma.
_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*([{(])", re.MULTILINE)
_KEY = re.compile(r"[ \t\r\n]*([^\s,{}()\"#%'=]+)[ \t\r\n]*,")
_NON_ENTRIES = {"comment", "preamble", "string"}


def bib_path() -> Path:
    """Path of the shipped bibliography file."""
    return Path(str(resources.files("zprime") / "data" / "references.bib"))


def _matching_close(text: str, start: int, open_ch: str, path: str, line: int) -> int:
    """Index of the delimiter that closes the entry opened at ``start`` ("{" or "(").

    Braces nest (as in BibTeX, a backslash does not escape them); for "(" entries a ")" closes only
    outside braces and outside a quoted value, so that e.g. ``doi = "10.1007/JHEP05(2018)098"`` is safe.
    """
    depth = 1 if open_ch == "{" else 0
    in_quotes = False
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\" and text[i + 1 : i + 2] == '"':
            i += 2  # an escaped quote (e.g. {\\"u}) never starts or ends a value
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                raise DataFileError(path, f"unbalanced '}}' in the entry starting on line {line}")
            if depth == 0 and open_ch == "{":
                return i
        elif ch == '"' and depth == (1 if open_ch == "{" else 0):
            in_quotes = not in_quotes
        elif ch == ")" and open_ch == "(" and depth == 0 and not in_quotes:
            return i
        i += 1
    raise DataFileError(path, f"the entry starting on line {line} is never closed (unbalanced braces)")


def parse_bibtex(text: str, path: str = "<bibtex>") -> dict[str, str]:
    """Split BibTeX ``text`` into ``{key: entry text}`` in file order; malformed input raises DataFileError.

    Checks brace balance, that each entry has a key and at least one field, and that keys are unique
    (BibTeX keys are case-insensitive). ``@comment``, ``@preamble`` and ``@string`` blocks are skipped.
    """
    out: dict[str, str] = {}
    seen_lower: dict[str, str] = {}
    pos = 0
    for m in _ENTRY_START.finditer(text):
        if m.start() < pos:  # an "@" inside an entry already read (e.g. in a field value)
            continue
        kind = m.group(1).lower()
        line = text.count("\n", 0, m.start()) + 1
        open_at = m.end() - 1
        close_at = _matching_close(text, open_at, m.group(2), path, line)
        pos = close_at + 1
        if kind in _NON_ENTRIES:
            continue
        body = text[open_at + 1 : close_at]
        km = _KEY.match(body)
        if km is None:
            raise DataFileError(path, f"@{kind} on line {line} has no key (expected '@{kind}{{key, ...}}')")
        key = km.group(1)
        if "=" not in body[km.end() :]:
            raise DataFileError(path, f"@{kind}{{{key}}} on line {line} has no fields")
        if key.lower() in seen_lower:
            raise DataFileError(path, f"duplicate key '{key}' (also '{seen_lower[key.lower()]}')", field=key)
        seen_lower[key.lower()] = key
        out[key] = text[m.start() : close_at + 1].strip()
    return out


@lru_cache(maxsize=1)
def _shipped() -> Mapping[str, str]:
    return MappingProxyType(_read(bib_path()))


def _read(path: Path) -> dict[str, str]:
    return parse_bibtex(read_data_text(path), str(path))


def load_bibliography(path: str | Path | None = None) -> dict[str, str]:
    """``{key: BibTeX entry}`` of the shipped ``references.bib`` (or of ``path``), in file order."""
    if path is None:
        return dict(_shipped())
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(str(path), f"cannot read the bibliography ({exc.strerror})") from None
    return parse_bibtex(text, str(path))


def unique_keys(keys: Iterable[str]) -> list[str]:
    """``keys`` without repeats, in order of first appearance."""
    return list(dict.fromkeys(keys))


def entries(keys: Iterable[str]) -> str:
    """BibTeX for ``keys``: each paper once, in order of first appearance, separated by blank lines.

    Unknown keys raise :class:`~zprime.core.errors.UnknownNameError` listing the known ones.
    """
    bib = _shipped()
    chosen = unique_keys(keys)
    for k in chosen:
        if k not in bib:
            raise UnknownNameError("bibliography key", k, list(bib))
    return "\n\n".join(bib[k] for k in chosen) + ("\n" if chosen else "")


def measurement_keys(measurements: Iterable[object]) -> list[str]:
    """The ``cite`` keys of measurement entries (objects with ``cite_keys``), deduplicated, in order."""
    return unique_keys(k for m in measurements for k in getattr(m, "cite_keys", ()))


def validate(extra_paths: Iterable[str | Path] = ()) -> int:
    """Check the bibliography and every ``cite`` key of every measurement file; returns the number of entries.

    Raises DataFileError naming the file and the entry (``<id>.cite``) of the first unknown key.
    """
    from zprime.core.measurements import measurement_files

    return _check(_shipped(), bib_path(), [*measurement_files(), *map(Path, extra_paths)])


def validate_file(path: str | Path, data_root: str | Path) -> str:
    """:func:`validate` for the bibliography ``path`` and the measurement files of the data folder
    ``data_root``; one summary line."""
    path = Path(path)
    n = _check(_read(path), path, sorted((Path(data_root) / "measurements").glob("*.yaml")))
    return f"{path.name}: {n} entries, every cite key found"


def _check(bib: Mapping[str, str], path: Path, measurement_paths: Iterable[Path]) -> int:
    from zprime.core.measurements import load_measurement_file

    for mpath in measurement_paths:
        for m in load_measurement_file(mpath):
            for k in m.cite_keys:
                if k not in bib:
                    raise DataFileError(
                        str(mpath),
                        f"unknown bibliography key '{k}' (not in {path.name})",
                        field=f"{m.id}.cite",
                    )
    for name, keys in MODEL_KEYS.items():
        for k in keys:
            if k not in bib:
                raise DataFileError(str(path), f"model '{name}' cites the unknown key '{k}'")
    for k in (*SEED_KEYS, *DARKCAST_KEYS):
        if k not in bib:
            raise DataFileError(str(path), f"missing entry '{k}'")
    return len(bib)


__all__ = [
    "SEED_KEYS",
    "DARKCAST_KEYS",
    "MODEL_KEYS",
    "bib_path",
    "parse_bibtex",
    "load_bibliography",
    "unique_keys",
    "entries",
    "measurement_keys",
    "validate",
    "validate_file",
]
