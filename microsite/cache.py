"""The persistent build cache (`.microsite-cache/`): what the last build read, rendered and wrote.

One file, written whole (to a temporary name, then renamed): a header with the digest of the code
that wrote it, a signature and a length, then the cache, pickled as nested dicts. A build that
changed a few entries (one page edited) does not write it again: it appends what changed to its
end (its journal), until the journal has grown to a share of the file and the whole is written anew.
Unpickling runs code, and the cache sits in the site folder, where anyone who can commit to the site
could plant one: so the signature is an HMAC keyed by a secret kept in the user's own cache folder,
and a file this machine did not sign is never unpickled. Each journal entry is signed over the
signature before it (the file's own for the first), so an entry cut short (a build killed while
appending), changed or out of order makes the whole cache ignored, never half-applied. The journal
is in the same file and each entry is synced to disk before the build ends, so entries cannot be
lost while the rest is kept: the output folders would then be vouched for by an older state.
A cache that is missing, from another version of microsite, unreadable or damaged is never
trusted: the build starts from nothing, and says so if the file was damaged.
A lock file keeps two builds of one site from sharing the cache at the same time.
"""

from __future__ import annotations

import fcntl
import functools
import gc
import hashlib
import hmac
import os
import pickle
import secrets
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from .model import Deps
from .diagnostics import Diagnostic, warning
from .output import Folder, OutputState
from .pages import Listing

CACHE_DIR = ".microsite-cache"
CACHE_FILE = "build.pickle"
LOCK_FILE = "lock"
MAGIC = b"microsite-cache\n"
SIGNATURE_SIZE = hashlib.sha256().digest_size
LENGTH_SIZE = 8
JOURNAL_MIN, JOURNAL_SHARE = 1 << 16, 4  # the journal grows to 64 KiB or a quarter of the cache file, then is folded in


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


Save = Callable[[], list[Diagnostic]]
Document = dict  # the cache as nested dicts, the form it is stored and compared in (see `_document`)
Change = tuple  # (key path, new value), or (key path,) for a key removed


class _Stored(NamedTuple):
    """The cache file as this build read it: the signature its next journal entry chains from, and
    the sizes that tell when to write the whole cache again."""

    chain: bytes
    base_size: int
    journal_size: int


@contextmanager
def open_cache(folder: Path | None, engine: bytes) -> Iterator[tuple[CacheData, list[Diagnostic], Save]]:
    """The cache in `folder` (an empty one for None), locked for the `with` block, and a function that
    saves it if the build changed it."""
    if folder is None:
        yield CacheData(engine), [], list
        return
    if any(path.is_symlink() for path in (folder, folder / LOCK_FILE, folder / CACHE_FILE)):  # it could lead out of the site
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
        with _collector_paused():
            gc.unfreeze()  # what the last build of this process froze (a preview's) may be collected now
            data, problems, stored = _read(folder / CACHE_FILE, engine)
            before = _copy(_document(data)) if stored else None  # a copy: the build may change the dicts in place
            # The tens of thousands of records just read live as long as the build: left to the cyclic
            # collector, each of its full passes, and the last one as the process exits, would scan
            # them all again.
            gc.freeze()
        yield data, problems, lambda: save(folder, data, before, stored)


# The cache this process last saved, by file, with the file's identity then: a long-running process
# (the preview server) takes it from here instead of reading and unpickling the file again.
_saved: dict[Path, tuple[tuple[int, int, int], CacheData, _Stored]] = {}


def _identity(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def load(path: Path, engine: bytes) -> tuple[CacheData, list[Diagnostic]]:
    """The cache in the file at `path`, or an empty one and why it was ignored."""
    data, problems, _ = _read(path, engine)
    return data, problems


def _read(path: Path, engine: bytes) -> tuple[CacheData, list[Diagnostic], _Stored | None]:
    kept = _saved.pop(path, None)  # taken out: a build that fails half-way must not leave it changed here
    try:
        if kept and kept[0] == _identity(path) and kept[1].engine == engine:
            return kept[1], [], kept[2]
        blob = path.read_bytes()
    except FileNotFoundError:
        return CacheData(engine), [], None
    except OSError as exc:
        return CacheData(engine), [_ignored(path, exc.strerror or str(exc))], None
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + len(engine) + SIGNATURE_SIZE + LENGTH_SIZE:
        return CacheData(engine), [_ignored(path, "not a microsite cache file")], None
    written_by, signature, length, rest = _split(memoryview(blob)[len(MAGIC):], len(engine), SIGNATURE_SIZE, LENGTH_SIZE)
    payload, journal = _split(rest, int.from_bytes(length, "big"))
    if written_by != engine:
        return CacheData(engine), [], None  # written by another version of microsite: stale, not damaged
    entries, chain = _journal_entries(journal, bytes(signature))
    if not hmac.compare_digest(_sign(engine, payload), signature) or entries is None:
        return CacheData(engine), [_ignored(path, "the file is damaged, incomplete or was not written on this machine")], None
    try:
        with _collector_paused():  # tens of thousands of small objects: the cyclic collector would scan them again and again
            document = pickle.loads(payload)
            for entry in entries:
                _apply(document, pickle.loads(entry))
            data = _cache_data(engine, document)
    except Exception as exc:  # a checksum-valid file that still cannot be read
        return CacheData(engine), [_ignored(path, f"unreadable ({type(exc).__name__})")], None
    return data, [], _Stored(chain, len(payload), len(journal))


def _split(data: bytes, *sizes: int) -> list[bytes]:
    """`data` cut into pieces of `sizes`, then the rest."""
    pieces = []
    for size in sizes:
        pieces.append(data[:size])
        data = data[size:]
    return pieces + [data]


def _journal_entries(journal: bytes, chain: bytes) -> tuple[list[bytes] | None, bytes]:
    """The payloads of the journal's entries, each signed over the signature before it (the cache's
    own for the first), and the last signature; None if an entry is cut short or not signed here."""
    entries, start = [], 0
    while start < len(journal):
        size = int.from_bytes(journal[start:start + LENGTH_SIZE], "big")
        start += LENGTH_SIZE + SIGNATURE_SIZE
        signature, entry = journal[start - SIGNATURE_SIZE:start], journal[start:start + size]
        if len(entry) != size or not hmac.compare_digest(_sign(chain, entry), signature):
            return None, chain
        entries.append(entry)
        chain, start = bytes(signature), start + size
    return entries, chain


def save(folder: Path, data: CacheData, before: Document | None = None, stored: _Stored | None = None) -> list[Diagnostic]:
    """Write what the build changed since `before`, as the file then was (`stored`): appended to its
    journal, or the whole cache if there was none or the journal has grown to a share of it.
    A failure only costs the next build its speed, so it is a warning."""
    path = folder / CACHE_FILE
    document = _document(data)
    temporary = folder / f"{CACHE_FILE}.{os.getpid()}.tmp"
    try:
        if before is not None and stored is not None:
            with _collector_paused():
                changes = _changes(before, document)
                entry = pickle.dumps(changes, protocol=pickle.HIGHEST_PROTOCOL)
            if not changes:
                _saved[path] = _identity(path), data, stored
                return []
            if stored.journal_size + len(entry) <= max(JOURNAL_MIN, stored.base_size // JOURNAL_SHARE):
                signature = _sign(stored.chain, entry)
                with open(path, "ab") as file:  # one write: a build killed during it leaves an entry cut short
                    file.write(len(entry).to_bytes(LENGTH_SIZE, "big") + signature + entry)
                    file.flush()
                    # On disk before the next build swaps the output folders: after a power cut, an
                    # entry lost while the swaps that follow it were kept would vouch for the wrong folder.
                    os.fsync(file.fileno())
                journal_size = stored.journal_size + LENGTH_SIZE + SIGNATURE_SIZE + len(entry)
                _saved[path] = _identity(path), data, stored._replace(chain=signature, journal_size=journal_size)
                return []
        with _collector_paused():
            payload = pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL)
        signature = _sign(data.engine, payload)
        temporary.write_bytes(MAGIC + data.engine + signature + len(payload).to_bytes(LENGTH_SIZE, "big") + payload)
        os.replace(temporary, path)
        _saved[path] = _identity(path), data, _Stored(signature, len(payload), 0)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        return [warning(path, 0, f"could not save the build cache ({exc.strerror or exc}); "
                                 "the next build will render everything")]
    return []


def _document(data: CacheData) -> Document:
    """The cache as nested dicts, so that a change deep inside (one page's record, one output file)
    is found and written on its own. Every field but `engine` is kept; an output folder's state is
    spelt out, as most of it (the digest of each file) carries over from one build to the next."""
    document = {f.name: getattr(data, f.name) for f in fields(data) if f.name != "engine"}
    document["outputs"] = {folder: {"live_id": state.live.id, "live": state.live.files,
                                    "spare_id": state.spare and state.spare.id,
                                    "spare": state.spare and state.spare.files}
                           for folder, state in data.outputs.items()}
    return document


def _cache_data(engine: bytes, document: Document) -> CacheData:
    outputs = {folder: OutputState(Folder(state["live_id"], state["live"]),
                                   Folder(state["spare_id"], state["spare"]) if state["spare"] is not None else None)
               for folder, state in document["outputs"].items()}
    return CacheData(engine, **(document | {"outputs": outputs}))


def _copy(document: Document) -> Document:
    """A copy of every dict in `document` (not of the values in them)."""
    return {key: _copy(value) if type(value) is dict else value for key, value in document.items()}


def _changes(old: Document, new: Document, path: tuple = ()) -> list[Change]:
    """What turns `old` into `new`: each key added, changed or removed, as deep as both are dicts."""
    changes: list[Change] = [(path + (key,),) for key in old.keys() - new.keys()]
    for key, value in new.items():
        if key not in old:
            changes.append((path + (key,), value))
        elif type(value) is dict and type(old[key]) is dict:
            changes += _changes(old[key], value, path + (key,))
        elif old[key] is not value and old[key] != value:
            changes.append((path + (key,), value))
    return changes


def _apply(document: Document, changes: list[Change]) -> None:
    for path, *value in changes:
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        if value:
            parent[path[-1]] = value[0]
        else:
            del parent[path[-1]]


@contextmanager
def _collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _sign(*parts: bytes) -> bytes:
    signature = hmac.new(_signing_key(), digestmod=hashlib.sha256)
    for part in parts:
        signature.update(part)
    return signature.digest()


_process_key = secrets.token_bytes(32)  # used where no key can be kept: the cache then lasts one process


@functools.cache  # read once per process: every journal entry read or written is signed with it
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
