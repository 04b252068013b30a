"""Watching a site's sources for saves, and reporting them in batches rather than one by one."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from watchfiles import Change, DefaultFilter
from watchfiles._rust_notify import RustNotify  # documented "Rust backend"; lets us watch before we return

from .config import CONFIG_FILE, STATIC_DIR, TEMPLATES_DIR
from .content import CONTENT_DIR

SOURCE_DIRS = (CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR)
QUIET_MS = 10  # a batch ends when nothing has changed for this long (an editor's save takes < 5 ms)
LONGEST_BATCH_MS = 100  # report at least this often while files keep changing


class SourceWatcher:
    """Calls `on_change(paths)` from a background thread after each batch of changes to the sources.

    Two watches: the site folder itself, not recursively (site.yaml, and source folders being
    created or removed), and the source folders recursively. Watching the whole site folder
    recursively would also watch public/, .git/ and a virtual environment.
    """

    def __init__(self, site: Path, on_change: Callable[[set[Path]], None]):
        self.site = site
        self.on_change = on_change
        self.stopping = threading.Event()
        self.folders_stop = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        self._spawn([self.site], recursive=False, stop=self.stopping, on_batch=self._site_changed)
        self._watch_folders()

    def stop(self) -> None:
        self.stopping.set()
        self.folders_stop.set()
        for thread in self.threads:
            thread.join(timeout=2)

    def _watch_folders(self) -> None:
        self.folders_stop.set()
        self.folders_stop = threading.Event()
        folders = [self.site / name for name in SOURCE_DIRS if (self.site / name).is_dir()]
        if folders:
            self._spawn(folders, recursive=True, stop=self.folders_stop, on_batch=self.on_change)

    def _site_changed(self, paths: set[Path]) -> None:
        """site.yaml changed, or a source folder appeared or went: watch the folders anew."""
        if any(path.name in SOURCE_DIRS for path in paths):
            self._watch_folders()
        relevant = {path for path in paths if path.name in (CONFIG_FILE, *SOURCE_DIRS)}
        if relevant:
            self.on_change(relevant)

    def _spawn(self, paths: list[Path], recursive: bool, stop: threading.Event,
               on_batch: Callable[[set[Path]], None]) -> None:
        """Watch `paths` from now on (a save made once this returns is seen), reporting from a thread."""
        notify = RustNotify([str(path) for path in paths], False, False, 300, recursive, True)
        interesting = DefaultFilter()  # not editors' swap and backup files, nor .git

        def run() -> None:
            with notify:
                while (changes := notify.watch(LONGEST_BATCH_MS, QUIET_MS, 0, stop)) != "stop":
                    if isinstance(changes, set) and (paths := {Path(path) for change, path in changes
                                                               if interesting(Change(change), path)}):
                        on_batch(paths)

        self.threads = [t for t in self.threads if t.is_alive()]
        thread = threading.Thread(target=run, name="microsite-watch", daemon=True)
        thread.start()
        self.threads.append(thread)
