"""Fixtures of the tests that start a private Docker engine (test_audit_*.py)."""

from __future__ import annotations

import pytest

from . import dockerd


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """A private dockerd for the module: its own socket, data-root and image; stopped after."""
    with dockerd.private_engine(tmp_path_factory.mktemp("engine")) as e:
        yield e


@pytest.fixture(scope="module")
def private_cache(tmp_path_factory):
    """This module's cache home (the share's mount point), set while its tests run and unset
    after them, as the function-scoped cache_home does for one test."""
    with pytest.MonkeyPatch.context() as mp:
        cache = tmp_path_factory.mktemp("cache")
        mp.setenv("WSL_LAB_CACHE", str(cache))
        yield cache
