"""Every analysis result prints itself the same way: ``summary()`` (text), ``_repr_html_()``
(a compact, escaped table for JupyterLab), ``to_frame()`` and ``sentences``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import analysis as tt
from analysis.results import Result


def _daily(days: int = 730, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"date": pd.date_range("2019-01-01", periods=days),
                         "count": rng.poisson(1.5, days)})


def _key_dates() -> pd.DataFrame:
    from analysis.key_dates import validate_key_dates

    return validate_key_dates(pd.DataFrame({
        "key_date_id": ["KD-1"], "name": ["A date"], "label": ["<b>A</b> date"],
        "date": ["2019-03-01"], "calendar": ["gregorian"], "recurs": ["annual"],
        "before": [7], "after": [3], "source_url": ["https://example.org"]}))


@pytest.fixture(scope="module")
def results() -> dict[str, Result]:
    daily = _daily()
    return {
        "escalation": tt.escalation_test(daily, _key_dates(), what="<i>attacks</i>"),
        "its": tt.fit_interrupted_series(daily, {"<script>x</script> truce": "2020-01-06"}),
        "changepoints": tt.detect_changepoints(daily),
    }


@pytest.mark.parametrize("name", ["escalation", "its", "changepoints"])
def test_a_result_prints_its_title_facts_table_and_sentences(results, name):
    result = results[name]
    assert isinstance(result, Result)
    text = result.summary()
    lines = text.splitlines()
    assert lines[0] == "=" * 78 and result.title in lines[1] and lines[-1] == "=" * 78
    for label, _ in result.facts():
        assert f"{label}:" in text
    assert result.sentences and all(s[:30] in " ".join(text.split()) for s in result.sentences)
    assert isinstance(result.to_frame(), pd.DataFrame)
    page = result._repr_html_()
    assert page.startswith("<div class='tt-result'><strong>") and "<table" in page
    assert "<script>" not in page and "<i>" not in page  # text from the data stays text


def test_results_word_themselves_anew(results):
    assert "protests were" in results["escalation"].describe(what="protests")
    assert results["its"].describe(what="protests")[0].count("weekly protests") == 1
    assert "protests" in results["changepoints"].describe(what="protests")[0]


def test_a_fallback_is_a_field_not_part_of_the_method():
    """A series with no overdispersion to estimate: the negative binomial cannot be fitted,
    quasi-Poisson is, and the result says so in ``fallback`` (``method`` stays the one asked
    for, so a lookup by method still finds it)."""
    days = 800
    daily = pd.DataFrame({"date": pd.date_range("2019-01-01", periods=days),
                          "count": np.tile([2, 2, 3, 2, 2], days // 5)})
    result = tt.escalation_test(daily, _key_dates(), method="negbin")
    assert result.method == "negbin"
    assert result.fallback == "quasipoisson: the negative binomial model did not converge"
    assert "method: negbin (fell back: quasipoisson" in " ".join(result.summary().split())
