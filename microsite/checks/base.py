"""The interface every content check implements, in two phases: one page at a time (in worker
processes, each page's results kept in the build cache), then the whole site from what each page
phase kept."""

from __future__ import annotations

import sys
from typing import Any, ClassVar, Generic, TypeVar

from ..diagnostics import Diagnostic
from .site import CheckSite, PageView

Settings = TypeVar("Settings")


class Check(Generic[Settings]):
    """A content check. `NAME` is its key under `checks:`; its module's docstring ('name: what it
    checks') is its description in the manual. A check overrides the phases it has."""

    NAME: ClassVar[str]

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.__doc__ = sys.modules[cls.__module__].__doc__

    def settings(self, site: CheckSite) -> Settings:
        """Its settings from site.yaml, defaults filled in (a dataclass in settings.py)."""
        return site.config.checks.settings(self.NAME)

    def check_page(self, site: CheckSite, view: PageView) -> list[Diagnostic]:
        """Its findings on one page, which depend on that page and the text around it."""
        return []

    def page_facts(self, site: CheckSite, view: PageView) -> Any:
        """What its site-wide rules need to know of one page, or None: small, as the build cache keeps
        it, so a page that has not changed is not read again."""
        return None

    def check_site(self, site: CheckSite, facts: dict[str, Any]) -> list[Diagnostic]:
        """The findings of its site-wide rules, from each page's facts (by path under content/; a page
        whose facts were None is left out)."""
        return []
