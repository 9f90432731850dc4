"""The disk experiment's summaries: the numbers its figures plot and the post quotes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..headlines import WORKLOADS
from ..places.roles import real_share
from ..report.facts import reference
from ..stats import number
from .bonnie import METRICS


def bonnie_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Median per source × target × Bonnie++ metric; too-fast kept as a flag."""
    b = table[(table["tool"] == "bonnie") & ~table["warmup"].astype(bool)]
    g = b.groupby(["source", "host", "target", "role", "metric"], sort=False)
    out = g.agg(
        value=("value", "median"),
        too_fast=("too_fast", "all"),
        lower_bound=("lower_bound", "median"),
        unit=("unit", "first"),
    )
    return out.reset_index()


SLOWDOWN_COLUMNS = [
    "source",
    "host",
    "metric",
    "native",
    "share",
    "native_too_fast",
    "share_too_fast",
    "slowdown",
    "slowdown_at_least",
]


def slowdowns(table: pd.DataFrame, native: str = "native", share: str = "share") -> pd.DataFrame:
    """native / share per metric and source (how many times slower the share is); native
    and share are roles (`share="simulated"`: the simulated share beside a real one)."""
    s = bonnie_summary(table)
    rows = []
    for (source, host), grp in s.groupby(["source", "host"], sort=False):
        g = grp[grp["role"] != ""].set_index(["role", "metric"])
        for m in METRICS:
            if (native, m) not in g.index or (share, m) not in g.index:
                continue
            a, b = g.loc[(native, m)], g.loc[(share, m)]
            ratio = a["value"] / b["value"] if a["value"] and b["value"] else np.nan
            # native too fast, share a number: the share is at least this much slower
            at_least = (
                a["lower_bound"] / b["value"]
                if a["too_fast"] and not b["too_fast"] and b["value"] and a["lower_bound"]
                else np.nan
            )
            rows.append(
                {
                    "source": source,
                    "host": host,
                    "metric": m,
                    "native": a["value"],
                    "share": b["value"],
                    "native_too_fast": bool(a["too_fast"]),
                    "share_too_fast": bool(b["too_fast"]),
                    "slowdown": ratio,
                    "slowdown_at_least": at_least,
                }
            )
    return pd.DataFrame(rows, columns=SLOWDOWN_COLUMNS)


def latency_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Median worst-case latency (µs) per Bonnie++ test: 1.98 always reports it as a number."""
    b = table[(table["tool"] == "bonnie") & ~table["warmup"].astype(bool)]
    b = b.dropna(subset=["latency_us"])
    g = b.groupby(["source", "host", "target", "metric"], sort=False)["latency_us"].median()
    return g.reset_index()


def fio_summary(table: pd.DataFrame, quantity: str = "iops") -> pd.DataFrame:
    """Median per host, target, job and direction, with n (measured repetitions), the job's
    cache condition, and the lower bound where every repetition was shorter than fio can
    time (then `value` is NaN)."""
    f = table[(table["tool"] == "fio") & ~table["warmup"].astype(bool)]
    f = f[f["metric"].str.endswith(f".{quantity}")]
    keys = ["source", "host", "target", "role", "metric"]
    out = f.groupby(keys, sort=False).agg(
        value=("value", "median"),
        lower_bound=("lower_bound", "median"),
        n=("value", "count"),
        cache=("cache", "first"),
    )
    out = out.reset_index()
    parts = out["metric"].str.split(".")
    out["job"], out["direction"] = parts.str[0], parts.str[1]
    out["series"] = out["job"] + "." + out["direction"]
    return out


def _side(r: pd.Series, role: str) -> tuple[float | None, bool]:
    """(value, is a lower bound) of one side of a job: the median, else its lower bound."""
    value = number(r.get(("value", role)))
    if value is not None:
        return value, False
    return number(r.get(("lower_bound", role))), True


def post_facts(t: pd.DataFrame) -> dict[str, Any]:
    """What the post quotes from this experiment's table: per host, and the post's own. fio
    jobs by `job.direction` (a mixed job's reads and writes apart); a native side too short
    to time makes the slowdown a lower bound (`at_least`), a share side a ceiling: None."""
    out: dict[str, Any] = {"hosts": {}}
    fio = fio_summary(t)
    fio = fio[fio["source"] == "measured"]
    for host, g in fio.groupby("host", sort=False):
        wide = g.pivot_table(
            index="series",
            columns="role",
            values=["value", "lower_bound"],
            aggfunc="first",
            dropna=False,
        )
        if not {"native", "share"} <= set(wide.columns.get_level_values(1)):
            continue
        jobs = {}
        for series, r in wide.iterrows():
            (native, nb), (share, sb) = _side(r, "native"), _side(r, "share")
            slow = native / share if native and share and not sb else None
            jobs[series] = {
                "native": native,
                "share": share,
                "native_bound": nb,
                "share_bound": sb,
                "slowdown": slow,
                "at_least": nb and slow is not None,
            }
        out["hosts"][host] = jobs
    sd = slowdowns(t)
    post = sd[sd["source"] == "post"].set_index("metric")
    out["post"] = {
        m: {
            "native": number(r["native"]),
            "share": number(r["share"]),
            "slowdown": number(r["slowdown"]),
            "native_too_fast": r["native_too_fast"],
        }
        for m, r in post.iterrows()
    }
    bonnie = sd[sd["source"] == "measured"]
    for host, g in bonnie.groupby("host", sort=False):
        out["hosts"].setdefault(host, {})["bonnie"] = {
            r.metric: number(r.slowdown) for r in g.itertuples() if not pd.isna(r.slowdown)
        }
    return out


# what measured a workload of the fidelity table when Bonnie++ gave no number, as the post names it
FIO_BY = {
    "byte_writes": "fio byte_write",
    "block_writes": "fio seq_write 1M",
    "file_creation": "fio file_create",
    "published_read": "fio published_randrw (read)",
    "published_write": "fio published_randrw (write)",
}
DISK_WORKLOADS = tuple(w for w in WORKLOADS if w.experiment == "disk")


def _bonnie_metric(metrics: tuple[str, ...]) -> str | None:
    return next((m for m in metrics if m in METRICS), None)


def _fio_rates(t: pd.DataFrame, host: str, metric: str, share: str) -> tuple[Any, Any]:
    f = t[(t["source"] == "measured") & (t["host"] == host) & ~t["warmup"].astype(bool)]
    f = f[f["metric"] == metric].groupby("role")["value"].median()
    return f.get("native"), f.get(share)


def _ratio(native: Any, share: Any) -> float | None:
    """How many times slower the share is, from two rates (None unless both are numbers)."""
    ok = all(isinstance(v, int | float) and not np.isnan(v) and v > 0 for v in (native, share))
    return float(native / share) if ok else None


def _slowdowns_at(t: pd.DataFrame, host: str, share: str) -> dict[str, tuple[float | None, str]]:
    """This run's slowdown per disk workload of the place with role `share`: Bonnie++ where it
    gave numbers, else fio."""
    sd = slowdowns(t, share=share)
    bonnie = sd[(sd["source"] == "measured") & (sd["host"] == host)].set_index("metric")
    out = {}
    for w in DISK_WORKLOADS:
        b = _bonnie_metric(w.metrics)
        if b in bonnie.index and not pd.isna(bonnie.loc[b, "slowdown"]):
            out[w.key] = (float(bonnie.loc[b, "slowdown"]), f"Bonnie++ {b}")
        else:
            out[w.key] = (_ratio(*_fio_rates(t, host, w.metrics[0], share)), FIO_BY[w.key])
    return out


def fidelity_measured(t: pd.DataFrame, host: str) -> dict[str, tuple[Any, Any, str]]:
    """Per disk workload: the real share's slowdown (when the run had one), the simulated
    share's, and what measured it."""
    real = real_share(t, host)
    sim = _slowdowns_at(t, host, "simulated" if real else "share")
    ours = _slowdowns_at(t, host, "share") if real else {}
    return {k: (ours.get(k, (None, ""))[0], v, by) for k, (v, by) in sim.items()}


def fidelity_post(t: pd.DataFrame) -> dict[str, tuple[Any, Any, bool]]:
    """The post's own slowdowns: Bonnie++'s rows, and its published fio job's table."""
    post: dict[str, tuple[Any, Any, bool]] = {}
    sd = slowdowns(t)
    by_metric = {r.metric: r for r in sd[sd["source"] == "post"].itertuples()}
    rows = {row["target"]: row for row in reference()["fio_published"]["read_mib_s"]}
    for w in DISK_WORKLOADS:
        r = by_metric.get(_bonnie_metric(w.metrics) or "")
        if r is not None and not pd.isna(r.slowdown):
            post[w.key] = (number(r.slowdown), None, False)
        elif r is not None and not pd.isna(r.slowdown_at_least):  # native too fast: at least
            post[w.key] = (number(r.slowdown_at_least), None, True)
    for key, col in (("published_read", "read_mib_s"), ("published_write", "write_mib_s")):
        post[key] = (rows["native"][col] / rows["share"][col], None, False)
    return post
