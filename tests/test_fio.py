from dataclasses import replace

import pytest

from analysis.disk import fio
from analysis.disk.params import FioParams
from analysis.errors import ParseError

from .conftest import FIXTURES, run_cli

SAMPLE = FIXTURES / "fio-native-smoke.json"


def test_parse_real_output():
    rows = {(r["job"], r["direction"]): r for r in fio.parse_file(SAMPLE)}
    assert ("byte_write", "write") in rows and ("file_create", "write") in rows
    assert ("seq_read", "write") not in rows  # directions without I/O are left out
    bw = rows[("seq_write", "write")]
    assert bw["bw_kib_s"] > 0 and bw["iops"] > 0 and bw["clat_p50_us"] > 0
    assert bw["clat_p99_us"] >= bw["clat_p50_us"]


def test_job_file_covers_the_issue_list():
    small = FioParams(size_mib=8, byte_kib=4, runtime_s=1, nrfiles=10)
    text = fio.job_file(small)
    for job in (
        "seq_write",
        "seq_read",
        "rand_write",
        "rand_read",
        "byte_write",
        "byte_read",
        "file_create",
        "file_stat",
    ):
        assert f"[{job}]" in text
    assert "direct=1" not in text
    published = fio.job_file(replace(small, published_job=True))
    assert "[published_randrw]" in published and "direct=1" in published
    assert "direct=0" in fio.job_file(replace(small, published_job=True), published_direct=False)


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
    done = run_cli("parse-fio", str(SAMPLE), "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("job,direction,bw_kib_s,iops")
