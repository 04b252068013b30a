"""review: every medical page names its clinical reviewer and is reviewed again in time."""

from __future__ import annotations

import datetime as dt

from ..diagnostics import ERROR, WARNING, Diagnostic
from ..pages import years_after
from ..words import long_date
from .html import body, text_of
from .base import Check
from .settings import ReviewSettings
from .site import CheckSite, PageView

NAME = "review"
MAX_YEARS = 3
RULE = "NHS standard for creating health content"


def medical_page(view: PageView, today: dt.date, settings) -> list[Diagnostic]:
    meta, due = view.page.meta, view.page.next_review
    problems = []
    if not meta.sources:
        problems.append(view.start.diagnostic(
            WARNING, "medical page lists no sources: add 'sources:' with the title and url of the evidence "
                     f"it is based on ({RULE})", NAME))
    review = meta.reviewed
    if review is None:
        return problems + [view.start.diagnostic(
            ERROR, "medical page has no clinical review: add 'reviewed:' with by, role, registration and date "
                   f"({RULE})", NAME)]
    if not review.registration:
        problems.append(view.key_location("reviewed").diagnostic(
            ERROR, f"reviewer {review.by} has no 'registration': give their GMC, NMC or other professional "
                   f"registration number ({RULE})", NAME))
    if review.date > today:
        problems.append(view.key_location("reviewed", "date").diagnostic(
            ERROR, f"review date {long_date(review.date)} is after the build date {long_date(today)}", NAME))
    latest = years_after(review.date, MAX_YEARS)
    if due <= review.date or due > latest:
        problems.append(view.key_location("next_review").diagnostic(
            ERROR, f"next review {long_date(due)} must fall after the review on {long_date(review.date)} and no "
                   f"later than {long_date(latest)} ({MAX_YEARS} years, the longest an NHS health page goes "
                   "unreviewed)", NAME))
    elif due <= today:
        problems.append(view.key_location("reviewed").diagnostic(
            settings.overdue, f"review overdue: it fell due on {long_date(due)}; have the page reviewed again "
                              "and update 'reviewed'", NAME))
    elif (due - today).days <= settings.due_soon_days:
        problems.append(view.key_location("reviewed").diagnostic(
            WARNING, f"review due on {long_date(due)}, in {(due - today).days} days", NAME))
    problems += shown(view, due)
    return problems


def shown(view: PageView, due: dt.date) -> list[Diagnostic]:
    """The review must be visible: 'Page last reviewed: … · Next review due: …' and the reviewer."""
    review = view.page.meta.reviewed
    visible = text_of(body(view.tree))
    expected = [f"Page last reviewed: {long_date(review.date)}", f"Next review due: {long_date(due)}", review.by]
    missing = [text for text in expected if text not in visible]
    if not missing:
        return []
    return [view.key_location("reviewed").diagnostic(
        ERROR, f"the page does not show \"{missing[0]}\": its template must show the review dates and the "
               "reviewer (include _review.html)", NAME)]


class Review(Check[ReviewSettings]):
    NAME = NAME

    def check_page(self, site: CheckSite, view: PageView) -> list[Diagnostic]:
        settings = self.settings(site)
        return medical_page(view, site.today, settings) if view.page.meta.kind in settings.kinds else []
