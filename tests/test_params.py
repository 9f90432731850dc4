"""Typed parameters: every profile loads into each experiment's frozen dataclass; a bad value
is one line naming the profile file and key (or the command-line option it came from)."""

from __future__ import annotations

import dataclasses

import pytest

from analysis import config
from analysis.disk.params import DiskParams, FioParams
from analysis.errors import ParameterError
from analysis.experiments import experiments
from analysis.llm.params import LlmParams
from analysis.params import as_dict, from_section, load

WHERE = "config/x.toml"


@pytest.mark.parametrize("profile", config.PROFILES)
@pytest.mark.parametrize("name", list(experiments()))
def test_every_profile_section_loads_typed(profile, name):
    exp = experiments()[name]
    p = exp.load(profile)
    assert isinstance(p, exp.params) and p.profile == profile
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.profile = "other"  # type: ignore[misc]
    # every key of the section is a field: nothing in the file is silently ignored
    section = config.load_profile(profile)[name]
    assert set(section) <= {f.name for f in dataclasses.fields(exp.params)}


def test_nested_tables_are_typed_too():
    p = load(DiskParams, "standard", "disk")
    assert isinstance(p.fio, FioParams) and p.fio.published_job is True
    assert as_dict(p)["fio"]["nrfiles"] == p.fio.nrfiles  # the manifest keeps the tables


@pytest.mark.parametrize(
    ("name", "section", "says"),
    [
        ("devloop", {"posts": "many"}, "[devloop]: posts must be int, got 'many'"),
        ("devloop", {"posts": 0}, "[devloop]: posts must be at least 1, got 0"),
        ("devloop", {"watch": ["inotify"]}, "[devloop]: watch takes only events, polling"),
        ("devloop", {"psots": 3}, "[devloop]: unknown key 'psots'"),
        ("disk", {"tools": ["bonnie", "iozone"]}, "[disk]: tools takes one or more of bonnie"),
        ("disk", {"fio": {"nrfiles": 0}}, "[disk.fio]: nrfiles must be at least 1, got 0"),
        ("disk", {"bonnie": {"sise_mib": 1}}, "[disk.bonnie]: unknown key 'sise_mib'"),
        ("disk", {"fio": 3}, "[disk]: fio must be a table [disk.fio]"),
        ("qdrant", {"backend": "sqlite"}, "[qdrant]: backend takes one of edge, docker, url"),
        ("qdrant", {"records": 1.5}, "[qdrant]: records must be int, got 1.5"),
        ("qdrant", {"backend": "url"}, "[qdrant]: url is needed with backend url"),
        ("llm", {"devices": ["tpu"]}, "[llm]: devices takes cpu and/or gpu"),
        ("llm", {"prompts": 9}, "[llm]: prompts must be 1..5"),
        ("llm", {"gpu_bandwidth_gbs": "fast"}, "[llm]: gpu_bandwidth_gbs must be a number"),
    ],
)
def test_a_bad_value_is_one_line_naming_file_and_key(name, section, says):
    cls = experiments()[name].params
    with pytest.raises(ParameterError) as err:
        from_section(cls, section, WHERE, name)
    assert str(err.value).startswith(WHERE) and says in str(err.value)
    assert "\n" not in str(err.value)


def test_a_bad_option_names_the_option():
    with pytest.raises(ParameterError, match=r"^--reps: reps must be at least 1, got 0"):
        load(DiskParams, "smoke", "disk", reps=0)
    with pytest.raises(ParameterError, match=r"^--tools: tools takes one or more.*\['iozone'\]"):
        load(DiskParams, "smoke", "disk", tools=["iozone"])
    with pytest.raises(ParameterError, match=r"^--device: devices takes cpu and/or gpu"):
        load(LlmParams, "smoke", "llm", devices=["tpu"])  # the option is --device, repeatable
