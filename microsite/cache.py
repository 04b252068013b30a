"""The persistent build cache (`.microsite-cache/`): what the last build read, rendered and wrote.

One file, written whole after each build (to a temporary name, then renamed), with a checksum.
A cache that is missing, from another version of microsite, unreadable or damaged is never
trusted: the build starts from nothing, and says so if the file was damaged.
A lock file keeps two builds of one site from sharing the cache at the same time.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, NamedTuple

from .deps import Deps
from .diagnostics import Diagnostic, warning
from .output import OutputState
from .pages import Listing

CACHE_DIR = ".microsite-cache"
CACHE_FILE = "build.pickle"
LOCK_FILE = "lock"
MAGIC = b"microsite-cache\n"


class SourceRecord(NamedTuple):
    """A page file as last read: its size, time and digest, and what it gave."""

    mtime_ns: int
    size: int
    digest: bytes
    settled: bool  # modified well before the build that read it: its time can be trusted
    listing: Listing | None
    problems: tuple[Diagnostic, ...]


class RenderRecord(NamedTuple):
    """A page as last rendered: the key of everything it used, and the digest of the file it gave."""

    key: bytes
    digest: bytes
    deps: Deps


@dataclass
class CacheData:
    """The cache's contents; `engine` is the digest of the code that wrote it."""

    engine: bytes
    sources: dict[str, SourceRecord] = field(default_factory=dict)  # by path under content/
    renders: dict[str, RenderRecord] = field(default_factory=dict)  # by output path
    outputs: dict[str, OutputState] = field(default_factory=dict)  # by output folder


@contextmanager
def open_cache(folder: Path | None, engine: bytes) -> Iterator[tuple[CacheData, list[Diagnostic]]]:
    """The cache in `folder` (an empty one for None), locked for the `with` block."""
    if folder is None:
        yield CacheData(engine), []
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = open(folder / LOCK_FILE, "a+b")
    except OSError as exc:
        yield CacheData(engine), [warning(folder, 0, f"build cache unavailable ({exc.strerror or exc}); "
                                                     "building everything")]
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield load(folder / CACHE_FILE, engine)


# The cache this process last saved, by file, with the file's identity then: a long-running process
# (the preview server) takes it from here instead of reading and unpickling the file again.
_saved: dict[Path, tuple[tuple[int, int, int], CacheData]] = {}


def _identity(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def load(path: Path, engine: bytes) -> tuple[CacheData, list[Diagnostic]]:
    kept = _saved.pop(path, None)  # taken out: a build that fails half-way must not leave it changed here
    try:
        if kept and kept[0] == _identity(path) and kept[1].engine == engine:
            return kept[1], []
        blob = path.read_bytes()
    except FileNotFoundError:
        return CacheData(engine), []
    except OSError as exc:
        return CacheData(engine), [_ignored(path, exc.strerror or str(exc))]
    header = len(MAGIC) + 4
    if not blob.startswith(MAGIC) or len(blob) < header:
        return CacheData(engine), [_ignored(path, "not a microsite cache file")]
    payload = blob[header:]
    if zlib.crc32(payload).to_bytes(4, "big") != blob[len(MAGIC):header]:
        return CacheData(engine), [_ignored(path, "the file is damaged or incomplete")]
    try:
        data = pickle.loads(payload)
    except Exception as exc:  # a checksum-valid file written by incompatible code
        return CacheData(engine), [_ignored(path, f"unreadable ({type(exc).__name__})")]
    if not isinstance(data, CacheData) or data.engine != engine:
        return CacheData(engine), []  # written by another version of microsite: stale, not damaged
    return data, []


def save(folder: Path | None, data: CacheData) -> list[Diagnostic]:
    """Write the cache; a failure only costs the next build its speed, so it is a warning."""
    if folder is None:
        return []
    shared: dict[Deps, Deps] = {}
    # Most pages use the same templates: one Deps object each, so pickle writes it once.
    data.renders = {k: r._replace(deps=shared.setdefault(r.deps, r.deps)) for k, r in data.renders.items()}
    payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
    path = folder / CACHE_FILE
    temporary = folder / f"{CACHE_FILE}.{os.getpid()}.tmp"
    try:
        temporary.write_bytes(MAGIC + zlib.crc32(payload).to_bytes(4, "big") + payload)
        os.replace(temporary, path)
        _saved[path] = _identity(path), data
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        return [warning(path, 0, f"could not save the build cache ({exc.strerror or exc}); "
                                 "the next build will render everything")]
    return []


def _ignored(path: Path, why: str) -> Diagnostic:
    return warning(path, 0, f"build cache ignored: {why}; building everything")
