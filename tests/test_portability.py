"""Windows and macOS: the build runs without POSIX-only modules, swaps its output safely, reads CRLF files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, copy_default_site, local_env
from microsite import output
from microsite.cli import main

# Runs the command line as on Windows: no fcntl, no atomic swap of two folders (renameat2 on Linux,
# renamex_np on macOS), no fork. Prints how many output swaps took the three-rename way.
AS_ON_WINDOWS = """
import ctypes, multiprocessing, sys
sys.modules["fcntl"] = None  # `import fcntl` raises ImportError
multiprocessing.get_all_start_methods = lambda: ["spawn"]

class WithoutSwap(ctypes.CDLL):
    def __getattr__(self, name):
        if name in ("renameat2", "renamex_np"):
            raise AttributeError(name)
        return super().__getattr__(name)

ctypes.CDLL = WithoutSwap
from microsite import output
from microsite.cli import main
renames = []
swap = output._swap_by_renames
output._swap_by_renames = lambda *folders: (renames.append(folders), swap(*folders))
code = main(sys.argv[1:])
print(f"swapped by renames: {len(renames)}", file=sys.stderr)
sys.exit(code)
"""


def as_on_windows(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", AS_ON_WINDOWS, *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env=local_env(PYTHONPATH=str(REPO), GITHUB_ACTIONS="false"))


def with_crlf(folder: Path) -> None:
    """Line ends as Git for Windows checks text files out."""
    for path in folder.rglob("*"):
        if path.suffix in (".md", ".yaml", ".html", ".css", ".svg"):
            path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))


def test_the_default_site_builds_as_on_windows_from_a_crlf_checkout(tmp_path):
    site = copy_default_site(tmp_path / "site")
    with_crlf(site)

    first = as_on_windows("build", cwd=site)
    assert first.returncode == 0, first.stderr
    page = site / "content/risks.md"
    page.write_bytes(page.read_bytes().replace(b"\r\n## ", b"\r\nA new line.\r\n\r\n## ", 1))
    second = as_on_windows("build", cwd=site)

    assert second.returncode == 0, second.stderr
    assert "(0 errors, 0 warnings)" in first.stderr and "(0 errors, 0 warnings)" in second.stderr
    assert "swapped by renames: 1" in second.stderr  # the second build replaced an output folder
    assert "A new line." in (site / "public/risks/index.html").read_text(encoding="utf-8")
    assert not [path.name for path in site.iterdir() if ".old-" in path.name or ".tmp-" in path.name]


def test_a_crlf_page_gives_its_error_on_the_right_line(tmp_path, monkeypatch, capsys):
    site = copy_default_site(tmp_path / "site")
    page = site / "content/aftercare.md"
    page.write_bytes(b"---\r\ntitle: Aftercare\r\ndescription: After.\r\nkind: aftercare\r\ntitel: x\r\n---\r\nText.\r\n")
    monkeypatch.chdir(site)
    assert main(["check"]) == 1
    assert "content/aftercare.md:5:" in capsys.readouterr().err


def test_the_three_renames_put_the_old_output_back_on_an_error(tmp_path, monkeypatch):
    out, staging = tmp_path / "public", tmp_path / ".public.tmp-1"
    (out / "page").mkdir(parents=True)
    staging.mkdir()
    rename = output.os.rename

    def failing(source, target):
        if Path(source) == staging:
            raise PermissionError(13, "in use by another program", str(target))
        rename(source, target)

    monkeypatch.setattr(output.os, "rename", failing)
    with pytest.raises(PermissionError):
        output._swap_by_renames(staging, out)
    assert (out / "page").is_dir()


def test_an_old_output_left_by_a_killed_build_goes_back(tmp_path):
    out = tmp_path / "public"
    left = tmp_path / f".public.old-{finished_pid()}"
    (left / "page").mkdir(parents=True)

    output.remove_stale(out)

    assert (out / "page").is_dir() and not left.exists()


def finished_pid() -> int:
    """The id of a process that has ended."""
    process = subprocess.Popen([sys.executable, "-c", ""])
    process.wait()
    return process.pid


def test_no_process_is_signalled_on_windows(monkeypatch):
    """On Windows os.kill(pid, 0) ends the process: the check asks the system instead."""
    monkeypatch.setattr(output.sys, "platform", "win32")
    monkeypatch.setattr(output.os, "kill", lambda *args: pytest.fail("os.kill called"))
    monkeypatch.setattr(output, "_running_on_windows", lambda pid: pid == 4242)
    assert output._running("4242") and not output._running("4243")
