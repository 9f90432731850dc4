"""The post itself: front matter as the blog writes it, sections per experiment, figures copied."""

from __future__ import annotations

import json
import math
import shutil
import tomllib
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Any

import pandas as pd

from ..config import FIRST_LOOK
from ..errors import ParameterError
from ..experiments import experiments
from ..headlines import WORKLOADS
from ..places.classify import NATIVE
from ..places.record import recorded_place
from ..places.roles import label_of, place_class
from ..plots import localize, save
from ..runs import load_manifest
from ..stats import number
from . import answer as A
from . import facts as F
from .fidelity import fidelity_table, has_real, not_held, post_cell
from .text import LANGS, T


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


def figure_lines(base: str, name: str, inputs: PostInputs, caption: str) -> list[str]:
    """An image and its caption line, as the blog writes them (nothing when not made)."""
    if name not in inputs.figures:
        return []
    return [f"![]({base}/{inputs.figures[name].name})", f"> {caption}", ""]


def markdown_table(cols: list[str], rows: list[list[str]]) -> list[str]:
    """A GFM table: its header, the rule and one line per row."""
    out = ["| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]
    return out + ["| " + " | ".join(r) + " |" for r in rows]


def _hosts_table(t: dict, hosts: dict[str, dict]) -> list[str]:
    cols = t["host_cols"]
    out = markdown_table(cols, [])
    for h in hosts.values():
        wsl = "-"
        if h.get("is_wsl"):
            wsl = f"WSL{h['wsl_version']}" if h.get("wsl_version") else "WSL"
        mem = f"{h['memory_bytes'] / 2**30:.0f} GiB" if h.get("memory_bytes") else "?"
        cpu = t["cpu_cell"].format(n=h["cpu_count"], model=h["cpu_model"])
        out.append(
            f"| `{h['hostname']}` | {cpu} | {mem} | `{h['kernel']}` | {h['distribution']} | "
            f"{wsl} |"
        )
    return out + [""]


def _places_table(t: dict, run_dirs: list[Path]) -> list[str]:
    """Where each target measured, named by its file system and mount, not by its path."""
    rows = F.place_facts(run_dirs)
    if not rows:
        return []
    cols = t["place_cols"]
    out = markdown_table(cols, [])
    for r in rows:
        cls = t["place_classes"].get(r["cls"], r["cls"])
        exps = t["list_sep"].join(t["exp_names"].get(e, e) for e in r["experiments"])
        out.append(
            f"| `{r['host']}` | `{r['target']}` | {_place_words(t, r)} | {cls} | `{r['path']}` | "
            f"{exps} |"
        )
    return out + [""]


def _place_words(t: dict, r: dict[str, Any]) -> str:
    """A place by its file system, the names as code: "ext4（原生）", "9p drvfs …"."""
    if r.get("model"):
        return t["place_simulated"].format(fs=r["fstype"], model=r["model"])
    if r["cls"] == NATIVE:
        return f"`{r['fstype']}`"
    return r["place"]  # a share by its mount: "9p drvfs `C:\\temp` (virtio, msize 262144)"


def times(t: dict, x: float | None, at_least: bool = False) -> str:
    """'3.2× slower' or, for a ratio under one, '1.4× faster' (never 'slower 0.7×');
    `at_least`: the native side was too quick to time, so the share is at least this slower."""
    if not x:
        return t["not_measured"]
    if at_least:
        return t["slower_at_least"].format(x=x)
    return t["slower"].format(x=x) if x >= 1 else t["faster"].format(x=1 / x)


def fidelity_section(t: dict, inputs: PostInputs) -> list[str]:
    """The fidelity table: the post's finding, this run's, and whether it holds."""
    table = fidelity_table(inputs.tables, inputs.run_dirs)
    if table.empty:
        return []
    models = ", ".join(sorted({m for m in table["share_model"] if isinstance(m, str)})) or "?"
    real = has_real(table)
    cols = list(t["fid_cols"])
    if real:  # the real place first, the simulation beside it, and the check between them
        cols = [cols[0], cols[1], t["fid_real_col"], *cols[2:], t["fid_here_col"]]
    lines = [f"# {t['fid_h']}", "", t["fid_body"].format(models=models), ""]
    if real:
        lines += [t["fid_live"].format(real=_real_place(inputs)), ""]
    lines += ["| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]

    def ratio(x: Any) -> str:
        return t["fid_not_measured"] if number(x) is None else f"{number(x):.1f}×"

    left = {h.key for h in WORKLOADS} & {
        k for host in table["host"].unique() for k in A.unconverged(inputs.run_dirs, host)
    }
    for r in table.itertuples():
        if r.key in left:  # not measured well at this size: no number, no verdict
            r = r._replace(simulated=None, holds="not at size")
        post = post_cell(r.post_low, r.post_high, r.post_note)
        if r.post_note:
            post += t["fid_bound"]
        cells = [
            t["fid_workloads"].get(r.workload, r.workload),
            post,
            *([ratio(r.real)] if real else []),
            ratio(r.simulated),
            _measured_by(t, r.by, r.host),
            f"`{r.share_model}`" if isinstance(r.share_model, str) else "?",
            t["fid_yes"] if r.fit_input else t["fid_no"],
            t["fid_holds"][r.holds],
            *([t["fid_holds"][r.holds_here]] if real else []),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    rows = not_held(inputs.run_dirs)
    for n in rows:  # one line each, and once why
        kind = t["fid_kinds"].get(n["kind"], n["kind"])
        exp = t["exp_names"].get(n["experiment"], n["experiment"])
        lines.append(
            "- " + t["fid_not_held"].format(pct=n["pct"], kind=kind, exp=exp, n=n["requests"])
        )
    if rows:
        lines += ["", t["fid_not_held_why"], ""]
    return lines


def _measured_by(t: dict, by: str, host: str) -> str:
    """ "fio `byte_write`（`vm`）": the tool in words, the job or test as code."""
    if by == "cold start, median":
        by = t["fid_cold_median"]
    else:
        tool, _, job = by.partition(" ")
        by = f"{tool} `{job}`" if job else tool
    return t["fid_by"].format(by=by, host=host)


def _real_place(inputs: PostInputs) -> str:
    """The real share of the runs, as its mount says (`/mnt/c` — 9p drvfs `C:\\…`)."""
    for dirs in inputs.run_dirs.values():
        for d in dirs:
            targets = load_manifest(d).get("targets", {})
            label = label_of(targets, "share")
            if label and place_class(targets[label]) != "simulated share":
                f = targets[label]
                return f"`{f.get('mount_point')}` — {recorded_place(f).describe()}"
    return "?"


def words(lang: str) -> dict[str, Any]:
    """The post's words in one language: the report's and each experiment's own."""
    if lang not in LANGS:
        raise ParameterError(f"unknown language {lang!r}: choose {', '.join(LANGS)}")
    t = {**T[lang]}
    for exp in experiments().values():
        t.update(exp.text().get(lang, {}))
    return t


GLOSSARY = Path(__file__).with_name("glossary.toml")


def figure_phrases(lang: str) -> dict[str, str]:
    """The figures' English phrases and what they read in this language (the glossary's)."""
    return tomllib.loads(GLOSSARY.read_text(encoding="utf-8")).get("figures", {}).get(lang, {})


def figure_note(t: dict, exp: Any, run_dirs: list[Path]) -> str:
    """A figure's first line: what ran and how big, the profile, and a simulated share."""
    if exp.describe is None or not run_dirs:
        return ""
    m = load_manifest(run_dirs[0])
    what = exp.describe(t, m["parameters"])[0].replace("`", "")
    model = _simulated_model({exp.name: run_dirs}, m["host"]["hostname"])
    share = t["note_simulated"].format(model=model) if model else ""
    return t["fig_note"].format(what=what, profile=m["parameters"].get("profile"), share=share)


def _simulated_model(run_dirs: dict[str, list[Path]], host: str) -> str | None:
    """The share model of this host's simulated share, or None where the share was real."""
    for d in (d for ds in run_dirs.values() for d in ds):
        m = load_manifest(d)
        for facts in m.get("targets", {}).values():
            if m["host"]["hostname"] == host and facts.get("fuse") and facts.get("share_model"):
                return facts["share_model"]
    return None


def _run_items(t: dict, registry: dict, inputs: PostInputs, host: str) -> list[str]:
    """Per experiment that ran on host: what ran, how big, how often, after what warm-up."""
    items = []
    for name, exp in registry.items():
        for d in inputs.run_dirs.get(name, []):
            m = load_manifest(d)
            if m["host"]["hostname"] != host or exp.describe is None:
                continue
            p = m["parameters"]
            what, unit, reps, warmup = exp.describe(t, p)
            warm = t["warm_some"].format(n=warmup) if warmup else t["warm_none"]
            items.append(
                t["run_item"].format(
                    exp=t["exp_names"].get(name, name),
                    what=what,
                    profile=p.get("profile") or "?",
                    reps=reps,
                    unit=unit,
                    warm=warm,
                )
            )
    return items


def recommendations(t: dict, advice: list[str]) -> list[str]:
    """One line per finding, as each experiment's section worded it from its measurements;
    then how the post's author moved, as the post's own (its link command, VS Code)."""
    remedy = F.reference()["remedy"]
    return [
        f"# {t['rec_h']}",
        "",
        *[f"- {line}" for line in advice],
        "",
        t["remedy"].format(link=remedy["link"]),
        "",
    ]


def write_post(inputs: PostInputs, out: Path, meta: dict[str, Any], lang: str, day: Date) -> Path:
    """`_posts/<date>-<slug>.md` and `wp-content/images/<date>-<slug>/*.png` under out."""
    if lang not in LANGS:
        raise ParameterError(f"unknown language {lang!r}: choose {', '.join(LANGS)}")

    registry = experiments()
    t = words(lang)
    stem = f"{day.isoformat()}-{meta['slug']}"
    base = f"/wp-content/images/{stem}"
    img_dir = out / "wp-content" / "images" / stem
    img_dir.mkdir(parents=True, exist_ok=True)
    for path in inputs.figures.values():
        shutil.copyfile(path, img_dir / path.name)
    all_dirs = [d for ds in inputs.run_dirs.values() for d in ds]
    hosts = F.host_facts(all_dirs)
    host_names = "、".join(hosts) if lang == "zh-TW" else ", ".join(hosts)
    sections: list[str] = []
    advice: list[str] = []
    for exp in registry.values():
        if exp.name not in inputs.tables:
            continue  # not measured this time: no empty section
        lines, found = exp.section(t, inputs, base, lang)
        sections += lines
        advice += found.get("advice", [])
    first = next(iter(hosts.values()))
    tools = t["list_sep"].join(
        f"`{v}`"
        if str(v).lower().startswith(k.split("-")[0].rstrip("+").lower())
        else f"`{k} {v}`"
        for k, v in sorted(first["tools"].items())
    )
    done = [e for e in registry if e in inputs.tables]
    count = t["counts"].get(len(done), str(len(done)))
    names = t["list_sep"].join(t["exp_names"].get(e, e) for e in done)
    first_look = sorted(
        {r["profile"] for h in hosts.values() for r in h["runs"] if r["profile"] == FIRST_LOOK}
    )
    fid = fidelity_table(inputs.tables, inputs.run_dirs)
    answer: list[str] = []
    logos: list[str] = []
    for host in hosts:
        name = "answer.png" if len(hosts) == 1 else f"answer-{host}.png"
        model = _simulated_model(inputs.run_dirs, host)
        skip = A.unconverged(inputs.run_dirs, host)
        fig = A.answer_figure(inputs.tables, fid, host, model, skip)
        save(localize(fig, figure_phrases(lang), bool(t["cjk"])), img_dir / name)
        logos.append(name)
        answer += [
            t["answer_lead"].format(host=host),
            "",
            *A.answer_lines(t, inputs.tables, host, fid, skip),
            "",
            f"![]({base}/{name})",
            f"> {t['fig_answer']}",
            "",
            A.run_paragraph(t, inputs.run_dirs, host, _run_items(t, registry, inputs, host)),
            "",
        ]
    body = [
        *[line for p in first_look for line in (t["first_look"].format(profile=p), "")],
        *answer,
        "<!--more-->",
        "",
        t["intro"].format(hosts=host_names, count=count, names=names),
        "",
        f"# {t['host_h']}",
        "",
        *_hosts_table(t, hosts),
        *_places_table(t, all_dirs),
        f"# {t['method_h']}",
        "",
        t["method"].format(tools=tools, cache="`drop_caches` / `posix_fadvise`"),
        "",
        *sections,
        *fidelity_section(t, inputs),
        *recommendations(t, advice),
        "---",
        "",
        t["gen"].format(runs=t["list_sep"].join(f"`{d.name}`" for d in sorted(all_dirs))),
        "",
    ]
    logo_name = logos[0] if logos else ""  # the figure that answers the question
    title = t["title"].format(hosts=host_names, count=count)
    text = front_matter(title, f"{base}/{logo_name}", meta) + "\n" + "\n".join(body)
    post = out / "_posts" / f"{stem}.md"
    post.parent.mkdir(parents=True, exist_ok=True)
    post.write_text(text, encoding="utf-8")
    return post
