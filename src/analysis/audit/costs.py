"""What a place costs: share/native ratios from measured runs, each naming its run.

For a path on a share, the ratios come from this machine's latest complete runs that measured
a place of the same class (a real `/mnt/c` run for a path on `/mnt/c`); failing that, for a
cross-os or simulated share, from its latest runs on the simulated share; failing that, from
the committed sample's. Every number says which run it comes from and whether it was measured
on such a place or simulated (and with which share model). A workload no run measured is
None, never 0. Pure: reads run directories and their tidy tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import paths
from ..experiments import experiments
from ..headlines import BY_KEY, ratio
from ..hostinfo import hostname
from ..places.classify import CROSS_OS, NATIVE, SHARES, SIMULATED, Classified
from ..places.record import recorded_place
from ..runs import complete_runs, load_manifest

# the headlines a place's cost is told by, in this order (the registry says how each is read)
WORKLOADS = tuple(
    BY_KEY[k]
    for k in ("qdrant_cold_start", "byte_writes", "file_creation", "git_status", "full_build")
)


@dataclass(frozen=True)
class Measured:
    """One workload's ratio from one run: native vs one share target."""

    workload: str
    ratio: float
    run_id: str
    experiment: str
    cls: str  # the class of the share target it was measured on
    kind: str
    share_model: str | None
    sample: bool  # from the committed sample, not this machine's runs
    place: str

    def basis(self) -> str:
        """ "simulated (share model wsl2-9p)" or "measured on 9p drvfs `C:\\temp`"."""
        if self.cls == SIMULATED:
            where = f"simulated (share model {self.share_model or '?'})"
        else:
            where = f"measured on {self.place}"
        return where + (", committed sample" if self.sample else "")


def _latest_run(experiment: str, root: Path) -> Path | None:
    """The latest complete, unmodified run of this host (else of any host) under root."""
    runs = complete_runs(experiment, root, say=lambda _m: None)
    host = hostname()
    mine = [d for d in runs if (load_manifest(d).get("host") or {}).get("hostname") == host]
    chosen = mine or runs
    return chosen[-1] if chosen else None


def run_costs(run_dir: Path, sample: bool) -> list[Measured]:
    """Every workload of the run's experiment, for each share target against its native one."""
    manifest = load_manifest(run_dir)
    experiment = manifest.get("experiment")
    done = {
        label: t
        for label, t in (manifest.get("targets") or {}).items()
        if t.get("status") == "complete"
    }
    places = {label: recorded_place(t) for label, t in done.items()}
    native = next((lb for lb, p in places.items() if p.cls == NATIVE), None)
    shares = [lb for lb, p in places.items() if p.cls in SHARES]
    if native is None or not shares:
        return []
    table = experiments()[experiment].table([run_dir])
    out = []
    for w in (w for w in WORKLOADS if w.experiment == experiment):
        for label in shares:
            r = ratio(table, w, native, label)
            if r is not None:
                p = places[label]
                out.append(
                    Measured(
                        w.key,
                        r,
                        run_dir.name,
                        experiment,
                        p.cls,
                        p.kind,
                        p.share_model,
                        sample,
                        p.describe(),
                    )
                )
    return out


def known_costs(raw: Path | None = None, sample: Path | None = None) -> list[Measured]:
    """The ratios of this machine's latest runs, then of the committed sample's."""
    out: list[Measured] = []
    experiments = sorted({w.experiment for w in WORKLOADS})
    for root, is_sample in ((raw or paths.RAW, False), (sample or paths.SAMPLE / "raw", True)):
        for experiment in experiments:
            run = _latest_run(experiment, root)
            if run is not None:
                out += run_costs(run, is_sample)
    return out


def _candidates(place: Classified, known: list[Measured]) -> list[list[Measured]]:
    """Where a place's costs may come from, best first."""
    same = [m for m in known if not m.sample and m.cls == place.cls]
    same.sort(key=lambda m: m.kind != place.kind)  # the same kind of share first
    tiers = [same]
    if place.cls in (CROSS_OS, SIMULATED):
        tiers.append([m for m in known if not m.sample and m.cls == SIMULATED])
        tiers.append([m for m in known if m.sample and m.cls == SIMULATED])
    return tiers


def costs_for(place: Classified, known: list[Measured]) -> list[dict[str, Any]]:
    """Per workload: the ratio, its run and basis, or None with why (no such run)."""
    if not place.is_share:
        return []
    tiers = _candidates(place, known)
    rows = []
    for w in WORKLOADS:
        found = next((m for tier in tiers for m in tier if m.workload == w.key), None)
        rows.append(
            {
                "workload": w.key,
                "label": w.label,
                "ratio": found.ratio if found else None,
                "run_id": found.run_id if found else None,
                "basis": found.basis() if found else f"not measured on a {place.cls}",
            }
        )
    return rows


def cost_line(costs: list[dict[str, Any]]) -> str:
    """ "Qdrant cold start 32.4× slower, ... (simulated (share model wsl2-9p), run ...)"."""
    by_basis: dict[str, list[str]] = {}
    for c in costs:
        if c["ratio"] is None:
            continue
        key = f"{c['basis']}; run {c['run_id']}"
        by_basis.setdefault(key, []).append(f"{c['label']} {c['ratio']:.1f}×")
    missing = [c["label"] for c in costs if c["ratio"] is None]
    parts = [f"{', '.join(v)} slower ({k})" for k, v in by_basis.items()]
    if missing:
        parts.append(f"not measured: {', '.join(missing)}")
    return "; ".join(parts)
