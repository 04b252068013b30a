"""Page-by-page work (rendering, checking) in worker processes, one per core, with the same results as
doing it here.

Workers are forked, so they start with this build's pages, settings and rendered files already in
memory; only the list of pages goes to them, and only each page's result comes back, in the order
the pages were asked for.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence

from .deps import Deps, RecordingEnvironment
from .diagnostics import processing
from .incremental import load_page
from .pages import Listing, Page
from .model import Glossary, Menus, RenderedPage
from .render import make_environment, render_recorded
from .snippets import Snippets
from .structured_data import SiteFacts

PARALLEL_MIN_PAGES = 32  # below this, starting the workers costs more than it saves
Progress = Callable[[str, int, int], None]  # called with (what is being done, pages done, pages to do)


class PageWork(Protocol):
    """Work done to each page of a list: `prepare` once in each process, then `do` for each page."""

    activity: str  # 'rendering', 'checking': what the progress line says

    def prepare(self) -> Any: ...

    def do(self, prepared: Any, listing: Listing) -> Any: ...


def default_jobs() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def each_page(work: PageWork, todo: Sequence[Listing], jobs: int, progress: Progress | None = None) -> list:
    """`work` done to each page of `todo`, in order, in `jobs` worker processes when there are enough
    pages to be worth it."""
    progress = progress or (lambda what, done, total: None)
    results = []
    if jobs < 2 or len(todo) < PARALLEL_MIN_PAGES:
        return _here(work, todo, progress)
    import multiprocessing  # only now: a rebuild that renders a page or two never needs it

    if "fork" not in multiprocessing.get_all_start_methods():
        return _here(work, todo, progress)
    chunk = max(1, min(32, len(todo) // (jobs * 8)))
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker, initargs=(work,)) as pool:
        for result in pool.imap(_do_in_worker, todo, chunksize=chunk):
            results.append(result)
            progress(work.activity, len(results), len(todo))
    return results


def _here(work: PageWork, todo: Sequence[Listing], progress: Progress) -> list:
    prepared = work.prepare()
    results = []
    for listing in todo:
        results.append(work.do(prepared, listing))
        progress(work.activity, len(results), len(todo))
    return results


_worker: tuple[PageWork, Any] | None = None  # set once in each worker process


def _start_worker(work: PageWork) -> None:
    global _worker
    _worker = (work, work.prepare())


def _do_in_worker(listing: Listing) -> Any:
    work, prepared = _worker
    return work.do(prepared, listing)


@dataclass(frozen=True)
class RenderJob:
    """What rendering a page needs: the settings and site-wide facts, the menus, the glossary, and the
    pages read this build."""

    facts: SiteFacts
    menus: Menus
    glossary: Glossary | None
    snippets: Snippets
    fresh: dict[str, Page]
    activity = "rendering"

    def prepare(self) -> RecordingEnvironment:
        return make_environment(self.facts.config)

    def do(self, env: RecordingEnvironment, listing: Listing) -> RenderedPage:
        with processing(Path(listing.source)):  # re-reading the page; rendering names it too
            page, problems = load_page(listing, self.fresh, self.facts.config)
        if page is None:
            return RenderedPage(listing.output, None, tuple(problems), Deps((), ()))
        return render_recorded(env, self.facts, self.menus, self.glossary, self.snippets, page)
