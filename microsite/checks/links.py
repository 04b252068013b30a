"""links: every link, anchor and file reference inside the site resolves in the built site; addresses
elsewhere are well formed (nothing is fetched)."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from ..diagnostics import ERROR, Diagnostic, error
from .html import attribute_urls
from .base import Check
from .settings import LinksSettings
from .site import CheckSite, PageView

NAME = "links"
REFERENCES = (("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"), ("script", "src"),
              ("source", "src"), ("video", "src"), ("audio", "src"), ("iframe", "src"), ("img", "srcset"),
              ("source", "srcset"))
EMAIL = re.compile(r"[^@\s,;]+@[^@\s.,;]+(?:\.[^@\s.,;]+)+")
PHONE = re.compile(r"\+?[0-9][0-9 ().-]{2,}[0-9]")
HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}|localhost", re.IGNORECASE)
IGNORED_SCHEMES = ("data", "javascript", "blob")  # not links to check here


class Facts(NamedTuple):
    ids: frozenset[str]  # of the page's elements, which links elsewhere may name after '#'
    targets: tuple[tuple[str, str, str], ...]  # (link, path in the site, fragment) of each link into the site


def references(view: PageView) -> list[str]:
    """Every address the page refers to, in the order of REFERENCES."""
    return [href for tag, attribute in REFERENCES for element in view.tree.iter(tag)
            for href in attribute_urls(element.get(attribute), attribute == "srcset")]


def located(site: CheckSite, view: PageView, wrong: list[tuple[str, str]]) -> list[Diagnostic]:
    locator = site.locator(view)
    problems = []
    for href, problem in wrong:
        written = _as_written(site, href)
        where = locator.locate(written, href, written.rstrip("/").rsplit("/", 1)[-1], exact=True)
        problems.append(where.diagnostic(ERROR, problem, NAME))
    return problems


def own_problem(site: CheckSite, view: PageView, href: str) -> str | None:
    """What is wrong with a link whatever else the site has ('' for nothing), or None for a link into
    the site, which only the whole site can judge."""
    scheme = urlsplit(href).scheme.lower() if ":" in href else ""
    if scheme == "mailto":
        address = unquote(href[len("mailto:"):].split("?")[0])
        return "" if address and all(EMAIL.fullmatch(a.strip()) for a in address.split(",")) else \
            f"email link \"{href}\" is not a well-formed address (mailto:name@example.org)"
    if scheme == "tel":
        return "" if PHONE.fullmatch(unquote(href[len("tel:"):])) else \
            f"phone link \"{href}\" is not a well-formed number (tel:+442079460000)"
    if scheme in IGNORED_SCHEMES:
        return ""
    return None if site.internal_target(href, view) else external_problem(href)


def target_problem(site: CheckSite, href: str, path: str, fragment: str, ids: dict[str, frozenset[str]]) -> str:
    """What is wrong with a link into the site, or ''."""
    if any(("/" + path).startswith("/" + prefix.lstrip("/")) for prefix in site.config.checks.links.elsewhere):
        return ""
    output = resolve(path, site.outputs)
    if output is None:
        return f"link to \"{href}\" goes nowhere: no page or file has that address" + suggestion(path, site)
    if fragment and output in ids and fragment not in ids[output]:
        return f"link to \"{href}\": no element has id \"{fragment}\" on that page" + \
            _close(fragment, ids[output], "#")
    return ""


def external_problem(href: str) -> str:
    parts = urlsplit(href.strip())
    if parts.scheme.lower() in ("http", "https", "") and parts.netloc:
        # On the site's own host but outside its base path: another site there serves it.
        if not HOST.fullmatch(parts.hostname or "") or any(c.isspace() for c in href.strip()):
            return f"link to \"{href}\" is not a well-formed address"
        return ""
    return f"link to \"{href}\" is not a well-formed address (use https://…, /page/, mailto: or tel:)"


def resolve(path: str, outputs: frozenset[str]) -> str | None:
    """The built file a site path is served from: 'risks/' → 'risks/index.html'."""
    return next((c for c in (path, path + "index.html", path + "/index.html") if c in outputs), None)


def element_ids(view: PageView) -> set[str]:
    return {e.get("id") or e.get("name") for e in view.tree.iter() if isinstance(e.tag, str)
            and (e.get("id") or (e.tag == "a" and e.get("name")))}


def suggestion(path: str, site: CheckSite) -> str:
    return _close(path, [p.url for p in site.listings], "/")


def meant_page(path: str, site: CheckSite) -> str:
    """The page a link into the site leads to ('risks/'), or, if it goes nowhere, the page it was
    most likely meant for (the one this check suggests), so no other check reports the same typo."""
    if resolve(path, site.outputs):
        return path
    close = difflib.get_close_matches(path, [p.url for p in site.listings], n=1, cutoff=0.6)
    return close[0] if close else path


def _close(word: str, candidates, prefix: str) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean \"{prefix}{close[0]}\"?)" if close else ""


def _as_written(site: CheckSite, href: str) -> str:
    """The link as the Markdown has it: the build moves '/risks/' under the base path."""
    base = site.config.base_path
    return "/" + href[len(base):] if base != "/" and href.startswith(base) else href


class Links(Check[LinksSettings]):
    NAME = NAME

    def check_page(self, site: CheckSite, view: PageView) -> list[Diagnostic]:
        """The links that are wrong whatever else the site has: malformed addresses."""
        return located(site, view, [(href, problem) for href in references(view)
                                    if (problem := own_problem(site, view, href))])

    def page_facts(self, site: CheckSite, view: PageView) -> Facts:
        targets = tuple((href, *site.internal_target(href, view))
                        for href in references(view) if own_problem(site, view, href) is None)
        return Facts(frozenset(element_ids(view)), targets)

    def check_site(self, site: CheckSite, facts: dict[str, Facts]) -> list[Diagnostic]:
        """The links into the site that lead nowhere: to no file, or to no element with that id."""
        ids = {listing.output: facts[listing.rel].ids for listing in site.listings if listing.rel in facts}
        problems = []
        for listing in site.listings:
            wrong = [(href, problem) for href, path, fragment in facts[listing.rel].targets
                     if (problem := target_problem(site, href, path, fragment, ids))] if listing.rel in facts else []
            if wrong:  # rare: only then is the page read again, to find where each link is written
                view = site.view(listing)
                problems += located(site, view, wrong) if view else [  # the file changed during this build
                    error(Path(listing.source), 0, problem, check=NAME) for _, problem in wrong]
        return problems
