"""Stage 5: run every content check over the rendered site, at the levels the site and pages set."""

from __future__ import annotations

from dataclasses import replace

from ..config import CONFIG_FILE, STATIC_DIR, SiteConfig
from ..diagnostics import Diagnostic
from ..glossary import Glossary
from ..markup import render_markdown
from ..pages import Page
from ..render import TEMPLATES_DIR, OutputFile
from ..sitepaths import site_files
from ..textfile import read_text
from ..yamldoc import parse_yaml
from . import accessibility, claims, disclosures, glossary, links, meta, privacy, readability, review, sections
from .settings import OFF
from .site import CheckSite, PageView, SourceText, build_date

# In the order their findings are reported; each has NAME and check(site) -> list[Diagnostic].
CHECKS = (sections, disclosures, review, readability, glossary, claims, privacy, links, accessibility, meta)
STYLE_AND_SCRIPT = (".css", ".js", ".mjs")


def run_checks(config: SiteConfig, pages: tuple[Page, ...], files: list[OutputFile],
               glossary_: Glossary | None) -> list[Diagnostic]:
    active = active_checks(config, [level for page in pages for level in page.meta.checks])
    if not active:
        return []
    site = check_site(config, pages, files, glossary_)
    problems: list[Diagnostic] = []
    for check in active:
        problems += at_levels(check.NAME, check.check(site), site)
    return list(dict.fromkeys(problems))  # text in a template is found once per page


def active_checks(config: SiteConfig, page_levels: list[tuple[str, str]]):
    """The checks on for the site or for some page: a site with every check off skips the whole pass."""
    on_somewhere = {name for name, level in page_levels if level != OFF}
    return [check for check in CHECKS if config.checks.settings(check.NAME).level != OFF or check.NAME in on_somewhere]


def at_levels(name: str, findings: list[Diagnostic], site: CheckSite) -> list[Diagnostic]:
    """Each finding at the level its page, else the site, sets for the check, else the rule's own."""
    site_level = site.config.checks.settings(name).level
    page_levels = {v.page.source: dict(v.page.meta.checks).get(name) for v in site.pages}
    leveled = [replace(d, level=page_levels.get(d.path) or site_level or d.level, check=name) for d in findings]
    return [d for d in leveled if d.level != OFF]


def check_site(config: SiteConfig, pages: tuple[Page, ...], files: list[OutputFile],
               glossary_: Glossary | None) -> CheckSite:
    """The inputs every check reads: pages with their source and HTML, and the files around them."""
    built = {f.path: f.data for f in files}
    views = []
    for page in pages:
        text, _ = read_text(page.source)
        if text is not None and page.output in built:  # else the build has already reported why
            content = render_markdown(page.body, config.base_path, glossary_).html
            views.append(PageView(page, text, built[page.output].decode(), content))
    chrome = [source for path in [config.root / CONFIG_FILE, *_files(config.root / TEMPLATES_DIR, config.root)]
              if (source := _source(path))]
    assets = [source for path in _files(config.root / STATIC_DIR, config.root)
              if path.suffix in STYLE_AND_SCRIPT and (source := _source(path))]
    config_doc = parse_yaml(chrome[0].text, chrome[0].path)[0] if chrome else None
    outputs = frozenset(built) | {page.output for page in pages}  # a page that failed to render is reported already
    return CheckSite(config, tuple(views), outputs, tuple(chrome), tuple(assets), config_doc,
                     glossary_, build_date())


def _files(folder, root):
    """The files under `folder`, never through a link that leads out of the site."""
    return site_files(folder, root)[0] if folder.is_dir() else []


def _source(path) -> SourceText | None:
    text, _ = read_text(path)
    return SourceText(path, text) if text is not None else None
