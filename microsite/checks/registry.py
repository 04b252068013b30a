"""Stage 5: the content checks, page by page and then over the whole site, at the levels the site and
pages set. Every check is a `base.Check`, listed in CHECKS."""

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
from .accessibility import Accessibility
from .base import Check
from .claims import Claims
from .comparisons import Comparisons
from .disclosures import Disclosures
from .frequencies import Frequencies
from .glossary import GlossaryCheck
from .links import Links
from .meta import Meta
from .options import Options
from .privacy import Privacy
from .readability import Readability
from .review import Review
from .sections import Sections
from .settings import OFF
from .site import CheckSite, PageView, SourceText, build_date

# In the order their findings are reported.
CHECKS: tuple[Check, ...] = (
    Sections(), Disclosures(), Review(), Readability(), GlossaryCheck(), Claims(), Comparisons(), Frequencies(),
    Options(), Privacy(), Links(), Accessibility(), Meta())
STYLE_AND_SCRIPT = (".css", ".js", ".mjs")


def active_checks(names: tuple[str, ...]) -> tuple[Check, ...]:
    """The checks named (settings.checks_on)."""
    return tuple(check for check in CHECKS if check.NAME in names)


def check_page(site: CheckSite, view: PageView, active: tuple[Check, ...]) -> CheckRecord:
    """The findings of the active checks on one page and the facts their site-wide rules need (no key yet)."""
    findings, facts = [], {}
    for check in active:
        findings += check.check_page(site, view)
        if (found := check.page_facts(site, view)) is not None:
            facts[check.NAME] = found
    return CheckRecord(b"", tuple(findings), facts, view.page.rel in site.widened)


def site_findings(site: CheckSite, checked: dict[str, CheckRecord], active: tuple[Check, ...]) -> list[Diagnostic]:
    """Every finding of the active checks, from each checked page's record and the site-wide rules."""
    found = [finding for record in checked.values() for finding in record.findings]
    for check in active:
        found += check.check_site(site, {rel: record.facts[check.NAME] for rel, record in checked.items()
                                         if check.NAME in record.facts})
    return list(dict.fromkeys(at_levels(found, site)))  # text in a template is found once per page


def at_levels(findings: list[Diagnostic], site: CheckSite) -> list[Diagnostic]:
    """Each finding at the level its page, else the site, sets for the check, else the rule's own."""
    page_levels = {Path(p.source): dict(p.checks) for p in site.listings}
    leveled = [replace(d, level=page_levels.get(d.path, {}).get(d.check) or site.config.checks.settings(d.check).level
                       or d.level) for d in findings]
    return [d for d in leveled if d.level != OFF]


def site_for_checks(config: SiteConfig, listings: tuple[Listing, ...], outputs: frozenset[str],
                    glossary_: Glossary | None, view, page) -> CheckSite:
    """The inputs every check reads besides the page itself: site.yaml, the templates, the static
    style sheets and scripts, and the pages as listed."""
    chrome = [source for path in [config.root / CONFIG_FILE, *_files(config.root / TEMPLATES_DIR, config.root)]
              if (source := _source(path))]
    assets = [source for path in _files(config.root / STATIC_DIR, config.root)
              if path.suffix in STYLE_AND_SCRIPT and (source := _source(path))]
    return CheckSite(config, listings, outputs, tuple(chrome), tuple(assets), glossary_, build_date(), view, page)


def _files(folder, root):
    """The files under `folder`, never through a link that leads out of the site."""
    return site_files(folder, root)[0] if folder.is_dir() else []


def _source(path) -> SourceText | None:
    text, _ = read_text(path)
    return SourceText(path, text) if text is not None else None
