"""UV models -> Couplings. Look models up with ``zprime.models.get(name)``."""

from zprime.models.base import Model, Parameter
from zprime.models.registry import get, names, register

__all__ = ["Model", "Parameter", "get", "names", "register"]
