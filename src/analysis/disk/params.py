"""The disk experiment's parameters, typed and checked (profile sections [disk],
[disk.bonnie] and [disk.fio])."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..cliopts import Opt
from ..headlines import BY_KEY

TOOLS = ("bonnie", "fio")


@dataclass(frozen=True)
class BonnieParams:
    size_mib: int = 0  # -s; 0 = Bonnie++'s default (twice the RAM)
    ram_mib: int = 0  # -r; 0 = the real RAM
    files: int = 0  # -n, in 1024s; 0 = Bonnie++'s default (16)
    fast: bool = False  # -f: skip the per-char tests

    def check(self) -> tuple[str, str] | None:
        for key in ("size_mib", "ram_mib", "files"):
            if getattr(self, key) < 0:
                return key, "must not be negative (0 keeps Bonnie++'s default)"
        return None


@dataclass(frozen=True)
class FioParams:
    size_mib: int = 256  # sequential and random file size
    byte_kib: int = 512  # one-byte write/read volume
    runtime_s: int = 0  # cap for the random jobs; 0 = the whole file
    nrfiles: int = 1000  # files for file_create / file_stat
    published_job: bool = False  # also the published post's randrw 4k x8 qd64 O_DIRECT job
    published_runtime_s: int = 300

    def check(self) -> tuple[str, str] | None:
        for key in ("size_mib", "byte_kib", "nrfiles", "published_runtime_s"):
            if getattr(self, key) < 1:
                return key, "must be at least 1"
        if self.runtime_s < 0:
            return "runtime_s", "must not be negative (0 = the whole file)"
        return None


@dataclass(frozen=True)
class DiskParams:
    targets: tuple = ()  # LABEL=PATH or LABEL=fuse:PATH; empty = native dir + its share
    tools: tuple = TOOLS
    reps: int = 1  # measured repetitions per target
    warmup: int = 0  # discarded repetitions before them
    share_model: str = "wsl2-9p"  # how a fuse: target behaves
    tool_timeout_s: float = 300.0  # one tool run longer than this fails that run
    bonnie: BonnieParams = field(default_factory=BonnieParams)
    fio: FioParams = field(default_factory=FioParams)
    # headlines this profile's sizes do not measure within 25% of standard's (the report
    # says "not measured at this size" instead of their numbers): keys of analysis.headlines
    unconverged: tuple = ()
    profile: str = ""  # the profile these came from (set by the loader)

    def check(self) -> tuple[str, str] | None:
        if not self.tools or not set(self.tools) <= set(TOOLS):
            return "tools", f"takes one or more of {', '.join(TOOLS)}"
        if self.reps < 1:
            return "reps", "must be at least 1"
        if self.warmup < 0:
            return "warmup", "must not be negative"
        if self.tool_timeout_s <= 0:
            return "tool_timeout_s", "must be more than 0"
        unknown = set(self.unconverged) - set(BY_KEY)
        if unknown:
            return "unconverged", f"takes headline keys ({', '.join(BY_KEY)})"
        return None


# `wsl-lab run disk`'s own options (cliopts.run_command makes the command from them and the
# fields' types; --target, --share-model, --profile and --root every run command has)
OPTIONS = {
    "reps": Opt("Repetitions per target. Default: profile's."),
    "tools": Opt("Comma list of bonnie,fio. Default: profile's (both).", comma=True),
}
