"""One interface over three Qdrant engines: embedded edge, a Docker container, a server by URL."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Protocol

import qdrant_edge
from qdrant_client import QdrantClient, models

from ..errors import PreconditionError
from .dataset import Record

IMAGE = "qdrant/qdrant:v1.12.4"  # the version in the post's startup banner
STORAGE_IN_CONTAINER = "/qdrant/storage"


class Backend(Protocol):
    name: str

    def open(self, collections: list[str], dim: int, create: bool) -> None: ...
    def upsert(self, collection: str, records: list[Record]) -> None: ...
    def flush(self) -> None: ...
    def close(self) -> None: ...
    def count(self, collection: str) -> int: ...
    def retrieve(self, collection: str, ids: list[str]) -> dict[str, tuple[list[float], dict]]: ...
    def nearest(self, collection: str, vector: list[float], limit: int = 1) -> list[str]: ...


class EdgeBackend:
    """qdrant-edge: Qdrant's Rust storage engine in-process, one shard per collection."""

    name = "edge"

    def __init__(self, storage: Path, hnsw: bool = False) -> None:
        self.q = qdrant_edge
        self.storage = storage
        self.hnsw = hnsw
        self.shards: dict[str, Any] = {}

    def config(self, dim: int) -> Any:
        q = self.q
        return q.EdgeConfig(vectors=q.EdgeVectorParams(size=dim, distance=q.Distance.Cosine))

    def open(self, collections: list[str], dim: int, create: bool) -> None:
        for name in collections:
            self.open_one(name, dim, create)

    def open_one(self, name: str, dim: int, create: bool) -> None:
        path = str(self.storage / name)
        shard = (
            self.q.EdgeShard.create(path, self.config(dim))
            if create
            else self.q.EdgeShard.load(path)
        )
        self.shards[name] = shard

    def upsert(self, collection: str, records: list[Record]) -> None:
        q = self.q
        points = [q.Point(r.id, r.vector, r.payload) for r in records]
        self.shards[collection].update(q.UpdateOperation.upsert_points(points))

    def flush(self) -> None:
        for shard in self.shards.values():
            shard.flush()
            if self.hnsw:
                shard.optimize()

    def close(self) -> None:
        for shard in self.shards.values():
            shard.close()
        self.shards.clear()

    def count(self, collection: str) -> int:
        return self.shards[collection].count(self.q.CountRequest(exact=True))

    def retrieve(self, collection: str, ids: list[str]) -> dict[str, tuple[list[float], dict]]:
        recs = self.shards[collection].retrieve(ids, with_payload=True, with_vector=True)
        return {str(r.id): (_dense(r.vector), r.payload or {}) for r in recs}

    def nearest(self, collection: str, vector: list[float], limit: int = 1) -> list[str]:
        q = self.q
        hits = self.shards[collection].query(
            q.QueryRequest(limit=limit, query=q.Query.Nearest(vector))
        )
        return [str(h.id) for h in hits]


def _dense(vector: Any) -> list[float]:
    if isinstance(vector, dict):  # named vectors: the default one is ""
        vector = vector.get("", next(iter(vector.values()), []))
    return list(vector or [])


class ClientBackend:
    """A Qdrant server through qdrant-client: a URL of the user's, or our container."""

    name = "url"

    def __init__(self, url: str, api_key: str | None = None, timeout: float = 30) -> None:
        self.url = url
        self.client = QdrantClient(url=url, api_key=api_key, timeout=int(timeout))
        self.prefix = ""

    def check(self) -> str:
        """Version of the server, or one clear line when it cannot be reached."""
        try:
            info = self.client.info()
        except Exception as exc:  # qdrant-client raises transport-specific errors
            raise PreconditionError(
                f"Qdrant at {self.url} not reachable ({type(exc).__name__}: {str(exc)[:80]}): "
                "start it, check the URL, or use --backend edge"
            ) from None
        return getattr(info, "version", "unknown")

    def open(self, collections: list[str], dim: int, create: bool) -> None:
        self.names = {c: f"{self.prefix}{c}" for c in collections}
        if create:
            for c in collections:
                if self.client.collection_exists(self.names[c]):
                    self.client.delete_collection(self.names[c])
                self.client.create_collection(
                    self.names[c],
                    vectors_config=models.VectorParams(size=dim, distance=models.Distance.COSINE),
                )

    def upsert(self, collection: str, records: list[Record]) -> None:
        points = [models.PointStruct(id=r.id, vector=r.vector, payload=r.payload) for r in records]
        self.client.upsert(self.names[collection], points=points, wait=True)

    def flush(self) -> None:
        """Server upserts with wait=True are durable in the WAL already."""

    def close(self) -> None:
        self.client.close()

    def count(self, collection: str) -> int:
        return self.client.count(self.names[collection], exact=True).count

    def retrieve(self, collection: str, ids: list[str]) -> dict[str, tuple[list[float], dict]]:
        recs = self.client.retrieve(
            self.names[collection], ids=ids, with_payload=True, with_vectors=True
        )
        return {str(r.id): (_dense(r.vector), r.payload or {}) for r in recs}

    def nearest(self, collection: str, vector: list[float], limit: int = 1) -> list[str]:
        res = self.client.query_points(self.names[collection], query=vector, limit=limit)
        return [str(p.id) for p in res.points]

    def drop(self) -> None:
        for name in getattr(self, "names", {}).values():
            self.client.delete_collection(name)


def wait_ready(url: str, timeout: float, interval: float = 0.005) -> tuple[float, int]:
    """Poll `<url>/readyz` every `interval` s; seconds until ready and the number of polls."""
    started = time.perf_counter()
    polls = 0
    while True:
        polls += 1
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=1) as resp:
                if resp.status == 200:
                    return time.perf_counter() - started, polls
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        if time.perf_counter() - started > timeout:
            raise PreconditionError(f"Qdrant at {url} not ready after {timeout:.0f} s")
        time.sleep(interval)
