"""Real qdrant-edge runs at small size: native and FUSE share, fresh-process cold start."""

import json
import os

import pytest

from analysis.qdrant.backends import EdgeBackend
from analysis.qdrant.coldstart import cold_start
from analysis.qdrant.dataset import Dataset
from analysis.qdrant.ingest import dataset_batches, ingest
from analysis.share.mount import fuse_available

from ..conftest import run_cli

pytestmark = [pytest.mark.integration]


@pytest.mark.skipif(fuse_available() is not None, reason=f"{fuse_available()}")
def test_smoke_run_native_and_share(tmp_path, cache_home):
    root = tmp_path / "raw"
    done = run_cli(
        "run",
        "qdrant",
        "--profile",
        "smoke",
        "--records",
        "2000",
        "--root",
        str(root),
        env={"WSL_LAB_CACHE": str(cache_home)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "integrity OK" in done.stdout
    (run_dir,) = (root / "qdrant").iterdir()
    m = json.loads((run_dir / "manifest.json").read_text())
    assert m["status"] == "complete"
    assert m["tools"]["qdrant-edge-py"] == "0.9.0"
    for label in ("native", "share"):
        t = m["targets"][label]
        assert t["status"] == "complete" and t["integrity_ok"] is True
        assert t["ingest"]["records"] == 2000 and t["ingest"]["records_per_s"] > 0
        assert t["footprint"]["files"] > 0 and t["footprint"]["dirs"] >= 6
        cs = json.loads((run_dir / label / "coldstart-r1.json").read_text())
        assert cs["pid"] != os.getpid()
        assert [c["name"] for c in cs["collections"]] == m["parameters"]["collections"]
        assert cs["first_query_hit"] is True and cs["ready_s"] > 0
        for start in t["cold_starts"]:  # cold is measured, not assumed: on both sides
            assert start["cache_drop"] in ("drop_caches", "fadvise")
            assert start["resident_pct"] is not None and start["cold"] is True
            if label == "share":
                assert start["backing_resident_pct"] is not None
    share = m["targets"]["share"]
    assert share["fstype"] == "fuse.wsl-lab" and share["share_model"] == "wsl2-9p"
    assert "max_read=4096" in share["share_mount_options"]
    # the post's finding at small size: the share's cold start is clearly slower
    ready = {k: m["targets"][k]["cold_starts"][-1]["ready_s"] for k in ("native", "share")}
    assert ready["share"] > 2 * ready["native"], ready
    assert not list((cache_home / "targets" / "native").iterdir())  # scratch removed


def test_lost_points_are_reported_as_data_loss(tmp_path):
    ds = Dataset(records=300, dim=16, text_chars=40, collections=("a", "b"))
    storage = tmp_path / "storage"
    backend = EdgeBackend(storage)
    backend.open(list(ds.collections), ds.dim, create=True)
    ingest(backend, dataset_batches(ds, 50), ds.records, progress=False)
    gone = [ds.record("b", i).id for i in ds.sample_indices("b", 20)[:3]]
    import qdrant_edge as q

    backend.shards["b"].update(q.UpdateOperation.delete_points(gone))
    backend.close()
    result = cold_start(storage, ds, 20, tmp_path / "cs.json")
    assert result["integrity"]["ok"] is False
    b = result["integrity"]["collections"]["b"]
    assert b["count"] == ds.sizes()["b"] - 3 and b["missing"] == 3
    assert result["integrity"]["collections"]["a"]["ok"] is True


class _EmbedServer:
    """Answers Ollama's /api/embed on loopback with a deterministic vector per text.

    No Ollama can run here; this stands in at the HTTP level so that the real client, the
    ingest and the integrity check meet real embeddings' path (dimension from the model)."""

    def __enter__(self):
        import hashlib
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        import numpy as np

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                req = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                texts = req["input"] if isinstance(req["input"], list) else [req["input"]]
                vecs = []
                for t in texts:
                    seed = int.from_bytes(hashlib.sha256(t.encode()).digest()[:8], "little")
                    vecs.append(np.random.default_rng(seed).standard_normal(32).tolist())
                body = json.dumps({"model": req["model"], "embeddings": vecs}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_port}"

    def __exit__(self, *exc):
        self.server.shutdown()


def test_real_embeddings_path(tmp_path, cache_home):
    root = tmp_path / "raw"
    native = tmp_path / "native"
    native.mkdir()
    with _EmbedServer() as url:
        done = run_cli(
            "run",
            "qdrant",
            "--records",
            "300",
            "--embed-model",
            "tiny-embed",
            "--embed-host",
            url,
            "--target",
            f"native={native}",
            "--root",
            str(root),
            env={"WSL_LAB_CACHE": str(cache_home)},
        )
    assert done.returncode == 0, done.stdout + done.stderr
    (run_dir,) = (root / "qdrant").iterdir()
    m = json.loads((run_dir / "manifest.json").read_text())
    assert m["parameters"]["dim"] == 32 and m["parameters"]["embed_model"] == "tiny-embed"
    assert m["targets"]["native"]["integrity_ok"] is True
