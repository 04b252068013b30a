"""meta: each page's browser title and description are present, short enough and its own."""

from checking import findings, messages
from conftest import make_site


def extra(title: str, description: str) -> dict:
    return {"content/extra.md": f"---\ntitle: {title}\ndescription: {description}\n---\nSome text.\n"}


def test_distinct_short_titles_and_descriptions_pass(tmp_path):
    assert findings(make_site(tmp_path, extra("Extra", "An extra page."), fixture="clinic"), "meta") == []


def test_long_titles_and_descriptions_are_warnings(tmp_path):
    site = make_site(tmp_path, extra("A title that goes on and on about thread veins!", "word " * 40), fixture="clinic")
    assert findings(site, "meta") == [("content/extra.md", 2, 1, "warning"), ("content/extra.md", 3, 1, "warning")]
    assert messages(site, "meta")[0].startswith("browser title is 66 characters (over 65)")


def test_a_repeated_title_or_description_is_an_error_on_the_second_page(tmp_path):
    site = make_site(tmp_path, extra("Risks", "Side effects and when to get help."), fixture="clinic")
    assert findings(site, "meta") == [("content/extra.md", 2, 1, "error"), ("content/extra.md", 3, 1, "error")]
    assert messages(site, "meta")[0] == ('same browser title as content/risks.md: "Risks | Test Vein Clinic"; '
                                         "each page needs its own")


def test_a_template_without_a_title_is_an_error(tmp_path):
    template = (make_site(tmp_path / "x", fixture="clinic") / "templates/base.html").read_text()
    site = make_site(tmp_path, {"templates/base.html": template.replace("<title>{{ title }}</title>", "")},
                     fixture="clinic")
    assert ("content/risks.md", 2, 1, "error") in findings(site, "meta")
