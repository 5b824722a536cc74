"""Exceptions raised by zprime.

Every error a user can trigger names the offending parameter (or file and field) and, where it applies,
the allowed range. The CLI turns these into a single line on stderr and exit status 2.
"""

from __future__ import annotations


class ZprimeError(Exception):
    """Base class of all zprime errors."""


def _rebuild(cls: type, state: dict[str, object], args: tuple[object, ...]) -> Exception:
    """Unpickle an error whose constructor takes other arguments than its message."""
    err = Exception.__new__(cls)
    err.__dict__.update(state)
    err.args = args
    return err


class InputError(ZprimeError, ValueError):
    """A parameter is outside its allowed range or of the wrong type.

    Attributes
    ----------
    parameter : the name of the offending parameter.
    """

    def __init__(self, parameter: str, message: str):
        self.parameter = parameter
        self.message = message
        super().__init__(f"{parameter}: {message}")

    def __reduce__(self) -> tuple[object, ...]:  # picklable (errors raised in Dask workers reach the client)
        return (type(self), (self.parameter, self.message))


class DataFileError(ZprimeError, ValueError):
    """A data file (measurement, limit curve, config) is missing or malformed."""

    def __init__(self, path: str, message: str, field: str | None = None):
        self.path = str(path)
        self.field = field
        self.message = message
        where = f"{self.path}" + (f" [{field}]" if field else "")
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.message, self.field))


class PluginError(ZprimeError):
    """An installed plugin (an entry point of group ``zprime.models`` or ``zprime.constraints``) is broken:
    it fails to import, gives an object of the wrong type, or reuses a name. The message names the entry
    point and the distribution that declares it."""

    def __init__(self, group: str, entry_point: str, distribution: str, message: str):
        self.group = group
        self.entry_point = entry_point
        self.distribution = distribution
        super().__init__(f"plugin {distribution}: entry point '{entry_point}' (group {group}): {message}")


class UnknownNameError(ZprimeError, KeyError):
    """A registry lookup (constraint, model, edition, figure) failed; the message lists known names."""

    def __init__(self, kind: str, name: str, known: list[str] | tuple[str, ...]):
        self.kind = kind
        self.name = name
        self.known = list(known)
        super().__init__(f"unknown {kind} '{name}'; known: {', '.join(sorted(self.known))}")

    def __str__(self) -> str:  # KeyError quotes its message otherwise
        return str(self.args[0])

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self.__dict__, self.args))


class MissingMeasurementError(UnknownNameError):
    """A quantity is absent from the chosen measurement edition.

    Constraints that need it answer ``not_applicable`` with :attr:`reason` instead of failing.
    """

    def __init__(self, quantity: str, edition: str, known: list[str] | tuple[str, ...]):
        self.edition = edition
        #: short, user-facing reason, e.g. "no delta_a_e_rb in edition my-2026"
        self.reason = f"no {quantity} in edition {edition}"
        super().__init__(f"measurement in edition {edition}", quantity, known)
        self.args = (f"{self.reason}; known: {', '.join(sorted(self.known))}",)
