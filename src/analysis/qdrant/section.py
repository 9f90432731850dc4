"""The Qdrant experiment's part of the post: its words (zh-TW, en) and its section."""

from __future__ import annotations

from typing import Any

from ..places.roles import real_share
from ..report.answer import verdict
from ..report.facts import reference
from ..report.post import failed_lines, figure_lines, markdown_table, num
from ..runs import load_manifest
from . import figures
from .process import batch_latencies
from .summary import how_read, ingest_summary, post_facts, storage_shape

TEXT = {
    "zh-TW": {
        "fig_ingest": "圖：匯入速度與每批次寫入延遲",
        "qdrant_engines": {
            "edge": "Qdrant 的嵌入式引擎（qdrant-edge-py，沒有伺服器）",
            "docker": "Docker 裡的 Qdrant（`{image}`）",
            "url": "你的 Qdrant 伺服器（{url}）",
        },
        "qdrant_what": "{engine}，{records:,} 筆 × {dim} 維",
        "qdrant_unit": "次冷啟動",
        "qdrant_h": "2. Qdrant：{records:,} 筆資料的匯入與冷啟動",
        "qdrant_body": (
            "原文 Qdrant 的 storage 放在 `/mnt/c` 時重啟要 {post_share:.3f} 秒，"
            "搬到 WSL 原生目錄只要 {post_native:.3f} 秒（{post_x:.1f} 倍；正式版文章為 "
            "{pub_share:.3f} vs {pub_native:.3f} 秒）。原文在 `/mnt/c` 上經 API 寫入一筆資料就要"
            "約 {insert_s:g} 秒。"
        ),
        "qdrant_batches": (
            "這裡每批 {batch} 筆的寫入延遲中位數：原生 {native}、共享 {share}（最慢的 1%：{native99} 與 {share99}）。"
        ),
        "qdrant_here": (
            "在 `{host}` 上，{records:,} 筆資料冷啟動：原生 {native}、共享 {share}"
            "（{x}）；匯入速度：原生{rate_native}、共享{rate_share}。"
            "每次冷啟動後（含暖身，共 {cold_starts} 次）都檢查資料：{integrity}。"
        ),
        "qdrant_how": (
            "第一次量測的冷啟動中，引擎這樣讀取 storage：原生 {native_faults} 次 page fault、"
            "{native_calls} 次 `read()`；共享上 {share_faults} 次 page fault，我們的 FUSE 層收到 "
            "{reads} 個讀取請求（平均 {read_kib} KiB）、{metas} 個中繼資料請求與 {writes} 個"
            "寫入請求。依模型的服務時間，這些請求共需 {service}，該次實測為 {share}。"
        ),
        "shape_intro": (
            "冷啟動的倍數和原文不同，原因不只在共享目錄本身：兩邊的 storage 形狀不同。原文的 "
            "storage 是 Qdrant 伺服器的（許多小檔），這裡是 Qdrant 嵌入式引擎的（少數大檔）。"
            "下表並列兩邊的形狀，以及共享目錄讓冷啟動多花的時間，攤到每個檔案與每 MiB 上："
        ),
        "shape_cols": (
            "來源",
            "目錄",
            "檔案",
            "大小 (MiB)",
            "原生 (秒)",
            "共享 (秒)",
            "倍數",
            "每個檔案多花 (µs)",
            "每 MiB 儲存多花 (ms)",
            "每 MiB 經共享讀取多花 (ms)",
        ),
        "shape_post": "原文（正式版）",
        "integrity_ok": "全部正確",
        "integrity_bad": "**發現資料遺失**",
        "fig_cold": "圖：各位置的冷啟動時間（對數座標），斜線為原文數據",
        "fig_timeline": "圖：冷啟動時每個 collection 的載入時間軸",
        "rec_db_bad": (
            "資料庫（Qdrant）的 volume 不要放在共享目錄：冷啟動慢 {x:.1f} 倍。"
            "用 named volume 或原生目錄。"
        ),
        "rec_db_ok": "Qdrant 的 storage 放在共享目錄只慢 {x:.1f} 倍，影響有限。",
    },
    "en": {
        "fig_ingest": "Figure: ingest throughput and per-batch upsert latency",
        "qdrant_engines": {
            "edge": "Qdrant's embedded engine (qdrant-edge-py, no server)",
            "docker": "Qdrant in Docker (`{image}`)",
            "url": "your Qdrant server ({url})",
        },
        "qdrant_what": "{engine}, {records:,} records × {dim} dimensions",
        "qdrant_unit": "cold starts",
        "qdrant_h": "2. Qdrant: ingest and cold start of {records:,} records",
        "qdrant_body": (
            "In the post, Qdrant with its storage on `/mnt/c` restarted in {post_share:.3f} s, "
            "on WSL's own disk in {post_native:.3f} s ({post_x:.1f}×; the published version says "
            "{pub_share:.3f} vs {pub_native:.3f} s). Inserting one record through the API on "
            "`/mnt/c` took it about {insert_s:g} s."
        ),
        "qdrant_batches": (
            "Here, a batch of {batch} records took {native} to upsert natively and {share} on the "
            "share (median; the slowest 1%: {native99} and {share99})."
        ),
        "qdrant_here": (
            "On `{host}`, {records:,} records: cold start {native} native, {share} on "
            "the share ({x}); ingest {rate_native} vs {rate_share}. "
            "Integrity after every cold start (warm-ups included, {cold_starts} in all): {integrity}."
        ),
        "qdrant_how": (
            "How the engine read its storage in its first measured cold start: {native_faults} "
            "page faults and {native_calls} `read()` calls natively; on the share {share_faults} "
            "page faults, for which our layer got {reads} read requests ({read_kib} KiB on "
            "average), {metas} metadata and {writes} write requests. At the model's service "
            "times those requests take {service}; that start took {share}."
        ),
        "shape_intro": (
            "The cold-start ratio differs from the post's for more than the share: the two "
            "storages differ in shape. The post's is the Qdrant server's (many small files), "
            "ours the embedded engine's (a few large ones). Their shapes side by side, and what "
            "the share added to a cold start per file and per MiB:"
        ),
        "shape_cols": (
            "source",
            "dirs",
            "files",
            "size (MiB)",
            "native (s)",
            "share (s)",
            "ratio",
            "added per file (µs)",
            "added per MiB stored (ms)",
            "added per MiB read via the share (ms)",
        ),
        "shape_post": "the post (published)",
        "integrity_ok": "all intact",
        "integrity_bad": "**DATA LOSS found**",
        "fig_cold": "Figure: cold start per placement (log scale); hatched: the post",
        "fig_timeline": "Figure: per-collection load timeline during a cold start",
        "rec_db_bad": (
            "Never put a database volume (Qdrant) on the share: cold start was {x:.1f}× slower. "
            "Use a named volume or a native directory."
        ),
        "rec_db_ok": "Qdrant's storage on the share was only {x:.1f}× slower here.",
    },
}


def section(t: dict, inputs: Any, base: str, lang: str) -> tuple[list[str], dict[str, Any]]:

    records = load_manifest(inputs.run_dirs["qdrant"][0])["parameters"]["records"]
    lines = [f"# {t['qdrant_h'].format(records=records)}", ""]
    f = post_facts(inputs.tables["qdrant"])
    post, pub = f["post"]["post"], f["post"]["post (published)"]
    lines += [
        t["qdrant_body"].format(
            post_share=post["cold_start_s"]["share"],
            post_native=post["cold_start_s"]["native"],
            post_x=post["ratio"],
            pub_share=pub["cold_start_s"]["share"],
            pub_native=pub["cold_start_s"]["native"],
            insert_s=reference()["qdrant_insert"]["share_s_per_record"],
        ),
        "",
    ]
    worst, simulated = 0.0, False
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
        lines += _batch_lines(t, inputs.tables["qdrant"], inputs.run_dirs["qdrant"], host)
        lines += _how_read_lines(t, inputs.tables["qdrant"], host)
        worst = max(worst, h["ratio"] or worst)
        simulated = simulated or not real_share(inputs.tables["qdrant"], host)
    lines += _shape_lines(t, inputs.tables["qdrant"])
    for c in figures.CHARTS:
        lines += figure_lines(base, c.name, inputs, t[c.caption])
    advice = []
    if worst:  # the cold-start ratio decides where the database's volume should live
        line = (t["rec_db_bad"] if worst >= 1.5 else t["rec_db_ok"]).format(x=worst)
        if simulated:  # a simulated figure carries the fidelity verdict against the post's
            low, high = sorted((post["ratio"], pub["ratio"]))
            line += t["verdict_sep"] + t["verdict_of"].format(
                what=t["headline_words"]["qdrant_cold_start"],
                verdict=verdict(t, worst, low, high, False),
            )
        advice.append(line)
    return lines, {"advice": advice}


def _how_read_lines(t: dict, table: Any, host: str) -> list[str]:
    """One line on how the cold start read its storage, where our layer served the share."""

    how = how_read(table, host)
    native = how.get("native", {})
    share = next(
        (how[r] for r in ("share", "simulated") if "share_service_s" in how.get(r, {})), None
    )
    if not share:
        return []

    def count(d: dict, key: str) -> str:
        return f"{d[key]:,.0f}" if key in d else t["not_measured"]

    kib = share.get("share_read_kib")
    line = t["qdrant_how"].format(
        native_faults=count(native, "major_faults"),
        native_calls=count(native, "read_calls"),
        share_faults=count(share, "major_faults"),
        reads=count(share, "share_read_requests"),
        read_kib=f"{kib:.1f}" if kib is not None else t["not_measured"],
        metas=count(share, "share_meta_requests"),
        writes=count(share, "share_write_requests"),
        service=num(t, share["share_service_s"], "s"),
        share=num(t, share.get("cold_start_s"), "s"),
    )
    return [line, ""]


def _shape_lines(t: dict, table: Any) -> list[str]:
    """The storage shape beside the post's, and the share's added time per file and MiB."""

    shape = storage_shape(table)
    if len(shape) < 2:
        return []

    def cell(x: Any, fmt: str) -> str:
        return t["not_measured"] if x is None or x != x else format(x, fmt)

    rows = [
        [
            t["shape_post"] if r.source == "post (published)" else f"`{r.source}`",
            cell(r.dirs, ",.0f"),
            cell(r.files, ",.0f"),
            cell(r.mib, ",.0f"),
            cell(r.native_s, ".3f"),
            cell(r.share_s, ".3f"),
            cell(r.ratio, ".1f"),
            cell(r.extra_us_per_file, ",.0f"),
            cell(r.extra_ms_per_mib_stored, ".2f"),
            cell(r.extra_ms_per_mib_read, ".2f"),
        ]
        for r in shape.itertuples()
    ]
    return [t["shape_intro"], "", *markdown_table(list(t["shape_cols"]), rows), ""]


def describe(t: dict, p: dict) -> tuple[str, str, int, int]:
    """The engine, records × dimensions, cold starts and warm-ups."""
    engine = t["qdrant_engines"].get(p["backend"], p["backend"]).format(**p)
    return t["qdrant_what"].format(engine=engine, **p), t["qdrant_unit"], p["reps"], p["warmup"]


def _batch_lines(t: dict, table: Any, run_dirs: list, host: str) -> list[str]:
    """Each batch's upsert latency by place, beside the post's five seconds per insert."""

    s = ingest_summary(table, batch_latencies(run_dirs))
    s = s[s["host"] == host].set_index("target")
    if "batch_p50_ms" not in s or not {"native", "share"} <= set(s.index):
        return []
    batch = load_manifest(run_dirs[0])["parameters"]["batch_size"]
    ms = {k: num(t, s.loc[r, c], "ms") for k, (r, c) in {
        "native": ("native", "batch_p50_ms"), "share": ("share", "batch_p50_ms"),
        "native99": ("native", "batch_p99_ms"), "share99": ("share", "batch_p99_ms")}.items()
    }  # fmt: skip
    return [t["qdrant_batches"].format(batch=batch, **ms), ""]
