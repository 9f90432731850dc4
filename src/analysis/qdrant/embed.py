"""Real embeddings from an Ollama server (`/api/embed`), to show the embedding-bound ingest."""

from __future__ import annotations

import os

import ollama

from ..errors import PreconditionError
from ..ollamahost import ollama_call
from .dataset import Record


class OllamaEmbedder:
    """Texts to vectors with the official client; failures are one line."""

    def __init__(self, host: str, model: str) -> None:
        self.host, self.model = host, model
        self.client = ollama.Client(host=host, timeout=300)

    def embed(self, texts: list[str]) -> list[list[float]]:
        hint = "start it, or leave embed_model empty to use seeded vectors"
        res = ollama_call(
            self.host, self.model, hint, self.client.embed, model=self.model, input=texts
        )
        vectors = [list(map(float, v)) for v in res.embeddings]
        if len(vectors) != len(texts):
            raise PreconditionError(
                f"Ollama at {self.host} returned {len(vectors)} embeddings for {len(texts)} texts"
            )
        return vectors

    def dim(self) -> int:
        return len(self.embed(["dimension probe"])[0])

    def apply(self, records: list[Record]) -> list[Record]:
        """The same records with the server's embedding of their text chunk as vector."""
        vectors = self.embed([r.payload["payload"]["text"] for r in records])
        return [Record(r.id, v, r.payload) for r, v in zip(records, vectors, strict=True)]


def embedder_from(model: str, host: str) -> OllamaEmbedder | None:
    """Ollama's embeddings of `model` ("" = none: seeded vectors); host "" = $OLLAMA_HOST."""
    if not model:
        return None

    return OllamaEmbedder(host or os.environ.get("OLLAMA_HOST") or "http://127.0.0.1:11434", model)
