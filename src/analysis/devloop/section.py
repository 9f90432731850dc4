"""The dev-loop's part of the post: its words (zh-TW, en) and its section."""

from __future__ import annotations

from typing import Any

from ..places.roles import label_of
from ..report.facts import reference
from ..report.post import figure_lines, num
from ..runs import load_manifest
from . import figures

TEXT = {
    "zh-TW": {
        "devloop_h": "4. 開發迴圈：Jekyll 預覽與 git，原始碼放哪裡？",
        "devloop_what": "Jekyll 建置 {posts} 篇文章的網站，再量 git status 與 git add",
        "devloop_watch": "，以及 `jekyll build --watch`（{modes}）",
        "devloop_modes": {"events": "變更通知", "polling": "輪詢"},
        "devloop_unit": "次完整建置",
        "devloop_body": (
            "正式版文章補了每天都會遇到的情況：在 Docker 裡預覽 Jekyll 部落格，原始碼放在 Windows 磁碟時"
            "建置要 ~{post_build:.0f} 秒、每次修改 ~{post_change:.0f} 秒，因為檔案變更的通知過不了共享目錄，"
            "監看程式只能改用輪詢；原始碼放在 WSL 裡，存檔後 ~{post_native:.0f} 秒就重建完成。"
        ),
        "devloop_here": (
            "在 `{host}` 上，{posts} 篇文章的網站：完整建置原生 {build_native}、共享 {build_share}。"
            "從另一側修改（共享目錄背後的目錄）時，變更通知{events_other}；"
            "改用輪詢後，修改到頁面更新{polling_other}。git status（清掉快取後）原生 {git_native}、共享 {git_share}。"
        ),
        "devloop_arrived": "收到了（{x}）",
        "devloop_lost": "**沒有收到**（等了 {t:.0f} 秒）",
        "fig_devloop_build": "圖：Jekyll 完整建置時間（對數座標），斜線為原文數據",
        "fig_devloop_edit": "圖：從存檔到頁面更新的時間；虛線框：時限內沒有收到變更（至少這麼久）",
        "rec_devloop": "用 `jekyll --watch` 預覽的網站原始碼放在原生檔案系統：共享目錄上，另一側的修改不會觸發重建。",
    },
    "en": {
        "devloop_h": "4. The dev loop: Jekyll preview and git, by where the source lives",
        "devloop_what": "Jekyll building a {posts}-post site, then git status and git add",
        "devloop_watch": ", and `jekyll build --watch` ({modes})",
        "devloop_modes": {"events": "change events", "polling": "polling"},
        "devloop_unit": "full builds",
        "devloop_body": (
            "The published post adds the case that hurts every day: previewing the Jekyll blog in "
            "Docker with its source on the Windows drive took ~{post_build:.0f} s to build and "
            "~{post_change:.0f} s per change, because change events do not cross the share and the "
            "watcher falls back to polling; with the source inside WSL a rebuild on save took "
            "~{post_native:.0f} s."
        ),
        "devloop_here": (
            "On `{host}`, a site of {posts} posts: full build {build_native} native, {build_share} on "
            "the share. An edit from the other side (the directory behind the share) {events_other} "
            "as a change event; with polling, from save to the rebuilt page {polling_other}. git "
            "status after a cache drop: {git_native} native, {git_share} on the share."
        ),
        "devloop_arrived": "arrived ({x})",
        "devloop_lost": "**did not arrive** (within {t:.0f} s)",
        "fig_devloop_build": "Figure: Jekyll full build (log scale); hatched: the post",
        "fig_devloop_edit": "Figure: from save to the rebuilt page; dashed box: the change never arrived (at least that long)",
        "rec_devloop": "Keep a site you preview with `jekyll --watch` on the native filesystem: on the share, edits from the other side trigger no rebuild.",
    },
}


def _edit(t: dict, e: Any, man: dict, watch: str) -> str:
    """How an edit from the other side of the share fared: arrived (in how long), or not
    within the time it was waited for."""
    if watch not in man["parameters"].get("watch", ()):
        return t["not_at_size"]  # the profile left it out
    if ("share", watch) not in e.index:
        return t["not_measured"]
    row = e.loc[("share", watch)]
    if not row["delivered"]:
        return t["devloop_lost"].format(t=row["timeout_s"])
    return t["devloop_arrived"].format(x=num(t, row["rebuild_s"], "load"))


def section(t: dict, inputs: Any, base: str, lang: str) -> tuple[list[str], dict[str, float]]:
    pub = reference()["devloop_published"]
    lines = [f"# {t['devloop_h']}", ""]
    lines += [
        t["devloop_body"].format(
            post_build=pub["share_build_s"],
            post_change=pub["share_rebuild_s"],
            post_native=pub["native_rebuild_s"],
        ),
        "",
    ]
    table = inputs.tables.get("devloop")
    if table is None:
        return lines + [t["none"], ""], {}
    lost = False
    m = table[table["source"] == "measured"]
    builds = figures.build_summary(m)
    edits = figures.edit_summary(m)
    for host in m["host"].unique():
        b = builds[builds["host"] == host].set_index("role")["median"]
        e = edits[(edits["host"] == host) & (edits["side"] == "other")]
        e = e.set_index(["role", "watch"])
        run = next(
            d for d in inputs.run_dirs["devloop"] if load_manifest(d)["host"]["hostname"] == host
        )
        man = load_manifest(run)
        git = {k: (v.get("git") or {}).get("status_cold_s") for k, v in man["targets"].items()}
        native = label_of(man["targets"], "native") or "native"
        share = label_of(man["targets"], "share") or "share"

        lost = lost or not bool(e["delivered"].all())
        lines += [
            t["devloop_here"].format(
                host=host,
                posts=man["parameters"]["posts"],
                build_native=num(t, b.get("native"), "load"),
                build_share=num(t, b.get("share"), "load"),
                events_other=_edit(t, e, man, "events"),
                polling_other=_edit(t, e, man, "polling"),
                git_native=num(t, git.get(native), "s"),
                git_share=num(t, git.get(share), "s"),
            ),
            "",
        ]
    watched = any(load_manifest(d)["parameters"].get("watch") for d in inputs.run_dirs["devloop"])
    for c in figures.CHARTS:
        if watched or c is not figures.EDIT:  # no empty chart when no edit was watched
            lines += figure_lines(base, c.name, inputs, t[c.caption])
    return lines, {"advice": [t["rec_devloop"]] if lost else []}


def describe(t: dict, p: dict) -> tuple[str, str, int, int]:
    """The site's size, whether the watcher ran; full builds (the first is measured)."""
    what = t["devloop_what"].format(**p)
    if p.get("watch"):
        modes = t["list_sep"].join(t["devloop_modes"].get(m, m) for m in p["watch"])
        what += t["devloop_watch"].format(modes=modes)
    return what, t["devloop_unit"], p["reps"], 0
