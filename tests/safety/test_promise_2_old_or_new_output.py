"""Promise 2: a failed build never touches the output; an interrupted one leaves the old or the new, never a mix."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, make_site
from microsite import output
from safety_helpers import errors_of, page, run_main

# The command line with every file write slowed down, announcing each on stdout, so a test can
# interrupt the build while the new output is half written.
SLOW_WRITER = """
import itertools, pathlib, signal, sys, time
# Ctrl-C as in a terminal, even when the tests run where SIGINT is ignored (a background job), which
# Python would otherwise pass on to the build.
signal.signal(signal.SIGINT, signal.default_int_handler)
real_write_bytes = pathlib.Path.write_bytes
delay, hold_after = float(sys.argv[1]), int(sys.argv[2])
writes = itertools.count(1)
def slow_write_bytes(self, data):
    written = real_write_bytes(self, data)
    print("wrote", self, flush=True)
    time.sleep(60 if next(writes) == hold_after else delay)
    return written
pathlib.Path.write_bytes = slow_write_bytes
from microsite.cli import main
sys.exit(main(sys.argv[3:]))
"""
PAGES = 30


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` and a hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.fixture
def sites(tmp_path):
    """A site with many pages, its output built, and the snapshots of the old and the new output."""
    site = make_site(tmp_path, {f"content/page-{i}.md": page(f"title: Page {i}\ndescription: Old {i}.") for i in range(PAGES)})
    out = tmp_path / "out"
    assert run_main("build", "--site", site, "--out", out).returncode == 0
    old = snapshot(out)
    for i in range(PAGES):
        (site / f"content/page-{i}.md").write_text(page(f"title: Page {i}\ndescription: New {i}."))
    new_out = tmp_path / "expected-new"
    assert run_main("build", "--site", site, "--out", new_out).returncode == 0
    new = snapshot(new_out)
    assert old != new and old.keys() == new.keys()
    return site, out, old, new


def start_slow_build(site: Path, out: Path, delay: float, hold_after: int = 0) -> subprocess.Popen:
    """A build that sleeps `delay` after each file it writes, and a minute after write `hold_after`
    (so a signal sent then always finds it half-way, however slowly the test runs)."""
    return subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(delay), str(hold_after),
                             "build", "--site", str(site), "--out", str(out)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_writes(build: subprocess.Popen, count: int) -> None:
    for _ in range(count):
        assert build.stdout.readline().startswith("wrote"), build.stderr.read()


def test_a_killed_build_leaves_the_old_output_and_the_next_build_cleans_up(sites):
    site, out, old, new = sites
    build = start_slow_build(site, out, delay=0.05, hold_after=5)
    wait_for_writes(build, 5)  # the new site is half written
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=30)
    assert snapshot(out) == old
    [stale] = leftovers(out)
    assert stale == f".out.tmp-{build.pid}"

    assert run_main("build", "--site", site, "--out", out).returncode == 0
    assert snapshot(out) == new
    assert leftovers(out) == []


def test_ctrl_c_leaves_the_old_output_and_no_temporary_folder(sites):
    site, out, old, new = sites
    build = start_slow_build(site, out, delay=0.05, hold_after=5)
    wait_for_writes(build, 5)
    build.send_signal(signal.SIGINT)
    _, stderr = build.communicate(timeout=30)
    assert build.returncode == 130
    assert stderr == "microsite: interrupted; the output folder was left as it was\n"
    assert snapshot(out) == old
    assert leftovers(out) == []


def test_kills_at_any_moment_leave_the_old_or_the_new_output(sites):
    """Kill the build at moments spread over its writing (about 0.2 s) and swap, and after."""
    site, out, old, new = sites
    outcomes = []
    for moment in (0.0, 0.05, 0.1, 0.15, 0.2, 0.4):
        build = start_slow_build(site, out, delay=0.005)
        wait_for_writes(build, 1)
        time.sleep(moment)
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=30)
        state = snapshot(out)
        assert state in (old, new), f"a mix after a kill at {moment} s"
        outcomes.append("new" if state == new else "old")
        if state == new:  # start again from the old output
            for i in range(PAGES):
                (site / f"content/page-{i}.md").write_text(page(f"title: Page {i}\ndescription: Old {i}."))
            assert run_main("build", "--site", site, "--out", out).returncode == 0
            assert snapshot(out) == old
            for i in range(PAGES):
                (site / f"content/page-{i}.md").write_text(page(f"title: Page {i}\ndescription: New {i}."))
    assert "old" in outcomes, outcomes  # the kills did land during builds


def test_a_build_with_errors_leaves_the_output_untouched(sites):
    site, out, old, new = sites
    (site / "content/page-3.md").write_text(page("title: [broken"))
    result = run_main("build", "--site", site, "--out", out)
    errors_of(result)
    assert result.stderr.endswith("not built: 1 error, 0 warnings; the output folder was left as it was\n")
    assert snapshot(out) == old
    assert leftovers(out) == []


def test_a_failed_write_is_an_error_and_leaves_the_output_untouched(sites, monkeypatch):
    site, out, old, new = sites

    def disk_full(self, data):
        raise OSError(28, "No space left on device", str(self))
    monkeypatch.setattr(Path, "write_bytes", disk_full)
    result = run_main("build", "--site", site, "--out", out)
    monkeypatch.undo()
    [error] = errors_of(result)
    assert "cannot write the site: No space left on device" in error.group()
    assert snapshot(out) == old
    assert leftovers(out) == []


def test_without_an_atomic_exchange_the_fallback_swap_still_replaces_the_output(sites, monkeypatch):
    site, out, old, new = sites
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    assert run_main("build", "--site", site, "--out", out).returncode == 0
    assert snapshot(out) == new
    assert leftovers(out) == []


def test_temporary_folders_of_a_running_build_are_left_alone(sites):
    site, out, old, new = sites
    running = out.parent / f".out.tmp-{os.getppid()}"  # a process that is alive: pytest's parent
    running.mkdir()
    dead = out.parent / ".out.old-999999999"
    dead.mkdir()
    assert run_main("build", "--site", site, "--out", out).returncode == 0
    assert leftovers(out) == [running.name]
