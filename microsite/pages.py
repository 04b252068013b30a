"""Stage 3: validate front matter and give every page its URL."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .config import SiteConfig
from .content import SourceFile, parse_source
from .diagnostics import Diagnostic, error, warning
from .schema import Field, Validator

DESCRIPTION_LIMIT = 160
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MENUS = ("main", "footer", "none")


@dataclass(frozen=True)
class Review:
    by: str
    role: str
    registration: str | None
    date: dt.date


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class FrontMatter:
    title: str
    description: str
    nav_title: str | None
    kind: str
    order: int
    slug: str | None
    menu: str
    draft: bool
    template: str | None
    reviewed: Review | None
    next_review: dt.date | None
    sources: tuple[Source, ...]

    @property
    def label(self) -> str:
        """The page's name in navigation."""
        return self.nav_title or self.title


FRONT_MATTER = (
    Field("title", "text", "The page's heading and the first part of its browser title.", required=True,
          example="Risks and side effects"),
    Field("description", "text", f"One or two sentences shown by search engines (up to {DESCRIPTION_LIMIT} characters).",
          required=True, example="The common, short-lived side effects of treatment, the rare serious ones, "
                                  "and when to get help."),
    Field("nav_title", "text", "A shorter name for the navigation menu.", example="Risks"),
    Field("kind", "text", "What the page is: overview, benefits, procedure, risks, aftercare, faq, price, privacy "
                          "or page.", default="page", example="risks"),
    Field("order", "integer", "Position in the navigation menu: lower numbers come first.", default=100, example=40),
    Field("slug", "text", "The last part of the page's address, if not the file name (a-z, 0-9 and hyphens).",
          example="side-effects"),
    Field("menu", "text", "Where the page is listed: main (the top menu), footer, or none.", default="main",
          choices=MENUS, example="main"),
    Field("draft", "boolean", "true keeps the page off the published site (it shows with --drafts).", default=False,
          example=False),
    Field("template", "text", "The template that lays out the page, if not the usual one.", example="page.html"),
    Field("reviewed", "mapping", "Who last checked the page's medical facts, and when.", build=Review, fields=(
        Field("by", "text", "The reviewer's name.", required=True, example="Dr Sarah Okafor"),
        Field("role", "text", "The reviewer's job title.", required=True, example="Consultant vascular surgeon"),
        Field("registration", "text", "Their professional registration (GMC or NMC number).", example="GMC 7000001"),
        Field("date", "date", "The date of the review.", required=True, example="2026-03-12"),
    )),
    Field("next_review", "date", "When the page must be reviewed again, if sooner than the site's review period.",
          example="2028-03-12"),
    Field("sources", "list", "The evidence the page is based on.", build=Source, default=(), fields=(
        Field("title", "text", "The source's title.", required=True, example="Varicose veins: treatment (NHS)"),
        Field("url", "url", "Its web address.", required=True,
              example="https://www.nhs.uk/conditions/varicose-veins/treatment/"),
    )),
)


@dataclass(frozen=True)
class Page:
    """A valid page: its source, settings, address and Markdown."""

    source: Path
    rel: str
    meta: FrontMatter
    body: str
    body_line: int
    url: str  # relative to the site's base URL: '' for the home page, 'benefits/' and so on
    next_review: dt.date | None

    @property
    def output(self) -> str:
        """The file the page is written to, relative to the output folder."""
        return self.url + "index.html"

    @property
    def is_home(self) -> bool:
        return self.url == ""


class Listing(NamedTuple):
    """What the rest of the site shows of a page (menus, sitemap). A plain tuple: the build cache keeps
    one for every page, and reading back 10,000 of them must take milliseconds."""

    source: Path
    rel: str
    url: str
    label: str
    menu: str
    order: int
    draft: bool
    reviewed: dt.date | None

    @property
    def output(self) -> str:
        return self.url + "index.html"


def listing(page: Page) -> Listing:
    meta = page.meta
    return Listing(page.source, page.rel, page.url, meta.label, meta.menu, meta.order, meta.draft,
                   meta.reviewed.date if meta.reviewed else None)


def list_pages(listings: list[Listing], drafts: bool) -> tuple[tuple[Listing, ...], list[Diagnostic]]:
    """The site's pages in navigation order (drafts only when asked for), and every clashing address."""
    pages, problems = without_duplicate_urls([p for p in listings if drafts or not p.draft])
    pages.sort(key=lambda p: (p.order, p.url))
    return tuple(pages), problems


def page_from_text(path: Path, rel: str, text: str, config: SiteConfig) -> tuple[Page | None, list[Diagnostic]]:
    """The page in the file at `path` (`rel` under content/), whose text is `text`."""
    source, problems = parse_source(path, rel, text)
    if source is None:
        return None, problems
    return make_page(source, config)


def make_page(source: SourceFile, config: SiteConfig) -> tuple[Page | None, list[Diagnostic]]:
    doc = source.front_matter
    values, problems = Validator(doc, "front matter: ").mapping(doc.value if doc.value is not None else {}, FRONT_MATTER)
    if problems:
        return None, problems
    meta = FrontMatter(**values)
    url, problem = page_url(source.rel, meta.slug)
    if problem:
        return None, [error(source.path, doc.line(("slug",)) if meta.slug else 1, problem)]
    if len(meta.description) > DESCRIPTION_LIMIT:
        problems.append(warning(source.path, doc.line(("description",)),
                                f"front matter: description is {len(meta.description)} characters; search engines "
                                f"cut it at about {DESCRIPTION_LIMIT}"))
    page = Page(source.path, source.rel, meta, source.body, source.body_line, url, next_review(meta, config))
    return page, problems


def page_url(rel: str, slug: str | None) -> tuple[str, str]:
    """The page's URL from its path under content/ ('a/b.md' → 'a/b/'), or why it has none."""
    parts = rel[: -len(".md")].split("/")
    if parts[-1] == "index":
        parts.pop()
    if slug is not None:
        if not SLUG.fullmatch(slug):
            return "", f"front matter: slug {slug!r} may only use a-z, 0-9 and single hyphens"
        if not parts:
            return "", "front matter: the home page (content/index.md) cannot have a slug"
        parts[-1] = slug
    segments = [url_segment(part) for part in parts]
    if not all(segments):
        return "", f"cannot make a web address from the file name {rel!r}: use letters, digits and hyphens"
    return "".join(s + "/" for s in segments), ""


def url_segment(name: str) -> str:
    """A file or folder name as a URL segment: 'Aftercare Sheet' → 'aftercare-sheet'."""
    return "-".join(re.findall(r"[a-z0-9]+", name.lower()))


def next_review(meta: FrontMatter, config: SiteConfig) -> dt.date | None:
    """When a reviewed page is due for review again: its own date, else the site's period."""
    if meta.next_review or not meta.reviewed:
        return meta.next_review
    reviewed = meta.reviewed.date
    years = config.review_period_years
    try:
        return reviewed.replace(year=reviewed.year + years)
    except ValueError:  # 29 February
        return reviewed.replace(year=reviewed.year + years, day=28)


def without_duplicate_urls(pages: list[Listing]) -> tuple[list[Listing], list[Diagnostic]]:
    """The first page at each URL; every later one is an error naming both files."""
    first: dict[str, Listing] = {}
    problems = []
    for page in pages:
        other = first.setdefault(page.url, page)
        if other is not page:
            problems.append(error(page.source, 1, f"two pages have the address /{page.url}: this one and "
                                                  f"content/{other.rel}; rename one or give it a slug"))
    return list(first.values()), problems
