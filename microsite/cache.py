"""The persistent build cache (`.microsite-cache/`): what the last build read, rendered and wrote.

One file, written whole after a build that changed it (to a temporary name, then renamed): a header
with the digest of the code that wrote it and a signature, then the pickled CacheData.
Unpickling runs code, and the cache sits in the site folder, where anyone who can commit to the site
could plant one: so the signature is an HMAC keyed by a secret kept in the user's own cache folder,
and a file this machine did not sign is never unpickled.
A cache that is missing, from another version of microsite, unreadable or damaged is never
trusted: the build starts from nothing, and says so if the file was damaged.
A lock file keeps two builds of one site from sharing the cache at the same time.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import os
import pickle
import secrets
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from .deps import Deps
from .diagnostics import Diagnostic, warning
from .output import OutputState
from .pages import Listing

CACHE_DIR = ".microsite-cache"
CACHE_FILE = "build.pickle"
LOCK_FILE = "lock"
MAGIC = b"microsite-cache\n"
SIGNATURE_SIZE = hashlib.sha256().digest_size


class SourceRecord(NamedTuple):
    """A page file as last read: its size, time and digest, and what it gave."""

    mtime_ns: int
    size: int
    digest: bytes
    settled: bool  # modified well before the build that read it: its time can be trusted
    volatile: bool  # what it gives depends on another file too: read it every time
    listing: Listing | None
    problems: tuple[Diagnostic, ...]


class RenderRecord(NamedTuple):
    """A page as last rendered: the key of everything it used, and the digest of the file it gave."""

    key: bytes
    digest: bytes
    deps: Deps


class CheckRecord(NamedTuple):
    """A page as last checked: the key of everything its checks read, and what they found."""

    key: bytes
    findings: tuple[Diagnostic, ...]  # before the site's and page's levels are applied
    facts: dict  # what each check's site-wide rules need to know of the page, by check name
    wide: bool  # its findings were looked for in other pages' text, so any page's change counts


@dataclass
class CacheData:
    """The cache's contents; `engine` is the digest of the code that wrote it."""

    engine: bytes
    sources: dict[str, SourceRecord] = field(default_factory=dict)  # by path under content/
    renders: dict[str, RenderRecord] = field(default_factory=dict)  # by output path
    outputs: dict[str, OutputState] = field(default_factory=dict)  # by output folder
    checks: dict[str, CheckRecord] = field(default_factory=dict)  # by path under content/

    def contents(self) -> tuple:
        return self.sources, self.renders, self.outputs, self.checks


Save = Callable[[], list[Diagnostic]]


@contextmanager
def open_cache(folder: Path | None, engine: bytes) -> Iterator[tuple[CacheData, list[Diagnostic], Save]]:
    """The cache in `folder` (an empty one for None), locked for the `with` block, and a function that
    saves it if the build changed it."""
    if folder is None:
        yield CacheData(engine), [], list
        return
    if folder.is_symlink() or (folder / LOCK_FILE).is_symlink():  # it could lead out of the site
        yield CacheData(engine), [warning(folder, 0, "build cache ignored: it is a symbolic link; "
                                                     "building everything")], list
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = open(folder / LOCK_FILE, "a+b")
    except OSError as exc:
        yield CacheData(engine), [warning(folder, 0, f"build cache unavailable ({exc.strerror or exc}); "
                                                     "building everything")], list
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data, problems = load(folder / CACHE_FILE, engine)
        loaded = data.contents() if not problems else None
        yield data, problems, lambda: save(folder, data) if data.contents() != loaded else []


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
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + len(engine) + SIGNATURE_SIZE:
        return CacheData(engine), [_ignored(path, "not a microsite cache file")]
    written_by, signature, payload = _split(blob[len(MAGIC):], len(engine), SIGNATURE_SIZE)
    if written_by != engine:
        return CacheData(engine), []  # written by another version of microsite: stale, not damaged
    if not hmac.compare_digest(_sign(payload), signature):
        return CacheData(engine), [_ignored(path, "the file is damaged, incomplete or was not written on this machine")]
    try:
        data = pickle.loads(payload)
    except Exception as exc:  # a checksum-valid file that still cannot be read
        return CacheData(engine), [_ignored(path, f"unreadable ({type(exc).__name__})")]
    if not isinstance(data, CacheData):
        return CacheData(engine), [_ignored(path, "unexpected contents")]
    return data, []


def _split(data: bytes, *sizes: int) -> list[bytes]:
    """`data` cut into pieces of `sizes`, then the rest."""
    pieces = []
    for size in sizes:
        pieces.append(data[:size])
        data = data[size:]
    return pieces + [data]


def save(folder: Path, data: CacheData) -> list[Diagnostic]:
    """Write the cache; a failure only costs the next build its speed, so it is a warning."""
    payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
    path = folder / CACHE_FILE
    temporary = folder / f"{CACHE_FILE}.{os.getpid()}.tmp"
    try:
        temporary.write_bytes(MAGIC + data.engine + _sign(payload) + payload)
        os.replace(temporary, path)
        _saved[path] = _identity(path), data
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        return [warning(path, 0, f"could not save the build cache ({exc.strerror or exc}); "
                                 "the next build will render everything")]
    return []


def _sign(payload: bytes) -> bytes:
    return hmac.new(_signing_key(), payload, hashlib.sha256).digest()


_process_key = secrets.token_bytes(32)  # used where no key can be kept: the cache then lasts one process


def _signing_key() -> bytes:
    """This user's secret for signing caches, made on first use (readable by the user only)."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(home) / "microsite" / "cache-key"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    except OSError:
        return _process_key
    temporary = path.with_name(f"cache-key.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with os.fdopen(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as key_file:
            key_file.write(secrets.token_bytes(32))
        os.link(temporary, path)  # whole or not at all; fails if another build made it first
    except FileExistsError:
        pass
    except OSError:
        return _process_key
    finally:
        temporary.unlink(missing_ok=True)
    return path.read_bytes()


def _ignored(path: Path, why: str) -> Diagnostic:
    return warning(path, 0, f"build cache ignored: {why}; building everything")
