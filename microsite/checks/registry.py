"""Stage 5: the content checks, page by page and then over the whole site, at the levels the site and
pages set.

Each check module has NAME and one or more of:
- check_page(site, view): its findings on one page, which depend on that page and the text around it;
- page_facts(site, view): what its site-wide rules need to know of one page (small: the build cache
  keeps it, so a page that has not changed is not read again);
- check_site(site, facts): the findings of its site-wide rules, from every page's facts.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..cache import CheckRecord
from ..config import CONFIG_FILE, STATIC_DIR, TEMPLATES_DIR, SiteConfig
from ..diagnostics import Diagnostic
from ..model import Glossary
from ..pages import Listing
from ..sitepaths import site_files
from ..textfile import read_text
from . import (accessibility, claims, comparisons, disclosures, frequencies, glossary, links, meta, options, privacy,
               readability, review, sections)
from .settings import OFF
from .site import CheckSite, PageView, SourceText, build_date

# In the order their findings are reported.
CHECKS = (sections, disclosures, review, readability, glossary, claims, comparisons, frequencies, options, privacy,
          links, accessibility, meta)
STYLE_AND_SCRIPT = (".css", ".js", ".mjs")


def active_checks(names: tuple[str, ...]) -> tuple:
    """The modules of the checks named (settings.checks_on)."""
    return tuple(check for check in CHECKS if check.NAME in names)


def check_page(site: CheckSite, view: PageView, active: tuple) -> CheckRecord:
    """The findings of the active checks on one page and the facts their site-wide rules need (no key yet)."""
    findings, facts = [], {}
    for check in active:
        if hasattr(check, "check_page"):
            findings += check.check_page(site, view)
        if hasattr(check, "page_facts"):
            facts[check.NAME] = check.page_facts(site, view)
    return CheckRecord(b"", tuple(findings), facts, view.page.rel in site.widened)


def site_findings(site: CheckSite, checked: dict[str, CheckRecord], active: tuple) -> list[Diagnostic]:
    """Every finding of the active checks, from each checked page's record and the site-wide rules."""
    found = [finding for record in checked.values() for finding in record.findings]
    for check in active:
        if hasattr(check, "check_site"):
            found += check.check_site(site, {rel: record.facts[check.NAME] for rel, record in checked.items()})
    return list(dict.fromkeys(at_levels(found, site)))  # text in a template is found once per page


def at_levels(findings: list[Diagnostic], site: CheckSite) -> list[Diagnostic]:
    """Each finding at the level its page, else the site, sets for the check, else the rule's own."""
    page_levels = {Path(p.source): dict(p.checks) for p in site.listings}
    leveled = [replace(d, level=page_levels.get(d.path, {}).get(d.check) or site.config.checks.settings(d.check).level
                       or d.level) for d in findings]
    return [d for d in leveled if d.level != OFF]


def site_for_checks(config: SiteConfig, listings: tuple[Listing, ...], outputs: frozenset[str],
                    glossary_: Glossary | None, view) -> CheckSite:
    """The inputs every check reads besides the page itself: site.yaml, the templates, the static
    style sheets and scripts, and the pages as listed."""
    chrome = [source for path in [config.root / CONFIG_FILE, *_files(config.root / TEMPLATES_DIR, config.root)]
              if (source := _source(path))]
    assets = [source for path in _files(config.root / STATIC_DIR, config.root)
              if path.suffix in STYLE_AND_SCRIPT and (source := _source(path))]
    return CheckSite(config, listings, outputs, tuple(chrome), tuple(assets), glossary_, build_date(), view)


def _files(folder, root):
    """The files under `folder`, never through a link that leads out of the site."""
    return site_files(folder, root)[0] if folder.is_dir() else []


def _source(path) -> SourceText | None:
    text, _ = read_text(path)
    return SourceText(path, text) if text is not None else None
