"""sections: the kinds of page a treatment site must have, and benefits and risks linking to each other."""

from __future__ import annotations

from typing import Any

from ..diagnostics import ERROR, Diagnostic
from .base import Check
from .settings import SectionsSettings
from .links import meant_page
from .site import CheckSite, PageView

NAME = "sections"
PAIRS = (("benefits", "risks"), ("risks", "benefits"))  # each page of the first kind links to the second


def linked_pages(site: CheckSite, view: PageView) -> list[str]:
    """The site URLs ('risks/') that the page's own text links to (a mistyped link: the page it was
    meant for, as the links check reports the typo)."""
    return [meant_page(target[0], site) for a in view.content_tree.iter("a")
            if (target := site.internal_target(a.get("href", ""), view))]


def _listing(words) -> str:
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


class Sections(Check[SectionsSettings]):
    NAME = NAME

    def page_facts(self, site: CheckSite, view: PageView) -> Any:
        """For a benefits or risks page: where its text starts, and the pages it links to."""
        if view.page.meta.kind not in {kind for pair in PAIRS for kind in pair}:
            return None
        return view.body_start, frozenset(linked_pages(site, view))

    def check_site(self, site: CheckSite, facts: dict[str, Any]) -> list[Diagnostic]:
        required = self.settings(site).required
        problems = [site.config_location("checks", "sections", "required").diagnostic(
            ERROR, f"the site has no {kind} page: add a page with 'kind: {kind}' in its front matter "
                   f"(every treatment needs {_listing(required)} pages)", NAME)
            for kind in required if not site.of_kind(kind)]
        for kind, other in PAIRS:
            targets = {p.url for p in site.of_kind(other)}
            for listing in site.of_kind(kind):
                if targets and facts.get(listing.rel) and not targets & facts[listing.rel][1]:
                    problems.append(facts[listing.rel][0].diagnostic(
                        ERROR, f"the {kind} page does not link to the {other} page (/{min(targets)}): benefits are "
                               "never shown without the way to the risks", NAME))
        return problems
