"""What a build can reuse from the last one.

A page file is read again only if its size or modification time changed (or it changed too recently
for its time to be trusted); then its digest decides. A page is rendered again only if the key of
what its last render used has changed: the code of microsite and its libraries, site.yaml, the page
file, each template it loaded, and the pages listed in each menu it showed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from .cache import BuildCache, RenderRecord, SourceRecord, digest
from .config import TEMPLATES_DIR, SiteConfig
from .diagnostics import Diagnostic, processing
from .glossary import read_glossary
from .model import GLOSSARY_KIND, Deps, Glossary, Menus, RenderedPage
from .pages import Listing, Page, page_from_text
from .snippets import Snippets
from .sitepaths import SiteFile, outside_site
from .structured_data import SiteFacts, trail
from .textfile import read_text

STRUCTURED_DATA = "structured_data"  # the context name whose value shows the pages above a page
SETTLE_NS = 2_000_000_000  # a file modified this close to a build may change again within one clock tick


@dataclass(frozen=True)
class Sources:
    """The page files of this build: what each gave, the pages read anew, and the updated records."""

    listings: list[Listing]
    fresh: dict[str, Page]  # by path under content/
    records: dict[str, SourceRecord]
    problems: list[Diagnostic]


def read_pages(found: list[SiteFile], config: SiteConfig, previous: dict[str, SourceRecord], started_ns: int) -> Sources:
    listings, fresh, records, problems = [], {}, {}, []
    for file in found:
        record = previous.get(file.rel)
        if not (record and record.settled and not record.volatile
                and (record.mtime_ns, record.size) == (file.mtime_ns, file.size)):
            text, unreadable = read_text(Path(file.path))
            if text is None:
                problems += unreadable
                continue
            settled = file.mtime_ns < started_ns - SETTLE_NS
            text_digest = digest(text.encode())
            if record and record.digest == text_digest and not record.volatile:
                record = record._replace(mtime_ns=file.mtime_ns, size=file.size, settled=settled)
            else:
                with processing(Path(file.path)):  # an internal error names the page
                    page, listing, found_problems = page_from_text(Path(file.path), file.rel, text, config)
                if page:
                    fresh[file.rel] = page
                # A page's own share image is measured from its file under static/, which can change
                # while the page does not: such a page is read again by every build.
                record = SourceRecord(file.mtime_ns, file.size, text_digest, settled, "share_image" in text,
                                      listing, tuple(found_problems))
        records[file.rel] = record
        problems += record.problems
        if record.listing:
            listings.append(record.listing)
    return Sources(listings, fresh, records, problems)


class RenderKeys:
    """The key of everything a page's render used, from what this build has read."""

    def __init__(self, facts: SiteFacts, menus: Menus, glossary: Glossary | None, snippets: Snippets,
                 sources: dict[str, SourceRecord]):
        config = facts.config
        self.facts = facts
        # Every page's Markdown uses all three (a page that includes no snippet could, after one edit). The
        # site's folder is left out, so a copy elsewhere (a CI checkout) reuses the cache.
        snippets = tuple((snippet.name, snippet.text) for snippet in snippets.items)
        self.config = digest(repr(replace(config, root=Path())).encode() + repr(glossary).encode()
                             + repr(snippets).encode())
        self.treatment = repr(facts.treatment).encode()
        self.sources = sources
        self.root = config.root
        self.templates = config.root / TEMPLATES_DIR
        self.menus = {name: digest(repr([(p.label, p.url) for p in listed]).encode()) for name, listed in menus.items()}
        self.template_digests: dict[str, bytes] = {}
        self.shared_digests: dict[int, tuple[Deps, bytes]] = {}  # by the id of the Deps (kept, so the id is not reused)

    def key(self, page: Listing, deps: Deps) -> bytes:
        parts = [self.shared(deps), page.rel.encode(errors="surrogateescape"), self.sources[page.rel].digest,
                 repr(page.share_image).encode()]
        if STRUCTURED_DATA in deps.names:  # the treatment's facts, and the titles of the pages above this one
            parts.append(self.treatment + repr([(p.label, p.url) for p in trail(self.facts, page.url)]).encode())
        return digest(b"\0".join(parts))

    def shared(self, deps: Deps) -> bytes:
        """The digest of what every render that used `deps` used alike: the settings, the templates,
        and the menus it showed. Most pages share one Deps object: this is found once for them all."""
        if id(deps) not in self.shared_digests:
            parts = [self.config] + [self.template(name) for name in deps.templates]
            parts += [name.encode() + self.menus.get(name, b"") for name in deps.names]
            self.shared_digests[id(deps)] = deps, digest(b"\0".join(parts))
        return self.shared_digests[id(deps)][1]

    def template(self, name: str) -> bytes:
        if name not in self.template_digests:
            path = self.templates / name
            try:  # a link out of the site is not read: rendering reports it
                data = b"outside" if outside_site(path, self.root) else path.read_bytes()
                self.template_digests[name] = digest(os.fsencode(name) + data)
            except OSError:
                self.template_digests[name] = b"missing " + os.fsencode(name)
        return self.template_digests[name]


def reusable(pages: tuple[Listing, ...], keys: RenderKeys, cache: BuildCache) -> dict[str, RenderRecord]:
    """The pages whose last render still holds, by output path."""
    kept = {}
    for page in pages:
        if record := cache.reused_render(page.output, lambda deps: keys.key(page, deps)):
            kept[page.output] = record
    return kept


def records_of(rendered: list[RenderedPage], pages: dict[str, Listing], keys: RenderKeys) -> dict[str, RenderRecord]:
    """Records of this build's successful renders, by output path."""
    shared: dict[Deps, Deps] = {}  # most pages use the same templates: one Deps object for them all
    return {r.output: RenderRecord(keys.key(pages[r.output], r.deps), digest(r.data), shared.setdefault(r.deps, r.deps))
            for r in rendered if r.data is not None}


def load_page(listing: Listing, fresh: dict[str, Page], config: SiteConfig) -> tuple[Page | None, list[Diagnostic]]:
    """The page read this build, or read again: the cache keeps only what other pages show of it."""
    if listing.rel in fresh:
        return fresh[listing.rel], []
    path = Path(listing.source)
    text, problems = read_text(path)
    if text is None:
        return None, problems
    page, _, problems = page_from_text(path, listing.rel, text, config)
    return page, problems


def site_glossary(pages: tuple[Listing, ...], fresh: dict[str, Page], config: SiteConfig) -> Glossary | None:
    """The glossary, from the one page of its kind."""
    listing = next((p for p in pages if p.kind == GLOSSARY_KIND), None)
    page = load_page(listing, fresh, config)[0] if listing else None
    return read_glossary((page,)) if page else None
