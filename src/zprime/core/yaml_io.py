"""The one YAML reader of zprime's data files: safe loader, errors that name the file.

The loader is PyYAML's safe loader (libyaml's parser where available) with one addition: a key given twice
in one mapping is an error naming the key and both lines (YAML 1.2 requires unique keys; PyYAML would keep
the last value silently). Shipped data files are also checked against ``data/MANIFEST.sha256`` when read
(:func:`zprime.core.integrity.read_data_text`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from zprime.core.errors import DataFileError
from zprime.core.integrity import read_data_text

#: libyaml's safe loader where PyYAML was built with it (same safe constructors, ~10x faster), else PyYAML's.
_BaseSafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping repeats a key (raised by :class:`UniqueKeySafeLoader`)."""


class UniqueKeySafeLoader(_BaseSafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader, refusing a mapping that gives one key twice (merge keys ``<<`` excepted)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.get(key)
                except TypeError:  # an unhashable key: the base constructor reports it
                    continue
                line = key_node.start_mark.line + 1
                if first is not None:
                    raise DuplicateKeyError(
                        None,
                        None,
                        f"duplicate key {key!r} at line {line} (first given at line {first})",
                        key_node.start_mark,
                    )
                seen[key] = line
        return super().construct_mapping(node, deep=deep)


# plain mappings go through construct_yaml_map, which calls construct_mapping above
_SafeLoader = UniqueKeySafeLoader


def load_yaml_text(text: str, path: str | Path = "<string>") -> Any:
    """Parse YAML ``text`` with the safe, duplicate-refusing loader; DataFileError naming ``path``."""
    try:
        return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader
    except DuplicateKeyError as exc:
        raise DataFileError(str(path), str(exc.problem)) from None
    except yaml.YAMLError as exc:
        raise DataFileError(str(path), f"not valid YAML: {exc}") from None


def read_yaml(path: str | Path) -> Any:
    """Parse ``path`` with a safe loader (``yaml.safe_load``'s; user text is never evaluated).

    Raises DataFileError "cannot read: ..." when the file cannot be read, "not valid YAML: ..." when it
    does not parse and "duplicate key ..." (with the key and its lines) when a mapping repeats a key. A
    shipped data file whose SHA-256 differs from ``data/MANIFEST.sha256`` is refused.
    """
    path = Path(path)
    text = read_data_text(path)
    return load_yaml_text(text, path)
