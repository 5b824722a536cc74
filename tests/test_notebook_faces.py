"""Result objects show themselves in notebooks (_repr_html_) and give tidy tables (to_dataframe)."""

import numpy as np
import pandas as pd
import pytest

from zprime import Couplings
from zprime.analyses.likelihood import evaluate
from zprime.core.tables import html_table


def test_html_table_escapes_and_formats():
    t = html_table([("<b>", 1.23456789, float("nan"))], ("a", "b", "c"), "cap & co")
    assert "&lt;b&gt;" in t and "1.235" in t and "–" in t and "cap &amp; co" in t


def test_evaluation_table_and_html():
    c = Couplings(mass_mev=np.array([20.0, 30.0, 40.0]), c_ae=2e-4, c_vmu=5e-4)
    ev = evaluate(c, edition="2021")
    df = ev.to_dataframe()
    assert isinstance(df, pd.DataFrame) and len(df) == 3
    np.testing.assert_array_equal(df["allowed"].to_numpy(), ev.allowed)
    assert (df["status__babar_2014"] == ev.results["babar_2014"].status_names()).all()
    html = ev._repr_html_()
    assert "<table>" in html and "babar_2014" in html


@pytest.mark.slow
def test_verdict_window_and_fit_faces():
    from zprime.analyses.fit_darkz import fit_darkz
    from zprime.analyses.viability import viability

    v = viability("lmu_ltau", edition="2021")
    assert v._repr_html_().startswith("<table>") and v.to_dataframe()["model"].iloc[0] == "lmu_ltau"
    fit = fit_darkz(edition="2021", resolution=40)
    df = fit.to_dataframe()
    assert set(df["parameter"]) == {"mass_mev", "epsilon", "delta"}
    assert (df["low_1sigma"] <= df["best_fit"]).all() and (df["best_fit"] <= df["high_1sigma"]).all()
    assert "χ²_min" in fit._repr_html_()
