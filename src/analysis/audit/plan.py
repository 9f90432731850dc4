"""`wsl-lab audit --plan`: for each item the audit finds on a share, the steps that move it to
a native place, as commands to paste, or (`--script`) one POSIX `sh` script that stops at the
first failing step.

Each move stops what uses the item, copies it (`cp -a --sparse=always`: owners, modes,
timestamps and symlinks kept, runs of zeros written as holes), verifies every file's checksum
and every entry's type, mode, owner, time and link target against the original, switches (a
compose file rewritten with a backup beside it, and shown as a unified diff; a volume made
anew on the copy; the line for the shell's rc file) and starts again. Nothing is deleted: the
lines that remove the originals come last, commented out. A move the script completes is
written to a ledger (`moved.tsv` in wsl-lab's cache), so the next audit shows the original as
kept, not as misplaced.

What a plan cannot rewrite (a container made by `docker run`, whose command it never saw) it
says, as a comment, instead of guessing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import os
import shlex
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Any

import yaml

from .. import paths
from ..errors import ParameterError
from ..hostinfo import hostname
from ..places.classify import SHARES
from ..places.record import Place
from ..report.facts import reference
from ..targets.target import existing_parent, mib
from .compose import dotenv, interpolate

DEFAULT_TO = "~"  # the home directory: WSL's own ext4 on WSL, as the post moved to
MODELS_ENV = {"Ollama models": "OLLAMA_MODELS", "Hugging Face cache": "HF_HOME"}
SUFFIX = "-native"  # a volume made anew on the copy: the original volume is kept
BACKUP = ".before-wsl-lab-move"

HELPERS = r"""say() { printf 'wsl-lab plan: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }
room() {  # room DIR KIB: stop before any step when DIR's file system lacks KIB free
  d=$1; while [ ! -e "$d" ]; do d=$(dirname "$d"); done
  free=$(df -Pk "$d" | awk 'NR == 2 { print $4 }')
  [ -n "$free" ] || fail "cannot read the free room of $1"
  [ "$free" -ge "$2" ] || fail "$1 has $free KiB free, the copies need $2 KiB: nothing was done"
}
copy() {  # copy SRC DEST: owners, modes, timestamps and symlinks kept, zero runs as holes
  [ ! -e "$2" ] && [ ! -L "$2" ] || fail "$2 exists already: not copying $1 over it"
  mkdir -p "$(dirname "$2")"
  cp -a --sparse=always -- "$1" "$2"
}
listed() {  # listed DIR OUT: each file's sha256, then each entry's type, mode, owner, time, link
  ( cd "$1" && find . -type f -exec sha256sum -- {} + ) > "$2.sums" || return 1
  ( cd "$1" && find . -printf '%y %m %U:%G %T@ %p -> %l\n' ) > "$2.entries" || return 1
  LC_ALL=C sort -k 2 "$2.sums" > "$2" && LC_ALL=C sort "$2.entries" >> "$2"
}
verify() {  # verify SRC DEST: every file's checksum, every entry's metadata, or stop
  [ -e "$2" ] && [ ! -L "$2" ] || fail "$2: no copy there"
  if [ -d "$1" ]; then
    a=$(mktemp) && b=$(mktemp) || fail "cannot make a temporary file"
    listed "$1" "$a" || fail "could not read every file under $1"
    listed "$2" "$b" || fail "could not read every file under $2"
    cmp -s "$a" "$b" || fail "checksums or metadata differ: $1 and $2 (see $a and $b)"
    say "$2: $(wc -l < "$a.sums") files, checksums and metadata match $1"
    rm -f "$a" "$a.sums" "$a.entries" "$b" "$b.sums" "$b.entries"
  else
    cmp -s -- "$1" "$2" || fail "contents differ: $1 and $2"
    [ "$(stat -c '%f %u:%g %Y' -- "$1")" = "$(stat -c '%f %u:%g %Y' -- "$2")" ] ||
      fail "mode, owner or time differ: $1 and $2"
  fi
}"""


@dataclass
class Copy:
    """One path on a share and where its copy goes."""

    source: str
    dest: str
    label: str
    need_bytes: int


@dataclass
class Move:
    """The steps for one thing that moves as a whole (a compose project, a container, ...)."""

    title: str
    items: list[dict[str, Any]]
    copies: list[Copy] = field(default_factory=list)
    stop: list[str] = field(default_factory=list)
    switch: list[str] = field(default_factory=list)  # shell lines run by the script
    shown: list[str] = field(default_factory=list)  # what the printed plan says of the switch
    shown_only: bool = False  # `shown` stands for `switch` in print (a diff for a heredoc)
    switched: bool = False  # the script itself points the user's setup at the copy
    start: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    windows: list[str] = field(default_factory=list)  # Windows-side lines (cmd), not run
    remove: list[str] = field(default_factory=list)  # removing the originals, not run


@dataclass
class Plan:
    to: Path
    moves: list[Move]
    skipped: list[str]
    free_bytes: int
    ledger: Path

    @property
    def need_bytes(self) -> int:
        return sum(c.need_bytes for m in self.moves for c in m.copies)


def ledger_path() -> Path:
    return paths.cache_home() / "moved.tsv"


def read_ledger(path: Path | None = None) -> dict[str, str]:
    """Moves a plan's script completed: original path -> where its copy lives."""
    path = path or ledger_path()
    if not path.is_file():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0]:
            out[parts[0]] = parts[1]
    return out


def size_on_disk(path: str) -> int:
    """Bytes a copy needs: each file's allocated size (a sparse file's holes are free), or
    its length where the share reports no blocks; 4 KiB for each directory and link."""
    total = 0

    def one(p: str) -> int:
        st = os.lstat(p)
        if not os.path.isfile(p) or os.path.islink(p):
            return 4096
        allocated = st.st_blocks * 512
        return allocated if 0 < allocated < st.st_size else -(-st.st_size // 4096) * 4096

    if not os.path.isdir(path) or os.path.islink(path):
        return one(path)
    for root, dirs, files in os.walk(path):
        total += one(root)
        total += sum(one(os.path.join(root, f)) for f in files)
        total += sum(4096 for d in dirs if os.path.islink(os.path.join(root, d)))
    return total


def check_destination(to: Path) -> tuple[Path, int]:
    """The destination as an absolute path, and its free bytes; one on a share is refused."""
    to = Path(os.path.expanduser(str(to))).absolute()
    where = Place.of(existing_parent(to))
    if where.place.cls in SHARES:
        raise ParameterError(
            f"--to {to}: on a {where.place.cls} ({where.place.kind}), not a native place: choose "
            f"a folder on the distro's own disk, e.g. {DEFAULT_TO}"
        )
    return to, where.free_bytes or 0


def _slug(text: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_." else "-" for c in text).strip("-.")
    return keep or "moved"


class _Names:
    """Destination paths, each used once."""

    def __init__(self, to: Path) -> None:
        self.to, self.used = to, set()

    def __call__(self, *parts: str) -> str:
        base = str(self.to.joinpath(*[_slug(p) for p in parts]))
        name, n = base, 2
        while name in self.used or os.path.lexists(name):
            name, n = f"{base}-{n}", n + 1
        self.used.add(name)
        return name


def _copy(item: dict[str, Any], source: str, dest: str) -> Copy:
    return Copy(source, dest, item["item"], size_on_disk(source))


def _q(text: str) -> str:
    return shlex.quote(text)


def _compose_cli(read_by: str) -> str:
    if read_by in ("docker compose", "docker-compose"):
        return read_by
    return "docker-compose" if shutil.which("docker-compose") else "docker compose"


# ---- the compose file's change ------------------------------------------------------------


def _scalar_spans(doc: yaml.Node, keys: tuple[str, ...]) -> Iterator[tuple[yaml.Node, ...]]:
    """(key node, value node) pairs of a mapping path, e.g. ("services",) -> each service."""
    if not isinstance(doc, yaml.MappingNode):
        return
    node = doc
    for key in keys:
        found = next((v for k, v in node.value if k.value == key), None)
        if not isinstance(found, yaml.MappingNode):
            return
        node = found
    yield from node.value


def _child(node: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next(((k, v) for k, v in node.value if k.value == key), None)


def compose_rewrite(
    file: Path, binds: dict[str, str], volumes: dict[str, tuple[str, str]]
) -> tuple[str, str, set[str], list[str]]:
    """The compose file's text, its text with the moves made, the binds and volume keys that
    were rewritten, and why the others were not.

    binds: the bind source as Compose resolves it -> new path; volumes: the volume's key in
    the file -> (new device, new engine name). Only the scalars that change are rewritten, in
    place, so the file keeps its comments, layout and line ends."""
    with file.open(encoding="utf-8", newline="") as fh:
        text = fh.read()
    env = {**dotenv(file.parent.resolve()), **os.environ}
    doc = yaml.compose(text)
    edits: dict[tuple[int, int], str] = {}
    done: set[str] = set()
    unmade: list[str] = []

    def edit(node: yaml.Node, value: str, what: str, why_not: str) -> bool:
        span = (node.start_mark.index, node.end_mark.index)
        if text[span[0] : span[0] + 1] in ("&", "!", "*") or span in edits:
            unmade.append(f"{why_not}: an anchor, tag or alias; change it by hand")
            return False
        edits[span] = json.dumps(value)
        if what:
            done.add(what)
        return True

    for _svc, spec in _scalar_spans(doc, ("services",)):
        found = _child(spec, "volumes")
        if not found or not isinstance(found[1], yaml.SequenceNode):
            continue
        for entry in found[1].value:
            scalar = entry
            if isinstance(entry, yaml.MappingNode):
                src = _child(entry, "source")
                if not src:
                    continue
                scalar = src[1]
            raw = interpolate(scalar.value, env)
            head, sep, tail = (raw, "", "")
            if isinstance(entry, yaml.ScalarNode):
                head, sep, tail = raw.partition(":")
                if len(head) == 1 and tail[:1] in ("\\", "/"):  # C:\... short syntax
                    more, sep, tail = tail.partition(":")
                    head = head + ":" + more
            if not head.startswith((".", "/", "~")):
                continue
            resolved = os.path.normpath(file.parent.resolve() / os.path.expanduser(head))
            if resolved in binds:
                if "$" in scalar.value:
                    unmade.append(f"{scalar.value}: a variable; set it to {binds[resolved]}")
                    continue
                new = binds[resolved] + (sep + tail if sep else "")
                edit(scalar, new, resolved, scalar.value)
    for key, spec in _scalar_spans(doc, ("volumes",)):
        if key.value not in volumes or not isinstance(spec, yaml.MappingNode):
            continue
        device, name = volumes[key.value]
        opts = _child(spec, "driver_opts")
        dev = _child(opts[1], "device") if opts else None
        named = _child(spec, "name")
        if dev is None or (named is None and spec.flow_style):
            unmade.append(f"volume {key.value}: no driver_opts device, or a one-line mapping")
            continue
        if not edit(dev[1], device, "", f"volume {key.value}"):
            continue
        if named:
            edit(named[1], name, key.value, f"volume {key.value}'s name")
        else:
            first = spec.value[0][0]
            start = text.rfind("\n", 0, first.start_mark.index) + 1
            end = "\r\n" if text[max(0, start - 2) : start] == "\r\n" else "\n"
            edits[(start, start)] = f"{' ' * first.start_mark.column}name: {json.dumps(name)}{end}"
            done.add(key.value)
    new = text
    for (start, end), value in sorted(edits.items(), reverse=True):
        new = new[:start] + value + new[end:]
    return text, new, done, unmade


# ---- the moves ----------------------------------------------------------------------------


def _notes(items: list[dict[str, Any]]) -> list[str]:
    """Each item's place and risks; what a place costs, once for the items that share it."""
    out, told = [], set()
    for item in items:
        out.append(f"{item['item']}: {item['path']}, on a {item['class']} ({item['place']})")
        if item.get("cost") and item["cost"] not in told:
            told.add(item["cost"])
            out.append(f"  what it costs here: {item['cost']}")
        for r in item.get("risks") or []:
            out.append(f"  risk, {r['risk']}: {r['why']}")
            out += [f"    source: {s}" for s in r["sources"]]
    return out


def _windows_lines(item: dict[str, Any], dest: str) -> list[str]:
    """On WSL, the Windows-side link that keeps Windows tools reaching the moved folder, with
    what that direction costs in the published post."""
    win = item.get("windows_path")
    if not win or "wsl" not in (item.get("kind") or ""):
        return []
    distro = os.environ.get("WSL_DISTRO_NAME") or "<distro>"
    target = "\\\\wsl.localhost\\" + distro + dest.replace("/", "\\")
    rows = {r["target"]: r for r in reference()["fio_published"]["read_mib_s"]}
    via, ntfs = rows["share-9p"]["read_mib_s"], rows["native-windows"]["read_mib_s"]
    return [
        f"rem once the copy is checked and {PureWindowsPath(win).name} renamed, in cmd.exe:",
        f'rem   mklink /d "{win}" "{target}"',
        f"rem Windows tools then read it through \\\\wsl$: in the published post's fio job "
        f"(4 KiB random read/write) {via:g} MiB/s against NTFS's {ntfs:g} MiB/s "
        f"({100 * via / ntfs:.1f}%): keep Windows-side tools off heavy work there",
    ]


def _compose_move(file: str, items: list[dict[str, Any]], names: _Names) -> Move:
    path = Path(file)
    project = items[0].get("compose_project") or path.parent.name
    move = Move(f"compose project {project} ({file})", items)
    cli = f"{_compose_cli(items[0].get('read_by') or '')} -p {_q(project)} -f {_q(file)}"
    binds: dict[str, str] = {}
    vols: dict[str, tuple[str, str]] = {}
    planned: list[tuple[str, Copy, str | None]] = []  # (what the file must change, copy, volume)
    for item in items:
        if item["what"] == "compose bind mount":
            if item["path"] not in binds:
                dest = names(project, Path(item["path"]).name)
                binds[item["path"]] = dest
                planned.append((item["path"], _copy(item, item["resolved"], dest), None))
        elif item.get("volume_device"):
            key = item.get("volume_key") or item["volume"]
            dest = names(project, "volumes", item["volume"])
            vols[key] = (dest, item["volume"] + SUFFIX)
            planned.append((key, _copy(item, item["resolved"], dest), item["volume"]))
        else:
            move.notes.append(
                f"{item['item']}: its data is in the engine's own storage, which is on a share: "
                "move Docker's data-root (daemon.json) instead; not planned here"
            )
    old, new, done, unmade = compose_rewrite(path, binds, vols)
    move.notes += [f"not rewritten, so not moved: {u}" for u in unmade]
    for what, copy, volume in planned:
        if what in done:  # copied only where the file is changed to use the copy
            move.copies.append(copy)
            if volume:
                move.remove.append(f"docker volume rm {_q(volume)}")
    if not move.copies:
        return move
    move.stop = [f"{cli} down"]
    backup = file + BACKUP
    digest = hashlib.sha256(old.encode("utf-8")).hexdigest()
    eof = "WSL_LAB_EOF"
    while eof in new:
        eof += "_"
    move.switch = [
        f'[ "$(sha256sum < {_q(file)} | cut -c 1-64)" = {digest} ] || '
        f"fail {_q(f'{file} changed since this plan was made: make the plan again')}",
        f"[ ! -e {_q(backup)} ] || fail {_q(f'{backup} exists already')}",
        f"cp -p -- {_q(file)} {_q(backup)}",
        f"cat > {_q(file)} <<'{eof}'",
        *new.removesuffix("\n").split("\n"),
        eof,
    ]
    diff = difflib.unified_diff(
        old.splitlines(), new.splitlines(), file, file + " (moved)", lineterm=""
    )
    move.shown = [f"the compose file changes (a copy of it is kept as {backup}):", *diff]
    move.shown_only = True
    move.switched = True
    move.start = [f"{cli} up -d"]
    return move


def _container_move(name: str, items: list[dict[str, Any]], names: _Names) -> Move:
    move = Move(f"container {name}" if name else "volumes no container uses", items)
    move.stop = [f"docker stop {_q(name)}"] if name else []
    for item in items:
        if item.get("volume"):
            vol = item["volume"]
            if item.get("by") != "mount table" or not item.get("exists"):
                move.notes.append(f"{item['item']}: the engine's storage is on a share: move "
                                  "Docker's data-root instead; not planned here")  # fmt: skip
                continue
            dest = names("docker-volumes", vol)
            move.copies.append(_copy(item, item["resolved"], dest))
            new = vol + SUFFIX
            move.switch.append(
                f"docker volume create --driver local --opt type=none --opt o=bind "
                f"--opt device={_q(dest)} {_q(new)}"
            )
            if name:
                move.shown.append(
                    f"make {name} anew with -v {new}:{item['destination']} in place of "
                    f"-v {vol}:{item['destination']} (wsl-lab did not see its docker run line)"
                )
            move.remove.append(f"docker volume rm {_q(vol)}")
        else:
            dest = names("docker-binds", name, Path(item["path"]).name)
            move.copies.append(_copy(item, item["resolved"], dest))
            move.shown.append(
                f"make {name} anew with -v {dest}:{item['destination']} in place of "
                f"-v {item['path']}:{item['destination']} (wsl-lab did not see its docker run "
                "line; for a compose project's, give its file with --compose)"
            )
    return move


def _rc_file() -> str:
    shell = os.path.basename(os.environ.get("SHELL") or "")
    return {"bash": "~/.bashrc", "zsh": "~/.zshrc"}.get(shell, "~/.profile")


def _env_move(item: dict[str, Any], var: str, names: _Names) -> Move:
    move = Move(item["item"], [item])
    dest = names(Path(item["resolved"]).name if var == "HF_HOME" else "ollama-models")
    move.copies.append(_copy(item, item["resolved"], dest))
    if var == "OLLAMA_MODELS":
        move.stop = ["# stop what reads the models first (ollama serve; systemctl stop ollama)"]
    rc = os.path.expanduser(_rc_file())  # whose shell: the one that made the plan
    line = f"export {var}={_q(dest)}"
    move.switch = [
        f"grep -qxF {_q(line)} {_q(rc)} 2>/dev/null || printf '%s\\n' {_q(line)} >> {_q(rc)}",
        f"export {var}={_q(dest)}",
    ]
    move.shown = [f"the line for {rc} (the script adds it): {line}"]
    move.shown_only = True
    move.switched = True
    return move


def _folder_move(item: dict[str, Any], names: _Names) -> Move:
    move = Move(f"{item['item']} {item['path']}", [item])
    dest = names(Path(item["resolved"]).name)
    move.copies.append(_copy(item, item["resolved"], dest))
    move.stop = ["# close the editors, dev servers and watchers working in it first"]
    move.shown = [f"then work in {dest} (cd {_q(dest)}; code {_q(dest)})"]
    move.windows = _windows_lines(item, dest)
    return move


def build_plan(items: list[dict[str, Any]], to: Path, ledger: Path | None = None) -> Plan:
    """The moves for every item on a share; the destination's room checked before anything."""
    to, free = check_destination(to)
    names = _Names(to)
    skipped, moves, todo = [], [], []
    for i in items:
        if i["class"] not in SHARES or i.get("moved_to"):
            continue
        if any(c in f"{i['path']}{i['resolved']}" for c in "\n\r\t"):
            skipped.append(f"{i['item']}: its path holds a control character; move it by hand")
        elif i.get("exists") is False:
            skipped.append(f"{i['item']}: {i['path']} is not there yet: nothing to move")
        else:
            todo.append(i)
    compose = {}
    for i in todo:
        if i.get("compose_file"):
            compose.setdefault(i["compose_file"], []).append(i)
    planned_projects = {v[0].get("compose_project") for v in compose.values()}
    for file, group in compose.items():
        moves.append(_compose_move(file, group, names))
    containers: dict[str, list[dict[str, Any]]] = {}
    folders = [i for i in todo if i["what"] == "project"]
    repo = [i for i in folders if i["item"] == "git repository"]
    for i in todo:
        if i.get("compose_file"):
            continue
        if i["what"] == "wsl-lab":
            skipped.append(f"{i['item']}: a place wsl-lab measures on purpose")
        elif i.get("container"):
            if i.get("compose_project") and i["compose_project"] in planned_projects:
                continue  # moved with its compose project
            containers.setdefault(i["container"], []).append(i)
        elif i["what"] == "volume":
            containers.setdefault("", []).append(i)
        elif i["what"] == "project":
            if repo and i is not repo[0]:
                continue  # inside the repository, which moves whole
            moves.append(_folder_move(i, names))
        elif i["what"] == "models":
            var = next((v for k, v in MODELS_ENV.items() if i["item"].startswith(k)), None)
            if var and i.get("exists"):
                moves.append(_env_move(i, var, names))
            elif var:
                skipped.append(f"{i['item']}: not there yet; set {var} to a native folder")
        else:
            skipped.append(f"{i['item']}: no plan for a {i['what']}")
    for name, group in containers.items():
        moves.append(_container_move(name, group, names))
    for move in moves:
        move.notes = _notes(move.items) + move.notes
        move.remove = [f"rm -rf -- {_q(c.source)}" for c in move.copies] + move.remove
    plan = Plan(to, moves, skipped, free, ledger or ledger_path())
    if plan.need_bytes > free:
        raise ParameterError(
            f"--to {to}: the copies need {mib(plan.need_bytes)}, it has {mib(free)} free: "
            "free some room or choose another --to (nothing was done)"
        )
    return plan


# ---- the plan, printed and as a script ----------------------------------------------------


def _room_line(plan: Plan) -> str:
    return (
        f"room: the copies need {mib(plan.need_bytes)}; {plan.to} has {mib(plan.free_bytes)} free"
    )


def _counted(plan: Plan) -> str:
    n, items = len(plan.moves), sum(len(m.items) for m in plan.moves)
    return f"{n} move{'s' * (n != 1)} ({items} item{'s' * (items != 1)})"


def plan_text(plan: Plan) -> list[str]:
    """The plan as a person reads it: each move's items, costs and risks, then its steps."""
    if not plan.moves:
        return ["nothing on a share to move", *[f"skipped: {s}" for s in plan.skipped]]
    out = [
        f"plan: {_counted(plan)} off a share to {plan.to}; nothing is deleted",
        _room_line(plan),
        "run it as a script (wsl-lab audit --plan --script > move.sh; sh move.sh): it stops at",
        "the first failing step. Its helpers: copy = cp -a --sparse=always (owners, modes, times,",
        "links, holes kept; never over something there); verify = every file's sha256 and every",
        "entry's type, mode, owner, time and link target, the copy's against the original's.",
        "",
    ]
    for n, move in enumerate(plan.moves, 1):
        out.append(f"{n}. {move.title}")
        out += ["   " + ln for ln in move.notes]
        out += ["   stop:   " + s for s in move.stop]
        for c in move.copies:
            out.append(f"   copy:   copy {_q(c.source)} {_q(c.dest)}   ({mib(c.need_bytes)})")
            out.append(f"   verify: verify {_q(c.source)} {_q(c.dest)}")
        if not move.shown_only:
            out += ["   switch: " + s for s in move.switch]
        if move.shown:
            out += ["   switch: " + move.shown[0], *["     " + ln for ln in move.shown[1:]]]
        out += ["   start:  " + s for s in move.start]
        out += ["   " + w for w in move.windows]
        out.append("")
    out += ["after checking the new places, the originals can go (this plan never runs it):"]
    out += [f"   # {r}" for m in plan.moves for r in m.remove]
    out += [f"skipped: {s}" for s in plan.skipped]
    return out


def plan_script(plan: Plan) -> str:
    """The same steps as one POSIX sh script that stops at the first failing step."""
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    need_kib = -(-plan.need_bytes // 1024)
    out = [
        "#!/bin/sh",
        f"# wsl-lab audit --plan --script ({when}, {hostname()}): {_counted(plan)} off a share "
        f"to {plan.to}.",
        "# It copies and verifies; it never deletes. The lines that remove the originals are at",
        "# the end, commented out: run them yourself once the new places work.",
        f"# {_room_line(plan)}",
        "set -eu",
        HELPERS,
        f"moved() {{ mkdir -p {_q(str(plan.ledger.parent))} && printf '%s\\t%s\\t%s\\n' "
        f'"$1" "$2" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> {_q(str(plan.ledger))}; }}',
        f"room {_q(str(plan.to))} {need_kib}",
        "",
    ]
    for n, move in enumerate(plan.moves, 1):
        out.append(f"say {_q(f'{n}/{len(plan.moves)}: {move.title}')}")
        out += ["# " + ln for ln in move.notes]
        out += move.stop
        for c in move.copies:
            out.append(f"copy {_q(c.source)} {_q(c.dest)}")
            out.append(f"verify {_q(c.source)} {_q(c.dest)}")
        out += move.switch
        if not move.shown_only:
            out += ["# " + ln for ln in move.shown]
        out += move.start
        if move.switched:  # where the user switches by hand, the original stays flagged
            out += [f"moved {_q(c.source)} {_q(c.dest)}" for c in move.copies]
        out += ["# " + w for w in move.windows]
        out.append("")
    out.append("say 'done: the originals are untouched; check the new places, then remove them'")
    out += [f"# {r}" for m in plan.moves for r in m.remove]
    return "\n".join(out) + "\n"
