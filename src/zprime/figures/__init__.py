"""Reproduced paper figures: ``zprime.figures.names()``, ``zprime.figures.get(name).data()/.plot()``."""

from zprime.figures.base import FigureSpec, get, names, save

__all__ = ["FigureSpec", "get", "names", "save"]
