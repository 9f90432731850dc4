"""Intervals over independent repetitions only; n beside every median; no whiskers under 3."""

import matplotlib.pyplot as plt
import pandas as pd

from analysis.llm.summary import load_summary, throughput_summary
from analysis.plots import whiskers
from analysis.stats import summarize, summarize_over


def test_no_interval_under_three_repetitions_then_min_max_then_a_95_ci():
    two = summarize([1.0, 3.0])
    assert two["n"] == 2 and two["median"] == 2.0 and two["ci_low"] is None
    assert "no interval" in two["note"]
    five = summarize([1.0, 2.0, 3.0, 4.0, 9.0])
    assert (five["ci_low"], five["ci_high"]) == (1.0, 9.0) and "min–max" in five["note"]
    many = summarize([100.0 + x for x in range(1, 21)])
    assert many["ci_low"] > 101.0 and many["ci_high"] < 120.0 and many["note"] == ""


def test_samples_inside_one_repetition_count_once():
    # two loads, ten requests each: the interval is over the two loads, not twenty requests
    per_load = [[10.0 + i * 0.01 for i in range(10)], [20.0 + i * 0.01 for i in range(10)]]
    s = summarize_over(per_load)
    assert s["n"] == 2 and s["ci_low"] is None
    pooled = summarize([x for g in per_load for x in g])
    assert pooled["n"] == 20 and pooled["ci_low"] is not None  # what the pooled way claimed


def _llm_table(hosts=("vm",), loads=2, requests=4) -> pd.DataFrame:
    rows = []
    for host in hosts:
        for rep in range(1, loads + 1):
            for i in range(-1, requests):
                rows.append(
                    {
                        "run_id": f"run-{host}",
                        "host": host,
                        "engine": "llamacpp",
                        "device": "cpu",
                        "target": "native",
                        "rep": f"r{rep}",
                        "warmup": i < 0,
                        "cold": i < 0,
                        "load_s": 0.3 * rep if i < 0 else None,
                        "eval_tokens_per_s": 100.0 * rep + i,
                    }
                )
    return pd.DataFrame(rows)


def test_llm_summaries_count_loads_and_keep_hosts_apart():
    t = _llm_table(hosts=("vm", "laptop"), loads=2, requests=4)
    s = throughput_summary(t)
    assert sorted(s["host"]) == ["laptop", "vm"]
    assert set(s["n"]) == {2}  # two loads, not eight requests
    assert s["ci_low"].isna().all()
    loads = load_summary(t)
    assert sorted(loads["host"]) == ["laptop", "vm"] and set(loads["count"]) == {2}


def test_whiskers_only_from_three_repetitions():
    fig, ax = plt.subplots()
    whiskers(ax, [0, 1], [5.0, 5.0], [4.0, 4.0], [6.0, 6.0], [2, 3])
    drawn = [c for c in ax.containers if hasattr(c, "has_yerr")]
    assert len(drawn) == 1 and len(drawn[0].lines[2][0].get_segments()) == 1
    assert [t.get_text() for t in ax.texts] == ["n=2", "n=3"]
    plt.close(fig)
