"""disclosures: statements a patient must be able to find somewhere on the site."""

from __future__ import annotations

from ..diagnostics import ERROR, Diagnostic
from ..words import mentions
from .base import Check
from .settings import DisclosuresSettings
from .site import CheckSite, Location, PageView

NAME = "disclosures"
RULE = "ASA/CAP guidance on cosmetic interventions"


class Disclosures(Check[DisclosuresSettings]):
    NAME = NAME

    def page_facts(self, site: CheckSite, view: PageView) -> tuple[frozenset[int], Location]:
        """Which statements the page makes (by their place in the settings), and where its text starts."""
        texts = [b.text for b in view.page_blocks]
        statements = self.settings(site).statements
        return frozenset(i for i, statement in enumerate(statements)
                         if mentions(statement.phrases, texts, clinic=site.config.name)), view.body_start

    def check_site(self, site: CheckSite, facts: dict[str, tuple[frozenset[int], Location]]) -> list[Diagnostic]:
        made = frozenset().union(*(said for said, _ in facts.values()))
        home = facts.get(site.home.rel) if site.home else None
        problems = []
        for i, statement in enumerate(self.settings(site).statements):
            if i not in made:
                keys = ("checks", "disclosures", "statements", i)
                where = site.config_location(*keys) if site.configured(*keys) or not home else home[1]
                problems.append(where.diagnostic(
                    ERROR, f"no page says that {statement.name} (for example \"{statement.phrases[0]}\"): "
                           f"patients must be told before they book ({RULE})", NAME))
        return problems
