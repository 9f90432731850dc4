"""The post itself: front matter as the blog writes it, sections per experiment, figures copied."""

from __future__ import annotations

import json
import math
import shutil
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ParameterError
from . import facts as F
from .text import LANGS, T

SHARE_KIND = {
    "zh-TW": {
        "fuse": "FUSE 模擬的跨 OS 共享（bindfs）",
        "fuse.bindfs": "FUSE 模擬的跨 OS 共享（bindfs）",
        "fuse.wsl-lab": "模擬的跨 OS 共享（wsl-lab 的 FUSE 層）",
        "9p": "9P（/mnt/c）",
    },
    "en": {
        "fuse": "a simulated cross-OS share (FUSE/bindfs)",
        "fuse.bindfs": "a simulated cross-OS share (FUSE/bindfs)",
        "fuse.wsl-lab": "a simulated cross-OS share (wsl-lab's FUSE layer)",
        "9p": "9P (/mnt/c)",
    },
}


@dataclass
class PostInputs:
    tables: dict[str, pd.DataFrame]
    run_dirs: dict[str, list[Path]]
    figures: dict[str, Path]
    rooflines: pd.DataFrame = field(default_factory=pd.DataFrame)


def num(t: dict, x: Any, unit: str, scale: float = 1.0) -> str:
    """A value with its unit, or "not measured": a missing value never prints as 0."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return t["not_measured"]
    return t["units"][unit].format(v=float(x) * scale)


def failed_lines(t: dict, run_dirs: list[Path], host: str) -> list[str]:
    """One line per target that measured nothing, with the reason from the manifest."""
    from ..runs import load_manifest

    out = []
    for d in run_dirs:
        m = load_manifest(d)
        if m["host"]["hostname"] != host:
            continue
        for label, target in m.get("targets", {}).items():
            if target.get("status") in ("failed", "interrupted"):
                why = (target.get("error") or target.get("status") or "?").splitlines()[0]
                out.append("- " + t["failed_target"].format(label=label, why=why))
    return out


def uncapped_note(t: dict, run_dirs: list[Path]) -> list[str]:
    """Say so when Bonnie++ ran without a page-cache cap: its figures then include memory."""
    from ..runs import load_manifest

    why = set()
    for d in run_dirs:
        for target in load_manifest(d).get("targets", {}).values():
            for r in target.get("results", []):
                cap = r.get("page_cache_cap")
                if r.get("tool") == "bonnie" and cap and cap.get("method") == "none":
                    why.add(cap.get("reason") or "?")
    return [t["uncapped"].format(why="; ".join(sorted(why))), ""] if why else []


def _yaml(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False)  # JSON scalars and lists are valid YAML


def front_matter(title: str, logo: str, meta: dict[str, Any]) -> str:
    keys = {
        "layout": "post",
        "title": title,
        "categories": meta["categories"],
        "tags": meta["tags"],
        "published": meta["published"],
        "comments_disqus": False,
        "comments_facebook": False,
        "comments_gitalk": False,
        "redirect_from": [],
        "logo": logo,
    }
    return "---\n" + "".join(f"{k}: {_yaml(v)}\n" for k, v in keys.items()) + "---\n"


def _figure(lines: list[str], base: str, name: str, inputs: PostInputs, caption: str) -> None:
    lines += figure_lines(base, name, inputs, caption)


def figure_lines(base: str, name: str, inputs: PostInputs, caption: str) -> list[str]:
    """An image and its caption line, as the blog writes them (nothing when not made)."""
    if name not in inputs.figures:
        return []
    return [f"![]({base}/{inputs.figures[name].name})", f"> {caption}", ""]


def _hosts_table(t: dict, hosts: dict[str, dict]) -> list[str]:
    cols = t["host_cols"]
    out = ["| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]
    for h in hosts.values():
        wsl = "-"
        if h.get("is_wsl"):
            wsl = f"WSL{h['wsl_version']}" if h.get("wsl_version") else "WSL"
        mem = f"{h['memory_bytes'] / 2**30:.0f} GiB" if h.get("memory_bytes") else "?"
        out.append(
            f"| {h['hostname']} | {h['cpu_count']} × {h['cpu_model']} | {mem} | "
            f"{h['kernel']} | {h['distribution']} | {wsl} |"
        )
    return out + [""]


def _share_kind(run_dirs: list[Path], host: str, lang: str) -> str:
    from ..runs import load_manifest

    for d in run_dirs:
        m = load_manifest(d)
        if m["host"]["hostname"] == host:
            share = m["targets"].get("share") or {}
            fstype = share.get("fstype") or ""
            kind = SHARE_KIND[lang].get(fstype, fstype or "?")
            model = share.get("share_model")
            return f"{kind}, `{model}`" if model else kind
    return "?"


def times(t: dict, x: float | None) -> str:
    """'3.2× slower' or, for a ratio under one, '1.4× faster' (never 'slower 0.7×')."""
    if not x:
        return t["not_measured"]
    return t["slower"].format(x=x) if x >= 1 else t["faster"].format(x=1 / x)


def disk_section(t: dict, inputs: PostInputs, base: str, lang: str) -> tuple[list[str], float]:
    lines = [f"# {t['disk_h']}", ""]
    worst = 0.0
    if "disk" not in inputs.tables:
        return lines + [t["none"], ""], worst
    f = F.disk_facts(inputs.tables["disk"])
    p = f["post"]
    lines += [
        t["disk_body"].format(
            post_putc_native=p["putc"]["native"],
            post_putc_share=p["putc"]["share"],
            post_putc_x=p["putc"]["slowdown"],
            post_block_x=p["put_block"]["slowdown"],
        ),
        "",
    ]
    for host, jobs in f["hosts"].items():
        lines += failed_lines(t, inputs.run_dirs["disk"], host)
        if not {"byte_write", "file_create", "seq_write"} <= set(jobs):
            continue
        bw = jobs["byte_write"]
        lines += [
            t["disk_here"].format(
                host=host,
                share_kind=_share_kind(inputs.run_dirs["disk"], host, lang),
                byte_x=times(t, bw["slowdown"]),
                byte_native=num(t, bw["native"], "per_s"),
                byte_share=num(t, bw["share"], "per_s"),
                create_x=times(t, jobs["file_create"]["slowdown"]),
                seq_x=times(t, jobs["seq_write"]["slowdown"]),
            ),
            "",
        ]
        measured = [x for x in (bw["slowdown"], jobs["file_create"]["slowdown"]) if x]
        worst = max([worst, *measured])
    lines += uncapped_note(t, inputs.run_dirs["disk"])
    _figure(lines, base, "disk-bonnie", inputs, t["fig_disk"])
    _figure(lines, base, "disk-bonnie-latency", inputs, t["fig_lat"])
    _figure(lines, base, "disk-slowdown", inputs, t["fig_slow"])
    _figure(lines, base, "disk-fio", inputs, t["fig_fio"])
    return lines, worst


def qdrant_section(t: dict, inputs: PostInputs, base: str) -> tuple[list[str], float]:
    from ..runs import load_manifest

    worst = 0.0
    if "qdrant" not in inputs.tables:
        return [f"# {t['qdrant_h'].format(records=0)}", "", t["none"], ""], worst
    records = load_manifest(inputs.run_dirs["qdrant"][0])["parameters"]["records"]
    lines = [f"# {t['qdrant_h'].format(records=records)}", ""]
    f = F.qdrant_facts(inputs.tables["qdrant"])
    post, pub = f["post"]["post"], f["post"]["post (published)"]
    lines += [
        t["qdrant_body"].format(
            post_share=post["cold_start_s"]["share"],
            post_native=post["cold_start_s"]["native"],
            post_x=post["ratio"],
            pub_share=pub["cold_start_s"]["share"],
            pub_native=pub["cold_start_s"]["native"],
        ),
        "",
    ]
    for host, h in f["hosts"].items():
        cold, rate = h["cold_start_s"], h["ingest_records_per_s"]
        lines += failed_lines(t, inputs.run_dirs["qdrant"], host)
        if not {"native", "share"} <= set(cold):
            continue
        lines += [
            t["qdrant_here"].format(
                host=host,
                records=records,
                native=num(t, cold["native"], "s"),
                share=num(t, cold["share"], "s"),
                x=num(t, h["ratio"], "x"),
                rate_native=num(t, rate.get("native"), "rec_s"),
                rate_share=num(t, rate.get("share"), "rec_s"),
                cold_starts=h["cold_starts"],
                integrity=t["integrity_ok"] if h["integrity_ok"] else t["integrity_bad"],
            ),
            "",
        ]
        worst = max(worst, h["ratio"] or worst)
    _figure(lines, base, "qdrant-cold-start", inputs, t["fig_cold"])
    _figure(lines, base, "qdrant-load-timeline", inputs, t["fig_timeline"])
    _figure(lines, base, "qdrant-ingest", inputs, t["fig_ingest"])
    return lines, worst


def fidelity_section(t: dict, inputs: PostInputs) -> list[str]:
    """The fidelity table: the post's finding, this run's, and whether it holds."""
    from ..fidelity import fidelity_table, post_cell

    table = fidelity_table(inputs.tables, inputs.run_dirs)
    if table.empty:
        return []
    models = ", ".join(sorted({m for m in table["share_model"] if isinstance(m, str)})) or "?"
    cols = t["fid_cols"]
    lines = [f"# {t['fid_h']}", "", t["fid_body"].format(models=models), ""]
    lines += ["| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]
    for r in table.itertuples():
        post = post_cell(r.post_low, r.post_high, r.post_note)
        if r.post_note:
            post += t["fid_bound"]
        ours = (
            t["fid_not_measured"]
            if r.this_run is None or pd.isna(r.this_run)
            else (f"{r.this_run:.1f}×")
        )
        cells = [
            t["fid_workloads"].get(r.workload, r.workload),
            post,
            ours,
            r.measured_by,
            f"`{r.share_model}`" if isinstance(r.share_model, str) else "?",
            t["fid_yes"] if r.fit_input else t["fid_no"],
            t["fid_holds"][r.holds],
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines + [""]


def llm_section(t: dict, inputs: PostInputs, base: str) -> tuple[list[str], float, float]:
    lines = [f"# {t['llm_h']}", ""]
    load_x = frac = 0.0
    if "llm" not in inputs.tables:
        return lines + [t["none"], ""], load_x, frac
    roof = inputs.rooflines
    if roof.empty:
        from ..llm.process import rooflines

        roof = rooflines(inputs.run_dirs["llm"])
    f = F.llm_facts(inputs.tables["llm"], roof)
    lines += [
        t["llm_body"].format(model=f["post"]["model"], tps=f["post"]["eval_tokens_per_s"]),
        "",
    ]
    for host, rows in f["hosts"].items():
        lines += failed_lines(t, inputs.run_dirs["llm"], host)
        for r in rows:
            lines.append(
                "- "
                + t["llm_here"].format(
                    host=host,
                    engine=r["engine"],
                    device=r["device"],
                    target=r["target"],
                    tps=num(t, r["eval_tokens_per_s"], "tps"),
                    ttft=num(t, r["ttft_s"], "ms", 1e3),
                    load=num(t, r["load_s"], "load"),
                    frac=num(t, r["roofline_fraction"], "pct", 100),
                )
            )
            frac = max(frac, r["roofline_fraction"] or frac)
        loads = {r["target"]: r["load_s"] for r in rows if r["load_s"]}
        if loads.get("share") and loads.get("native"):
            load_x = max(load_x, loads["share"] / loads["native"])
    lines.append("")
    _figure(lines, base, "llm-tokens-per-s", inputs, t["fig_tps"])
    _figure(lines, base, "llm-ttft", inputs, t["fig_ttft"])
    _figure(lines, base, "llm-load", inputs, t["fig_load"])
    _figure(lines, base, "llm-roofline", inputs, t["fig_roof"])
    return lines, load_x, frac


def recommendations(t: dict, recs: dict[str, Any]) -> list[str]:
    """One line per finding the sections reported (keys they return, none required)."""
    disk_x, db_x = recs.get("disk_x", 0.0), recs.get("db_x", 0.0)
    load_x, frac = recs.get("load_x", 0.0), recs.get("frac", 0.0)
    out = [f"# {t['rec_h']}", ""]
    if disk_x:
        out.append("- " + (t["rec_src_bad"] if disk_x >= 2 else t["rec_src_ok"]).format(x=disk_x))
    if db_x:
        out.append("- " + (t["rec_db_bad"] if db_x >= 1.5 else t["rec_db_ok"]).format(x=db_x))
    if load_x:
        key = "rec_model_bad" if load_x >= 1.2 else "rec_model_ok"
        out.append("- " + t[key].format(x=load_x))
    if frac:
        key = "rec_roof" if frac >= 0.6 else "rec_roof_low"
        out.append("- " + t[key].format(frac=frac * 100))
    out += [f"- {line}" for line in recs.get("advice", [])]  # what sections add themselves
    return out + [""]


def write_post(inputs: PostInputs, out: Path, meta: dict[str, Any], lang: str, day: Date) -> Path:
    """`_posts/<date>-<slug>.md` and `wp-content/images/<date>-<slug>/*.png` under out."""
    if lang not in LANGS:
        raise ParameterError(f"unknown language {lang!r}: choose {', '.join(LANGS)}")
    from ..experiments import experiments

    registry = experiments()
    t = {**T[lang]}
    for exp in registry.values():  # each experiment brings its own words
        t.update(exp.text.get(lang, {}))
    stem = f"{day.isoformat()}-{meta['slug']}"
    base = f"/wp-content/images/{stem}"
    img_dir = out / "wp-content" / "images" / stem
    img_dir.mkdir(parents=True, exist_ok=True)
    for path in inputs.figures.values():
        shutil.copyfile(path, img_dir / path.name)
    all_dirs = [d for ds in inputs.run_dirs.values() for d in ds]
    hosts = F.host_facts(all_dirs)
    names = "、".join(hosts) if lang == "zh-TW" else ", ".join(hosts)
    sections: list[str] = []
    recs: dict[str, Any] = {"advice": []}
    for exp in registry.values():
        if exp.name not in inputs.tables:
            continue  # not measured this time: no empty section
        lines, found = exp.section(t, inputs, base, lang)
        sections += lines
        recs["advice"] += found.pop("advice", [])
        recs.update(found)
    first = next(iter(hosts.values()))
    tools = ", ".join(
        v if str(v).lower().startswith(k.split("-")[0].rstrip("+").lower()) else f"{k} {v}"
        for k, v in sorted(first["tools"].items())
    )
    runs = ("；" if lang == "zh-TW" else "; ").join(
        t["run_line"].format(
            exp=r["experiment"],
            profile=r["profile"],
            reps=t["reps"][1] if r["reps"] == 1 else t["reps"]["n"].format(n=r["reps"]),
        )
        for r in first["runs"]
    )
    body = [
        t["intro"].format(hosts=names),
        "",
        "<!--more-->",
        "",
        f"# {t['host_h']}",
        "",
        *_hosts_table(t, hosts),
        f"# {t['method_h']}",
        "",
        t["method"].format(runs=runs, tools=tools, cache="drop_caches / posix_fadvise"),
        "",
        *sections,
        *fidelity_section(t, inputs),
        *recommendations(t, recs),
        "---",
        "",
        t["gen"].format(runs=", ".join(sorted(d.name for d in all_dirs))),
        "",
    ]
    logo_name = next(iter(inputs.figures.values())).name if inputs.figures else ""
    title = t["title"].format(hosts=names)
    text = front_matter(title, f"{base}/{logo_name}", meta) + "\n" + "\n".join(body)
    post = out / "_posts" / f"{stem}.md"
    post.parent.mkdir(parents=True, exist_ok=True)
    post.write_text(text, encoding="utf-8")
    return post
