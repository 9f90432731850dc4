"""The move plan's parts that need no engine: the compose file rewritten in place, the risks'
rules, the check's verdicts and ignore file, and the plans for a model cache and a folder on a
Windows drive."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from analysis.audit import check, plan, risks
from analysis.errors import ParameterError

COMPOSE = """\
# keep me
services:
  web:
    image: nginx   # the server
    volumes:
      - {share}/site:/usr/share/nginx/html:ro
      - type: bind
        source: {share}/conf
        target: /etc/nginx/conf.d
      - ${{LOGS}}:/var/log/nginx
volumes:
  data:
    driver_opts: {{type: none, o: bind, device: {share}/data}}
"""


def test_the_compose_file_changes_only_where_a_path_moves(tmp_path, monkeypatch):
    share = tmp_path / "c"
    monkeypatch.setenv("LOGS", f"{share}/logs")
    file = tmp_path / "compose.yaml"
    file.write_text(COMPOSE.format(share=share))
    binds = {f"{share}/site": "/home/me/site", f"{share}/conf": "/home/me/conf",
             f"{share}/logs": "/home/me/logs"}  # fmt: skip
    vols = {"data": ("/home/me/data", "d-native")}
    old, new, done, unmade = plan.compose_rewrite(file, binds, vols)
    assert done == {f"{share}/site", f"{share}/conf", "data"}  # not the one with a variable
    assert old == file.read_text()
    assert '- "/home/me/site:/usr/share/nginx/html:ro"' in new
    assert 'source: "/home/me/conf"' in new
    assert "# keep me" in new and "# the server" in new
    assert (
        '  data:\n    name: "d-native"\n    driver_opts: {type: none, o: bind, device: '
        '"/home/me/data"}' in new
    )
    assert unmade == ["${LOGS}:/var/log/nginx: a variable; set it to /home/me/logs"]
    assert len(new.splitlines()) == len(old.splitlines()) + 1


def test_a_volume_gets_a_new_name_at_its_own_indent(tmp_path):
    file = tmp_path / "compose.yaml"
    file.write_text(
        "services: {}\nvolumes:\n  data:\n      driver: local\n      driver_opts:\n"
        "        o: bind\n        device: /mnt/c/data\n"
    )
    _, new, _, _ = plan.compose_rewrite(file, {}, {"data": ("/home/me/data", "app_data-native")})
    assert '  data:\n      name: "app_data-native"\n      driver: local' in new


@pytest.mark.parametrize(
    "image,repo",
    [
        ("qdrant/qdrant", "qdrant/qdrant"),
        ("qdrant/qdrant:v1.12.4", "qdrant/qdrant"),
        ("docker.io/qdrant/qdrant:latest", "qdrant/qdrant"),
        ("localhost:5000/qdrant/qdrant@sha256:abc", "qdrant/qdrant"),
        ("prom/prometheus", "prom/prometheus"),
    ],
)
def test_an_image_is_known_by_its_repository(image, repo):
    assert risks._repository(image) == repo


def _item(**kw):
    base = {"what": "container bind", "item": "db:/data", "path": "/mnt/c/db", "class":
            "cross-os share", "place": "9p drvfs", "costs": [], "risks": [], "image": "",
            "destination": ""}  # fmt: skip
    return {**base, **kw}


def test_a_database_on_a_share_is_a_data_loss_risk_and_on_native_is_not():
    rules = risks.load_rules()
    by_image = risks.risks_for(_item(image="qdrant/qdrant:v1.12.4"), rules, [])
    assert [(r["risk"], r["about"]) for r in by_image] == [("data loss", "Qdrant")]
    assert all("http" in s for s in by_image[0]["sources"])
    by_place = risks.risks_for(_item(destination="/prometheus/data"), rules, [])
    assert [r["about"] for r in by_place] == ["Prometheus"]
    assert risks.risks_for(_item(image="qdrant/qdrant", **{"class": "native"}), rules, []) == []
    assert risks.risks_for(_item(image="postgres"), rules, []) == []
    fuse = _item(image="qdrant/qdrant", fstype="fuse.rclone", **{"class": "unknown"})
    assert risks.risks_for(fuse, rules, [])[0]["why"].startswith("Qdrant on fuse.rclone: ")


def test_a_watcher_risk_comes_only_from_a_run_that_saw_events_not_arrive():
    rules = risks.load_rules()
    project = _item(what="project", item="current directory")
    assert risks.risks_for(project, rules, []) == []
    unseen = [risks.Unseen("cross-os share", "20261201T000000Z-vm-x", 2.0)]
    (r,) = risks.risks_for(project, rules, unseen)
    assert r["risk"] == "missed changes" and "within 2 s (dev-loop run 20261201T" in r["why"]
    assert risks.risks_for(_item(what="models"), rules, unseen) == []


def test_check_fails_above_the_slowdown_and_leaves_accepted_and_small_ones_alone(tmp_path):
    def costs(x):
        return [{"ratio": x, "label": "w"}]

    items = [
        _item(item="a:/x", path="/mnt/c/a", costs=costs(40.0)),
        _item(item="b:/x", path="/mnt/c/b", costs=costs(1.5)),
        _item(item="c:/x", path="/mnt/c/c", costs=[{"ratio": None, "label": "w"}]),
        _item(item="d:/x", path="/mnt/c/keep/d", costs=costs(90.0)),
        _item(item="e:/x", path="/mnt/c/e", costs=costs(90.0), moved_to="/home/me/e"),
        _item(item="f:/x", path="/home/me/f", costs=costs(90.0), **{"class": "native"}),
    ]
    ignore = tmp_path / ".wsl-lab-ignore"
    ignore.write_text("# the team's shared folder stays\n/mnt/c/keep/*   # by path\n")
    patterns = check.read_ignore(None, ignore)
    got = {i["item"]: (why, fails) for i, why, fails in check.verdicts(items, patterns, 2.0)}
    assert got == {
        "a:/x": ("40.0× slower", True),
        "b:/x": ("1.5× slower, under 2×", False),
        "c:/x": ("cost not measured", True),
        "d:/x": (f"accepted ({ignore}:2: /mnt/c/keep/*)", False),
    }
    assert check.verdicts(items[:2], [], 50.0)[0][2] is False
    with pytest.raises(ParameterError, match="no such file"):
        check.read_ignore(tmp_path / "nope", ignore)


def _shared_folder(tmp_path: Path, what: str, item: str, **kw) -> dict:
    folder = tmp_path / "c" / "models"
    (folder / "blobs").mkdir(parents=True)
    (folder / "blobs" / "m.gguf").write_bytes(b"x" * 10000)
    return _item(what=what, item=item, path=str(folder), resolved=str(folder), exists=True,
                 kind="wsl-9p", **kw)  # fmt: skip


def test_a_model_cache_moves_with_its_environment_line(tmp_path, monkeypatch):
    monkeypatch.setenv("SHELL", "/bin/zsh")
    item = _shared_folder(tmp_path, "models", "Ollama models (OLLAMA_MODELS)")
    made = plan.build_plan([item], tmp_path / "home")
    (move,) = made.moves
    assert move.copies[0].dest == str(tmp_path / "home" / "ollama-models")
    assert move.copies[0].need_bytes >= 10000
    text = "\n".join(plan.plan_text(made))
    rc = os.path.expanduser("~/.zshrc")
    assert f"{rc} (the script adds it): export OLLAMA_MODELS={tmp_path}/home/ollama-models" in text
    assert text.splitlines()[-1] == f"   # rm -rf -- {item['path']}"


def test_a_folder_on_a_windows_drive_gets_its_mklink_line_with_its_cost(tmp_path, monkeypatch):
    monkeypatch.setenv("WSL_DISTRO_NAME", "Ubuntu")
    item = _shared_folder(tmp_path, "project", "git repository",
                          windows_path="C:\\Users\\me\\models")  # fmt: skip
    made = plan.build_plan([item], tmp_path / "home")
    script = plan.plan_script(made)
    dest = str(tmp_path / "home" / "models").replace("/", "\\")
    assert f'rem   mklink /d "C:\\Users\\me\\models" "\\\\wsl.localhost\\Ubuntu{dest}"' in script
    assert "16.5 MiB/s against NTFS's 576 MiB/s (2.9%)" in script


def test_the_plan_runs_as_sh_and_stops_at_the_first_failing_step(tmp_path, cache_home):
    item = _shared_folder(tmp_path, "models", "Hugging Face cache (HF_HOME)")
    made = plan.build_plan([item], tmp_path / "home")
    script = tmp_path / "move.sh"
    script.write_text(plan.plan_script(made))
    dest = Path(made.moves[0].copies[0].dest)
    dest.mkdir(parents=True)  # something already there: the copy must not go over it
    env = {**os.environ, "HOME": str(tmp_path)}
    done = subprocess.run(["sh", str(script)], capture_output=True, text=True, env=env)
    assert done.returncode == 1 and f"{dest} exists already" in done.stderr
    assert not (tmp_path / ".bashrc").exists() and not made.ledger.exists()
    dest.rmdir()
    done = subprocess.run(["sh", str(script)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert (dest / "blobs" / "m.gguf").read_bytes() == b"x" * 10000
    assert (Path(item["path"]) / "blobs" / "m.gguf").exists()  # the original stays
    assert plan.read_ledger(made.ledger) == {item["path"]: str(dest)}


def test_a_bind_the_file_cannot_be_pointed_at_is_neither_copied_nor_offered_for_removal(
    tmp_path, monkeypatch
):
    share = tmp_path / "c"
    (share / "site").mkdir(parents=True)
    (share / "logs").mkdir()
    monkeypatch.setenv("LOGS", f"{share}/logs")
    file = tmp_path / "compose.yaml"
    file.write_text(f"services:\n  web:\n    volumes:\n      - {share}/site:/site\n"
                    "      - ${LOGS}:/logs\n")  # fmt: skip
    items = [
        _item(
            what="compose bind mount",
            item=f"app/web:/{n}",
            path=str(share / n),
            resolved=str(share / n),
            exists=True,
            compose_file=str(file),
            compose_project="app",
            read_by="PyYAML",
        )  # fmt: skip
        for n in ("site", "logs")
    ]
    made = plan.build_plan(items, tmp_path / "home")
    (move,) = made.moves
    assert [c.source for c in move.copies] == [str(share / "site")]
    text = "\n".join(plan.plan_text(made))
    assert "not rewritten, so not moved: ${LOGS}:/logs: a variable" in text
    assert f"# rm -rf -- {share}/logs" not in text and f"# rm -rf -- {share}/site" in text
    assert "docker-compose -p app -f" in text or "docker compose -p app -f" in text


def test_a_path_with_a_newline_is_left_to_the_user(tmp_path):
    item = _shared_folder(tmp_path, "models", "Hugging Face cache (HF_HOME)")
    odd = Path(item["path"]).with_name("a\nb")
    Path(item["path"]).rename(odd)
    made = plan.build_plan([{**item, "path": str(odd), "resolved": str(odd)}], tmp_path / "home")
    assert made.moves == [] and "control character" in made.skipped[0]


@pytest.mark.parametrize("change", ["content", "mode", "link", "extra", "none"])
def test_verify_tells_a_copy_that_differs_in_any_way(tmp_path, change):
    src, dst = tmp_path / "src dir", tmp_path / "it's copy"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "f").write_text("data")
    os.symlink("sub/f", src / "link")
    subprocess.run(["cp", "-a", str(src), str(dst)], check=True)
    if change == "content":
        (dst / "sub" / "f").write_text("date")
        st = (src / "sub" / "f").stat()  # same size and time: only the checksum tells
        os.utime(dst / "sub" / "f", ns=(st.st_atime_ns, st.st_mtime_ns))
    elif change == "mode":
        os.chmod(dst / "sub" / "f", 0o600)
    elif change == "link":
        (dst / "link").unlink()
        os.symlink("sub/../sub/f", dst / "link")
    elif change == "extra":
        (dst / "sub" / "g").write_text("")
    script = tmp_path / "v.sh"
    script.write_text(f"set -eu\n{plan.HELPERS}\nverify {plan._q(str(src))} {plan._q(str(dst))}\n")
    done = subprocess.run(["sh", str(script)], capture_output=True, text=True)
    if change == "none":
        assert done.returncode == 0 and "2 files" not in done.stderr, done.stderr
        assert "1 files, checksums and metadata match" in done.stderr
    else:
        assert done.returncode == 1 and "differ" in done.stderr, (change, done.stderr)
