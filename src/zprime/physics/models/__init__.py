"""UV models -> Couplings. Look models up with ``zprime.physics.models.get(name)``."""

from zprime.physics.models.base import Model, Parameter
from zprime.physics.models.registry import get, names, register

__all__ = ["Model", "Parameter", "get", "names", "register"]
