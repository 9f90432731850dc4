"""Typed experiment parameters: a frozen dataclass per experiment, built once from a profile
section and checked there, with errors that name the profile file and the key (or the
command-line option, when the value came from one)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, TypeVar

from . import config
from .errors import ParameterError

P = TypeVar("P")
# command-line options whose name is not the key's (repeatable options are singular)
OPTIONS = {"targets": "--target", "devices": "--device"}


def shown(value: Any) -> str:
    """A value as the user wrote it: lists as lists."""
    return repr(list(value)) if isinstance(value, tuple) else repr(value)


def _kind_name(kind: type) -> str:
    return {tuple: "a list of text", float: "a number", str: "text"}.get(kind, kind.__name__)


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
        raise ParameterError(f"{where}: {key} must be {_kind_name(kind)}, got {shown(value)}")
    return value


def _default(f: dataclasses.Field) -> Any:
    return f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]


def from_section(
    cls: type[P], section: dict[str, Any], path: Path | str, name: str, **overrides: Any
) -> P:
    """cls from the profile section `[name]` of the file at path, plus the overrides that are
    not None (command-line options); every key is checked. A key whose default is itself
    a parameter dataclass is a sub-table, `[name.key]`, checked the same way."""
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    given = {k: v for k, v in overrides.items() if v is not None}
    values = {**section, **given}
    for k, v in given.items():  # a sub-table's keys replace the profile's one by one
        if isinstance(v, dict) and isinstance(section.get(k), dict):
            values[k] = {**section[k], **v}

    def where(key: str | None = None) -> str:
        if key in given:
            return OPTIONS.get(key, f"--{key.replace('_', '-')}")
        return f"{path} [{name}]"

    unknown = sorted(set(values) - set(fields) - {"profile"})
    if unknown:
        raise ParameterError(
            f"{where(unknown[0])}: unknown key {unknown[0]!r}: known are "
            f"{', '.join(sorted(set(fields) - {'profile'}))}"
        )
    checked = {}
    for key, f in fields.items():
        if key not in values or key == "profile":
            continue
        default = _default(f)
        if dataclasses.is_dataclass(default):
            if not isinstance(values[key], dict):
                raise ParameterError(f"{where(key)}: {key} must be a table [{name}.{key}]")
            checked[key] = from_section(type(default), values[key], path, f"{name}.{key}")
        else:
            checked[key] = _coerce(values[key], default, where(key), key)
    obj = cls(**checked)
    check = getattr(obj, "check", None)
    problem = check() if check else None
    if problem:
        key, why = problem
        raise ParameterError(f"{where(key)}: {key} {why}, got {shown(getattr(obj, key))}")
    return obj


def load(cls: type[P], profile: str, name: str, **overrides: Any) -> P:
    """The profile's `[name]` section as cls, checked, with the profile's name recorded."""
    path = config.profile_path(profile)
    section = config.load_profile(profile).get(name)
    if section is None:
        raise ParameterError(f"{path}: the [{name}] section is missing: restore it from git")
    params = from_section(cls, section, path, name, **overrides)
    if "profile" in {f.name for f in dataclasses.fields(cls)}:  # type: ignore[arg-type]
        params = dataclasses.replace(params, profile=profile)  # type: ignore[type-var]
    return params


def as_dict(params: Any) -> dict[str, Any]:
    """For manifests: every parameter by name, lists as lists, sub-tables as tables."""

    def plain(v: Any) -> Any:
        if isinstance(v, tuple):
            return list(v)
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        return v

    return {k: plain(v) for k, v in dataclasses.asdict(params).items()}
