"""Stage 6: write the built site so that the output folder is only ever old or new, never a mix."""

from __future__ import annotations

import ctypes
import os
import shutil
from pathlib import Path

from .diagnostics import Diagnostic, error
from .render import OutputFile

RENAME_EXCHANGE = 2  # Linux renameat2 flag: swap two paths in one step


def write_site(out: Path, files: list[OutputFile]) -> list[Diagnostic]:
    """Write `files` into a fresh folder beside `out`, then put it in the place of `out`."""
    out = out.absolute()
    staging = out.parent / f".{out.name}.tmp-{os.getpid()}"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(out)
        for f in files:
            target = staging / f.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(f.data)
        swap_into_place(staging, out)
    except OSError as exc:  # disk full, no permission: the old output stays as it was
        where = f" ({exc.filename})" if exc.filename else ""
        return [error(out, 0, f"cannot write the site: {exc.strerror or exc}{where}")]
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return []


def swap_into_place(staging: Path, out: Path) -> None:
    """Make `staging` the new `out`; the old output ends up at `staging`, to be deleted."""
    if not out.exists():
        os.rename(staging, out)
    elif not _exchange(staging, out):
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        os.rename(out, old)
        os.rename(staging, out)
        os.rename(old, staging)


def remove_stale(out: Path) -> None:
    """Folders left by a build that was killed half-way (not those of a build still running)."""
    for stale in [*out.parent.glob(f".{out.name}.tmp-*"), *out.parent.glob(f".{out.name}.old-*")]:
        if not _running(stale.name.rpartition("-")[2]):
            shutil.rmtree(stale, ignore_errors=True)


def _running(pid: str) -> bool:
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux 3.15+); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0
