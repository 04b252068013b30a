"""What a build can reuse from the last one.

A page file is read again only if its size or modification time changed (or it changed too recently
for its time to be trusted); then its digest decides. A page is rendered again only if the key of
what its last render used has changed: the code of microsite and its libraries, site.yaml, the page
file, each template it loaded, and the pages listed in each menu it showed.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .cache import RenderRecord, SourceRecord
from .config import SiteConfig
from .content import Found
from .deps import Deps
from .diagnostics import Diagnostic
from .pages import Listing, Page, listing, page_from_text
from .render import MENUS, TEMPLATES_DIR, RenderedPage, menu_pages
from .textfile import read_text

LIBRARIES = ("jinja2", "markdown", "markupsafe", "pyyaml")
SETTLE_NS = 2_000_000_000  # a file modified this close to a build may change again within one clock tick


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


@lru_cache(maxsize=1)
def engine_digest() -> bytes:
    """The code that turns sources into pages: microsite's modules, Python and the libraries it uses."""
    parts = [sys.version.encode()]
    parts += [importlib.metadata.version(name).encode() for name in LIBRARIES]
    parts += [p.name.encode() + p.read_bytes() for p in sorted(Path(__file__).parent.glob("*.py"))]
    return digest(b"\0".join(parts))


@dataclass(frozen=True)
class Sources:
    """The page files of this build: what each gave, the pages read anew, and the updated records."""

    listings: list[Listing]
    fresh: dict[str, Page]  # by path under content/
    records: dict[str, SourceRecord]
    problems: list[Diagnostic]


def read_pages(found: list[Found], config: SiteConfig, previous: dict[str, SourceRecord], started_ns: int) -> Sources:
    listings, fresh, records, problems = [], {}, {}, []
    for file in found:
        record = previous.get(file.rel)
        if not (record and record.settled and (record.mtime_ns, record.size) == (file.mtime_ns, file.size)):
            text, unreadable = read_text(file.path)
            if text is None:
                problems += unreadable
                continue
            settled = file.mtime_ns < started_ns - SETTLE_NS
            text_digest = digest(text.encode())
            if record and record.digest == text_digest:
                record = record._replace(mtime_ns=file.mtime_ns, size=file.size, settled=settled)
            else:
                page, found_problems = page_from_text(file.path, file.rel, text, config)
                if page:
                    fresh[file.rel] = page
                record = SourceRecord(file.mtime_ns, file.size, text_digest, settled,
                                      listing(page) if page else None, tuple(found_problems))
        records[file.rel] = record
        problems += record.problems
        if record.listing:
            listings.append(record.listing)
    return Sources(listings, fresh, records, problems)


class RenderKeys:
    """The key of everything a page's render used, from what this build has read."""

    def __init__(self, config: SiteConfig, pages: tuple[Listing, ...], sources: dict[str, SourceRecord]):
        self.config = digest(repr(config).encode())
        self.sources = sources
        self.templates = config.root / TEMPLATES_DIR
        self.menus = {name: digest(repr([(p.label, p.url) for p in menu_pages(pages, menu)]).encode())
                      for name, menu in MENUS.items()}
        self.template_digests: dict[str, bytes] = {}

    def key(self, page: Listing, deps: Deps) -> bytes:
        parts = [self.config, page.rel.encode(), self.sources[page.rel].digest]
        parts += [self.template(name) for name in deps.templates]
        parts += [name.encode() + self.menus[name] for name in deps.names if name in self.menus]
        return digest(b"\0".join(parts))

    def template(self, name: str) -> bytes:
        if name not in self.template_digests:
            try:
                self.template_digests[name] = digest(name.encode() + (self.templates / name).read_bytes())
            except OSError:
                self.template_digests[name] = b"missing " + name.encode()
        return self.template_digests[name]


def reusable(pages: tuple[Listing, ...], keys: RenderKeys, previous: dict[str, RenderRecord],
             live: dict[str, bytes]) -> dict[str, RenderRecord]:
    """The pages whose last render still holds and whose file the live output still has, by output path."""
    kept = {}
    for page in pages:
        record = previous.get(page.output)
        if record and live.get(page.output) == record.digest and keys.key(page, record.deps) == record.key:
            kept[page.output] = record
    return kept


def records_of(rendered: list[RenderedPage], pages: dict[str, Listing], keys: RenderKeys) -> dict[str, RenderRecord]:
    """Records of this build's successful renders, by output path."""
    return {r.output: RenderRecord(keys.key(pages[r.output], r.deps), digest(r.data), r.deps)
            for r in rendered if r.data is not None}
