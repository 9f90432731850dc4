"""The layer's estimate of what a request costs beyond its handler: taken from the gaps
between one thread's requests, never from another thread's, never from a program at work."""

from __future__ import annotations

import pytest

from analysis.share.passthrough import GAP_MAX_S, GAPS, OFF_SHARE, Unseen


def _unseen() -> Unseen:
    return Unseen({"meta": 500e-6, "read": 160e-6, "write": 160e-6}, lambda: None)


def _stream(
    u: Unseen, tid: int, start: float, gaps_s: list[float], held_s: float, kind: str = "read"
) -> float:
    """Requests of one thread and kind, each held held_s, the next arriving gap later."""
    t = start
    for gap in gaps_s:
        u.arrived(tid, t, kind)
        t += held_s
        u.answered(tid, at=t)
        t += gap
    return t


def test_the_cost_beyond_is_the_mean_gap_between_a_threads_requests():
    u = _unseen()
    # ten 50 µs gaps and one of a program at work (5 ms): that one is not a round trip
    _stream(u, 7, 100.0, [50e-6] * 10 + [5e-3] + [50e-6] * 10, held_s=300e-6)
    u.update()
    assert u.estimate["read"] == pytest.approx(50e-6)
    assert u.seen == 19  # 20 gaps between 21 requests, less the 5 ms one


def test_another_threads_answer_is_not_a_gap():
    u = _unseen()
    u.answered(1, at=10.0)
    u.arrived(2, 10.00001, "read")  # thread 2's first request, 10 µs after thread 1's answer
    u.update()
    assert u.seen == 0 and u.estimate["read"] == 0.0


def test_each_kind_has_its_own_cost_beyond():
    """A write phase's long gaps must not set the waits of the page faults after it."""
    u = _unseen()
    t = _stream(u, 4, 1.0, [400e-6] * 30, held_s=200e-6, kind="write")
    _stream(u, 4, t, [60e-6] * 30, held_s=200e-6, kind="read")
    u.update()
    # the reads' gaps: the one from the last write's answer to the first read, and 29 of 60 µs
    assert u.estimate["read"] == pytest.approx((400e-6 + 29 * 60e-6) / 30)
    assert u.cost["write"] == pytest.approx(400e-6, rel=0.05)


def test_at_most_part_of_a_service_time_is_taken_off():
    u = _unseen()
    _stream(u, 3, 5.0, [150e-6] * 20, held_s=200e-6, kind="meta")
    _stream(u, 3, 9.0, [150e-6] * 20, held_s=200e-6, kind="read")
    u.update()
    assert u.estimate["meta"] == pytest.approx(150e-6)  # under the cap of 500 µs: all of it
    assert OFF_SHARE * 160e-6 < 150e-6
    assert u.estimate["read"] == pytest.approx(OFF_SHARE * 160e-6)  # capped
    assert GAP_MAX_S > 150e-6


def test_the_estimate_follows_each_gap_before_any_update():
    """A workload of half a second must not spend its first tenth waiting the whole time."""
    u = _unseen()
    _stream(u, 5, 1.0, [80e-6] * 3, held_s=100e-6)
    assert u.seen == 2 and u.estimate["read"] == pytest.approx(80e-6)
    _stream(u, 5, 2.0, [40e-6] * (GAPS + 1), held_s=100e-6)  # the window moves on
    assert u.estimate["read"] == pytest.approx(40e-6)
    u.update()
    assert u.estimate["read"] == pytest.approx(40e-6)


def test_a_bandwidth_cap_queues_bytes_not_service_times():
    """One stream: service time, then its bytes. Requests in flight together: their service
    times overlap (as without a cap), only their bytes go one after another on the channel."""
    from analysis.share.passthrough import Throttle

    cap = Throttle(1.0)  # 1 MiB/s: 1 KiB takes 1/1024 s
    kib = 1 / 1024
    assert cap.due(10.0, 0.001, 1024) == pytest.approx(10.0 + 0.001 + kib)  # one stream
    assert cap.due(20.0, 0.001, 0) == pytest.approx(20.001)  # no bytes: the service time alone
    together = [cap.due(30.0, 0.001, 1024) for _ in range(3)]
    assert together == pytest.approx([30.001 + kib, 30.001 + 2 * kib, 30.001 + 3 * kib])
