"""The LLM experiment's parameters, typed and checked (profile section [llm])."""

from __future__ import annotations

from dataclasses import dataclass

from ..cliopts import Opt

ENGINES = ("llamacpp", "ollama", "docker")
DEVICES = ("cpu", "gpu")
VOLUMES = ("bind", "named")
# the fixed prompt set every repetition sends (`prompts` takes the first N)
PROMPTS = (
    "Explain in two sentences why a database stored on a network share starts slowly.",
    "Where should Docker volumes live when you develop inside WSL2, and why?",
    "List three ways to make file-heavy builds faster in a virtual machine.",
    "What does time to first token measure, and what does tokens per second measure?",
    "Summarize the trade-off between a bind mount and a named volume in Docker.",
)


@dataclass(frozen=True)
class LlmParams:
    engine: str = "llamacpp"  # llamacpp (in-process) | ollama (your server) | docker (image)
    model: str = "smollm2-135m"  # llamacpp: bundled name or .gguf; ollama/docker: a model name
    targets: tuple = ()  # model placements; empty = native dir + its share
    host: str = ""  # ollama: server URL; "" = $OLLAMA_HOST or http://127.0.0.1:11434
    devices: tuple = ("cpu",)  # ollama/docker: ("gpu", "cpu") compares them
    prompts: int = 2  # how many of the fixed prompts
    max_tokens: int = 16  # tokens generated per request
    reps: int = 2  # cold loads per placement and device
    warmup: int = 1  # discarded loads before them (as every experiment's `warmup`: repetitions)
    warmup_requests: int = 1  # discarded requests after each load, before the prompt set
    seed: int = 42
    threads: int = 0  # llamacpp threads; 0 = all cores
    n_ctx: int = 1024  # llamacpp context length
    gpu_bandwidth_gbs: float = 288.0  # stated GPU memory bandwidth for the roofline
    bandwidth_mib: int = 256  # buffer size of the CPU bandwidth measurement
    share_model: str = "wsl2-9p"  # how a fuse: target behaves
    image: str = "ollama/ollama:0.4.1"  # docker: pinned image
    volume: str = "bind"  # docker: bind (models dir in each target) | named (a Docker volume)
    profile: str = ""  # the profile these came from (set by the loader)

    def check(self) -> tuple[str, str] | None:
        if self.engine not in ENGINES:
            return "engine", f"takes one of {', '.join(ENGINES)}"
        if not 1 <= self.prompts <= len(PROMPTS):
            return "prompts", f"must be 1..{len(PROMPTS)} (the fixed prompts)"
        for key in ("reps", "max_tokens", "n_ctx", "bandwidth_mib"):
            if getattr(self, key) < 1:
                return key, "must be at least 1"
        for key in ("warmup", "warmup_requests", "threads"):
            if getattr(self, key) < 0:
                return key, "must not be negative"
        if not self.devices or not set(self.devices) <= set(DEVICES):
            return "devices", "takes cpu and/or gpu"
        if self.volume not in VOLUMES:
            return "volume", f"takes one of {', '.join(VOLUMES)}"
        if self.gpu_bandwidth_gbs <= 0:
            return "gpu_bandwidth_gbs", "must be more than 0"
        return None


# `wsl-lab run llm`'s own options (see cliopts.run_command)
OPTIONS = {
    "engine": Opt(
        "llamacpp: llama.cpp in-process with a GGUF (no server); ollama: your Ollama server; "
        "docker: the ollama image with every GPU. Default: profile's (llamacpp).",
        choices=ENGINES,
    ),
    "model": Opt(
        "llamacpp: 'smollm2-135m' (bundled) or a .gguf path; ollama/docker: a model name such "
        "as llama3.2. Default: profile's (smollm2-135m)."
    ),
    "host": Opt("Ollama URL. Default: $OLLAMA_HOST, else http://127.0.0.1:11434."),
    "devices": Opt(
        "cpu and/or gpu (repeatable; ollama/docker). Default: profile's.", flag="--device"
    ),
    "reps": Opt("Cold loads per placement and device."),
    "max_tokens": Opt("Tokens generated per request."),
}
