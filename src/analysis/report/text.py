"""The post's words in Traditional Chinese (the blog's language) and English."""

from __future__ import annotations

LANGS = ("zh-TW", "en")

T = {
    "zh-TW": {
        "title": "檔案、Docker volume 與模型該放哪裡？在 {hosts} 上重測 WSL 文章的三個實驗",
        "intro": (
            "這篇是 [關於我轉升成為 Linux 用户的那件事](/2024/11/11/working-with-wsl/) 的重測版："
            "用 wsl-lab 在 {hosts} 上重跑文中的三個實驗（磁碟、Qdrant、LLM），"
            "每個數字都由量測資料自動產生，原文的數據放在旁邊對照。"
        ),
        "host_h": "測試環境",
        "host_cols": ["主機", "CPU", "記憶體", "核心", "發行版", "WSL"],
        "method_h": "方法",
        "method": (
            "{runs}；每次重複前有暖身（不計入），取中位數。工具版本：{tools}。"
            "冷啟動前先清掉 page cache（{cache}）。"
        ),
        "disk_h": "1. 磁碟：原生目錄 vs 跨 OS 共享",
        "disk_body": (
            "原文用 Bonnie++ 比較 WSL 的 `~/temp`（ext4）與 `/mnt/c/temp`（9P/drvfs）："
            "per-char 寫入 {post_putc_native:g}k/s vs {post_putc_share:g}k/s（慢 {post_putc_x:.0f} 倍），"
            "block 寫入慢 {post_block_x:.1f} 倍。"
        ),
        "disk_here": (
            "在 {host} 上（共享目錄為 {share_kind}），單位元組寫入{byte_x}"
            "（{byte_native} vs {byte_share}），建立檔案{create_x}，"
            "循序寫入{seq_x}。"
        ),
        "fig_disk": "圖: Bonnie++ 各項指標（對數座標），斜線為原文數據",
        "fig_slow": "圖: 共享目錄比原生目錄慢幾倍（原生 ÷ 共享）",
        "fig_lat": "圖: Bonnie++ 各項測試的最差延遲（對數座標，越低越好），斜線為原文數據",
        "uncapped": "注意：這次 Bonnie++ 沒有限制 page cache（{why}），數字包含記憶體快取的效果。",
        "fig_fio": "圖: fio 各項工作每秒操作數（對數座標）",
        "fig_ingest": "圖: 匯入速度與每批次寫入延遲",
        "fig_ttft": "圖: 首個 token 的等待時間",
        "fig_load": "圖: 依模型檔位置的冷載入時間",
        "qdrant_h": "2. Qdrant：{records:,} 筆資料的匯入與冷啟動",
        "qdrant_body": (
            "原文 Qdrant 的 storage 放在 `/mnt/c` 時重啟要 {post_share:.3f} 秒，"
            "搬到 WSL 原生目錄只要 {post_native:.3f} 秒（{post_x:.1f} 倍；正式版文章為 "
            "{pub_share:.3f} vs {pub_native:.3f} 秒）。"
        ),
        "qdrant_here": (
            "在 {host} 上，{records:,} 筆資料冷啟動：原生 {native}、共享 {share}"
            "（{x}）；匯入速度 {rate_native} vs {rate_share}。"
            "{cold_starts} 次冷啟動後的完整性檢查：{integrity}。"
        ),
        "integrity_ok": "全部正確",
        "integrity_bad": "**發現資料遺失**",
        "fig_cold": "圖: 各位置的冷啟動時間（對數座標），斜線為原文數據",
        "fig_timeline": "圖: 冷啟動時每個 collection 的載入時間軸",
        "llm_h": "3. LLM：每秒 token 數",
        "llm_body": "原文在 WSL 的 Docker 裡用 GPU 跑 Ollama（{model}），大約每秒 {tps:g}+ tokens。",
        "llm_here": (
            "在 {host} 上，{engine}（{device}，模型在 {target}）：生成速度 {tps}，"
            "首個 token {ttft}，冷載入 {load}，達到記憶體頻寬上限的比例 {frac}。"
        ),
        "fig_tps": "圖: 每秒生成 token 數（中位數與區間），斜線為原文",
        "fig_roof": "圖: Roofline：生成速度受記憶體頻寬限制",
        "rec_h": "建議",
        "rec_src_bad": (
            "原始碼、建置目錄與 Docker volume 放在原生檔案系統（WSL 的 ext4），"
            "共享目錄讓小量 I/O 慢了 {x:.1f} 倍；Windows 端用 `\\\\wsl$` 存取即可。"
        ),
        "rec_src_ok": "在這台機器上共享目錄的代價不大（小量寫入慢 {x:.1f} 倍），放哪裡都可以。",
        "rec_db_bad": (
            "資料庫（Qdrant）的 volume 不要放在共享目錄：冷啟動慢 {x:.1f} 倍。"
            "用 named volume 或原生目錄。"
        ),
        "rec_db_ok": "Qdrant 的 storage 放在共享目錄只慢 {x:.1f} 倍，影響有限。",
        "rec_model_bad": "模型檔放在原生目錄或 Docker volume：放在共享目錄時冷載入慢 {x:.1f} 倍。",
        "rec_model_ok": "模型放在哪裡對載入時間影響不大（{x:.1f} 倍）。",
        "rec_roof": (
            "生成速度已達記憶體頻寬上限的 {frac:.0f}%：要更快只能換頻寬更高的硬體（GPU）或更小的模型。"
        ),
        "rec_roof_low": (
            "生成速度只有記憶體頻寬上限的 {frac:.0f}%：瓶頸在運算（執行緒數、忙碌的 CPU），"
            "不在記憶體；GPU 或更多核心會有幫助。"
        ),
        "fid_h": "模擬共享有多像 WSL2 的 /mnt/c？",
        "fid_body": (
            "沒有 WSL 的機器上，共享目錄是模擬的：wsl-lab 自己的 FUSE 層依「共享模型」（`{models}`）"
            "為每個請求加上延遲、把 mmap 的讀取限制為一次一頁（4 KiB、不預讀），就像 9P。"
            "下表逐項比較原文在 WSL2 上量到的倍數與這次的倍數；「成立」表示方向相同且差距在 2 倍以內。"
            "標為校準輸入的項目，模型是依公開數據擬合出來的，不算獨立驗證。"
        ),
        "fid_cols": [
            "項目",
            "原文（WSL2 /mnt/c）",
            "這次",
            "量測方式",
            "共享模型",
            "校準輸入",
            "結論",
        ],
        "fid_holds": {
            "yes": "成立",
            "yes (direction)": "成立（僅方向）",
            "direction only": "方向一致，但差距超過 2 倍",
            "no": "**不成立**",
            "not measured": "未量測",
        },
        "fid_yes": "是",
        "fid_no": "否",
        "fid_not_measured": "未量測",
        "fid_bound": "（原生太快，Bonnie++ 只給下限）",
        "fid_workloads": {
            "Qdrant cold start": "Qdrant 冷啟動",
            "per-char (one-byte) writes": "逐字元（單一位元組）寫入",
            "block (sequential) writes": "區塊（循序）寫入",
            "file creation": "建立檔案",
            "published fio job (randrw 4k, 8 jobs, qd 64)": "正式版的 fio 測試（randrw 4k、8 jobs、qd 64）",
        },
        "run_line": "{exp}：profile `{profile}`，{reps}",
        "reps": {1: "1 次", "n": "{n} 次"},
        "slower": "慢 {x:.1f} 倍",
        "faster": "快 {x:.1f} 倍",
        "none": "（這次沒有這個實驗的完整量測）",
        "not_measured": "未量測",
        "failed_target": "{label}：未量測（{why}）",
        "units": {
            "s": "{v:.3f} 秒",
            "load": "{v:.2f} 秒",
            "ms": "{v:.0f} ms",
            "tps": "每秒 {v:.1f} tokens",
            "per_s": "每秒 {v:,.0f} 次",
            "rec_s": "每秒 {v:,.0f} 筆",
            "pct": "{v:.0f}%",
            "x": "{v:.1f} 倍",
        },
        "gen": "本文由 wsl-lab 依 `data/raw` 的量測自動產生（{runs}）。",
    },
    "en": {
        "title": "Where should files, Docker volumes and models live? The WSL post's experiments "
        "re-run on {hosts}",
        "intro": (
            "A re-run of [關於我轉升成為 Linux 用户的那件事](/2024/11/11/working-with-wsl/): "
            "wsl-lab measured its three experiments (disk, Qdrant, LLM) on {hosts}. Every number "
            "below comes from the measurements; the post's figures stand beside them."
        ),
        "host_h": "Machines",
        "host_cols": ["host", "CPU", "memory", "kernel", "distribution", "WSL"],
        "method_h": "Method",
        "method": (
            "{runs}; discarded warm-ups first, medians reported. Tools: {tools}. "
            "Caches dropped before every cold start ({cache})."
        ),
        "disk_h": "1. Disk: native directory vs a cross-OS share",
        "disk_body": (
            "The post ran Bonnie++ on WSL's `~/temp` (ext4) and `/mnt/c/temp` (9P/drvfs): "
            "per-char writes {post_putc_native:g}k/s vs {post_putc_share:g}k/s "
            "({post_putc_x:.0f}× slower), block writes {post_block_x:.1f}× slower."
        ),
        "disk_here": (
            "On {host} (share: {share_kind}), one-byte writes were {byte_x} on the share "
            "({byte_native} vs {byte_share}), file creation {create_x} "
            "and sequential writes {seq_x}."
        ),
        "fig_disk": "Figure: Bonnie++ per metric (log scale); hatched: the post",
        "fig_slow": "Figure: how many times slower the share is (native ÷ share)",
        "fig_lat": "Figure: Bonnie++ worst-case latency per test (log scale, lower is better); hatched: the post",
        "uncapped": "Note: Bonnie++ ran without a page-cache cap this time ({why}); its figures include the page cache.",
        "fig_fio": "Figure: fio operations per second by job (log scale)",
        "fig_ingest": "Figure: ingest throughput and per-batch upsert latency",
        "fig_ttft": "Figure: time to first token",
        "fig_load": "Figure: cold model load time by where the model file lives",
        "qdrant_h": "2. Qdrant: ingest and cold start of {records:,} records",
        "qdrant_body": (
            "In the post, Qdrant with its storage on `/mnt/c` restarted in {post_share:.3f} s, "
            "on WSL's own disk in {post_native:.3f} s ({post_x:.1f}×; the published version says "
            "{pub_share:.3f} vs {pub_native:.3f} s)."
        ),
        "qdrant_here": (
            "On {host}, {records:,} records: cold start {native} native, {share} on "
            "the share ({x}); ingest {rate_native} vs {rate_share}. "
            "Integrity after {cold_starts} cold starts: {integrity}."
        ),
        "integrity_ok": "all intact",
        "integrity_bad": "**DATA LOSS found**",
        "fig_cold": "Figure: cold start per placement (log scale); hatched: the post",
        "fig_timeline": "Figure: per-collection load timeline during a cold start",
        "llm_h": "3. LLM: tokens per second",
        "llm_body": "The post ran Ollama ({model}) in Docker with the GPU under WSL: about {tps:g}+ "
        "tokens/s.",
        "llm_here": (
            "On {host}, {engine} ({device}, model on {target}): generation {tps}, first token "
            "after {ttft}, cold load {load}, {frac} of the memory-bandwidth bound."
        ),
        "fig_tps": "Figure: generation tokens/s (median and interval); hatched: the post",
        "fig_roof": "Figure: roofline — generation is bound by memory bandwidth",
        "rec_h": "Recommendations",
        "rec_src_bad": (
            "Keep source trees, build directories and Docker volumes on the native filesystem "
            "(WSL's ext4): the share made small I/O {x:.1f}× slower. Reach them from Windows via "
            "`\\\\wsl$`."
        ),
        "rec_src_ok": "On this machine the share costs little (small writes {x:.1f}× slower).",
        "rec_db_bad": (
            "Never put a database volume (Qdrant) on the share: cold start was {x:.1f}× slower. "
            "Use a named volume or a native directory."
        ),
        "rec_db_ok": "Qdrant's storage on the share was only {x:.1f}× slower here.",
        "rec_model_bad": "Keep models in a native directory or a Docker volume: loading from the "
        "share was {x:.1f}× slower.",
        "rec_model_ok": "Where the model file lives barely changes load time here ({x:.1f}×).",
        "rec_roof": (
            "Generation reaches {frac:.0f}% of the memory-bandwidth bound: only more bandwidth "
            "(a GPU) or a smaller model makes it much faster."
        ),
        "rec_roof_low": (
            "Generation reaches only {frac:.0f}% of the memory-bandwidth bound: compute (threads, "
            "a busy CPU) limits it, not memory; a GPU or more cores would help."
        ),
        "fid_h": "How faithful is the simulated share to WSL2's /mnt/c?",
        "fid_body": (
            "Without WSL the share is simulated: wsl-lab's own FUSE layer follows a share model "
            "(`{models}`), adding a latency to every request and reading mmap'd files one 4 KiB "
            "page at a time with no readahead, as 9P does. The table sets the post's slowdown on "
            "WSL2 beside this run's; a finding holds when it points the same way and is within 2× "
            "of the post. A row marked as a calibration input was fitted to public figures, so it "
            "is not an independent check."
        ),
        "fid_cols": [
            "workload",
            "post (WSL2 /mnt/c)",
            "this run",
            "measured by",
            "share model",
            "calibration input",
            "finding",
        ],
        "fid_holds": {
            "yes": "holds",
            "yes (direction)": "holds (direction only)",
            "direction only": "same direction, beyond 2×",
            "no": "**does not hold**",
            "not measured": "not measured",
        },
        "fid_yes": "yes",
        "fid_no": "no",
        "fid_not_measured": "not measured",
        "fid_bound": " (native too fast for Bonnie++: a lower bound)",
        "fid_workloads": {},
        "run_line": "{exp}: profile `{profile}`, {reps}",
        "reps": {1: "1 repetition", "n": "{n} repetitions"},
        "slower": "{x:.1f}× slower",
        "faster": "{x:.1f}× faster",
        "none": "(no complete measurement of this experiment)",
        "not_measured": "not measured",
        "failed_target": "{label}: not measured ({why})",
        "units": {
            "s": "{v:.3f} s",
            "load": "{v:.2f} s",
            "ms": "{v:.0f} ms",
            "tps": "{v:.1f} tokens/s",
            "per_s": "{v:,.0f}/s",
            "rec_s": "{v:,.0f} records/s",
            "pct": "{v:.0f}%",
            "x": "{v:.1f}×",
        },
        "gen": "Generated by wsl-lab from the measurements in `data/raw` ({runs}).",
    },
}
