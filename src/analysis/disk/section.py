"""The disk experiment's part of the post: its words (zh-TW, en) and its section."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..runs import load_manifest

TEXT = {
    "zh-TW": {
        "disk_h": "1. 磁碟：原生目錄 vs 跨 OS 共享",
        "disk_body": (
            "原文用 Bonnie++ 比較 WSL 的 `~/temp`（ext4）與 `/mnt/c/temp`（9P/drvfs）："
            "per-char 寫入 {post_putc_native:g}k/s vs {post_putc_share:g}k/s（慢 {post_putc_x:.0f} 倍），"
            "block 寫入慢 {post_block_x:.1f} 倍。"
        ),
        "disk_here": (
            "在 {host} 上（共享目錄為 {share_kind}），fio 的單位元組寫入{byte_x}"
            "（{byte_native} vs {byte_share}），建立檔案（4 KiB）{create_x}，"
            "1 MiB 循序寫入{seq_x}。"
        ),
        "disk_no_bonnie": "Bonnie++：{why}。",
        "fig_disk": "圖: Bonnie++ 各項指標（對數座標），斜線為原文數據",
        "fig_slow": "圖: 共享目錄比原生目錄慢幾倍（原生 ÷ 共享）",
        "fig_lat": "圖: Bonnie++ 各項測試的最差延遲（對數座標，越低越好），斜線為原文數據",
        "uncapped": "注意：這次 Bonnie++ 沒有限制 page cache（{why}），數字包含記憶體快取的效果。",
        "fig_fio": "圖: fio 各項工作每秒操作數（對數座標）",
        "rec_src_bad": (
            "原始碼、建置目錄與 Docker volume 放在原生檔案系統（WSL 的 ext4），"
            "共享目錄讓小量 I/O 慢了 {x:.1f} 倍；Windows 端用 `\\\\wsl$` 存取即可。"
        ),
        "rec_src_ok": "在這台機器上共享目錄的代價不大（小量寫入慢 {x:.1f} 倍），放哪裡都可以。",
    },
    "en": {
        "disk_h": "1. Disk: native directory vs a cross-OS share",
        "disk_body": (
            "The post ran Bonnie++ on WSL's `~/temp` (ext4) and `/mnt/c/temp` (9P/drvfs): "
            "per-char writes {post_putc_native:g}k/s vs {post_putc_share:g}k/s "
            "({post_putc_x:.0f}× slower), block writes {post_block_x:.1f}× slower."
        ),
        "disk_here": (
            "On {host} (share: {share_kind}), fio's one-byte writes were {byte_x} on the share "
            "({byte_native} vs {byte_share}), its file creation (4 KiB files) {create_x} "
            "and its sequential 1 MiB writes {seq_x}."
        ),
        "disk_no_bonnie": "Bonnie++: {why}.",
        "fig_disk": "Figure: Bonnie++ per metric (log scale); hatched: the post",
        "fig_slow": "Figure: how many times slower the share is (native ÷ share)",
        "fig_lat": "Figure: Bonnie++ worst-case latency per test (log scale, lower is better); hatched: the post",
        "uncapped": "Note: Bonnie++ ran without a page-cache cap this time ({why}); its figures include the page cache.",
        "fig_fio": "Figure: fio operations per second by job (log scale)",
        "rec_src_bad": (
            "Keep source trees, build directories and Docker volumes on the native filesystem "
            "(WSL's ext4): the share made small I/O {x:.1f}× slower. Reach them from Windows via "
            "`\\\\wsl$`."
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
        "9p": "9P（/mnt/c）",
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


def _share_kind(run_dirs: list[Path], host: str, lang: str) -> str:
    from ..placement.roles import label_of

    for d in run_dirs:
        m = load_manifest(d)
        if m["host"]["hostname"] == host:
            share = m["targets"].get(label_of(m["targets"], "share") or "share") or {}
            fstype = share.get("fstype") or ""
            kind = SHARE_KIND[lang].get(fstype, fstype or "?")
            model = share.get("share_model")
            return f"{kind}, `{model}`" if model else kind
    return "?"


def section(t: dict, inputs: Any, base: str, lang: str) -> tuple[list[str], dict[str, Any]]:
    from ..report.post import failed_lines, figure_lines, num, times
    from . import figures
    from .summary import post_facts

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
    worst = 0.0
    for host, jobs in f["hosts"].items():
        lines += failed_lines(t, inputs.run_dirs["disk"], host)
        byte, create, seq = (jobs.get(k) for k in HEADLINE_JOBS)
        if not (byte and create and seq):
            continue
        lines += [
            t["disk_here"].format(
                host=host,
                share_kind=_share_kind(inputs.run_dirs["disk"], host, lang),
                byte_x=times(t, byte["slowdown"], byte["at_least"]),
                byte_native=("≥" if byte["native_bound"] else "")
                + num(t, byte["native"], "per_s"),
                byte_share=num(t, byte["share"], "per_s"),
                create_x=times(t, create["slowdown"], create["at_least"]),
                seq_x=times(t, seq["slowdown"], seq["at_least"]),
            ),
            "",
        ]
        measured = [x for x in (byte["slowdown"], create["slowdown"]) if x]
        worst = max([worst, *measured])
    lines += uncapped_note(t, inputs.run_dirs["disk"])
    if not any(
        "bonnie" in load_manifest(d)["parameters"]["tools"] for d in inputs.run_dirs["disk"]
    ):
        lines += [t["disk_no_bonnie"].format(why=t["not_at_size"]), ""]
    for c in figures.CHARTS:
        lines += figure_lines(base, c.name, inputs, t[c.caption])
    advice = []
    if worst:  # the worst small-I/O slowdown measured decides the advice
        advice.append((t["rec_src_bad"] if worst >= 2 else t["rec_src_ok"]).format(x=worst))
    return lines, {"advice": advice}
