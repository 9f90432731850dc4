"""Services absent, refusing, silent or dying mid-run: one line each, partial results kept."""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from analysis.errors import PreconditionError
from analysis.qdrant.backends import ClientBackend

from ..conftest import run_cli


def test_qdrant_url_that_never_answers_times_out_in_one_line(tmp_path):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections, never says a word
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        t = time.monotonic()
        with pytest.raises(PreconditionError, match=f"Qdrant at {url} not reachable"):
            ClientBackend(url, timeout=2).check()
        assert time.monotonic() - t < 30
    finally:
        silent.close()


class _DyingOllama(BaseHTTPRequestHandler):
    """An Ollama look-alike on loopback that answers two generations, then goes away.

    No Ollama server can run here; this stands in for one at the HTTP level so that the
    real `ollama` client, our engine and the run registry meet a server dying mid-run.
    """

    served = 0

    def _send(self, code: int, body: bytes, ctype: str = "application/json") -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        if self.path == "/api/version":
            self._send(200, b'{"version":"0.4.1"}')
        elif self.path == "/api/tags":
            self._send(
                200,
                json.dumps(
                    {
                        "models": [
                            {
                                "model": "tiny:latest",
                                "name": "tiny:latest",
                                "size": 1000,
                                "digest": "x",
                                "modified_at": "2024-11-11T00:00:00Z",
                            }
                        ]
                    }
                ).encode(),
            )
        else:
            self._send(404, b'{"error":"not found"}')

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("Content-Length", 0))
        req = json.loads(self.rfile.read(length) or b"{}")
        if self.path == "/api/show":
            self._send(
                200,
                json.dumps(
                    {
                        "modelfile": "",
                        "parameters": "",
                        "template": "",
                        "model_info": {},
                        "modified_at": "2024-11-11T00:00:00Z",
                        "details": {"quantization_level": "Q4_K_M", "parameter_size": "1B"},
                    }
                ).encode(),
            )
            return
        if self.path != "/api/generate":
            self._send(404, b'{"error":"not found"}')
            return
        if not req.get("prompt"):  # load / unload requests
            self._send(
                200,
                json.dumps(
                    {"model": "tiny", "response": "", "done": True, "load_duration": 1_000_000}
                ).encode(),
            )
            return
        type(self).served += 1
        if type(self).served > 2:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)  # the server dies mid-run
            return
        lines = [
            {"model": "tiny", "response": "hi", "done": False},
            {
                "model": "tiny",
                "response": "",
                "done": True,
                "eval_count": 4,
                "eval_duration": 200_000_000,
                "prompt_eval_count": 3,
                "prompt_eval_duration": 30_000_000,
                "load_duration": 0,
                "total_duration": 240_000_000,
            },
        ]
        self._send(
            200, "".join(json.dumps(x) + "\n" for x in lines).encode(), "application/x-ndjson"
        )

    def log_message(self, *args):
        pass


def test_ollama_dying_mid_run_keeps_and_marks_partial_results(tmp_path, cache_home):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _DyingOllama)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        root = tmp_path / "raw"
        done = run_cli(
            "run",
            "llm",
            "--engine",
            "ollama",
            "--model",
            "tiny",
            "--host",
            f"http://127.0.0.1:{server.server_port}",
            "--reps",
            "2",
            "--root",
            str(root),
            env={"WSL_LAB_CACHE": str(cache_home)},
        )
    finally:
        server.shutdown()
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "server: failed" in done.stdout + done.stderr
    (run_dir,) = (root / "llm").iterdir()
    m = json.loads((run_dir / "manifest.json").read_text())
    assert m["status"] == "failed" and m["targets"]["server"]["status"] == "failed"
    assert "Ollama" in m["targets"]["server"]["error"]
    kept = (run_dir / "server" / "responses-cpu-w1.jsonl").read_text().splitlines()
    assert len(kept) == 2  # what came before the server died is kept
    assert json.loads(kept[0])["response"]["eval_count"] == 4
