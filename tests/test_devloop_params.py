"""The dev-loop parameters: typed, checked, errors naming the profile file and key."""

from __future__ import annotations

import pytest

from analysis.errors import ParameterError
from analysis.params import from_section


def test_typed_parameters_check_themselves():
    from analysis.devloop.params import DevloopParams

    where = "config/x.toml [devloop]"
    p = from_section(DevloopParams, {"posts": 3, "watch": ["events"]}, where)
    assert p.posts == 3 and p.watch == ("events",) and p.reps == 1
    for section, says in (
        ({"posts": "many"}, "posts must be int"),
        ({"posts": 0}, "posts must be at least 1"),
        ({"watch": ["inotify"]}, "watch takes only events, polling"),
        ({"change_timeout_s": -1}, "change_timeout_s must be more than 0"),
        ({"psots": 3}, "unknown key 'psots'"),
    ):
        with pytest.raises(ParameterError, match=says) as err:
            from_section(DevloopParams, section, where)
        assert str(err.value).startswith(where)
