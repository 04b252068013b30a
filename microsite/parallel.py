"""Rendering pages in worker processes, one per core, with the same bytes as rendering them here.

Workers are forked, so they start with this build's pages and settings already in memory; only the
list of pages to render goes to them, and only each page's bytes, problems and dependencies come back,
in the order they were asked for.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .deps import Deps, RecordingEnvironment
from .diagnostics import processing
from .glossary import Glossary
from .incremental import load_page
from .pages import Listing, Page
from .render import Menus, RenderedPage, make_environment, render_recorded
from .structured_data import SiteFacts

PARALLEL_MIN_PAGES = 32  # below this, starting the workers costs more than it saves
Progress = Callable[[int, int], None]


def default_jobs() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(frozen=True)
class RenderJob:
    """What every worker needs: the settings and site-wide facts, the menus, the glossary, and the
    pages read this build."""

    facts: SiteFacts
    menus: Menus
    glossary: Glossary | None
    fresh: dict[str, Page]

    def render(self, env: RecordingEnvironment, listing: Listing) -> RenderedPage:
        with processing(Path(listing.source)):  # re-reading the page; rendering names it too
            page, problems = load_page(listing, self.fresh, self.facts.config)
        if page is None:
            return RenderedPage(listing.output, None, tuple(problems), Deps((), ()))
        return render_recorded(env, self.facts, self.menus, self.glossary, page)


def render_all(job: RenderJob, todo: list[Listing], jobs: int, progress: Progress | None = None) -> list[RenderedPage]:
    """Render `todo` in order, in `jobs` worker processes when there are enough pages to be worth it."""
    progress = progress or (lambda done, total: None)
    if jobs < 2 or len(todo) < PARALLEL_MIN_PAGES or "fork" not in multiprocessing.get_all_start_methods():
        env = make_environment(job.facts.config)
        rendered = []
        for listing in todo:
            rendered.append(job.render(env, listing))
            progress(len(rendered), len(todo))
        return rendered
    chunk = max(1, min(32, len(todo) // (jobs * 8)))
    rendered = []
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker, initargs=(job,)) as pool:
        for result in pool.imap(_render_in_worker, todo, chunksize=chunk):
            rendered.append(result)
            progress(len(rendered), len(todo))
    return rendered


_worker: tuple[RenderJob, RecordingEnvironment] | None = None  # set once in each worker process


def _start_worker(job: RenderJob) -> None:
    global _worker
    _worker = (job, make_environment(job.facts.config))


def _render_in_worker(listing: Listing) -> RenderedPage:
    job, env = _worker
    return job.render(env, listing)
