"""sections: the kinds of page a treatment site must have, and benefits and risks linking to each other."""

from __future__ import annotations

from ..diagnostics import ERROR, Diagnostic
from .site import CheckSite, PageView

NAME = "sections"
PAIRS = (("benefits", "risks"), ("risks", "benefits"))  # each page of the first kind links to the second


def check(site: CheckSite) -> list[Diagnostic]:
    required = site.config.checks.sections.required
    problems = [site.config_location("checks", "sections", "required").diagnostic(
        ERROR, f"the site has no {kind} page: add a page with 'kind: {kind}' in its front matter "
               f"(every treatment needs {_listing(required)} pages)", NAME)
        for kind in required if not site.of_kind(kind)]
    for kind, other in PAIRS:
        targets = {v.page.url for v in site.of_kind(other)}
        for view in site.of_kind(kind):
            if targets and not targets & set(linked_pages(site, view)):
                problems.append(view.body_start.diagnostic(
                    ERROR, f"the {kind} page does not link to the {other} page (/{min(targets)}): benefits are "
                           "never shown without the way to the risks", NAME))
    return problems


def linked_pages(site: CheckSite, view: PageView) -> list[str]:
    """The site URLs ('risks/') that the page's own text links to."""
    return [target[0] for a in view.content_tree.iter("a")
            if (target := site.internal_target(a.get("href", ""), view))]


def _listing(words) -> str:
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)
