"""UV models -> Couplings. Look models up with ``zprime.physics.models.get(name)``, or ``resolve(name or
YAML file)``."""

from zprime.physics.models.base import Model, Parameter
from zprime.physics.models.registry import get, names, register
from zprime.physics.models.resolve import resolve

__all__ = ["Model", "Parameter", "get", "names", "register", "resolve"]
