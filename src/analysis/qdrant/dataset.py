"""Deterministic records shaped like Microsoft Kernel Memory's Qdrant points."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

# The six collections of the post's logs, weighted by their load time on /mnt/c there
# (erp-shop-qa took 32 s of the 67.6 s), so record counts follow the post's shape.
POST_COLLECTIONS = {
    "b2e-knowledge": 5.96,
    "erp-shop-production": 11.54,
    "erp-shop-qa": 32.20,
    "pq-points-testcase": 5.41,
    "pq-test-cases": 5.92,
    "pq-testcase-documents": 5.16,
}
BLOCK = 256  # records are generated in blocks of this size: any record can be regenerated
WORDS = tuple(
    "order customer invoice product shipment refund warehouse stock price discount "
    "payment account policy contract release test case step expected result failure "
    "retry module service endpoint query index vector memory kernel partition chunk "
    "document summary question answer source tag owner review".split()
)


@dataclass(frozen=True)
class Record:
    id: str
    vector: list[float]
    payload: dict


@dataclass(frozen=True)
class Dataset:
    records: int = 40_000
    dim: int = 1536
    collections: tuple[str, ...] = tuple(POST_COLLECTIONS)
    seed: int = 42
    text_chars: int = 1000
    records_per_document: int = 8

    def sizes(self) -> dict[str, int]:
        """Records per collection: the post's weights, summing exactly to `records`."""
        w = np.array([POST_COLLECTIONS.get(c, 1.0) for c in self.collections], dtype=float)
        raw = w / w.sum() * self.records
        sizes = np.floor(raw).astype(int)
        for i in np.argsort(raw - sizes)[::-1][: self.records - sizes.sum()]:
            sizes[i] += 1
        return dict(zip(self.collections, sizes.tolist(), strict=True))

    def _vectors(self, c: int, block: int, n: int) -> np.ndarray:
        rng = np.random.default_rng([self.seed, c, block])
        v = rng.standard_normal((n, self.dim), dtype=np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    def point_id(self, c: int, i: int) -> str:
        return str(uuid.UUID(int=(self.seed << 96) | (c << 64) | i, version=4))

    def _text(self, c: int, i: int) -> str:
        rng = np.random.default_rng([self.seed, c, i, 7])
        words = rng.choice(len(WORDS), size=self.text_chars // 6 + 1)
        return " ".join(WORDS[k] for k in words)[: self.text_chars]

    def payload(self, collection: str, c: int, i: int) -> dict:
        doc = i // self.records_per_document
        part = i % self.records_per_document
        return {
            "id": self.point_id(c, i),
            "tags": [
                f"__document_id:{collection}-doc-{doc:05d}",
                f"__file_id:file-{doc:05d}",
                f"__file_part:{part}",
                f"__part_n:{part}",
                "__sect_n:0",
                "__file_type:text/markdown",
                f"collection:{collection}",
            ],
            "payload": {
                "file": f"doc-{doc:05d}.md",
                "text": self._text(c, i),
                "vector_provider": "wsl-lab",
                "vector_generator": f"seeded-normal-{self.seed}",
                "last_update": "2024-11-11T15:15:41Z",
            },
            "document_id": f"{collection}-doc-{doc:05d}",
            "partition": part,
        }

    def batches(self, collection: str, batch_size: int) -> Iterator[list[Record]]:
        """The collection's records in order, in batches of batch_size."""
        c = self.collections.index(collection)
        n = self.sizes()[collection]
        batch: list[Record] = []
        for start in range(0, n, BLOCK):
            count = min(BLOCK, n - start)
            vecs = self._vectors(c, start // BLOCK, count)
            for k in range(count):
                i = start + k
                batch.append(
                    Record(self.point_id(c, i), vecs[k].tolist(), self.payload(collection, c, i))
                )
                if len(batch) == batch_size:
                    yield batch
                    batch = []
        if batch:
            yield batch

    def record(self, collection: str, i: int) -> Record:
        """Regenerate one record exactly as ingested (for integrity checks)."""
        c = self.collections.index(collection)
        vec = self._vectors(
            c, i // BLOCK, min(BLOCK, self.sizes()[collection] - i // BLOCK * BLOCK)
        )
        return Record(self.point_id(c, i), vec[i % BLOCK].tolist(), self.payload(collection, c, i))

    def sample_indices(self, collection: str, k: int) -> list[int]:
        n = self.sizes()[collection]
        rng = np.random.default_rng([self.seed, 99, self.collections.index(collection)])
        return sorted(rng.choice(n, size=min(k, n), replace=False).tolist()) if n else []
