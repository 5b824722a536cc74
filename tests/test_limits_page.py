"""The interactive limits page, driven in a real browser (Chromium through Playwright), offline."""

import os
import shutil

import numpy as np
import pytest

from zprime.analyses.limits import limits

plotly = pytest.importorskip("plotly") if not os.environ.get("CI") else __import__("plotly")
from zprime.app.pages import PLOT_ID, limits_page  # noqa: E402


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    ls = limits("b_minus_l", mass_range_mev=(1.0, 1000.0), points=60)
    path = tmp_path_factory.mktemp("page") / "limits.html"
    path.write_text(limits_page(ls), encoding="utf-8")
    return ls, path


def test_page_is_self_contained(page_file):
    ls, path = page_file
    text = path.read_text()
    assert "<script src=" not in text.replace('<script src="data:', "")  # no external script
    for c in ls.curves:
        if c.arxiv:
            assert f"https://arxiv.org/abs/{c.arxiv}" in text


def test_page_in_chromium(page_file):
    exe = _chromium()
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs Debian's chromium)")
        pytest.skip("chromium not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    ls, path = page_file
    n_bands = sum(1 for b in ls.g2_bands if b.sigma == 2 and np.any(np.isfinite(b.high)))
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        context = browser.new_context(offline=True)
        page = context.new_page()
        failed = []
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.goto(path.as_uri())
        page.wait_for_selector(f"#{PLOT_ID} .main-svg")
        n = page.evaluate(f"document.getElementById('{PLOT_ID}').data.length")
        assert n == len(ls.curves) + n_bands
        drawn = page.evaluate(f"document.querySelectorAll('#{PLOT_ID} .scatterlayer .trace').length")
        assert drawn == n
        names = page.evaluate(f"document.getElementById('{PLOT_ID}').data.map(t => t.meta.name)")
        assert names[: len(ls.curves)] == [c.name for c in ls.curves]
        # a legend click hides its trace, a second click shows it again
        page.locator(f"#{PLOT_ID} .legend .traces").first.click()
        page.wait_for_function(f"document.getElementById('{PLOT_ID}').data[0].visible === 'legendonly'")
        page.locator(f"#{PLOT_ID} .legend .traces").first.click()
        page.wait_for_function(f"document.getElementById('{PLOT_ID}').data[0].visible === true")
        rows = page.locator("#curves tbody tr").count()
        assert rows == len(ls.curves)
        assert failed == []
        browser.close()
