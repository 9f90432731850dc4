"""The LLM experiment's part of the post: its words (zh-TW, en) and its section."""

from __future__ import annotations

from typing import Any

from ..report.post import failed_lines, figure_lines, num
from . import figures
from .process import rooflines
from .summary import post_facts

TEXT = {
    "zh-TW": {
        "fig_ttft": "圖：首個 token 的等待時間",
        "llm_engines": {
            "llamacpp": "llama.cpp",
            "ollama": "Ollama",
            "docker": "Docker 裡的 Ollama",
        },
        "llm_what": (
            "{engine} 跑 {model}（{devices}），每次載入後 {prompts} 個 prompt、"
            "各生成 {max_tokens} 個 token（先丟掉 {warmup} 個請求）"
        ),
        "llm_unit": "次冷載入",
        "fig_load": "圖：依模型檔位置的冷載入時間",
        "llm_h": "3. LLM：每秒 token 數",
        "llm_body": "原文在 WSL 的 Docker 裡用 GPU 跑 Ollama（{model}），大約每秒 {tps:g}+ tokens。",
        "llm_here": (
            "在 `{host}` 上，{engine} 跑 {model}（{device}，模型檔在 `{target}`）：生成速度{tps}，"
            "第一個 token 要等 {ttft}，冷載入 {load}，是記憶體頻寬上限的 {frac}。"
        ),
        "llm_apart": (
            "這些速度不能和原文比：原文是 {post_model}（{post_gb:.1f} GB）在 {gpu} 上，"
            "這裡是 {model}（{gb:.2f} GB）在 {device} 上，模型差了 {x:.0f} 倍、硬體也不同。"
            "和原文能比的只有模型檔放在哪裡：它決定冷載入的時間。"
        ),
        "fig_tps": "圖：每秒生成 token 數（中位數與區間），斜線為原文",
        "fig_roof": "圖：Roofline：生成速度與記憶體頻寬上限（虛線）的距離",
        "rec_model_bad": "模型檔放在原生目錄或 Docker volume：放在共享目錄時冷載入慢 {x:.1f} 倍。",
        "rec_model_ok": "模型放在哪裡對載入時間影響不大（{x:.1f} 倍）。",
        "rec_roof": (
            "生成速度是記憶體頻寬上限的 {frac:.0f}%（上限＝這台機器量到的 {bw:.0f} GB/s ÷ 每個 token "
            "要讀的 {gb:.2f} GB 權重）：模型檔放在哪裡只影響載入，不影響生成；生成要更快，"
            "得換頻寬更高的硬體（GPU）或更小的模型。"
        ),
    },
    "en": {
        "fig_ttft": "Figure: time to first token",
        "llm_engines": {
            "llamacpp": "llama.cpp",
            "ollama": "Ollama",
            "docker": "Ollama in Docker",
        },
        "llm_what": (
            "{engine} running {model} ({devices}), after each load {prompts} prompts of "
            "{max_tokens} generated tokens (the first {warmup} request(s) discarded)"
        ),
        "llm_unit": "cold loads",
        "fig_load": "Figure: cold model load time by where the model file lives",
        "llm_h": "3. LLM: tokens per second",
        "llm_body": "The post ran Ollama ({model}) in Docker with the GPU under WSL: about {tps:g}+ "
        "tokens/s.",
        "llm_here": (
            "On `{host}`, {engine} running {model} ({device}, model file on `{target}`): generation {tps}, first "
            "token after {ttft}, cold load {load}, {frac} of the memory-bandwidth bound."
        ),
        "llm_apart": (
            "These speeds do not compare with the post's: it ran {post_model} ({post_gb:.1f} GB) "
            "on an {gpu}, this is {model} ({gb:.2f} GB) on the {device}: a model {x:.0f}× smaller "
            "on other hardware. What does compare is where the model file lives: it sets the "
            "cold load time."
        ),
        "fig_tps": "Figure: generation tokens/s (median and interval); hatched: the post",
        "fig_roof": "Figure: roofline — generation speed against the memory-bandwidth bound (dashed)",
        "rec_model_bad": "Keep models in a native directory or a Docker volume: loading from the "
        "share was {x:.1f}× slower.",
        "rec_model_ok": "Where the model file lives barely changes load time here ({x:.1f}×).",
        "rec_roof": (
            "Generation reaches {frac:.0f}% of the memory-bandwidth bound (this machine's "
            "measured {bw:.0f} GB/s ÷ the {gb:.2f} GB of weights read per token): where the model "
            "file lives changes its load, not generation; faster generation needs more bandwidth "
            "(a GPU) or a smaller model."
        ),
    },
}


def section(t: dict, inputs: Any, base: str, lang: str) -> tuple[list[str], dict[str, Any]]:
    roof = inputs.rooflines
    if roof.empty:
        roof = rooflines(inputs.run_dirs["llm"])
    f = post_facts(inputs.tables["llm"], roof)
    lines = [f"# {t['llm_h']}", ""]
    lines += [
        t["llm_body"].format(model=f["post"]["model"], tps=f["post"]["eval_tokens_per_s"]),
        "",
    ]
    load_x = frac = 0.0
    for host, rows in f["hosts"].items():
        lines += failed_lines(t, inputs.run_dirs["llm"], host)
        for r in rows:
            lines.append(
                "- "
                + t["llm_here"].format(
                    host=host,
                    engine=t["llm_engines"].get(r["engine"], r["engine"]),
                    model=MODEL_NAMES.get(r["model"], r["model"]),
                    device=r["device"].upper(),
                    target=r["target"],
                    tps=num(t, r["eval_tokens_per_s"], "tps"),
                    ttft=num(t, r["ttft_s"], "ms", 1e3),
                    load=num(t, r["load_s"], "load"),
                    frac=num(t, r["roofline_fraction"], "pct", 100),
                )
            )
            frac = max(frac, r["roofline_fraction"] or frac)
        table = inputs.tables["llm"]
        here = table[table["host"] == host]
        role = dict(zip(here["target"], here["role"], strict=True))
        loads = {role.get(r["target"]): r["load_s"] for r in rows if r["load_s"]}
        if loads.get("share") and loads.get("native"):
            load_x = max(load_x, loads["share"] / loads["native"])
    lines.append("")
    lines += _apart(t, f["post"], roof)
    for c in figures.CHARTS:
        lines += figure_lines(base, c.name, inputs, t[c.caption])
    advice = []
    if load_x:  # a model's cold load by where its file lives
        key = "rec_model_bad" if load_x >= 1.2 else "rec_model_ok"
        advice.append(t[key].format(x=load_x))
    if frac:  # how close generation came to the memory-bandwidth bound
        r = roof.iloc[0]
        advice.append(
            t["rec_roof"].format(
                frac=frac * 100, bw=r["bandwidth_bps"] / 1e9, gb=r["weights_bytes"] / 1e9
            )
        )
    return lines, {"advice": advice}


MODEL_NAMES = {"smollm2-135m": "SmolLM2-135M"}


def _apart(t: dict, post: dict, roof: Any) -> list[str]:
    """Why this machine's tokens/s are not the post's: model and hardware, by their sizes."""
    if roof.empty or not roof["weights_bytes"].notna().any():
        return []
    r = roof.iloc[0]
    line = t["llm_apart"].format(
        post_model=post["model"],
        post_gb=post["model_bytes"] / 1e9,
        gpu=post["gpu"],
        model=MODEL_NAMES.get(r["model"], r["model"]),
        gb=r["weights_bytes"] / 1e9,
        device=str(r["device"]).upper(),
        x=post["model_bytes"] / r["weights_bytes"],
    )
    return [line, ""]


def describe(t: dict, p: dict) -> tuple[str, str, int, int]:
    """Engine, model, device, requests per load; cold loads, after the warm-up loads (runs
    from before `warmup_requests` had one warm-up load, and `warmup` counted requests)."""
    old = "warmup_requests" not in p
    what = t["llm_what"].format(
        engine=t["llm_engines"].get(p["engine"], p["engine"]),
        model=MODEL_NAMES.get(p["model"], p["model"]),
        devices="/".join(p["devices"]).upper(),
        prompts=p["prompts"],
        max_tokens=p["max_tokens"],
        warmup=p["warmup"] if old else p["warmup_requests"],
    )
    return what, t["llm_unit"], p["reps"], 1 if old else p["warmup"]
