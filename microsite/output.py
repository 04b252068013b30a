"""Stage 6: write the built site so that the output folder is only ever old or new, never a mix.

The new output is made in a spare folder beside the output, then swapped into its place in one step.
The spare folder is the output of the build before last, kept after the swap: the next build
changes only the files that differ in it, and hard-links the rest from the live output, so a
rebuild writes what changed, and an unchanged file keeps its inode and modification time.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, error
from .model import OutputFile

RENAME_EXCHANGE = 2  # Linux renameat2 flag: swap two paths in one step
RENAME_SWAP = 2  # macOS renamex_np flag: the same
AT_FDCWD = -100  # Linux: paths relative to the working directory


@dataclass(frozen=True)
class Folder:
    """A folder this build wrote: its identity and the digest of each file in it."""

    id: tuple[int, int]  # (device, inode): a folder replaced or swapped behind our back has another
    files: dict[str, bytes]


@dataclass(frozen=True)
class OutputState:
    """The live output folder and the spare one beside it, as the last build left them."""

    live: Folder
    spare: Folder | None


@dataclass(frozen=True)
class Written:
    state: OutputState | None
    changed: tuple[str, ...]  # output paths added, changed or removed
    problems: tuple[Diagnostic, ...] = ()  # why nothing was written


def spare_folder(out: Path) -> Path:
    return out.parent / f".{out.name}.previous"


def live_files(out: Path, state: OutputState | None) -> dict[str, bytes]:
    """The files of `out` whose contents the last build's record vouches for (none if it was replaced)."""
    return state.live.files if state and _identity(out) == state.live.id else {}


def write_site(out: Path, files: list[OutputFile], digests: dict[str, bytes], state: OutputState | None) -> Written:
    """Make `out` hold exactly the files in `digests` (path → digest of its bytes).

    `files` has the bytes of every file that `out` does not already hold with that digest."""
    out = out.absolute()
    try:
        return _write_site(out, files, digests, state)
    except OSError as exc:  # disk full, no permission: the old output stays as it was
        where = f" ({exc.filename})" if exc.filename else ""
        return Written(state, (), (error(out, 0, f"cannot write the site: {exc.strerror or exc}{where}"),))


def _write_site(out: Path, files: list[OutputFile], digests: dict[str, bytes], state: OutputState | None) -> Written:
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(out)
    live = live_files(out, state)
    if live and live == digests:
        return Written(state, ())
    # Without a record of the last build (no cache), a folder of this build's own, as two such builds
    # of one site may run at once.
    spare = spare_folder(out) if state else out.parent / f".{out.name}.tmp-{os.getpid()}"
    spare_files = state.spare.files if state and state.spare and _identity(spare) == state.spare.id else None
    if spare_files is None:
        shutil.rmtree(spare, ignore_errors=True)
    try:
        fill(spare, spare_files or {}, out, live, digests, {f.path: f.data for f in files})
        swap_into_place(spare, out)
    except BaseException:
        shutil.rmtree(spare, ignore_errors=True)
        raise
    if not live:  # the old output was not ours to reuse: do not keep it
        shutil.rmtree(spare, ignore_errors=True)
    kept = Folder(_identity(spare), live) if live and spare.exists() else None
    changed = sorted(p for p in digests.keys() | live.keys() if live.get(p) != digests.get(p))
    return Written(OutputState(Folder(_identity(out), digests), kept), tuple(changed))


def fill(folder: Path, has: dict[str, bytes], live_folder: Path, live: dict[str, bytes],
         wanted: dict[str, bytes], data: dict[str, bytes]) -> None:
    """Turn `folder`, which holds `has`, into `wanted`: delete, then link from the live folder or write."""
    for path in has.keys() - wanted.keys():
        (folder / path).unlink()
        _prune(folder, (folder / path).parent)
    folder.mkdir(exist_ok=True)
    made: set[str] = set()
    for path, digest in wanted.items():
        if has.get(path) == digest:
            continue
        target = folder / path
        parent = os.path.dirname(path)
        if parent and parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(parent)
        if path in has:
            target.unlink()  # never write into it: it may be a hard link to the live file
        if live.get(path) == digest:
            os.link(live_folder / path, target)
        else:
            target.write_bytes(data[path])


def _prune(root: Path, folder: Path) -> None:
    """Remove `folder` and its parents up to `root` while they are empty."""
    while folder != root:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _identity(folder: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(folder)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def swap_into_place(staging: Path, out: Path) -> None:
    """Make `staging` the new `out`; the old output ends up at `staging`, to be deleted."""
    if not out.exists():
        os.rename(staging, out)
    elif not _exchange(staging, out):
        _swap_by_renames(staging, out)


def _swap_by_renames(staging: Path, out: Path) -> None:
    """Where the system cannot swap in one step (Windows): three renames. On an error the old output is
    put back; a build killed between the first two leaves it at .old-PID, which the next build puts back."""
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    os.rename(out, old)
    try:
        os.rename(staging, out)
    except BaseException:
        os.rename(old, out)
        raise
    os.rename(old, staging)


def remove_stale(out: Path) -> None:
    """Folders left by a build that was killed half-way (not those of a build still running); an old
    output left without a new one in its place goes back."""
    for stale in [*out.parent.glob(f".{out.name}.tmp-*"), *out.parent.glob(f".{out.name}.old-*")]:
        if _running(stale.name.rpartition("-")[2]):
            continue
        if ".old-" in stale.name and not out.exists():
            os.rename(stale, out)
        else:
            shutil.rmtree(stale, ignore_errors=True)


def _running(pid: str) -> bool:
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    if sys.platform == "win32":  # there os.kill(pid, 0) would end the process, not test it
        return _running_on_windows(int(pid))
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _running_on_windows(pid: int) -> bool:
    import ctypes

    query_limited_information, still_active, access_denied = 0x1000, 259, 5
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return ctypes.get_last_error() == access_denied  # another user's process
    try:
        code = ctypes.c_ulong()
        return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == still_active
    finally:
        kernel32.CloseHandle(handle)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (renameat2 on Linux 3.15+, renamex_np on macOS); False where the
    system or the file system cannot."""
    import ctypes  # only a build that writes something loads it

    if sys.platform == "win32":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if sys.platform == "darwin":
            return libc.renamex_np(os.fsencode(a), os.fsencode(b), RENAME_SWAP) == 0
        return libc.renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0
    except (OSError, AttributeError):
        return False
