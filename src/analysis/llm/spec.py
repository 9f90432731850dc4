"""The llm experiment, declared once for the registry (the rest by its folder's shape)."""

from __future__ import annotations

from ..experiments import declare
from .cli import ollama_stats_cmd, run_llm_cmd
from .params import LlmParams

EXPERIMENT = declare(
    "llm",
    "30-llm.ipynb",
    LlmParams,
    run_llm_cmd,
    tools={"ollama-stats": ollama_stats_cmd},
)
