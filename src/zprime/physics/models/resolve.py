"""One way to name a model everywhere: a registered name, a YAML charge file, or a Model object."""

from __future__ import annotations

from os import PathLike, fspath

from zprime.physics.models.base import Model
from zprime.physics.models.charges import ChargedU1Model
from zprime.physics.models.registry import get


def resolve(model: str | PathLike[str] | Model) -> Model:
    """A model from a registered name, a path to a YAML charge file (``*.yaml``/``*.yml``), or a Model.

    A YAML file is read with :meth:`zprime.physics.models.charges.ChargedU1Model.from_yaml` (errors name the
    file and the field); it is not registered.
    """
    if isinstance(model, Model):
        return model
    text = fspath(model)
    if not isinstance(model, str) or text.lower().endswith((".yaml", ".yml")):
        return ChargedU1Model.from_yaml(text)
    return get(text)


__all__ = ["resolve"]
