"""The disk experiment's part of the post: its words (zh-TW, en) and its section."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..places.roles import label_of, real_share
from ..report.answer import unconverged, verdict
from ..report.facts import reference
from ..report.post import failed_lines, figure_lines, markdown_table, num, times
from ..runs import load_manifest
from . import figures
from .summary import post_facts

TEXT = {
    "zh-TW": {
        "disk_h": "1. 磁碟：原生目錄 vs 跨 OS 共享",
        "disk_what": (
            "fio，每項工作跑 {fio[runtime_s]} 秒（檔案 {fio[size_mib]} MiB），"
            "新建 {fio[nrfiles]:,} 個檔案"
        ),
        "disk_bonnie": "，以及 Bonnie++（{bonnie[size_mib]} MiB）",
        "disk_unit": "輪",
        "disk_body": (
            "原文用 Bonnie++ 比較 WSL 的 `~/temp`（ext4）與 `/mnt/c/temp`（9P，drvfs）："
            "per-char 寫入 {post_putc_native:g}k/s vs {post_putc_share:g}k/s（慢 {post_putc_x:.0f} 倍），"
            "block 寫入慢 {post_block_x:.1f} 倍。"
        ),
        "disk_here": (
            "在 `{host}` 上（共享目錄是{share_kind}），fio 的逐位元組寫入{byte_x}"
            "（{byte_native} vs {byte_share}），建立檔案（4 KiB）{create_x}，"
            "1 MiB 循序寫入{seq_x}。"
        ),
        "disk_no_bonnie": "Bonnie++：{why}。",
        "small_io": "小量 I/O",
        "share_kind_model": "{kind}，模型 `{model}`",
        "fig_disk": "圖：Bonnie++ 各項指標（對數座標），斜線為原文數據",
        "fig_slow": "圖：共享目錄比原生目錄慢幾倍（原生 ÷ 共享）",
        "fig_lat": "圖：Bonnie++ 各項測試的最差延遲（對數座標，越低越好），斜線為原文數據",
        "uncapped": "注意：這次 Bonnie++ 沒有限制 page cache（{why}），數字包含記憶體快取的效果。",
        "fig_fio": "圖：fio 各項工作每秒操作數（對數座標）",
        "published_intro": (
            "正式版文章用同一個 fio 工作（randrw 4k、8 jobs、qd 64、O_DIRECT）量了同一顆 SSD 上的"
            "四種放法；下表是原文的數字（這台機器量不到 Windows 那一側）："
        ),
        "published_cols": (
            "程式跑在",
            "檔案放在",
            "讀取 MiB/s",
            "寫入 MiB/s",
            "相對 Windows 本機",
        ),
        "published_rows": {
            "native-windows": ("Windows", "NTFS（`C:\\...`）"),
            "native": ("WSL", "WSL 磁碟裡的 ext4（`~/...`）"),
            "share-9p": ("Windows", "WSL 的 ext4，經 9P（`\\\\wsl$\\...`）"),
            "share": ("WSL", "NTFS，經 drvfs（`/mnt/c/...`）"),
        },
        "published_note": (
            "把檔案留在 WSL 裡、從 Windows 經 `\\\\wsl$` 存取，並不是沒有代價，而是把代價換到 Windows "
            "那一側：原文中那是四種放法裡最慢的（讀取 {wsl_share} MiB/s，只有 Windows 本機的 {pct:.1f}%）。"
            "所以檔案該放在「最常用它的那一側」：在 WSL 裡跑的工具與容器，檔案放 WSL；只有 Windows "
            "工具用的檔案，放 Windows。"
        ),
        "rec_src_bad": (
            "原始碼、建置目錄與 Docker volume 放在原生檔案系統（WSL 的 ext4）："
            "共享目錄上逐位元組寫入、建立檔案這類小量 I/O 最多慢了 {x:.1f} 倍。Windows 工具經 `\\\\wsl$` 存取時，代價換到 Windows "
            "那一側（原文：讀取只有 Windows 本機的 {pct:.1f}%），所以只把 Windows 工具偶爾要看的東西這樣存取。"
        ),
        "rec_src_ok": "在這台機器上共享目錄的代價不大（小量寫入慢 {x:.1f} 倍），放哪裡都可以。",
    },
    "en": {
        "disk_h": "1. Disk: native directory vs a cross-OS share",
        "disk_what": (
            "fio, each job {fio[runtime_s]} s (files of {fio[size_mib]} MiB), "
            "{fio[nrfiles]:,} new files"
        ),
        "disk_bonnie": ", and Bonnie++ ({bonnie[size_mib]} MiB)",
        "disk_unit": "rounds",
        "disk_body": (
            "The post ran Bonnie++ on WSL's `~/temp` (ext4) and `/mnt/c/temp` (9P/drvfs): "
            "per-char writes {post_putc_native:g}k/s vs {post_putc_share:g}k/s "
            "({post_putc_x:.0f}× slower), block writes {post_block_x:.1f}× slower."
        ),
        "disk_here": (
            "On `{host}` (share: {share_kind}), fio's one-byte writes were {byte_x} on the share "
            "({byte_native} vs {byte_share}), its file creation (4 KiB files) {create_x} "
            "and its sequential 1 MiB writes {seq_x}."
        ),
        "disk_no_bonnie": "Bonnie++: {why}.",
        "small_io": "small I/O",
        "share_kind_model": "{kind}, model `{model}`",
        "fig_disk": "Figure: Bonnie++ per metric (log scale); hatched: the post",
        "fig_slow": "Figure: how many times slower the share is (native ÷ share)",
        "fig_lat": "Figure: Bonnie++ worst-case latency per test (log scale, lower is better); hatched: the post",
        "uncapped": "Note: Bonnie++ ran without a page-cache cap this time ({why}); its figures include the page cache.",
        "fig_fio": "Figure: fio operations per second by job (log scale)",
        "published_intro": (
            "The published post ran one fio job (randrw 4k, 8 jobs, qd 64, O_DIRECT) on four "
            "placements of the same SSD; the post's own figures (this machine cannot measure the "
            "Windows side):"
        ),
        "published_cols": (
            "process runs on",
            "files live on",
            "read MiB/s",
            "write MiB/s",
            "relative to Windows on NTFS",
        ),
        "published_rows": {
            "native-windows": ("Windows", "NTFS (`C:\\...`)"),
            "native": ("WSL", "ext4 in the WSL disk (`~/...`)"),
            "share-9p": ("Windows", "WSL's ext4 through 9P (`\\\\wsl$\\...`)"),
            "share": ("WSL", "NTFS through drvfs (`/mnt/c/...`)"),
        },
        "published_note": (
            "Keeping files inside WSL and reaching them from Windows through `\\\\wsl$` does not "
            "remove the cost, it moves it to the Windows side: in the post that was the slowest "
            "of the four ({wsl_share} MiB/s read, {pct:.1f}% of Windows on NTFS). Keep files on "
            "the side that uses them most: WSL's tools and containers' files in WSL, files only "
            "Windows tools use on Windows."
        ),
        "rec_src_bad": (
            "Keep source trees, build directories and Docker volumes on the native filesystem "
            "(WSL's ext4): on the share, small I/O (one-byte writes, file creation) was up to {x:.1f}× slower. Windows tools reaching them "
            "through `\\\\wsl$` pay the cost on their side instead (in the post, {pct:.1f}% of "
            "Windows' own read speed), so reach only what Windows tools need now and then that way."
        ),
        "rec_src_ok": "On this machine the share costs little (small writes {x:.1f}× slower).",
    },
}

HEADLINE_JOBS = ("byte_write.write", "file_create.write", "seq_write.write")
SHARE_KIND = {
    "zh-TW": {
        "fuse": "FUSE 模擬的跨 OS 共享（bindfs）",
        "fuse.bindfs": "FUSE 模擬的跨 OS 共享（bindfs）",
        "fuse.wsl-lab": "模擬的跨 OS 共享（wsl-lab 的 FUSE 層）",
        "9p": "9P（`/mnt/c`）",
    },
    "en": {
        "fuse": "a simulated cross-OS share (FUSE/bindfs)",
        "fuse.bindfs": "a simulated cross-OS share (FUSE/bindfs)",
        "fuse.wsl-lab": "a simulated cross-OS share (wsl-lab's FUSE layer)",
        "9p": "9P (/mnt/c)",
    },
}


def uncapped_note(t: dict, run_dirs: list[Path]) -> list[str]:
    """Say so when Bonnie++ ran without a page-cache cap: its figures then include memory."""

    why = set()
    for d in run_dirs:
        for target in load_manifest(d).get("targets", {}).values():
            for r in target.get("results", []):
                cap = r.get("page_cache_cap")
                if r.get("tool") == "bonnie" and cap and cap.get("method") == "none":
                    why.add(cap.get("reason") or "?")
    return [t["uncapped"].format(why="; ".join(sorted(why))), ""] if why else []


def _share_kind(t: dict, run_dirs: list[Path], host: str, lang: str) -> str:
    for d in run_dirs:
        m = load_manifest(d)
        if m["host"]["hostname"] == host:
            share = m["targets"].get(label_of(m["targets"], "share") or "share") or {}
            fstype = share.get("fstype") or ""
            kind = SHARE_KIND[lang].get(fstype, fstype or "?")
            model = share.get("share_model")
            return t["share_kind_model"].format(kind=kind, model=model) if model else kind
    return "?"


def section(t: dict, inputs: Any, base: str, lang: str) -> tuple[list[str], dict[str, Any]]:
    f = post_facts(inputs.tables["disk"])
    p = f["post"]
    lines = [f"# {t['disk_h']}", ""]
    lines += [
        t["disk_body"].format(
            post_putc_native=p["putc"]["native"],
            post_putc_share=p["putc"]["share"],
            post_putc_x=p["putc"]["slowdown"],
            post_block_x=p["put_block"]["slowdown"],
        ),
        "",
    ]
    worst, simulated = 0.0, False
    for host, jobs in f["hosts"].items():
        lines += failed_lines(t, inputs.run_dirs["disk"], host)
        byte, create, seq = (jobs.get(k) for k in HEADLINE_JOBS)
        if not (byte and create and seq):
            continue
        lines += [
            t["disk_here"].format(
                host=host,
                share_kind=_share_kind(t, inputs.run_dirs["disk"], host, lang),
                byte_x=times(t, byte["slowdown"], byte["at_least"]),
                byte_native=("≥" if byte["native_bound"] else "")
                + num(t, byte["native"], "per_s"),
                byte_share=num(t, byte["share"], "per_s"),
                create_x=t["not_converged"]
                if "file_creation" in unconverged({"disk": inputs.run_dirs["disk"]}, host)
                else times(t, create["slowdown"], create["at_least"]),
                seq_x=times(t, seq["slowdown"], seq["at_least"]),
            ),
            "",
        ]
        skip = unconverged({"disk": inputs.run_dirs["disk"]}, host)
        measured = [byte["slowdown"]] + ([] if "file_creation" in skip else [create["slowdown"]])
        measured = [x for x in measured if x]
        worst = max([worst, *measured])
        simulated = simulated or not real_share(inputs.tables["disk"], host)
    lines += uncapped_note(t, inputs.run_dirs["disk"])
    bonnie = any(
        "bonnie" in load_manifest(d)["parameters"]["tools"] for d in inputs.run_dirs["disk"]
    )
    if not bonnie:
        lines += [t["disk_no_bonnie"].format(why=t["not_at_size"]), ""]
    for c in figures.CHARTS:
        if bonnie or c not in figures.BONNIE_ONLY:  # no chart of the post's bars alone
            lines += figure_lines(base, c.name, inputs, t[c.caption])
    lines += published_table(t)
    advice = []
    if worst:  # the worst small-I/O slowdown measured decides the advice
        key = "rec_src_bad" if worst >= 2 else "rec_src_ok"
        line = t[key].format(x=worst, pct=_wsl_share_pct())
        if simulated and p.get("putc", {}).get("slowdown"):  # against the post's per-char
            line += t["verdict_sep"] + t["verdict_of"].format(
                what=t["small_io"], verdict=verdict(t, worst, p["putc"]["slowdown"], None, False)
            )
        advice.append(line)
    return lines, {"advice": advice}


def _published() -> list[dict[str, Any]]:
    return reference()["fio_published"]["read_mib_s"]


def _wsl_share_pct() -> float:
    """Windows reading WSL's ext4 through 9P, as a share of Windows reading its own NTFS."""
    rows = {r["target"]: r for r in _published()}
    return 100 * rows["share-9p"]["read_mib_s"] / rows["native-windows"]["read_mib_s"]


def published_table(t: dict) -> list[str]:
    """The published post's four placements in full, labelled as the post's, and what
    reaching WSL's files from Windows costs there."""
    rows = _published()
    base = next(r["read_mib_s"] for r in rows if r["target"] == "native-windows")
    body = [
        [*t["published_rows"][r["target"]], f"{r['read_mib_s']:g}",
         f"{r['write_mib_s']:g}", f"{100 * r['read_mib_s'] / base:.1f}%"]
        for r in rows
    ]  # fmt: skip
    wsl_share = next(r["read_mib_s"] for r in rows if r["target"] == "share-9p")
    return [
        t["published_intro"],
        "",
        *markdown_table(list(t["published_cols"]), body),
        "",
        t["published_note"].format(wsl_share=f"{wsl_share:g}", pct=_wsl_share_pct()),
        "",
    ]


def describe(t: dict, p: dict) -> tuple[str, str, int, int]:
    """fio's runtime and sizes (and Bonnie++'s, when it ran), its rounds and warm-ups."""
    what = t["disk_what"].format(**p)
    if "bonnie" in p.get("tools", ()):
        what += t["disk_bonnie"].format(**p)
    return what, t["disk_unit"], p["reps"], p["warmup"]
