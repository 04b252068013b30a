"""review: who reviewed each medical page and when, and when it is due again."""

import datetime as dt

from checking import findings, messages
from conftest import make_site

BODY = "## Each day\n\nWalk for at least 5 minutes, several times a day.\n"


def aftercare(front: str) -> dict:
    return {"content/aftercare.md": f"---\ntitle: Aftercare\ndescription: Looking after your legs.\nkind: aftercare\n"
                                    f"{front.strip()}\n---\n{BODY}"}


REVIEWED = """
reviewed:
  by: Dr Ann Test
  role: Consultant vascular surgeon
  registration: GMC 1234567
  date: 2026-03-12
sources:
  - title: NHS
    url: https://www.nhs.uk/
"""


def test_reviewed_pages_pass(tmp_path):
    assert findings(make_site(tmp_path, fixture="clinic"), "review") == []


def test_no_review_is_an_error_and_no_sources_a_warning(tmp_path):
    site = make_site(tmp_path, aftercare("order: 5"), fixture="clinic")
    assert findings(site, "review") == [("content/aftercare.md", 1, 1, "error"), ("content/aftercare.md", 1, 1, "warning")]


def test_reviewer_needs_a_registration(tmp_path):
    site = make_site(tmp_path, aftercare(REVIEWED.replace("  registration: GMC 1234567\n", "")), fixture="clinic")
    assert findings(site, "review") == [("content/aftercare.md", 5, 1, "error")]
    assert "has no 'registration'" in messages(site, "review")[0]


def test_a_review_date_after_the_build_is_an_error(tmp_path):
    site = make_site(tmp_path, aftercare(REVIEWED.replace("2026-03-12", "2026-12-01")), fixture="clinic")
    assert findings(site, "review") == [("content/aftercare.md", 9, 3, "error")]


def test_next_review_more_than_three_years_on_is_an_error(tmp_path):
    site = make_site(tmp_path, aftercare(REVIEWED + "next_review: 2029-03-13"), fixture="clinic")
    assert findings(site, "review") == [("content/aftercare.md", 13, 1, "error")]


def test_overdue_is_an_error_that_the_site_may_lower(tmp_path):
    site = make_site(tmp_path, aftercare(REVIEWED + "next_review: 2026-11-01"), fixture="clinic")
    assert findings(site, "review") == [("content/aftercare.md", 5, 1, "error")]
    assert messages(site, "review") == ["review overdue: it fell due on 1 November 2026; have the page reviewed "
                                        "again and update 'reviewed'"]
    yaml = (site / "site.yaml").read_text() + "checks:\n  review:\n    overdue: warning\n"
    (site / "site.yaml").write_text(yaml)
    assert findings(site, "review") == [("content/aftercare.md", 5, 1, "warning")]


def test_due_within_30_days_is_a_warning(tmp_path):
    site = make_site(tmp_path, aftercare(REVIEWED), fixture="clinic")
    assert findings(site, "review", day=dt.date(2029, 2, 20)) == [
        (f"content/{name}.md", line, 1, "warning")
        for name, line in [("aftercare", 5)] + [(n, 6) for n in ("benefits", "glossary", "index", "procedure", "risks")]]


def test_the_page_must_show_the_review(tmp_path):
    site = make_site(tmp_path, {"templates/page.html": '{% extends "base.html" %}\n'
                                                       "{% block main %}<h1>{{ page.meta.title }}</h1>{{ content }}"
                                                       "{% endblock %}\n"}, fixture="clinic")
    assert ("content/aftercare.md", 6, 1, "error") in findings(site, "review")
    assert messages(site, "review")[0] == ('the page does not show "Page last reviewed: 12 March 2026": its template '
                                           "must show the review dates and the reviewer (include _review.html)")


def test_a_page_can_turn_the_check_off(tmp_path):
    site = make_site(tmp_path, aftercare("checks:\n  review: off"), fixture="clinic")
    assert findings(site, "review") == []
