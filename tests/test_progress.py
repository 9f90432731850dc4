"""Progress lines: which step, k of n, and the time left estimated from what was measured."""

from __future__ import annotations

import time

from analysis.progress import Progress, Step, duration, step, tracking


def plan() -> dict[str, list[Step]]:
    steps = [Step("bonnie", "w1", 10), Step("fio", "w1", 2), Step("bonnie", "r1", 10),
             Step("fio", "r1", 2)]  # fmt: skip
    return {"native": steps, "share": steps}


def test_no_estimate_before_anything_was_measured():
    said: list[str] = []
    p = Progress("disk", plan(), said.append)
    assert p.left_s() == (None, True)
    assert "time left: known after the first step" in p.line("native", "bonnie", "w1")
    assert "native · bonnie · repetition 1 of 2 (warm-up)" in p.line("native", "bonnie", "w1")
    assert "repetition 2 of 2 (1 warm-up)" in p.line("native", "bonnie", "r1")


def test_estimate_from_the_same_tool_on_the_same_target_else_a_bound():
    p = Progress("disk", plan(), lambda s: None)
    p.took[("native", 0)] = 20.0  # bonnie: 2 s per unit on native
    p.took[("native", 1)] = 1.0  # fio: 0.5 s per unit
    left, bound = p.left_s()
    # native: bonnie r1 20 + fio r1 1; share, by native's rates: 2 x (20 + 1), at least
    assert left == 21 + 42 and bound
    p.took[("share", 0)] = 200.0  # share's own bonnie: ten times slower
    left, bound = p.left_s()
    assert left == 21 + 1 + 200 + 1 and bound  # share's fio still only by native's rate
    p.took[("share", 1)] = 10.0
    assert p.left_s() == (21 + 200 + 10, False)


def test_a_failed_target_is_not_waited_for():
    p = Progress("disk", plan(), lambda s: None)
    p.took.update({("native", 0): 20.0, ("native", 1): 1.0})
    p.dropped.add("share")
    assert p.left_s() == (21.0, False)


def test_a_running_step_counts_down_and_never_below_zero():
    p = Progress("disk", plan(), lambda s: None)
    p.took.update({("native", 0): 20.0, ("native", 1): 1.0, ("share", 0): 200.0})
    p.took[("share", 1)] = 10.0
    assert p.left_s(("native", 2, 5.0)) == (15 + 1 + 200 + 10, True)
    assert p.left_s(("native", 2, 500.0)) == (1 + 200 + 10, True)


def test_steps_report_to_the_tracked_run_and_a_long_one_says_it_is_still_going():
    said: list[str] = []
    p = Progress("qdrant", {"native": [Step("ingest", "r1")]}, said.append, heartbeat_s=0.05)
    with step("native", "ingest", "r1"):  # nothing tracked: silent
        pass
    assert said == []
    with tracking(p), step("native", "ingest", "r1"):
        time.sleep(0.5)
    assert said[0].startswith("qdrant: native · ingest · repetition 1 of 1 · ")
    assert any("still running after" in s for s in said[1:]), said
    assert p.left_s() == (0.0, False) and ("native", 0) in p.took


def test_durations_read_as_time():
    assert [duration(s) for s in (5, 65, 3725)] == ["5 s", "1 min 05 s", "1 h 02 min"]
