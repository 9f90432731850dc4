import pytest

from analysis.disk import fio
from analysis.disk.params import FioParams
from analysis.errors import ParseError

from .conftest import FIXTURES, cli

SAMPLE = FIXTURES / "fio-native-smoke.json"


def test_parse_real_output():
    rows = {(r["job"], r["direction"]): r for r in fio.parse_file(SAMPLE)}
    assert ("byte_write", "write") in rows and ("file_create", "write") in rows
    assert ("seq_read", "write") not in rows  # directions without I/O are left out
    bw = rows[("seq_write", "write")]
    assert bw["bw_kib_s"] > 0 and bw["iops"] > 0 and bw["clat_p50_us"] > 0
    assert bw["clat_p99_us"] >= bw["clat_p50_us"]


def _sections(text: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for block in text.split("\n[")[1:]:
        name, _, body = block.partition("]\n")
        out[name] = dict(line.split("=", 1) for line in body.splitlines() if "=" in line)
    return out


def test_every_job_says_its_cache_and_measures_what_it_says():
    small = FioParams(size_mib=8, byte_kib=4, runtime_s=1, nrfiles=10, published_job=True)
    caches = fio.caches(small)
    assert set(caches.values()) == {fio.COLD, fio.WARM}
    jobs = _sections(fio.job_file(small, direct=True))
    assert set(jobs) == set(caches)
    for name, opts in jobs.items():
        block = opts.get("bs") != "1" and opts.get("ioengine") not in ("filecreate", "filestat")
        if caches[name] == fio.COLD and block:
            assert opts.get("direct") == "1", name  # the device, not the page cache
        if caches[name] == fio.WARM and block:
            assert name.endswith("_warm") and opts.get("direct") == "0", name
    # a place that refuses O_DIRECT: cold jobs fsync and evict instead
    evicted = _sections(fio.job_file(small, direct=False))
    for name in ("seq_read", "rand_read", "published_randrw"):
        assert evicted[name]["direct"] == "0" and evicted[name]["invalidate"] == "1", name
    assert evicted["seq_write"]["end_fsync"] == "1"
    assert evicted["byte_write"]["end_fsync"] == "1" and evicted["byte_read"]["invalidate"] == "1"


def test_a_rate_from_a_job_shorter_than_fio_can_time_is_a_lower_bound():
    from analysis.disk.process import fio_rows

    parsed = {(r["job"], r["direction"]): r for r in fio.parse_file(SAMPLE)}
    rows = fio_rows(SAMPLE, {"target": "native"})
    for row in rows:
        job, direction, quantity = row["metric"].split(".")
        short = parsed[(job, direction)]["runtime_ms"] < fio.MIN_TIMED_MS
        if quantity in ("bw", "iops") and short:
            assert row["value"] is None and row["lower_bound"] > 0, row["metric"]
        else:
            assert row["lower_bound"] is None and row["value"] is not None, row["metric"]
    assert any(r["lower_bound"] for r in rows) and any(r["value"] for r in rows)


def test_truncated_json_names_the_line(tmp_path):
    text = SAMPLE.read_text()
    cut = tmp_path / "cut.json"
    cut.write_text(text[: len(text) // 2])
    with pytest.raises(ParseError, match=r"cut.json:\d+: invalid fio JSON"):
        fio.parse_file(cut)


def test_not_fio_json(tmp_path):
    f = tmp_path / "x.json"
    f.write_text('{"hello": 1}')
    with pytest.raises(ParseError, match="without a 'jobs' list"):
        fio.parse_file(f)


def test_cli_parse_fio_csv():
    done = cli("parse-fio", str(SAMPLE), "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("job,direction,bw_kib_s,iops")
