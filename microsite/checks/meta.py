"""meta: each page's browser title and description: present, short enough, and its own."""

from __future__ import annotations

from ..content import CONTENT_DIR
from ..diagnostics import ERROR, WARNING, Diagnostic
from .html import squash, text_of
from .base import Check
from .settings import MetaSettings
from .site import CheckSite, Location, PageView

NAME = "meta"
Shown = tuple[str, str, str, Location]  # what ('browser title'), its front matter key, its text, where


def shown(view: PageView) -> list[Shown]:
    """(what, front matter key, text, where it is written) of the page's browser title and description."""
    return [("browser title", "title", title(view), view.key_location("title")),
            ("description", "description", description(view), view.key_location("description"))]


def title(view: PageView) -> str:
    found = view.tree.find(".//title")
    return text_of(found) if found is not None else ""


def description(view: PageView) -> str:
    return next((squash(m.get("content", "")) for m in view.tree.iter("meta") if m.get("name") == "description"), "")


class Meta(Check[MetaSettings]):
    NAME = NAME

    def check_page(self, site: CheckSite, view: PageView) -> list[Diagnostic]:
        settings = self.settings(site)
        problems = []
        for what, key, text, where in shown(view):
            limit = settings.title_max if key == "title" else settings.description_max
            if not text:
                problems.append(where.diagnostic(ERROR, f"the page has no {what}", NAME))
            elif len(text) > limit:
                problems.append(where.diagnostic(
                    WARNING, f"{what} is {len(text)} characters (over {limit}); search results cut it: \"{text}\"",
                    NAME))
        return problems

    def page_facts(self, site: CheckSite, view: PageView) -> tuple[Shown, ...]:
        return tuple(item for item in shown(view) if item[2])

    def check_site(self, site: CheckSite, facts: dict[str, tuple[Shown, ...]]) -> list[Diagnostic]:
        """Each title and description is the page's own: a second page with the same one is named."""
        problems = []
        seen: dict[tuple[str, str], str] = {}
        for listing in site.listings:
            for what, _, text, where in facts.get(listing.rel, ()):
                first = seen.setdefault((what, text.lower()), listing.rel)
                if first != listing.rel:
                    problems.append(where.diagnostic(
                        ERROR, f"same {what} as {CONTENT_DIR}/{first}: \"{text}\"; each page needs its own", NAME))
        return problems
