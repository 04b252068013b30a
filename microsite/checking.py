"""Stage 5, run: the content checks, each page checked again only when something its checks read
has changed, in worker processes when there are many; then the site-wide rules, from every page's
kept facts.

A page's checks read its file, its built page, site.yaml, the templates, the glossary, the settings
and the build's date; a page whose findings had to be looked for in other pages' text (a title in
its menu, say) also reads every other page file. The key of those is kept with the page's findings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .cache import BuildCache, CheckRecord, digest
from .checks.registry import check_page
from .checks.site import CheckSite, PageView
from .config import SiteConfig
from .glossary import Glossary
from .markup import render_markdown
from .pages import Listing, Page, page_from_text
from .parallel import Progress, each_page
from .textfile import read_text


@dataclass(frozen=True)
class PageReader:
    """Reads a page as the checks see it: its file, its built page and the HTML of its Markdown,
    from this build's renders or, for a page whose last render still holds, the build cache."""

    config: SiteConfig
    glossary: Glossary | None
    fresh: dict[str, Page]  # pages read this build, by path under content/
    built: dict[str, bytes]  # files made this build, by output path
    contents: dict[str, str]  # the HTML of each rendered page's Markdown, by output path
    stored: Callable[[str], bytes | None]  # a reused page's bytes, by output path

    def __call__(self, listing: Listing) -> PageView | None:
        path = Path(listing.source)
        text = read_text(path)[0]
        html = self.built.get(listing.output) or self.stored(listing.output)
        page = self.fresh.get(listing.rel) or (page_from_text(path, listing.rel, text, self.config)[0] if text else None)
        if text is None or html is None or page is None:
            return None  # the build has reported why
        content = self.contents.get(listing.output)
        if content is None:
            content = render_markdown(page.body, self.config.base_path, self.glossary, self.config.allowed_html).html
        return PageView(page, text, html.decode(), content)


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
