"""The Qdrant experiment's parameters, typed and checked (profile section [qdrant])."""

from __future__ import annotations

from dataclasses import dataclass

from ..cliopts import Opt

BACKENDS = ("edge", "docker", "url")
VOLUMES = ("bind", "named")
COLLECTIONS = (
    "b2e-knowledge",
    "erp-shop-production",
    "erp-shop-qa",
    "pq-points-testcase",
    "pq-test-cases",
    "pq-testcase-documents",
)


@dataclass(frozen=True)
class QdrantParams:
    backend: str = "edge"  # edge (in-process) | docker (qdrant image) | url (your server)
    targets: tuple = ()  # placements, as for disk; empty = native dir + its share
    records: int = 40_000  # records across all collections
    dim: int = 1536  # vector dimension (Kernel Memory with OpenAI embeddings)
    collections: tuple = COLLECTIONS
    batch_size: int = 256  # records per upsert
    text_chars: int = 1000  # characters of text chunk per record payload
    seed: int = 42  # dataset seed
    reps: int = 3  # cold starts per placement
    warmup: int = 1  # discarded cold starts before them
    sample: int = 50  # records per collection compared after each cold start
    hnsw: bool = False  # edge: build the HNSW index after ingest
    share_model: str = "wsl2-9p"  # how a fuse: target behaves
    url: str = ""  # backend url: http://host:6333
    image: str = "qdrant/qdrant:v1.12.4"  # backend docker: pinned image (the post's version)
    volume: str = "bind"  # backend docker: bind (target directory) | named (Docker volume)
    progress: bool = True  # progress bar while ingesting
    embed_model: str = ""  # e.g. "nomic-embed-text": real embeddings from Ollama
    embed_host: str = ""  # "" = $OLLAMA_HOST or http://127.0.0.1:11434
    profile: str = ""  # the profile these came from (set by the loader)

    def check(self) -> tuple[str, str] | None:
        if self.backend not in BACKENDS:
            return "backend", f"takes one of {', '.join(BACKENDS)}"
        if self.volume not in VOLUMES:
            return "volume", f"takes one of {', '.join(VOLUMES)}"
        for key in ("records", "dim", "batch_size", "reps", "text_chars"):
            if getattr(self, key) < 1:
                return key, "must be at least 1"
        for key in ("warmup", "sample"):
            if getattr(self, key) < 0:
                return key, "must not be negative"
        if not self.collections:
            return "collections", "must name at least one collection"
        if self.backend == "url" and not self.url:
            return "url", "is needed with backend url (e.g. --url http://host:6333)"
        return None


# `wsl-lab run qdrant`'s own options (see cliopts.run_command)
OPTIONS = {
    "backend": Opt(
        "edge: Qdrant's engine in-process (no server); docker: the qdrant image with its "
        "storage on each target; url: your own server (no restart). Default: profile's (edge).",
        choices=BACKENDS,
    ),
    "records": Opt("Records in all. Default: profile's (default 10000, standard/blog 40000)."),
    "dim": Opt("Vector dimension. Default: profile's."),
    "reps": Opt("Cold starts per placement."),
    "batch_size": Opt("Records per upsert."),
    "url": Opt("Server URL for --backend url."),
    "embed_model": Opt(
        "Ollama embedding model for real vectors (e.g. nomic-embed-text); the ingest then waits "
        "on embeddings, as the post's did. Default: seeded vectors."
    ),
    "embed_host": Opt(
        "Ollama URL for --embed-model. Default: $OLLAMA_HOST or http://127.0.0.1:11434."
    ),
    "volume": Opt("--backend docker: bind (storage in each target) or named (a Docker volume)."),
}
