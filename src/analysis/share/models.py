"""Share models: a simulated share's parameters as data (`config/shares/<name>.toml`)."""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from .. import paths
from ..errors import ParameterError

DEFAULT_MODEL = "wsl2-9p"
LAYERS = ("passthrough", "bindfs")
KERNEL_DEFAULT = "default"  # request/readahead size left to the kernel (128 KiB today)


@dataclass(frozen=True)
class ShareModel:
    """How a simulated share behaves; every field is written to the manifest as it was used."""

    name: str
    layer: str = "passthrough"  # passthrough: wsl-lab's own FUSE layer; bindfs: no times
    request_kib: int | str = KERNEL_DEFAULT  # largest read request (FUSE max_read)
    readahead_kib: int | str = KERNEL_DEFAULT  # kernel readahead (FUSE max_readahead)
    attr_timeout_s: float = 0.0  # how long the kernel may trust attributes it was given
    entry_timeout_s: float = 0.0  # ... and name lookups
    negative_timeout_s: float = 0.0  # ... and "no such file"
    meta_service_us: float = 0.0  # one request but read and write, on the share (0: no time)
    read_service_us: float = 0.0  # one read request (a page fault is one)
    write_service_us: float = 0.0  # one write request
    read_mib_s: float = 0.0  # bandwidth cap on reads through the share; 0 = none
    write_mib_s: float = 0.0  # bandwidth cap on writes; 0 = none
    description: str = ""
    source: str = ""  # the file it was read from
    calibration: dict[str, Any] | None = None  # what a calibrated model was fitted to
    sources: dict[str, str] | None = None  # where each time comes from (a written model)

    def parameters(self) -> dict[str, Any]:
        """Every parameter, for manifests and fidelity tables."""
        out = asdict(self)
        out.pop("calibration")
        out.pop("sources")
        return out

    def inputs(self) -> list[str]:
        """The microbenchmarks whose figures set this model's times (fitted by calibration,
        or named in a written model's [sources] `inputs`): the workloads resting on them
        are inputs, not checks, in the fidelity table."""
        fitted = (self.calibration or {}).get("benchmarks") or {}
        named = (self.sources or {}).get("inputs", "")
        return sorted({*fitted, *(b.strip() for b in named.split(",") if b.strip())})

    def mount_options(self) -> list[str]:
        """The FUSE -o options this model asks for (the layer adds its own)."""
        opts = [
            f"attr_timeout={self.attr_timeout_s:g}",
            f"entry_timeout={self.entry_timeout_s:g}",
            f"negative_timeout={self.negative_timeout_s:g}",
        ]
        if self.request_kib != KERNEL_DEFAULT:
            opts.append(f"max_read={int(self.request_kib) * 1024}")
        if self.readahead_kib != KERNEL_DEFAULT:
            opts.append(f"max_readahead={int(self.readahead_kib) * 1024}")
        return opts


_NUMBERS = {
    "attr_timeout_s",
    "entry_timeout_s",
    "negative_timeout_s",
    "meta_service_us",
    "read_service_us",
    "write_service_us",
    "read_mib_s",
    "write_mib_s",
}
_SIZES = {"request_kib", "readahead_kib"}
_TEXT = {"name", "layer", "description"}


def _check(key: str, value: Any, where: str) -> Any:
    """One value of the [share] table, or one clear line naming file and key."""
    if key in _TEXT:
        if not isinstance(value, str):
            raise ParameterError(f"{where}: share.{key} must be text, got {value!r}")
        if key == "layer" and value not in LAYERS:
            raise ParameterError(
                f"{where}: share.layer {value!r} is not one of {', '.join(LAYERS)}"
            )
        return value
    if key in _SIZES:
        if value == KERNEL_DEFAULT:
            return value
        low = 4 if key == "request_kib" else 0  # no readahead is a setting; no request is not
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= 1024:
            raise ParameterError(
                f"{where}: share.{key} must be a whole number of KiB from {low} to 1024 "
                f"or {KERNEL_DEFAULT!r}, got {value!r}"
            )
        return value
    if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
        raise ParameterError(f"{where}: share.{key} must be a number ≥ 0, got {value!r}")
    return float(value)


def model_from_dict(data: dict[str, Any], where: str) -> ShareModel:
    """A checked model from a parsed file: unknown keys and bad values are one clear line."""
    table = data.get("share")
    if not isinstance(table, dict):
        raise ParameterError(f"{where}: no [share] table: see config/shares/wsl2-9p.toml")
    known = {f.name for f in fields(ShareModel)} - {"source", "calibration", "sources"}
    unknown = sorted(set(table) - known)
    renamed = [k for k in unknown if k.endswith("_latency_us")]
    if renamed:
        raise ParameterError(
            f"{where}: share.{renamed[0]} is gone: a model now gives service times "
            f"(share.{renamed[0].replace('_latency_us', '_service_us')}, the time one "
            "request takes on the share): see config/shares/wsl2-9p.toml, or refit it with "
            "wsl-lab calibrate"
        )
    if unknown:
        raise ParameterError(
            f"{where}: unknown key share.{unknown[0]}: known are {', '.join(sorted(known))}"
        )
    if "name" not in table:
        raise ParameterError(f"{where}: share.name is missing")
    values = {k: _check(k, v, where) for k, v in table.items()}
    sources = data.get("sources")
    if sources is not None and not (
        isinstance(sources, dict) and all(isinstance(v, str) for v in sources.values())
    ):
        raise ParameterError(f"{where}: [sources] must map each key to a text")
    model = ShareModel(
        **values, source=where, calibration=data.get("calibration"), sources=sources
    )
    times = (model.meta_service_us, model.read_service_us, model.write_service_us)
    if model.layer == "bindfs" and any(times):
        raise ParameterError(
            f"{where}: share.layer 'bindfs' cannot give requests a service time: "
            'set layer = "passthrough"'
        )
    return model


def model_path(spec: str) -> Path:
    """A built-in model's name (`config/shares/<name>.toml`) or a file's path."""
    if spec.endswith(".toml") or "/" in spec:
        return Path(spec).expanduser().absolute()
    return paths.CONFIG / "shares" / f"{spec}.toml"


def builtin_models() -> list[str]:
    return sorted(p.stem for p in (paths.CONFIG / "shares").glob("*.toml"))


def load_model(spec: str | None = None) -> ShareModel:
    """The model named or in a file; the default is the WSL2 9P model."""
    path = model_path(spec or DEFAULT_MODEL)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ParameterError(
            f"share model {spec!r} not found ({path}): use one of "
            f"{', '.join(builtin_models())} or a .toml file"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError(f"{path}: not valid TOML: {exc}") from None
    return model_from_dict(data, str(path))


NOTES = {
    "layer": "passthrough: wsl-lab's FUSE layer (service times, bandwidth); bindfs: neither",
    "request_kib": "largest read request (max_read); 9P serves a page fault as one 4 KiB read",
    "readahead_kib": "kernel readahead; /mnt/c's mmap path reads only the faulting page",
    "attr_timeout_s": "0: every stat crosses the share, as every getattr crosses 9P",
    "entry_timeout_s": "0: every path lookup crosses the share",
    "negative_timeout_s": "0: a missing file is asked for again each time",
    "meta_service_us": "one request but read and write (lookup, getattr, open…) on the share",
    "read_service_us": "one read request on the share (a page fault is one)",
    "write_service_us": "one write request on the share",
    "read_mib_s": "bandwidth cap on reads, 0 = none",
    "write_mib_s": "bandwidth cap on writes, 0 = none",
}


def model_toml(model: ShareModel, comments: dict[str, str] | None = None) -> str:
    """A model as a TOML file `load_model` reads back (calibration kept as a table)."""
    comments = {**NOTES, **(comments or {})}
    lines = ["[share]"]
    for key, value in model.parameters().items():
        if key == "source":
            continue
        note = f"  # {comments[key]}" if key in comments else ""
        lines.append(f"{key} = {_toml_value(value)}{note}")
    if model.calibration:
        lines += ["", *_toml_table("calibration", model.calibration)]
    if model.sources:
        lines += ["", *_toml_table("sources", model.sources)]
    return "\n".join(lines) + "\n"


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(float(f"{v:.6g}")) if isinstance(v, float) else str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_table(name: str, table: dict[str, Any]) -> list[str]:
    plain = {k: v for k, v in table.items() if not isinstance(v, dict) and v is not None}
    lines = [f"[{name}]", *(f"{k} = {_toml_value(v)}" for k, v in plain.items())]
    for k, v in table.items():
        if isinstance(v, dict):
            lines += ["", *_toml_table(f"{name}.{k}", v)]
    return lines
