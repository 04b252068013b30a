"""Snippets ({% include "name" %}) and callouts (::: urgent Heading … :::): what they render, the errors
at their lines, and findings placed in the snippet's own file."""

import lxml.html

from checking import findings, run
from conftest import make_site

FRONT = "---\ntitle: Risks\ndescription: Side effects.\nkind: risks\nchecks:\n  review: off\n---\n"
URGENT = """::: urgent Get urgent help

Call 999 if you have chest pain.

- a painful, swollen leg
:::
"""


def risks(body: str, snippet: str = URGENT) -> dict:
    """The risks page with `body` from line 10 (line 8 links the benefits, line 9 is blank), and one snippet."""
    return {"content/risks.md": f"{FRONT}Bruising is common. See the [benefits](/benefits/).\n\n{body}",
            "content/_snippets/urgent-help.md": snippet}


def built_page(site, name="risks"):
    result = run(site, out=site / "public")
    assert result.ok, [d.format() for d in result.diagnostics]
    return lxml.html.fromstring((site / "public" / name / "index.html").read_bytes())


def test_an_include_puts_the_snippet_in_as_a_callout_with_its_own_heading(tmp_path):
    site = make_site(tmp_path, risks('## Side effects\n\nSome text.\n\n{% include "urgent-help" %}\n\nAfter it.\n'),
                     fixture="clinic")
    page = built_page(site)
    [box] = page.xpath("//main//section[contains(@class, 'callout')]")
    assert box.get("class") == "callout callout-urgent"
    [heading] = box.xpath("./*[1][self::h2]")
    assert heading.text_content() == "Get urgent help"
    assert box.get("aria-labelledby") == heading.get("id") == "get-urgent-help"
    assert [li.text_content() for li in box.xpath(".//li")] == ["a painful, swollen leg"]
    assert "Call 999" in box.xpath("./p")[0].text_content()
    # The text after the include is outside the box.
    assert page.xpath("//main//section[contains(@class, 'callout')]/following-sibling::p")[0].text == "After it."
    assert not (site / "public" / "_snippets").exists(), "a snippet is not a page"


def test_every_kind_of_callout_and_text_after_its_closing_line(tmp_path):
    body = "::: important Before you book\nBring a list of your medicines.\n:::\n\n::: tip A tip\nWalk daily.\n:::\n"
    page = built_page(make_site(tmp_path, risks(body), fixture="clinic"))
    boxes = page.xpath("//main//section[contains(@class, 'callout')]")
    assert [(b.get("class"), b.xpath("./h2")[0].text, b.xpath("./p")[0].text) for b in boxes] == [
        ("callout callout-important", "Before you book", "Bring a list of your medicines."),
        ("callout callout-tip", "A tip", "Walk daily.")]


def test_a_missing_snippet_is_an_error_at_the_line_that_includes_it(tmp_path):
    site = make_site(tmp_path, risks('Text.\n\n{% include "urgent-hlep" %}\n'), fixture="clinic")
    [problem] = [d for d in run(site).diagnostics if d.level == "error"]
    assert (problem.path.relative_to(site).as_posix(), problem.line) == ("content/risks.md", 12)
    assert problem.message == ('no snippet "urgent-hlep": a snippet is a file in content/_snippets/ '
                               "(this site has: urgent-help)")


def test_callouts_written_wrong_are_errors_at_their_lines(tmp_path):
    site = make_site(tmp_path, risks("Text.\n\n::: warning Careful\nText.\n:::\n\n::: tip No end\n\nText.\n"),
                     fixture="clinic")
    found = sorted((d.line, d.message) for d in run(site).diagnostics if d.level == "error")
    assert [line for line, _ in found] == [12, 16]
    assert found[0][1].startswith("a callout starts with ':::', its kind (urgent, important, tip) and its heading")
    assert found[0][1].endswith("this one has the kind 'warning'")
    assert found[1][1] == "a callout is not closed: add a line ':::' after its text"


def test_a_finding_in_a_snippet_points_at_the_snippet_file_and_line(tmp_path):
    snippet = URGENT.replace("- a painful, swollen leg", "- a painful, swollen leg\n- pain that is guaranteed to pass")
    site = make_site(tmp_path, risks('Text.\n\n{% include "urgent-help" %}\n', snippet), fixture="clinic")
    assert findings(site, "claims") == [("content/_snippets/urgent-help.md", 6, 16, "error")]


def test_a_snippet_cannot_include_another_snippet(tmp_path):
    site = make_site(tmp_path, {**risks('{% include "urgent-help" %}\n', '{% include "urgent-help" %}\n')},
                     fixture="clinic")
    [problem] = [d for d in run(site).diagnostics if d.level == "error"]
    assert problem.line == 10 and "includes another snippet" in problem.message


def test_editing_a_snippet_renders_the_pages_again(tmp_path):
    site = make_site(tmp_path, risks('Text.\n\n{% include "urgent-help" %}\n'), fixture="clinic")
    built_page(site)
    (site / "content/_snippets/urgent-help.md").write_text(URGENT.replace("chest pain", "a sudden headache"))
    assert "a sudden headache" in built_page(site).text_content()
