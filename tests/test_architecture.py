"""The architecture, checked: the layers and no cycles (import-linter's contracts in
pyproject.toml), imports at the top of modules, no folder holding most of the code, and a
`wsl-lab` that starts without the heavy libraries only some commands need."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "analysis"
MAX_INNER = 15  # imports written inside a function, each saying why (`# lazy: …`)
MAX_SHARE = 0.15  # of src/analysis's lines, in one folder


def inner_imports(root: Path) -> list[tuple[str, int, bool]]:
    """Every import inside a function body: file, line, and whether it says why."""
    found = []
    for f in sorted(root.rglob("*.py")):
        lines = f.read_text().splitlines()
        for fn in ast.walk(ast.parse(f.read_text())):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    near = lines[node.lineno - 1] + lines[node.lineno - 2]
                    found.append((str(f.relative_to(root)), node.lineno, "# lazy:" in near))
    return found


def test_import_linter_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is not installed: uv sync --locked"
    done = subprocess.run([lint], cwd=SRC.parents[1], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]


def test_imports_inside_functions_are_few_and_say_why():
    found = inner_imports(SRC)
    unexplained = [f"{f}:{n}" for f, n, why in found if not why]
    assert not unexplained, f"imports inside functions without '# lazy: why': {unexplained}"
    assert len(found) <= MAX_INNER, f"{len(found)} imports inside functions: {found}"


def test_no_folder_holds_most_of_the_code():
    def lines(files: list[Path]) -> int:
        return sum(len(f.read_text().splitlines()) for f in files)

    total = lines(list(SRC.rglob("*.py")))
    for folder in (p for p in SRC.iterdir() if p.is_dir() and p.name != "__pycache__"):
        share = lines(list(folder.rglob("*.py"))) / total
        assert share <= MAX_SHARE, f"{folder.name}/ holds {share:.0%} of src/analysis's lines"


def test_the_command_starts_without_the_heavy_libraries():
    """`wsl-lab --help` and every command's parsing: no pandas, matplotlib or papermill."""
    code = (
        "import sys, analysis.cli\n"
        "heavy = sorted(m for m in ('pandas', 'matplotlib', 'papermill', 'seaborn', "
        "'qdrant_client', 'playwright') if m in sys.modules)\n"
        "print(','.join(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"imported at start-up: {done.stdout.strip()}"
