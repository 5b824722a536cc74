"""Reproduced paper figures: ``zprime.app.figures.names()``, ``zprime.app.figures.get(name).data()/.plot()``."""

from zprime.app.figures.base import FigureSpec, get, names, save

__all__ = ["FigureSpec", "get", "names", "save"]
