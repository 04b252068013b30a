"""Stage 5, run: the content checks, each page checked again only when something its checks read
has changed, in worker processes when there are many; then the site-wide rules, from every page's
kept facts.

A page's checks read the page as read and rendered by this build (never a file: see PageViews),
site.yaml, the templates, the glossary, the settings and the build's date; a page whose findings had
to be looked for in other pages' text (a title in its menu, say) also reads every other page. The key
of those is kept with the page's findings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property

from .cache import BuildCache, CheckRecord, digest
from .checks.registry import check_page
from .checks.site import CheckSite, PageView, SourceText
from .incremental import load_page
from .model import RenderedPage
from .pages import Listing, Page
from .parallel import Progress, RenderJob, each_page


@dataclass(frozen=True)
class PageViews:
    """The pages as the checks see them, from what this build read and rendered: a page whose last
    render still held is rendered again here, in memory (the output folder is never read back)."""

    rendered: dict[str, RenderedPage]  # this build's renders, by output path
    job: RenderJob

    def __call__(self, listing: Listing) -> PageView | None:
        page = self.page(listing)
        made = self.rendered.get(listing.output) or self.job.do(self._environment, listing)
        if page is None or made.data is None or made.content is None:
            return None  # the build has reported why
        snippets = tuple(SourceText(s.path, s.text) for s in self.job.snippets.used_by(page.body))
        return PageView(page, made.data.decode(), made.content.html, made.content.places, snippets)

    def page(self, listing: Listing) -> Page | None:
        """The page as read this build, or read again (the cache keeps only what other pages show of it)."""
        return load_page(listing, self.job.fresh, self.job.facts.config)[0]

    @cached_property
    def _environment(self):
        return self.job.prepare()


@dataclass(frozen=True)
class CheckJob:
    """Checking one page (in a worker process, when there are many)."""

    site: CheckSite
    active: tuple
    activity = "checking"

    def prepare(self) -> None:
        return None

    def do(self, _: None, listing: Listing) -> CheckRecord | None:
        view = self.site.view(listing)
        return check_page(self.site, view, self.active) if view else None


class CheckKeys:
    """The key of everything a page's checks read."""

    def __init__(self, site: CheckSite, active: tuple, settings: bytes, sources: dict[str, bytes],
                 outputs: dict[str, bytes]):
        # By path in the site folder: a copy of the site elsewhere reuses the cache.
        chrome = [os.fsencode(os.path.relpath(text.path, site.config.root)) + text.text.encode()
                  for text in site.chrome]
        names = [check.NAME.encode() for check in active]
        self.around = digest(b"\0".join([settings, site.today.isoformat().encode(), *names, *chrome]))
        self.sources, self.outputs = sources, outputs
        self._every_page: bytes | None = None

    def key(self, listing: Listing, wide: bool) -> bytes:
        parts = [self.around, os.fsencode(listing.rel), self.sources[listing.rel], self.outputs[listing.output]]
        return digest(b"\0".join(parts + ([self.every_page()] if wide else [])))

    def every_page(self) -> bytes:
        if self._every_page is None:
            self._every_page = digest(b"\0".join(os.fsencode(rel) + d for rel, d in sorted(self.sources.items())))
        return self._every_page


def checked_pages(site: CheckSite, keys: CheckKeys, cache: BuildCache, active: tuple, jobs: int,
                  progress: Progress | None = None) -> dict[str, CheckRecord]:
    """Every built page's check record, by path under content/: kept from the last build while its key
    holds, else made now."""
    built = [listing for listing in site.listings if listing.output in keys.outputs]
    kept = {p.rel: record for p in built
            if (record := cache.reused_findings(p.rel, lambda wide: keys.key(p, wide)))}
    todo = [listing for listing in built if listing.rel not in kept]
    made = each_page(CheckJob(site, active), todo, jobs, progress)
    return kept | {p.rel: record._replace(key=keys.key(p, record.wide)) for p, record in zip(todo, made) if record}
