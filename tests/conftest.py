"""Shared pytest configuration."""

import re
import sys
from pathlib import Path

import matplotlib
import pytest
from hypothesis import settings

matplotlib.use("Agg")

# No per-example deadline (CI machines are shared and slow at times); derandomized so that a CI run is
# reproducible: the same examples every time, shrunk counterexamples printed on failure.
settings.register_profile("zprime", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("zprime")


# --------------------------------------------------------------------------------------------- plugins
def write_dist_info(site, name, version, entry_points):
    """Write ``NAME-VERSION.dist-info/`` (METADATA, entry_points.txt) into ``site``: what installing a wheel
    produces, enough for :func:`importlib.metadata.entry_points` once ``site`` is on ``sys.path``.
    ``entry_points`` maps group -> {entry-point name: "module:attr"}."""
    norm = re.sub(r"[-_.]+", "_", name).lower()
    info = Path(site) / f"{norm}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    lines = []
    for group, eps in entry_points.items():
        lines.append(f"[{group}]")
        lines += [f"{k} = {v}" for k, v in eps.items()]
        lines.append("")
    (info / "entry_points.txt").write_text("\n".join(lines))
    return info


@pytest.fixture
def plugin_site(tmp_path, monkeypatch):
    """A fresh folder on ``sys.path`` to "install" plugins into (see :func:`write_dist_info`).

    The model and constraint registries are reset before and after, and modules imported from the folder
    are forgotten afterwards, so no plugin leaks into other tests."""
    from zprime.physics.constraints import registry as constraints_registry
    from zprime.physics.models import registry as models_registry

    site = tmp_path / "site"
    site.mkdir()
    before = set(sys.modules)
    monkeypatch.syspath_prepend(str(site))
    models_registry.reset()
    constraints_registry.reset()
    yield site
    models_registry.reset()
    constraints_registry.reset()
    for mod in set(sys.modules) - before:
        if str(site) in str(getattr(sys.modules[mod], "__file__", "") or ""):
            del sys.modules[mod]


# ------------------------------------------------------------------------------------- user editions
@pytest.fixture
def write_user_edition():
    """``write(path, entry, description)``: a user edition file that extends the shipped 2025 edition with one
    measurement entry (a mapping), each write given a modification time one second later than the last, so
    that a rewrite is a change on disk even on a coarse clock."""
    import os
    import time

    import yaml

    stamp = [time.time_ns()]

    def write(path: Path, entry: dict, description: str) -> None:
        doc = {"edition": "mine", "extends": "2025", "description": description, "measurements": [entry]}
        path.write_text(yaml.safe_dump(doc, sort_keys=False))
        stamp[0] += 10**9
        os.utime(path, ns=(stamp[0], stamp[0]))

    return write
