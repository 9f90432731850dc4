"""Share models: the built-in files, bad files (one line naming file and key), round trips."""

from __future__ import annotations

import pytest

from analysis.errors import ParameterError
from analysis.placement.calibrate import fit_bandwidths, fit_latencies, read_ratios
from analysis.placement.models import ShareModel, builtin_models, load_model, model_toml


def test_builtin_models_load_and_differ():
    assert {"wsl2-9p", "bindfs-nocache"} <= set(builtin_models())
    wsl, bindfs = load_model("wsl2-9p"), load_model("bindfs-nocache")
    assert wsl.layer == "passthrough" and bindfs.layer == "bindfs"
    assert "max_read=4096" in wsl.mount_options()
    assert "max_readahead=0" in wsl.mount_options()
    assert not any(o.startswith("max_read") for o in bindfs.mount_options())
    assert load_model(None).name == "wsl2-9p"  # the default


def test_default_model_rests_on_published_figures():
    wsl = load_model("wsl2-9p")
    bench = (wsl.calibration or {}).get("benchmarks") or {}
    assert {"loop", "small_write", "seq_write"} <= set(bench)
    assert all(b["source"] for b in bench.values())
    assert wsl.meta_latency_us > 0 or wsl.write_latency_us > 0


def _write(tmp_path, text: str):
    p = tmp_path / "m.toml"
    p.write_text(text)
    return p


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('[share]\nname = "x"\nlatency = 3\n', "unknown key share.latency"),
        ('[share]\nname = "x"\nmeta_latency_us = -1\n', "share.meta_latency_us must be a number"),
        ('[share]\nname = "x"\nmeta_latency_us = "fast"\n', "share.meta_latency_us"),
        ('[share]\nname = "x"\nrequest_kib = 2\n', "share.request_kib must be a whole number"),
        ('[share]\nname = "x"\nlayer = "nfs"\n', "share.layer 'nfs' is not one of"),
        ('[share]\nname = "x"\nlayer = "bindfs"\nread_latency_us = 5\n', "cannot add latency"),
        ('[share]\nlayer = "passthrough"\n', "share.name is missing"),
        ('name = "x"\n', "no [share] table"),
        ("[share\n", "not valid TOML"),
    ],
)
def test_bad_model_file_is_one_clear_line(tmp_path, body, says):
    path = _write(tmp_path, body)
    with pytest.raises(ParameterError) as err:
        load_model(str(path))
    message = str(err.value)
    assert says in message and str(path) in message and "\n" not in message


def test_missing_model_names_the_choices():
    with pytest.raises(ParameterError, match="wsl2-9p"):
        load_model("no-such-model")


def test_written_model_reads_back(tmp_path):
    model = ShareModel(
        name="mine",
        request_kib=8,
        readahead_kib=0,
        meta_latency_us=12.5,
        write_mib_s=40.0,
        calibration={"method": "x", "benchmarks": {"loop": {"target_ratio": 3.0}}},
    )
    path = _write(tmp_path, model_toml(model))
    back = load_model(str(path))
    assert back.parameters() | {"source": ""} == model.parameters() | {"source": ""}
    assert back.calibration["benchmarks"]["loop"]["target_ratio"] == 3.0


def test_fit_recovers_known_latencies():
    # benchmarks whose cost is linear in the latencies, as the probes measure them
    zero = {"stat": 10.0, "create": 20.0, "loop": 50.0, "cold_mmap": 5.0, "small_write": 2.0}
    zero |= {"seq_write": 100.0, "seq_read": 100.0}
    slopes = {
        "meta_latency_us": {"stat": 3, "create": 5, "loop": 20, "cold_mmap": 0, "small_write": 0},
        "read_latency_us": {"stat": 0, "create": 0, "loop": 2, "cold_mmap": 1, "small_write": 0},
        "write_latency_us": {"stat": 0, "create": 0, "loop": 2, "cold_mmap": 0, "small_write": 1},
    }
    for s in slopes.values():
        s |= {"seq_write": 0, "seq_read": 0}
    true = {"meta_latency_us": 40.0, "read_latency_us": 7.0, "write_latency_us": 90.0}
    targets = {b: zero[b] + sum(slopes[p][b] * true[p] for p in true) for b in zero}
    targets["seq_write"] = 300.0  # 200 s per MiB beyond what latency gives: a 0.005 MiB/s cap
    fitted = fit_latencies(targets, zero, slopes)
    assert fitted == pytest.approx(true, abs=0.2)
    assert fit_bandwidths(targets, targets | {"seq_write": 100.0})["write_mib_s"] == 0.0
    assert fit_bandwidths(targets, zero)["write_mib_s"] == pytest.approx(0.005, abs=0.01)


def test_latency_without_a_target_is_not_fitted():
    zero = {"loop": 50.0, "small_write": 2.0}
    slopes = {
        p: {"loop": 1.0, "small_write": 1.0}
        for p in ("meta_latency_us", "read_latency_us", "write_latency_us")
    }
    fitted = fit_latencies({"small_write": 12.0}, zero, slopes)
    assert fitted["meta_latency_us"] == 0.0 and fitted["read_latency_us"] == 0.0
    assert fitted["write_latency_us"] == pytest.approx(10.0)


def test_ratio_file_errors(tmp_path):
    p = _write(tmp_path, "[ratios]\nnot_a_bench = 3\n")
    with pytest.raises(ParameterError, match="unknown benchmark ratios.not_a_bench"):
        read_ratios(p)
    p.write_text("[ratios]\nloop = 0\n")
    with pytest.raises(ParameterError, match="must be a number > 0"):
        read_ratios(p)
