"""The post's words in Traditional Chinese (the blog's language) and English."""

from __future__ import annotations

LANGS = ("zh-TW", "en")

T = {
    "zh-TW": {
        "title": "檔案、Docker volume 與模型該放哪裡？在 {hosts} 上重測 WSL 文章的{count}個實驗",
        "counts": {1: "一", 2: "兩", 3: "三", 4: "四", 5: "五"},
        "answer_lead": "**先講結論**，在 `{host}` 上量到的：",
        "answer_code": "**原始碼與建置目錄**放在原生檔案系統（WSL 裡的 `~`，不要放 `/mnt/c`）：放在共享目錄時，{costs}。",
        "answer_volumes": "**Docker volume（資料庫的 storage）**放在原生目錄或 named volume：放在共享目錄時，{costs}。",
        "answer_models": "**模型檔**放在原生目錄：放在共享目錄時，{costs}。",
        "answer_little": "{what}放哪裡差別不大：放在共享目錄時，{costs}。",
        "place_words": {"code": "原始碼", "volumes": "Docker volume", "models": "模型檔"},
        "headline_words": {
            "git_status": "git status",
            "full_build": "網站完整建置",
            "byte_writes": "逐位元組寫入",
            "file_creation": "建立檔案",
            "qdrant_cold_start": "Qdrant 冷啟動",
            "qdrant_ingest": "Qdrant 匯入",
            "model_load": "冷載入",
        },
        "cost_one": "{what}慢 {x} 倍（{n} 次）",
        "cost_range": "{what}慢 {lo}–{hi} 倍（{n} 次）",
        "fig_answer": "圖：放在共享目錄時慢幾倍（對數座標；黑線為各次重複的範圍），斜線為原文在 WSL2 上的倍數",
        "fig_note": "{what}；profile {profile}{share}",
        "note_simulated": "；模擬共享（模型 {model}）",
        "left_out": "（{what}：{why}）",
        "not_converged": "這個大小量不準，和標準大小差了超過 25%，不列數字（`make experiments PROFILE=standard` 會量）",
        "list_sep": "、",
        "item_sep": "；",
        "cjk": True,  # a space after a Latin word that runs into Chinese text
        "verdict_sep": "",
        "verdict_of": "（{what}的倍數來自模擬：{verdict}）",
        "verdict_holds": "與原文在 WSL2 上的 {post} 倍相符（差距在 2 倍以內）",
        "verdict_over": "是原文在 WSL2 上 {post} 倍的 {f:.1f} 倍；倍數也取決於兩台機器原生那側的速度",
        "verdict_under": "不到原文在 WSL2 上 {post} 倍的 1/{f:.1f}；倍數也取決於兩台機器原生那側的速度",
        "share_simulated": (
            "**模擬的**跨 OS 共享（這台機器沒有 WSL：wsl-lab 的 FUSE 層依共享模型 `{model}`，"
            "讓每個請求花上它在 WSL2 `/mnt/c` 上的時間）"
        ),
        "share_real": "真實的 Windows 磁碟（`{mount}`）",
        "run_was": "這次比較的是 `{host}` 上的原生目錄與{share}。{runs}。",
        "run_item": "{exp}：{what}，profile `{profile}`，每個位置 {reps} {unit}{warm}",
        "warm_none": "，沒有暖身",
        "warm_some": "（之前先暖身 {n} 次，不計入）",
        "exp_names": {"disk": "磁碟", "qdrant": "Qdrant", "llm": "LLM", "devloop": "開發迴圈"},
        "first_look": (
            "**注意：這是 `{profile}` profile 的結果，只供測試與初步檢視，它的大小會改變答案"
            "（例如 Qdrant 的倍數約是標準大小的兩倍）。要可信的答案請執行 `make experiments`。**"
        ),
        "intro": (
            "這篇是 [關於我轉升成為 Linux 用户的那件事](/2024/11/11/working-with-wsl/) 的重測版："
            "用 wsl-lab 在 `{hosts}` 上重跑文中的{count}個實驗（{names}），"
            "每個數字都由量測資料自動產生，原文的數據放在旁邊對照。"
        ),
        "host_h": "測試環境",
        "host_cols": ["主機", "CPU", "記憶體", "Linux 核心版本", "發行版", "WSL"],
        "cpu_cell": "{n} 核（{model}）",
        "place_simulated": "模擬共享（`{fs}`，模型 `{model}`）",
        "fid_by": "{by}（`{host}`）",
        "fid_cold_median": "冷啟動中位數",
        "place_cols": ["主機", "目標", "位置（依檔案系統）", "類別", "路徑", "實驗"],
        "place_classes": {
            "native": "原生",
            "cross-os share": "跨 OS 共享",
            "network share": "網路共享",
            "simulated share": "模擬共享",
            "unknown": "未知",
        },
        "method_h": "方法",
        "method": (
            "每個數字都是各次重複的中位數，旁邊標出次數 n；3 次以上才畫出範圍。"
            "工具版本：{tools}。冷啟動前先清掉 page cache（{cache}）。"
        ),
        "rec_h": "建議",
        "remedy": (
            "原文作者是這樣搬的：把 compose 目錄與 volume 搬進 WSL（`/opt/docker`），Windows 這邊建一個"
            "目錄連結指過去（`{link}`），檔案總管與 VS Code 照舊使用，只是慢的那一側換成了 Windows；"
            "另一條路是 VS Code 的遠端開發（Remote - WSL）：編輯器留在 Windows，git、建置與各種工具在 "
            "WSL 裡原生執行。記得備份：檔案實際存在 WSL 的 `ext4.vhdx` 虛擬磁碟裡。"
        ),
        "fid_h": "模擬共享有多像 WSL2 的 `/mnt/c`？",
        "fid_body": (
            "沒有 WSL 的機器上，共享目錄是模擬的：wsl-lab 自己的 FUSE 層依「共享模型」（`{models}`）"
            "讓每個請求花上模型所說、它在 WSL2 共享上的時間（服務時間），並把 mmap 的讀取限制為"
            "一次一頁（4 KiB、不預讀），就像 9P。"
            "下表逐項比較原文在 WSL2 上量到的倍數與這次的倍數；「成立」表示方向相同且差距在 2 倍以內。"
            "標為校準輸入的項目，模型是依公開數據擬合出來的，不算獨立驗證。"
        ),
        "fid_cols": [
            "項目",
            "原文（WSL2 `/mnt/c`）",
            "模擬共享",
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
            "not at size": "這個 profile 沒有量準（`make experiments PROFILE=standard`）",
        },
        "fid_real_col": "這台機器的真實共享",
        "fid_here_col": "模擬在這台機器上成立？",
        "fid_live": (
            "這次也量了這台機器真正的 Windows 磁碟（{real}），與模擬共享在同一次執行中並列："
            "「真實共享」一欄是它相對原生的倍數，最後一欄說明模擬是否與之方向相同且差距在 2 倍以內。"
        ),
        "fid_not_held": "在這台機器上，{exp} 的 {n:,} 個{kind}請求中，有 {pct:.0f}% 比模型給的時間慢了一成以上。",
        "fid_not_held_why": (
            "沒有守住，是指模擬層本身的處理，或這台機器上每個請求在模擬層之外的往返成本，"
            "讓它們比模型給的時間晚了一成以上，這部分的結果比模型所代表的共享更慢。"
            "程式在兩個請求之間不到 1 毫秒的運算，模擬層也會算進這個成本，"
            "所以這是上限：那樣的請求其實守住了。"
        ),
        "fid_kinds": {"meta": "中繼資料", "read": "讀取", "write": "寫入"},
        "fid_yes": "是",
        "fid_no": "否",
        "fid_not_measured": "未量測",
        "fid_bound": "（原生太快，Bonnie++ 只給下限）",
        "fid_workloads": {
            "Qdrant cold start": "Qdrant 冷啟動",
            "per-char (one-byte) writes": "逐字元（單一位元組）寫入",
            "block (sequential) writes": "區塊（循序）寫入",
            "file creation": "建立檔案",
            "published fio job (randrw 4k, 8 jobs, qd 64), reads": "正式版的 fio 測試（randrw 4k、8 jobs、qd 64），讀取",
            "published fio job (randrw 4k, 8 jobs, qd 64), writes": "正式版的 fio 測試（randrw 4k、8 jobs、qd 64），寫入",
        },
        "run_line": "{exp}：profile `{profile}`，{reps}",
        "reps": {1: "1 次", "n": "{n} 次"},
        "slower": "慢 {x:.1f} 倍",
        "slower_at_least": "至少慢 {x:.1f} 倍",
        "faster": "快 {x:.1f} 倍",
        "none": "（這次沒有這個實驗的完整量測）",
        "not_measured": "未量測",
        "not_at_size": "這個 profile 沒有量測（`make experiments PROFILE=standard` 會量）",
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
        "title": "Where should files, Docker volumes and models live? The WSL post's {count} "
        "experiments re-run on {hosts}",
        "counts": {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"},
        "answer_lead": "**The answer first**, as measured on `{host}`:",
        "answer_code": "**Source trees and build directories** belong on the native file system (`~` inside WSL, not `/mnt/c`): on the share, {costs}.",
        "answer_volumes": "**Docker volumes (a database's storage)** belong in a native directory or a named volume: on the share, {costs}.",
        "answer_models": "**Model files** belong in a native directory: on the share, {costs}.",
        "answer_little": "Where {what} live matters little here: on the share, {costs}.",
        "place_words": {
            "code": "source trees",
            "volumes": "Docker volumes",
            "models": "model files",
        },
        "headline_words": {
            "git_status": "git status",
            "full_build": "a full site build",
            "byte_writes": "one-byte writes",
            "file_creation": "file creation",
            "qdrant_cold_start": "a Qdrant cold start",
            "qdrant_ingest": "Qdrant ingest",
            "model_load": "a cold load",
        },
        "cost_one": "{what} was {x}× slower ({n} run(s))",
        "cost_range": "{what} was {lo}–{hi}× slower ({n} runs)",
        "fig_answer": "Figure: how many times slower on the share (log scale; black line: the range over repetitions); hatched: the post's on WSL2",
        "fig_note": "{what}; profile {profile}{share}",
        "note_simulated": "; simulated share (model {model})",
        "left_out": "({what}: {why})",
        "not_converged": "no number: at this size it is more than 25% from the standard size's (`make experiments PROFILE=standard` measures it)",
        "list_sep": ", ",
        "item_sep": "; ",
        "cjk": False,
        "verdict_sep": " ",
        "verdict_of": "({what}: a simulated figure; it {verdict})",
        "verdict_holds": "agrees with the post's {post}× on WSL2, within 2×",
        "verdict_over": "is {f:.1f}× the post's {post}× on WSL2; a ratio also depends on each machine's native side",
        "verdict_under": "is 1/{f:.1f} of the post's {post}× on WSL2; a ratio also depends on each machine's native side",
        "share_simulated": (
            "a **simulated** cross-OS share (no WSL here: wsl-lab's FUSE layer gives each request "
            "the time share model `{model}` says it takes on WSL2's `/mnt/c`)"
        ),
        "share_real": "the real Windows drive (`{mount}`)",
        "run_was": "This run compared a native directory on `{host}` with {share}. {runs}.",
        "run_item": "{exp}: {what}, profile `{profile}`, {reps} {unit} per place{warm}",
        "warm_none": ", no warm-up",
        "warm_some": " (after {n} discarded warm-up(s))",
        "exp_names": {"disk": "disk", "qdrant": "Qdrant", "llm": "LLM", "devloop": "dev loop"},
        "first_look": (
            "**Note: these are `{profile}` profile results, for tests and a first look only: "
            "its sizes change the answer (Qdrant's ratio about twice the standard size's). For "
            "an answer to trust, run `make experiments`.**"
        ),
        "intro": (
            "A re-run of [關於我轉升成為 Linux 用户的那件事](/2024/11/11/working-with-wsl/): "
            "wsl-lab measured its {count} experiments ({names}) on `{hosts}`. Every number "
            "below comes from the measurements; the post's figures stand beside them."
        ),
        "host_h": "Machines",
        "host_cols": ["host", "CPU", "memory", "kernel", "distribution", "WSL"],
        "cpu_cell": "{n} cores ({model})",
        "place_simulated": "simulated share (`{fs}`, model `{model}`)",
        "fid_by": "{by} on `{host}`",
        "fid_cold_median": "cold start, median",
        "place_cols": ["host", "target", "place (by file system)", "class", "path", "experiments"],
        "place_classes": {},
        "method_h": "Method",
        "method": (
            "Every figure is the median of its repetitions, with their number n beside it; "
            "ranges are drawn from 3 on. Tools: {tools}. Caches dropped before every cold "
            "start ({cache})."
        ),
        "rec_h": "Recommendations",
        "remedy": (
            "How the post's author moved: the compose folder and its volumes into WSL "
            "(`/opt/docker`), and on Windows a directory link to them (`{link}`), so Explorer and "
            "VS Code work as before, with the slow side now Windows'; or VS Code's remote "
            "development (Remote - WSL): the editor on Windows, git, builds and tools running "
            "natively inside WSL. Back up: the files live in WSL's `ext4.vhdx` virtual disk."
        ),
        "fid_h": "How faithful is the simulated share to WSL2's /mnt/c?",
        "fid_body": (
            "Without WSL the share is simulated: wsl-lab's own FUSE layer follows a share model "
            "(`{models}`), answering every request in the time the model says it takes on WSL2's "
            "share (a service time) and reading mmap'd files one 4 KiB page at a time with no "
            "readahead, as 9P does. The table sets the post's slowdown on "
            "WSL2 beside this run's; a finding holds when it points the same way and is within 2× "
            "of the post. A row marked as a calibration input rests on the public figures the "
            "model's times were taken from, so it is not an independent check."
        ),
        "fid_cols": [
            "workload",
            "post (WSL2 /mnt/c)",
            "simulated share",
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
            "not at size": "not measured at this size (`make experiments PROFILE=standard`)",
        },
        "fid_real_col": "this machine, real share",
        "fid_here_col": "simulation holds here",
        "fid_live": (
            "This run also measured this machine's real Windows drive ({real}) beside the "
            "simulated share, in the same run: the real column is its slowdown against native, "
            "and the last column says whether the simulation points the same way and is within "
            "2× of it."
        ),
        "fid_not_held": (
            "The model was not held for {pct:.0f}% of {kind} requests on this machine ({exp}, "
            "of {n:,})."
        ),
        "fid_not_held_why": (
            "Not held: our layer's own cost, or what a request costs beyond it on this machine, "
            "answered them over 10% later than the model's time, so those results are slower "
            "than the share the model stands for. The layer counts a program's own work between "
            "two requests, when under 1 ms, as that cost too, so these are upper bounds: such "
            "requests were held."
        ),
        "fid_kinds": {"meta": "metadata", "read": "read", "write": "write"},
        "fid_yes": "yes",
        "fid_no": "no",
        "fid_not_measured": "not measured",
        "fid_bound": " (native too fast for Bonnie++: a lower bound)",
        "fid_workloads": {},
        "run_line": "{exp}: profile `{profile}`, {reps}",
        "reps": {1: "1 repetition", "n": "{n} repetitions"},
        "slower": "{x:.1f}× slower",
        "slower_at_least": "at least {x:.1f}× slower",
        "faster": "{x:.1f}× faster",
        "none": "(no complete measurement of this experiment)",
        "not_measured": "not measured",
        "not_at_size": "not measured at this size (`make experiments PROFILE=standard` measures it)",
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
