"""comparisons: a comparative claim ("less likely to", "quicker than", "better than", "more effective"), an absolute claim the site allows, or a comparison table, on a page that cites no source.

Comparing a treatment with other options is a claim a patient takes as fact: the clinic must hold
the evidence before it publishes it (CAP Code 3.7; in the US, the FTC's competent and reliable
scientific evidence). A page shows its evidence in `sources:`, or a paragraph links it. The absolute
claims ("guaranteed", "permanent", "the best") are refused by the claims check whatever the sources;
one the site allows there (`checks: claims: allow:`) still needs a source here.
"""

from __future__ import annotations

from ..diagnostics import WARNING, Diagnostic
from ..words import hits
from .claims import ABSOLUTE, Rule, cite, links_out
from .base import Check
from .settings import ComparisonsSettings
from .site import CheckSite, Locator, PageView

NAME = "comparisons"
SOURCES = (("uk", "CAP Code 3.7 and 12.1"),
           ("us", "FTC Health Products Compliance Guidance: competent and reliable scientific evidence"))
ADVICE = "list the evidence under 'sources:' or link it in the same paragraph, or leave the claim out"
COMPARATIVE = Rule("comparative claim", WARNING, (
    "less likely to", "more likely to", "quicker than", "faster than", "slower than", "better than", "worse than",
    "safer than", "more effective", "less effective", "most effective", "more comfortable", "less painful",
    "fewer side effects", "longer lasting", "lasts longer", "superior to", "compared with", "compared to"),
    SOURCES, ADVICE)
TABLE = Rule("comparison table", WARNING, (), SOURCES, ADVICE)
TABLE_COLUMNS = 3  # a first column of what is compared, then two or more options side by side
NOT_CLAIMS = ("price",)  # a price list's columns are prices, not a comparison of outcomes


def claim_findings(site: CheckSite, view: PageView, jurisdictions: tuple[str, ...], locator: Locator) -> list[Diagnostic]:
    allowed = {term.lower() for term in site.config.checks.claims.allow}
    wanted = (COMPARATIVE.terms + site.config.checks.comparisons.phrases
              + tuple(t for t in ABSOLUTE.terms if t.lower() in allowed))
    problems = []
    for block in view.prose_blocks:
        if links_out(block.element):
            continue
        for hit in hits(wanted, block.text):
            problems.append(finding(COMPARATIVE, locator.locate(hit.text, context=block.text), f'"{hit.text}"',
                                    jurisdictions))
    return problems


def table_findings(content, jurisdictions: tuple[str, ...], locator: Locator) -> list[Diagnostic]:
    problems = []
    for table in content.iter("table"):
        first_row = next(table.iter("tr"), None)
        cells = [] if first_row is None else [c for c in first_row if c.tag in ("th", "td")]
        if len(cells) >= TABLE_COLUMNS:
            heading = " ".join(cells[0].itertext()).strip() or " ".join(cells[1].itertext()).strip()
            problems.append(finding(TABLE, locator.locate(heading), f"of {len(cells)} columns", jurisdictions))
    return problems


def finding(rule: Rule, where, what: str, jurisdictions: tuple[str, ...]) -> Diagnostic:
    return where.diagnostic(rule.level, f"{rule.what} {what} on a page that cites no source: {rule.advice} "
                                        f"({cite(rule, jurisdictions)})", NAME)


class Comparisons(Check[ComparisonsSettings]):
    NAME = NAME

    def check_page(self, site: CheckSite, view: PageView) -> list[Diagnostic]:
        if view.page.meta.sources:
            return []
        jurisdictions = site.config.jurisdictions
        locator = site.locator(view)
        return (claim_findings(site, view, jurisdictions, locator)
                + ([] if view.page.meta.kind in NOT_CLAIMS else table_findings(view.prose_tree, jurisdictions, locator)))
