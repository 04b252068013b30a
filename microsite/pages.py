"""Stage 3: validate front matter and give every page its URL."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import astuple, dataclass, field, fields
from pathlib import Path
from typing import NamedTuple

from .checks.settings import DESCRIPTION_LIMIT, PAGE_CHECKS_FIELD
from .config import STATIC_DIR, SiteConfig
from .content import FENCE, SourceFile, front_matter_end, parse_source
from .diagnostics import Diagnostic, error, processing, warning
from .images import ShareImage, measure_share_image, share_image_field
from .messages import SETTINGS_PREFIX
from .schema import Field, Validator
from .schema import _name as key_name  # the same spelling as the validator's messages
from .yamldoc import YamlDoc

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_RULE = "may only use a-z, 0-9 and single hyphens"
MENUS = ("main", "footer", "none")
PROCEDURE_TYPES = ("percutaneous", "noninvasive")  # schema.org's MedicalProcedureType values
KINDS = ("overview", "benefits", "procedure", "risks", "aftercare", "faq", "price", "privacy", "glossary", "page")
PLACEHOLDER = "TODO"  # what `build.py new` writes where the editor's own words go
UNFILLED = re.compile(rf"\b{PLACEHOLDER}\b")
TOP_SETTING = re.compile(r"^([a-z_]+):[ \t]*(.*?)[ \t]*(?:#.*)?$", re.MULTILINE)  # `name: value`, not indented


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
class ProcedureFacts:
    """What one page says about the treatment; the site's pages together describe it whole."""

    name: str | None
    alternate_names: tuple[str, ...]
    type: str | None
    body_location: str | None
    how_performed: str | None
    preparation: str | None
    followup: str | None

    def given(self) -> dict[str, object]:
        """The facts this page gives, by field name."""
        return {f.name: value for f, value in zip(fields(self), astuple(self)) if value}


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
    procedure: ProcedureFacts | None
    share_image: ShareImage | None
    checks: tuple[tuple[str, str], ...]  # (check name, level) set for this page

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
    Field("kind", "text", f"What the page is: {', '.join(KINDS[:-1])} or {KINDS[-1]}.", default="page",
          choices=KINDS, example="risks"),
    Field("order", "integer", "Position in the navigation menu: lower numbers come first.", default=100, example=40),
    Field("slug", "text", "The last part of the page's address, if not the file name (a-z, 0-9 and hyphens).",
          example="side-effects"),
    Field("menu", "text", "Where the page is listed: main (the top menu), footer, or none.", default="main",
          choices=MENUS, example="main"),
    Field("draft", "boolean", "true keeps the page off the published site (it shows with --drafts).", default=False,
          example=True),
    Field("template", "path", "The template that lays out the page, if not the usual one.", example="page.html"),
    Field("reviewed", "mapping", "Who last checked the page's medical facts, and when.", build=Review, fields=(
        Field("by", "text", "The reviewer's name.", required=True, example="Dr Sarah Okafor"),
        Field("role", "text", "The reviewer's job title.", required=True, example="Consultant vascular surgeon"),
        Field("registration", "text", "Their professional registration or licence (for example a GMC or NMC number, "
                                      "or a state medical licence).", example="GMC 7000001"),
        Field("date", "date", "The date of the review.", required=True, example="2026-03-12"),
    )),
    Field("next_review", "date", "When the page must be reviewed again, if sooner than the site's review period.",
          example="2028-03-12"),
    Field("sources", "list", "The evidence the page is based on.", build=Source, default=(), fields=(
        Field("title", "text", "The source's title.", required=True, example="Acne: treatment (NHS)"),
        Field("url", "url", "Its web address.", required=True,
              example="https://www.nhs.uk/conditions/acne/treatment/"),
    )),
    Field("procedure", "mapping", "What the page says about the treatment, for search engines. Give each fact on "
                                  "the page that explains it.", build=ProcedureFacts, fields=(
        Field("name", "text", "The treatment's name; the page that gives it is the treatment's main page.",
              example="Laser hair removal"),
        Field("alternate_names", "list", "Other names the pages use for it.", item="text", default=(),
              example=["Laser treatment for unwanted hair"]),
        Field("type", "text", "How it reaches the body: percutaneous (through the skin, as injections do) or "
                              "noninvasive.", choices=PROCEDURE_TYPES, example="noninvasive"),
        Field("body_location", "text", "Where on the body it is done.", example="Face"),
        Field("how_performed", "text", "How it is done, in a few sentences.",
              example="Your clinician moves a small hand piece over your skin. It gives short pulses of light."),
        Field("preparation", "text", "What happens before it.",
              example="Before any treatment, you have a consultation with a qualified clinician."),
        Field("followup", "text", "What patients do afterwards.",
              example="Keep the treated skin out of the sun for 2 weeks."),
    )),
    share_image_field("The picture social apps show with a link to this page, instead of the site's."),
    PAGE_CHECKS_FIELD,
)
REQUIRED_PROCEDURE_FACTS = ("type", "body_location", "how_performed", "preparation", "followup")


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
    head: str = field(default="", repr=False)  # the source file's lines before the body
    front_matter: YamlDoc | None = field(default=None, compare=False, repr=False)  # with each key's position

    @property
    def text(self) -> str:
        """The whole source file."""
        return self.head + "\n" + self.body

    @property
    def output(self) -> str:
        """The file the page is written to, relative to the output folder."""
        return self.url + "index.html"

    @property
    def is_home(self) -> bool:
        return self.url == ""


class Listing(NamedTuple):
    """What the rest of the site shows or checks of a page: menus, sitemap, breadcrumbs, the treatment's
    facts. A plain tuple: the build cache keeps one for every page, and reads 10,000 back in milliseconds."""

    source: str  # the page file; a string, as Path objects are slow to read back by the thousand
    rel: str
    url: str
    kind: str
    label: str
    menu: str
    order: int
    draft: bool
    reviewed: dt.date | None
    procedure: ProcedureFacts | None
    procedure_lines: tuple[tuple[str, int], ...]  # the line of `procedure` (as '') and of each fact given
    share_image: ShareImage | None  # the page's own, measured from its file
    checks: tuple[tuple[str, str], ...]  # (check name, level) set for this page
    # A stand-in for a page whose settings could not be read: its address and kind, so that links to
    # it, menus and the site's kinds of page do not report a second time what its own error says.
    unread: bool = False

    @property
    def output(self) -> str:
        return self.url + "index.html"


def page_from_text(path: Path, rel: str, text: str, config: SiteConfig) -> tuple[Page | None, Listing | None, list[Diagnostic]]:
    """The page in the file at `path` (`rel` under content/), whose text is `text`, and its listing."""
    with processing(path):
        source, problems = parse_source(path, rel, text)
        page, problems = make_page(source, config) if source else (None, problems)
        if page is None:
            return None, stand_in(rel, path, text), problems
        return page, listing(page, source.front_matter), problems


def stand_in(rel: str, path: Path, text: str) -> Listing | None:
    """What the rest of the site needs of a page that could not be read, from the settings that can
    be made out line by line: its address, kind and place in the menus."""
    said = legible_settings(text)
    url, problem = page_url(rel, said.get("slug"))
    if problem:
        url, problem = page_url(rel, None)
    if problem:
        return None
    order, kind, menu = said.get("order", ""), said.get("kind"), said.get("menu")
    return Listing(str(path), rel, url, kind=kind if kind in KINDS else "page",
                   label=said.get("nav_title") or said.get("title") or url.strip("/").rpartition("/")[2] or "home",
                   menu=menu if menu in MENUS else "main", order=int(order) if order.isdigit() and len(order) < 10 else 100,
                   draft=said.get("draft") == "true", reviewed=None, procedure=None, procedure_lines=(),
                   share_image=None, checks=(), unread=True)


def legible_settings(text: str) -> dict[str, str]:
    """The page's top-level `name: value` settings, read line by line (whatever YAML makes of them)."""
    lines = text.split("\n")
    end = front_matter_end(lines) if lines[0].rstrip() == FENCE else None
    found = TOP_SETTING.findall("\n".join(lines[1:end])) if end else []
    return {name: value.strip("\"'").strip() for name, value in found}


def listing(page: Page, doc: YamlDoc) -> Listing:
    meta = page.meta
    lines = [("", doc.line(("procedure",)))] + [(name, doc.line(("procedure", name)))
                                                for name in (meta.procedure.given() if meta.procedure else ())]
    return Listing(str(page.source), page.rel, page.url, meta.kind, meta.label, meta.menu, meta.order, meta.draft,
                   meta.reviewed.date if meta.reviewed else None, meta.procedure, tuple(lines), meta.share_image,
                   meta.checks)


def list_pages(listings: list[Listing], drafts: bool) -> tuple[tuple[Listing, ...], list[Diagnostic]]:
    """The site's pages in navigation order (drafts only when asked for), and the problems between pages."""
    pages, problems = without_duplicate_urls([p for p in listings if drafts or not p.draft])
    pages.sort(key=lambda p: (p.order, p.url))
    return tuple(pages), problems + procedure_problems(pages)


def make_page(source: SourceFile, config: SiteConfig) -> tuple[Page | None, list[Diagnostic]]:
    doc = source.front_matter
    values, invalid = Validator(doc, SETTINGS_PREFIX).mapping(doc.value if doc.value is not None else {}, FRONT_MATTER)
    problems = placeholders(source, reported={p.line for p in invalid})
    if invalid:
        return None, invalid + problems
    if values["share_image"]:
        values["share_image"], found = measure_share_image(values["share_image"], config.root / STATIC_DIR, doc,
                                                           SETTINGS_PREFIX)
        problems += found
    meta = FrontMatter(**values)
    url, problem = page_url(source.rel, meta.slug)
    if problem:
        return None, problems + [error(source.path, doc.line(("slug",)) if meta.slug else 1, problem)]
    page = Page(source.path, source.rel, meta, source.body, source.body_line, url, next_review(meta, config),
                source.head, doc)
    return page, problems


def placeholders(source: SourceFile, reported: set[int]) -> list[Diagnostic]:
    """Every place where a placeholder from `build.py new` has not been replaced yet (in the front
    matter, those whose line has no other problem `reported`, such as 'TODO' for a date)."""
    doc = source.front_matter
    problems = [error(source.path, doc.line(keys), f"front matter: '{key_name(keys)}' is still the placeholder "
                                                   f"{value!r}; replace it as the comment above it explains")
                for keys, value in _strings(doc.value) if UNFILLED.search(value) and doc.line(keys) not in reported]
    problems += [error(source.path, source.body_line + i, f"placeholder left in the text: {line.strip()!r}; "
                                                          "write the page's own words here")
                 for i, line in enumerate(source.body.split("\n")) if UNFILLED.search(line)]
    return problems


def _strings(value, keys: tuple = ()):
    """(key path, text) for every text value in a front matter document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, keys + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, keys + (i,))
    elif isinstance(value, str):
        yield keys, value


def page_url(rel: str, slug: str | None) -> tuple[str, str]:
    """The page's URL from its path under content/ ('a/b.md' → 'a/b/'), or why it has none."""
    parts = rel[: -len(".md")].split("/")
    if parts[-1] == "index":
        parts.pop()
    if slug is not None:
        if not SLUG.fullmatch(slug):
            return "", f"front matter: slug {slug!r} {SLUG_RULE}"
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
    return years_after(meta.reviewed.date, config.review_period_years)


def years_after(day: dt.date, years: int) -> dt.date:
    year = min(day.year + years, dt.MAXYEAR)  # a typo such as 9999 must not crash
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def without_duplicate_urls(pages: list[Listing]) -> tuple[list[Listing], list[Diagnostic]]:
    """The first page at each URL; every later one is an error naming both files."""
    first: dict[str, Listing] = {}
    problems = []
    for page in pages:
        other = first.setdefault(page.url, page)
        if other is not page and not (page.unread or other.unread):  # an unread page's address is a guess
            problems.append(error(Path(page.source), 1, f"two pages have the address /{page.url}: this one and "
                                                  f"content/{other.rel}; rename one or give it a slug"))
    return list(first.values()), problems


def procedure_problems(pages: list[Listing]) -> list[Diagnostic]:
    """Each treatment fact given on one page only, one page naming the treatment, and no fact missing."""
    given: dict[str, Listing] = {}
    problems = []
    for page in pages:
        lines = dict(page.procedure_lines)
        for name in page.procedure.given() if page.procedure else ():
            if name in given:
                problems.append(error(Path(page.source), lines[name], f"front matter: procedure.{name} is already "
                                      f"given in content/{given[name].rel}; give each fact on one page"))
            else:
                given[name] = page
    if not given or any(page.unread for page in pages):  # what is missing may be on the page not read
        return problems
    if "name" not in given:
        first = next(iter(given.values()))
        return problems + [error(Path(first.source), dict(first.procedure_lines)[""],
                                 "front matter: no page gives procedure.name: add it to the page about the treatment")]
    missing = [name for name in REQUIRED_PROCEDURE_FACTS if name not in given]
    if missing:
        main = given["name"]
        problems.append(warning(Path(main.source), dict(main.procedure_lines)[""],
                                f"front matter: search engines expect the treatment's {', '.join(missing)}: add "
                                f"procedure.{missing[0]} to the page that explains it"))
    return problems
