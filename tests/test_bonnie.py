import json

import pytest

from analysis import paths
from analysis.disk import bonnie
from analysis.errors import ParseError

from .conftest import FIXTURES, cli, run_cli

NATIVE = paths.REFERENCE / "bonnie-native-home-temp.txt"
SHARE = paths.REFERENCE / "bonnie-share-mnt-c-temp.txt"


def by_metric(rows):
    return {r["metric"]: r for r in rows}


def test_post_rows_give_the_posts_figures():
    native, share = by_metric(bonnie.parse_file(NATIVE)), by_metric(bonnie.parse_file(SHARE))
    assert share["putc"]["value"] == 6 and share["putc"]["unit"] == "KiB/s"
    assert native["get_block"]["value"] == 1203968
    assert native["seeks"]["too_fast"] is True and native["seeks"]["value"] is None
    assert share["seq_create"]["value"] == 793 and share["seq_create"]["unit"] == "/s"
    assert share["putc"]["latency_us"] == 1445 * 1000  # "1445ms"
    assert native["seeks"]["latency_us"] == 478
    assert native["putc"]["cpu_pct"] == 99
    assert {r["line"] for r in native.values()} == {11}  # the CSV line of the code block


def test_too_fast_is_never_zero_and_empty_is_not_run():
    rows = by_metric(bonnie.parse_file(FIXTURES / "bonnie-share-smoke.out"))
    assert rows["putc"]["value"] is None and rows["putc"]["too_fast"] is False  # -f: not run
    for r in rows.values():
        assert r["value"] != 0


@pytest.mark.parametrize(
    "line,fields",
    [
        # a 1.96 row as posted on a mailing list (no chunk_size column), file tests only
        (
            "1.96,1.96,fslab3,1,1374655110,,,,,,,,,,,,,,60,32,32,,,1702,14,2025,12,1332,4,1873,16,"
            "2047,13,1266,3,,,,,,,3874ms,6645ms,8659ms,505ms,7257ms,9627ms",
            47,
        ),
        (
            "1.97,1.97,box,1,1300000000,4G,,1025,99,81234,12,40000,6,3000,98,90000,9,250.5,5,16,,,,,"
            "+++++,+++,+++++,+++,+++++,+++,+++++,+++,+++++,+++,+++++,+++,"
            "8000us,120ms,90ms,20ms,30ms,2s,100us,50us,60us,70us,80us,90us",
            48,
        ),
    ],
)
def test_older_formats(line, fields):
    assert len(line.split(",")) == fields
    rows = by_metric(bonnie.parse_line(line, "x.csv", 3))
    assert len(rows) == 12
    if fields == 47:
        assert rows["seq_create"]["value"] == 1702 and rows["ran_del"]["latency_us"] == 9627000
        assert rows["putc"]["value"] is None and rows["putc"]["too_fast"] is False
    else:
        assert rows["putc"]["value"] == 1025 and rows["seeks"]["value"] == 250.5
        assert rows["seeks"]["latency_us"] == 2_000_000
        assert rows["seq_create"]["too_fast"] is True


def test_truncated_line_names_file_and_line(tmp_path):
    text = SHARE.read_text().splitlines()
    text[-1] = text[-1][: len(text[-1]) // 2]
    bad = tmp_path / "cut.txt"
    bad.write_text("\n".join(text))
    with pytest.raises(ParseError, match=r"cut.txt:11: .*format '1.98' and \d+ fields"):
        bonnie.parse_file(bad)


def test_non_number_is_an_error_not_zero(tmp_path):
    line = SHARE.read_text().splitlines()[-1].replace(",51776,", ",5x776,")
    with pytest.raises(ParseError, match="put_block is '5x776'"):
        bonnie.parse_line(line, "f", 1)


def test_file_without_csv_line(tmp_path):
    f = tmp_path / "empty.out"
    f.write_text("Using uid:0, gid:0.\n" if False else "Writing intelligently...done\n")
    with pytest.raises(ParseError, match="no Bonnie\\+\\+ CSV line"):
        bonnie.parse_file(f)


def test_cli_json_keys_and_values():
    done = cli("parse-bonnie", str(SHARE), "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert len(rows) == 12
    keys = {
        "line",
        "name",
        "format_version",
        "file_size",
        "metric",
        "value",
        "unit",
        "too_fast",
        "cpu_pct",
        "latency_us",
    }
    assert keys <= set(rows[0])
    putc = next(r for r in rows if r["metric"] == "putc")
    assert (putc["value"], putc["too_fast"], putc["file_size"]) == (6, False, "63G")


def test_cli_bad_file_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("1.98,2.00a,host,1\n")
    done = run_cli("parse-bonnie", str(bad))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "bad.csv:1" in done.stderr
    assert "Traceback" not in done.stderr
