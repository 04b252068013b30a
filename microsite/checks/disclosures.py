"""disclosures: statements a patient must be able to find somewhere on the site."""

from __future__ import annotations

from ..diagnostics import ERROR, Diagnostic
from ..words import mentions
from .html import blocks, body
from .site import CheckSite

NAME = "disclosures"
RULE = "ASA/CAP guidance on cosmetic interventions"


def check(site: CheckSite) -> list[Diagnostic]:
    texts = [b.text for view in site.pages for b in blocks(body(view.tree))]
    settings = site.config.checks.disclosures
    problems = []
    for i, statement in enumerate(settings.statements):
        if not mentions(statement.phrases, texts, clinic=site.config.name):
            keys = ("checks", "disclosures", "statements", i)
            where = site.config_location(*keys) if site.configured(*keys) or not site.home else site.home.body_start
            problems.append(where.diagnostic(
                ERROR, f"no page says that {statement.name} (for example \"{statement.phrases[0]}\"): patients must "
                       f"be told before they book ({RULE})", NAME))
    return problems
