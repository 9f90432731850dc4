"""Compose files: every service's bind mounts and named volumes, as Compose would resolve them.

The Compose CLI resolves a file best (profiles, extends, every interpolation rule), so it is
asked first: `docker compose config --format json`, then `docker-compose config`. Without
either, PyYAML reads the file and we resolve what matters for placement: the short and long
`volumes:` syntax, paths relative to the file's folder and `~`, `${VAR}`, `${VAR:-default}`,
`${VAR-default}`, `$VAR` and `$$`, with variables from the environment, then from `.env`
beside the file. Each item says which of the three read it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import ParseError

CLI_TIMEOUT_S = 30
_VAR = re.compile(r"\$(?:\$|\{(?P<braced>[^}]*)\}|(?P<plain>[A-Za-z_][A-Za-z0-9_]*))")
_EXPR = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>.*))?$", re.S)
_DRIVE_SHORT = re.compile(r"^[A-Za-z]:[\\/]")


@dataclass(frozen=True)
class ComposeMount:
    """One service's mount: a bind mount's source path, or a named volume's engine name."""

    file: str
    project: str
    service: str
    type: str  # bind | volume | tmpfs
    source: str  # a path (bind), the volume's name as the engine knows it, or ""
    target: str
    read_by: str  # docker compose | docker-compose | PyYAML
    volume_options: dict[str, str] | None = None  # a named volume's driver_opts
    volume_key: str | None = None  # a named volume's key under the file's `volumes:`
    image: str = ""  # the service's image, for the risks that go by it


def dotenv(folder: Path) -> dict[str, str]:
    """`.env` beside the compose file: KEY=VALUE lines, quotes stripped, comments skipped."""
    path = folder / ".env"
    if not path.is_file():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        out[key.strip()] = value
    return out


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's variable substitution, for the forms placement needs."""

    def one(m: re.Match) -> str:
        if m.group(0) == "$$":
            return "$"
        if m["plain"]:
            return env.get(m["plain"], "")
        expr = _EXPR.match(m["braced"])
        if not expr:
            raise ParseError("compose", None, f"${{{m['braced']}}} is not a variable")
        name, op, arg = expr["name"], expr["op"] or "", expr["arg"] or ""
        value = env.get(name)
        unset = value is None or (op.startswith(":") and value == "")
        if op.endswith("?") and unset:
            raise ParseError("compose", None, f"${{{name}}} must be set: {arg or 'required'}")
        if op.endswith("-") and unset:
            return arg
        return value or ""

    return _VAR.sub(one, text)


def project_name(doc: dict[str, Any], folder: Path, env: dict[str, str]) -> str:
    name = doc.get("name") or env.get("COMPOSE_PROJECT_NAME") or folder.name
    return re.sub(r"[^a-z0-9_-]", "", str(name).lower())


def _short(spec: str) -> tuple[str, str]:
    """`SRC:DST[:MODE]` or `DST`: (source, target); a Windows drive's colon is not a separator."""
    head = ""
    if _DRIVE_SHORT.match(spec):
        head, spec = spec[:2], spec[2:]
    parts = spec.split(":")
    if len(parts) == 1:
        return "", head + parts[0]
    return head + parts[0], parts[1]


def _is_path(source: str) -> bool:
    return source.startswith((".", "/", "~")) or bool(_DRIVE_SHORT.match(source))


def _bind_path(source: str, folder: Path) -> str:
    if _DRIVE_SHORT.match(source):
        return source
    return os.path.normpath(folder / os.path.expanduser(source))


def _mounts_of(doc: dict[str, Any], file: Path, env: dict[str, str], read_by: str) -> list:
    folder = file.parent.resolve()
    project = project_name(doc, folder, env)
    declared = doc.get("volumes") or {}
    out = []
    for service, spec in (doc.get("services") or {}).items():
        for v in (spec or {}).get("volumes") or []:
            if isinstance(v, str):
                source, target = _short(v)
                kind = "bind" if _is_path(source) else "volume"
            elif isinstance(v, dict):
                source, target = str(v.get("source") or ""), str(v.get("target") or "")
                kind = v.get("type") or ("bind" if _is_path(source) else "volume")
            else:
                raise ParseError(str(file), None, f"service {service}: a volume {v!r} is neither")
            options, key = None, None
            if kind == "bind":
                source = _bind_path(source, folder)
            elif kind == "volume" and source:
                vol = declared.get(source) or {}
                external = vol.get("external")
                name = vol.get("name") or (source if external else f"{project}_{source}")
                options = {k: str(x) for k, x in (vol.get("driver_opts") or {}).items()}
                source, key = name, source
            image = str((spec or {}).get("image") or "")
            out.append(
                ComposeMount(
                    str(file), project, service, kind, source, target, read_by, options, key, image
                )
            )
    return out


def _by_cli(file: Path) -> tuple[dict[str, Any], str] | None:
    """The file as the Compose CLI resolves it, or None when no CLI reads it here."""
    tries = []
    if shutil.which("docker"):
        tries.append((["docker", "compose", "-f", str(file), "config", "--format", "json"], json))
    if shutil.which("docker-compose"):
        tries.append((["docker-compose", "-f", str(file), "config"], yaml))
    for cmd, fmt in tries:
        try:
            done = subprocess.run(
                cmd,
                capture_output=True,
                text=True,
                timeout=CLI_TIMEOUT_S,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0 and done.stdout.strip():
            doc = json.loads(done.stdout) if fmt is json else yaml.safe_load(done.stdout)
            return doc, " ".join(cmd[:2]) if cmd[0] == "docker" else cmd[0]
    return None


def read_compose(file: Path, use_cli: bool = True) -> list[ComposeMount]:
    """Every mount the compose file declares, resolved as Compose would."""
    if not file.is_file():
        raise ParseError(str(file), None, "no such compose file")
    folder = file.parent.resolve()
    env = {**dotenv(folder), **os.environ}
    resolved = _by_cli(file) if use_cli else None
    if resolved is not None:
        doc, read_by = resolved
        return _mounts_of(doc, file, env, read_by)
    text = interpolate(file.read_text(encoding="utf-8", errors="replace"), env)
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise ParseError(str(file), line, f"not YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("services"), dict):
        raise ParseError(str(file), None, "not a compose file: no `services:` mapping")
    return _mounts_of(doc, file, env, "PyYAML")
