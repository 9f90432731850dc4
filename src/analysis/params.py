"""Typed experiment parameters: a frozen dataclass per experiment, built once from a profile
section and checked there, with errors that name the profile file and the key."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from .errors import ParameterError

P = TypeVar("P")


def _coerce(value: Any, default: Any, where: str, key: str) -> Any:
    """The value as the default's type, or one clear line naming where and which key."""
    kind = type(default)
    if kind is bool:
        ok = isinstance(value, bool)
    elif kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif kind is tuple:
        ok = isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
        value = tuple(value) if ok else value
    else:
        ok = isinstance(value, str)
    if not ok:
        name = {tuple: "a list of text", float: "a number"}.get(kind, kind.__name__)
        raise ParameterError(f"{where}: {key} must be {name}, got {value!r}")
    return value


def from_section(cls: type[P], section: dict[str, Any], where: str, **overrides: Any) -> P:
    """cls from a profile section (plus overrides that are not None), every key checked."""
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    values = {**section, **{k: v for k, v in overrides.items() if v is not None}}
    unknown = sorted(set(values) - set(fields) - {"profile"})
    if unknown:
        raise ParameterError(
            f"{where}: unknown key {unknown[0]!r}: known are {', '.join(sorted(fields))}"
        )
    checked = {}
    for name, f in fields.items():
        if name in values:
            default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
            checked[name] = _coerce(values[name], default, where, name)
    obj = cls(**checked)
    check = getattr(obj, "check", None)
    if check:
        problem = check()
        if problem:
            key, why = problem
            raise ParameterError(f"{where}: {key} {why}, got {getattr(obj, key)!r}")
    return obj


def as_dict(params: Any) -> dict[str, Any]:
    """For manifests: every parameter by name, lists as lists."""
    values = dataclasses.asdict(params)
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}
