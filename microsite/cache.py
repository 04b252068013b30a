"""The build cache (`.microsite-cache/build.sqlite`): what the last build read, rendered, checked and wrote.

`BuildCache` is the one place where a build reuses earlier work: a page file's reading, a page's
render (its bytes included, so a reused page is never read back from the output folder) and a
page's findings, each kept with the key of what the work used. The whole cache also carries
`engine_fingerprint()`, the digest of the code that did the work: a cache made by other code is
not used.

The file is a SQLite database of plain data (JSON text and bytes): reading it runs no code, so it
needs no signing key and a cache made on one machine is as good on the next (a CI runner restores
the last build's). Paths in the site folder are stored relative to it, with '/', so a copy of the
site in another folder reuses it too. A build is one transaction, begun when the cache is opened
and committed at its end: two builds of one site wait for each other by SQLite's own lock, and a
build killed half-way leaves the cache as it was. A file that is not a cache (damaged, cut short)
is set aside with one warning and the build starts from nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
import importlib
import importlib.metadata
import json
import os
import re
import sqlite3
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Callable, Iterator, NamedTuple

from .model import Deps
from .diagnostics import Diagnostic, warning
from .output import Folder, OutputState
from .pages import Listing

CACHE_DIR = ".microsite-cache"
CACHE_FILE = "build.sqlite"
FORMAT = b"1"  # the layout of the tables below; part of the engine fingerprint
BUSY_SECONDS = 600.0  # how long a build waits for another build of the same site to finish with the cache
PACKAGE = Path(__file__).parent
WORK = ("sources", "renders", "checks")  # what the engine made: kept only for the same engine
TABLES = (*WORK, "outputs")  # with what the output folders hold


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


@lru_cache(maxsize=1)
def engine_fingerprint() -> bytes:
    """The code that turns sources into pages and findings: every file of the installed package (the
    checks, their rule lists and its data included), the versions of the libraries it uses, Python's."""
    parts = [FORMAT, sys.version.encode()]
    parts += [f"{name} {version}".encode() for name, version in sorted(_library_versions().items())]
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts.append(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest(b"\0".join(parts))


def _library_versions() -> dict[str, str]:
    """The distributions microsite needs to run (not its test extras), and theirs, by name."""
    versions: dict[str, str] = {}
    todo = ["microsite"]
    while todo:
        name = todo.pop()
        try:
            distribution = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
            continue
        versions[name] = distribution.version
        for requirement in distribution.requires or ():
            if "extra ==" not in requirement:
                needed = re.match(r"[A-Za-z0-9._-]+", requirement).group().lower().replace("_", "-")
                if needed not in versions:
                    todo.append(needed)
    return versions


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
class BuildCache:
    """What the last build made, for this one to reuse, and what this one made, for the next.

    A build looks up earlier work by the key of what the work uses now (`reused_render`,
    `reused_findings`) and stores what it did; the save function `open_cache` gives writes what
    changed, in one transaction."""

    root: Path  # the site folder: stored paths are relative to it
    sources: dict[str, SourceRecord] = field(default_factory=dict)  # by path under content/
    renders: dict[str, RenderRecord] = field(default_factory=dict)  # by output path
    outputs: dict[str, OutputState] = field(default_factory=dict)  # by output folder
    checks: dict[str, CheckRecord] = field(default_factory=dict)  # by path under content/
    pages: dict[str, bytes] = field(default_factory=dict)  # rendered by this build, by output path
    read_page: Callable[[str], bytes | None] = lambda output: None  # the stored bytes of a page rendered before

    def reused_render(self, output: str, key: Callable[[Deps], bytes]) -> RenderRecord | None:
        """The last render of the page at `output`, if the key of what it used (`key(deps)`) still holds."""
        record = self.renders.get(output)
        return record if record and key(record.deps) == record.key else None

    def page_bytes(self, output: str) -> bytes | None:
        """The bytes of the page at `output`: rendered by this build, or stored by an earlier one."""
        data = self.pages.get(output)
        return data if data is not None else self.read_page(output)

    def store_renders(self, records: dict[str, RenderRecord], pages: dict[str, bytes]) -> None:
        """The renders that hold after this build (reused or new) and the bytes of the new ones."""
        self.renders, self.pages = records, pages

    def reused_findings(self, rel: str, key: Callable[[bool], bytes]) -> CheckRecord | None:
        """The last findings of the page `rel`, if the key of what its checks read (`key(wide)`) still holds."""
        record = self.checks.get(rel)
        return record if record and key(record.wide) == record.key else None


Save = Callable[[], list[Diagnostic]]
Rows = dict[str, dict[str, tuple[str, object]]]  # by table and name: the stored text and the value read from it
RECORDS = {"sources": SourceRecord, "renders": RenderRecord, "checks": CheckRecord}  # the tables in WORK


@contextmanager
def open_cache(folder: Path | None, root: Path) -> Iterator[tuple[BuildCache, list[Diagnostic], Save]]:
    """The cache in `folder` (an empty one for None) for the site in `root`, held for the `with` block
    (another build of the site waits), and a function that saves what the build changed."""
    empty = BuildCache(root)
    if folder is None:
        yield empty, [], list
        return
    path = folder / CACHE_FILE
    if folder.is_symlink() or path.is_symlink():  # it could lead out of the site
        yield empty, [warning(folder, 0, "build cache ignored: it is a symbolic link; building everything")], list
        return
    problems: list[Diagnostic] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        connection, cache, rows = _open(path, root, problems)
    except sqlite3.OperationalError as exc:  # locked past the timeout, read-only, disk full: left as it is
        yield empty, [_unavailable(folder, exc)], list
        return
    except sqlite3.DatabaseError:  # not a SQLite file, or a damaged one: set aside, never read further
        problems.append(_ignored(path, "the file is damaged or not a microsite cache"))
        try:
            for damaged in (path, path.with_name(f"{CACHE_FILE}-journal")):
                damaged.unlink(missing_ok=True)
            connection, cache, rows = _open(path, root, problems)
        except (OSError, sqlite3.Error) as exc:
            yield empty, [*problems, _unavailable(folder, exc)], list
            return
    except OSError as exc:
        yield empty, [_unavailable(folder, exc)], list
        return
    try:
        yield cache, problems, lambda: _save(connection, cache, rows)
    finally:
        if connection.in_transaction:  # the build failed before saving: the cache stays as it was
            connection.rollback()
        connection.close()


def _open(path: Path, root: Path, problems: list[Diagnostic]) -> tuple[sqlite3.Connection, BuildCache, Rows]:
    connection = _connect(path)
    try:
        with _collector_paused():
            gc.unfreeze()  # what the last build of this process froze (a preview's) may be collected now
            cache, found, rows = _read(connection, root)
            # The tens of thousands of records just read live as long as the build: left to the cyclic
            # collector, each of its full passes would scan them all again.
            gc.freeze()
    except BaseException:
        connection.close()
        raise
    problems += found
    return connection, cache, rows


def _connect(path: Path) -> sqlite3.Connection:
    """A connection holding the cache's write lock (waiting for another build's), tables made."""
    connection = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")  # reads the header: a file that is not SQLite fails here
        connection.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB)")
        for table in TABLES:
            extra = ", data BLOB NOT NULL" if table == "renders" else ""
            connection.execute(f"CREATE TABLE IF NOT EXISTS {table} "
                               f"(name BLOB PRIMARY KEY, value TEXT NOT NULL{extra})")
    except BaseException:
        connection.close()
        raise
    return connection


def _read(connection: sqlite3.Connection, root: Path) -> tuple[BuildCache, list[Diagnostic], Rows]:
    """The cache, why it was not used, and each table's rows as read (to find what the build changed).
    The work another engine did is dropped; the record of the output folders, which no engine made,
    is kept."""
    engine = connection.execute("SELECT value FROM meta WHERE name = 'engine'").fetchone()
    if engine is None or engine[0] != engine_fingerprint():
        _emptied(connection, WORK)
    codec = _Codec(root)
    cache = BuildCache(root, read_page=_page_reader(_database(connection)))
    try:
        rows = {table: {name: (text, kind(*codec.decode(text)))
                        for name, text in _rows(connection, table)}
                for table, kind in RECORDS.items()}
        rows["outputs"] = {name: (text, _output_state(json.loads(text)))
                           for name, text in _rows(connection, "outputs")}
    except Exception as exc:  # rows that are not what this engine writes: whatever they hold is never used
        _emptied(connection, TABLES)
        return cache, [_ignored(_database(connection), f"unreadable ({type(exc).__name__})")], {t: {} for t in TABLES}
    cache.sources, cache.renders, cache.checks = ({name: value for name, (_, value) in rows[table].items()}
                                                  for table in RECORDS)
    # By the output folder's own path, not relative: a copy of the site has other folders, whatever
    # their device and inode numbers say.
    cache.outputs = {name: state for name, (_, state) in rows["outputs"].items()}
    return cache, [], rows


def _rows(connection: sqlite3.Connection, table: str) -> Iterator[tuple[str, str]]:
    for name, text in connection.execute(f"SELECT name, value FROM {table}"):
        yield name.decode("utf-8", "surrogateescape"), text


def _name(key: str) -> bytes:
    """A page's or folder's path as stored: bytes, as a file name need not be UTF-8."""
    return key.encode("utf-8", "surrogateescape")


def _emptied(connection: sqlite3.Connection, tables: tuple[str, ...]) -> None:
    for table in tables:
        connection.execute(f"DELETE FROM {table}")


def _database(connection: sqlite3.Connection) -> Path:
    return Path(connection.execute("PRAGMA database_list").fetchone()[2])


def _page_reader(database: Path) -> Callable[[str], bytes | None]:
    """Reads a page's stored bytes (as the last build committed them) through a read-only connection
    of its own, so that it also works in the worker processes a build forks: a SQLite connection
    must not cross a fork."""
    @lru_cache(maxsize=1)
    def connection(process: int) -> sqlite3.Connection:
        return sqlite3.connect(f"{database.absolute().as_uri()}?mode=ro", uri=True, timeout=BUSY_SECONDS)

    def read(output: str) -> bytes | None:
        try:  # fetchall: the statement ends and lets go of the file, which the build's commit needs
            query = connection(os.getpid()).execute("SELECT data FROM renders WHERE name = ?", (_name(output),))
            rows = query.fetchall()
        except sqlite3.Error:
            return None
        return rows[0][0] if rows else None

    return read


def _save(connection: sqlite3.Connection, cache: BuildCache, rows: Rows) -> list[Diagnostic]:
    """Write what the build changed and commit. A failure only costs the next build its speed, so it
    is a warning."""
    codec = _Codec(cache.root)
    now = {"sources": cache.sources, "renders": cache.renders, "checks": cache.checks, "outputs": cache.outputs}
    try:
        connection.execute("INSERT OR REPLACE INTO meta VALUES ('engine', ?)", (engine_fingerprint(),))
        for table in TABLES:
            old = rows[table]
            gone = [(_name(name),) for name in old.keys() - now[table].keys()]
            connection.executemany(f"DELETE FROM {table} WHERE name = ?", gone)
            changed = []
            for name, value in now[table].items():
                if name in old and old[name][1] is value:  # the record read, kept: most of them
                    continue
                text = json.dumps(_output_document(value)) if table == "outputs" else codec.encode(value)
                if name not in old or old[name][0] != text:
                    changed.append((name, text))
            if table == "renders":  # a render is kept with its bytes or not at all
                connection.executemany("INSERT OR REPLACE INTO renders VALUES (?, ?, ?)",
                                       [(_name(name), text, cache.pages[name]) for name, text in changed
                                        if name in cache.pages])
                connection.executemany("DELETE FROM renders WHERE name = ?",
                                       [(_name(name),) for name, _ in changed if name not in cache.pages])
            else:
                connection.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)",
                                       [(_name(name), text) for name, text in changed])
        connection.commit()
    except (OSError, sqlite3.Error) as exc:
        connection.rollback()
        return [warning(_database(connection), 0, f"could not save the build cache ({exc}); "
                                                  "the next build will render everything")]
    return []


def _output_document(state: OutputState) -> dict:
    return {"live": [state.live.id, {path: d.hex() for path, d in state.live.files.items()}],
            "spare": state.spare and [state.spare.id, {path: d.hex() for path, d in state.spare.files.items()}]}


def _output_state(document: dict) -> OutputState:
    def folder(stored: list | None) -> Folder | None:
        return stored and Folder(tuple(stored[0]), {path: bytes.fromhex(d) for path, d in stored[1].items()})

    return OutputState(folder(document["live"]), folder(document["spare"]))


class _Codec:
    """Values to JSON text and back, with their types: tuples, sets, dates, bytes, paths, and the
    dataclasses and named tuples of microsite's own modules (no other type can be named, so reading
    builds nothing but microsite's plain values). A path in the site folder is kept relative to it."""

    def __init__(self, root: Path):
        self.root = root
        self.prefix = os.path.join(root, "")
        self.paths: dict[str, Path] = {}  # a page's findings share its path: made once

    def name_of(self, path: str) -> str:
        """An absolute path in the site folder as its relative path; any other name as it is."""
        return "./" + PurePath(path[len(self.prefix):]).as_posix() if path.startswith(self.prefix) else path

    def name(self, stored: str) -> str:
        return str(self.root / stored[2:]) if stored.startswith("./") else stored

    def encode(self, value: object) -> str:
        return json.dumps(self._plain(value), separators=(",", ":"))  # ASCII: a file name may not be UTF-8

    def _plain(self, value: object) -> object:
        if value is None or isinstance(value, (bool, int, float)):
            return value
        if isinstance(value, str):
            return {"s": self.name_of(value)} if value.startswith(self.prefix) else value
        if isinstance(value, tuple) and hasattr(value, "_fields") or dataclasses.is_dataclass(value):
            values = value if isinstance(value, tuple) else [getattr(value, f.name) for f in dataclasses.fields(value)]
            kind = type(value)
            return {"o": f"{kind.__module__}:{kind.__qualname__}", "v": [self._plain(v) for v in values]}
        if isinstance(value, tuple):
            return {"t": [self._plain(v) for v in value]}
        if isinstance(value, list):
            return [self._plain(v) for v in value]
        if isinstance(value, dict):
            return {"d": [[self._plain(k), self._plain(v)] for k, v in value.items()]}
        if isinstance(value, (set, frozenset)):
            return {"f" if isinstance(value, frozenset) else "set": sorted((self._plain(v) for v in value), key=repr)}
        if isinstance(value, bytes):
            return {"b": value.hex()}
        if isinstance(value, dt.date):
            return {"dt" if isinstance(value, dt.datetime) else "date": value.isoformat()}
        if isinstance(value, PurePath):
            return {"p": self.name_of(str(value))}
        raise TypeError(f"the build cache cannot keep a {type(value).__name__}")

    def decode(self, text: str) -> object:
        return json.loads(text, object_hook=self._object)

    def _object(self, obj: dict) -> object:
        if "o" in obj:
            return _value_type(obj["o"])(*obj["v"])
        (tag, value), = obj.items()
        if tag == "t":
            return tuple(value)
        if tag == "d":
            return {k: v for k, v in value}
        if tag == "s":
            return self.name(value)
        if tag == "p":
            if value not in self.paths:
                self.paths[value] = Path(self.name(value))
            return self.paths[value]
        if tag == "b":
            return bytes.fromhex(value)
        if tag == "f":
            return frozenset(value)
        if tag == "set":
            return set(value)
        if tag == "date":
            return dt.date.fromisoformat(value)
        if tag == "dt":
            return dt.datetime.fromisoformat(value)
        raise ValueError(f"unknown tag {tag!r}")


@lru_cache(maxsize=None)
def _value_type(name: str) -> type:
    """A dataclass or named tuple defined in microsite's own modules, by `module:qualname`."""
    module, _, qualname = name.partition(":")
    if not _ours(module):
        raise ValueError(f"not a microsite type: {name}")
    kind = importlib.import_module(module)
    for part in qualname.split("."):
        kind = getattr(kind, part)
    if not isinstance(kind, type) or not _ours(kind.__module__):
        raise ValueError(f"not a microsite type: {name}")
    if not (dataclasses.is_dataclass(kind) or issubclass(kind, tuple) and hasattr(kind, "_fields")):
        raise ValueError(f"not a plain value type: {name}")
    return kind


def _ours(module: str) -> bool:
    return module == __package__ or module.startswith(f"{__package__}.")


@contextmanager
def _collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _ignored(path: Path, why: str) -> Diagnostic:
    return warning(path, 0, f"build cache ignored: {why}; building everything")


def _unavailable(folder: Path, exc: Exception) -> Diagnostic:
    return warning(folder, 0, f"build cache unavailable ({getattr(exc, 'strerror', None) or exc}); building everything")
