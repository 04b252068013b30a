"""meta: each page's browser title and description: present, short enough, and its own."""

from __future__ import annotations

from ..content import CONTENT_DIR
from ..diagnostics import ERROR, WARNING, Diagnostic
from .html import squash, text_of
from .site import CheckSite, PageView

NAME = "meta"


def check(site: CheckSite) -> list[Diagnostic]:
    settings = site.config.checks.meta
    problems = []
    seen: dict[tuple[str, str], PageView] = {}
    for view in site.pages:
        for what, key, text, limit in (("browser title", "title", title(view), settings.title_max),
                                       ("description", "description", description(view), settings.description_max)):
            where = view.key_location(key)
            if not text:
                problems.append(where.diagnostic(ERROR, f"the page has no {what}", NAME))
                continue
            if len(text) > limit:
                problems.append(where.diagnostic(
                    WARNING, f"{what} is {len(text)} characters (over {limit}); search results cut it: \"{text}\"",
                    NAME))
            first = seen.setdefault((what, text.lower()), view)
            if first is not view:
                problems.append(where.diagnostic(
                    ERROR, f"same {what} as {CONTENT_DIR}/{first.page.rel}: \"{text}\"; each page needs its own", NAME))
    return problems


def title(view: PageView) -> str:
    found = view.tree.find(".//title")
    return text_of(found) if found is not None else ""


def description(view: PageView) -> str:
    return next((squash(m.get("content", "")) for m in view.tree.iter("meta") if m.get("name") == "description"), "")
