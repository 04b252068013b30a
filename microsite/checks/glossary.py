"""glossary: each medical term the site lists (`checks.glossary.terms`) that a page uses has an entry on the
glossary page, which the build links from the term's first use."""

from __future__ import annotations

from ..diagnostics import WARNING, Diagnostic
from ..model import GLOSSARY_KIND
from ..words import first_hit
from .base import Check
from .settings import GlossarySettings
from .site import CheckSite, PageView

NAME = "glossary"
RULE = "NHS content guide: explain medical words the first time you use them"


class GlossaryCheck(Check[GlossarySettings]):
    NAME = NAME

    def check_page(self, site: CheckSite, view: PageView) -> list[Diagnostic]:
        """The first use of each of the site's terms (`checks.glossary.terms`) that the glossary does not
        explain. The glossary page's own terms need no listing: the build links their first use."""
        if view.page.meta.kind == GLOSSARY_KIND:
            return []
        locator = site.locator(view)
        texts = [b.text for b in view.prose_blocks]
        problems = []
        for term in self.settings(site).terms:
            if site.glossary and site.glossary.entry(term):
                continue
            first = next(((hit, text) for text in texts if (hit := first_hit(term, text))), None)
            if first:
                hit, text = first
                advice = ("add it to the glossary page" if site.glossary
                          else "add a page with 'kind: glossary' that explains it")
                problems.append(locator.locate(hit.text, context=text).diagnostic(
                    WARNING, f"medical term \"{hit.text}\" has no glossary entry: {advice} ({RULE})", NAME))
        return problems
