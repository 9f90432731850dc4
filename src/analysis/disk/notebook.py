"""The disk notebook's steps."""

from __future__ import annotations

import pandas as pd

from . import summary


def headline(t: pd.DataFrame) -> pd.DataFrame:
    """native vs share per metric: fio operations/s here, Bonnie++ figures in the post."""
    fio = summary.fio_summary(t)
    fio = fio[fio["source"] == "measured"]
    rows = []
    for host, per_host in fio.groupby("host", sort=False):
        here = per_host.pivot_table(
            index="job", columns="role", values="value", aggfunc="median", sort=False
        )
        if not {"native", "share"} <= set(here.columns):
            continue
        for job, r in here.iterrows():
            rows.append(
                {
                    "source": f"{host} (fio, ops/s)",
                    "metric": job,
                    "native": r["native"],
                    "share": r["share"],
                    "slowdown": r["native"] / r["share"] if r["share"] else None,
                }
            )
    for _, r in summary.slowdowns(t).iterrows():
        if r["source"] == "post":
            rows.append(
                {
                    "source": "post (Bonnie++)",
                    "metric": r["metric"],
                    "native": "+++++" if r["native_too_fast"] else r["native"],
                    "share": "+++++" if r["share_too_fast"] else r["share"],
                    "slowdown": r["slowdown"],
                }
            )
    out = pd.DataFrame(rows, columns=["source", "metric", "native", "share", "slowdown"])
    out["slowdown"] = out["slowdown"].astype(float).round(1)
    return out
