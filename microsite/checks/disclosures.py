"""disclosures: statements a patient must be able to find somewhere on the site."""

from __future__ import annotations

from ..diagnostics import ERROR, Diagnostic
from ..words import mentions
from .html import blocks, body
from .site import CheckSite, Location, PageView

NAME = "disclosures"
RULE = "ASA/CAP guidance on cosmetic interventions"


def page_facts(site: CheckSite, view: PageView) -> tuple[frozenset[int], Location]:
    """Which statements the page makes (by their place in the settings), and where its text starts."""
    texts = [b.text for b in blocks(body(view.tree))]
    statements = site.config.checks.disclosures.statements
    return frozenset(i for i, statement in enumerate(statements)
                     if mentions(statement.phrases, texts, clinic=site.config.name)), view.body_start


def check_site(site: CheckSite, facts: dict[str, tuple[frozenset[int], Location]]) -> list[Diagnostic]:
    made = frozenset().union(*(said for said, _ in facts.values()))
    home = facts.get(site.home.rel) if site.home else None
    problems = []
    for i, statement in enumerate(site.config.checks.disclosures.statements):
        if i not in made:
            keys = ("checks", "disclosures", "statements", i)
            where = site.config_location(*keys) if site.configured(*keys) or not home else home[1]
            problems.append(where.diagnostic(
                ERROR, f"no page says that {statement.name} (for example \"{statement.phrases[0]}\"): patients must "
                       f"be told before they book ({RULE})", NAME))
    return problems
