"""Deterministic records shaped like Microsoft Kernel Memory's Qdrant points."""

from __future__ import annotations

import functools
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

_WORD_ARRAY = np.array(WORDS)


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

    @functools.lru_cache(maxsize=8)  # noqa: B019  (frozen, hashable, few collections)
    def _basis(self, c: int) -> np.ndarray:
        """A collection's BLOCK random unit directions, made (and normalized) once."""
        rng = np.random.default_rng([self.seed, c])
        basis = rng.random((BLOCK, self.dim), dtype=np.float32) * 2 - 1
        return basis / np.linalg.norm(basis, axis=1, keepdims=True)

    def _vectors(self, c: int, block: int, n: int) -> np.ndarray:
        """A block's unit vectors: the basis rolled by the block number, every dimension's sign
        flipped by the block's own seed (flipping signs keeps a unit vector one). Any two
        records differ (other blocks flip about half the signs), and making them costs a copy,
        not a random draw per number: the ingest benchmark times the data generation too."""
        signs = np.random.default_rng([self.seed, c, block]).integers(0, 2, self.dim)
        signs = signs.astype(np.float32) * 2 - 1
        return np.roll(self._basis(c), block % BLOCK, axis=0)[:n] * signs

    def point_id(self, c: int, i: int) -> str:
        """str(uuid.UUID(int=..., version=4)), formatted directly (uuid.UUID costs 10 µs)."""
        n = (self.seed << 96) | (c << 64) | i
        n = (n & ~(0xC000 << 48)) | (0x8000 << 48)  # RFC 4122 variant
        n = (n & ~(0xF000 << 64)) | (4 << 76)  # version 4
        h = f"{n:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    @functools.lru_cache(maxsize=8)  # noqa: B019
    def _corpus(self, c: int) -> str:
        """A collection's random words, long enough for a block of distinct chunks."""
        rng = np.random.default_rng([self.seed, c, 7])
        count = (BLOCK + 1) * (self.text_chars // 4 + 1)
        return " ".join(_WORD_ARRAY[rng.integers(len(WORDS), size=count)].tolist())

    def _texts(self, c: int, block: int, n: int) -> list[str]:
        """A block's text chunks: slices of the corpus at the block's own random offsets."""
        corpus = self._corpus(c)
        rng = np.random.default_rng([self.seed, c, block, 7])
        starts = rng.integers(0, len(corpus) - self.text_chars, n).tolist()
        return [corpus[k : k + self.text_chars] for k in starts]

    def payload(self, collection: str, c: int, i: int, text: str) -> dict:
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
                "text": text,
                "vector_provider": "wsl-lab",
                "vector_generator": f"seeded-rolled-basis-{self.seed}",
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
            vecs = self._vectors(c, start // BLOCK, count).tolist()
            texts = self._texts(c, start // BLOCK, count)
            for k in range(count):
                i = start + k
                payload = self.payload(collection, c, i, texts[k])
                batch.append(Record(payload["id"], vecs[k], payload))
                if len(batch) == batch_size:
                    yield batch
                    batch = []
        if batch:
            yield batch

    def record(self, collection: str, i: int) -> Record:
        """Regenerate one record exactly as ingested (for integrity checks)."""
        c = self.collections.index(collection)
        block = i // BLOCK
        count = min(BLOCK, self.sizes()[collection] - block * BLOCK)
        vec = self._vectors(c, block, count)[i % BLOCK].tolist()
        text = self._texts(c, block, count)[i % BLOCK]
        return Record(self.point_id(c, i), vec, self.payload(collection, c, i, text))

    def sample_indices(self, collection: str, k: int) -> list[int]:
        n = self.sizes()[collection]
        rng = np.random.default_rng([self.seed, 99, self.collections.index(collection)])
        return sorted(rng.choice(n, size=min(k, n), replace=False).tolist()) if n else []
