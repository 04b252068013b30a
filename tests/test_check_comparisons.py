"""comparisons: comparative claims and comparison tables need a cited source (CAP Code 3.7)."""

from checking import findings, messages
from conftest import make_site

YAML = "name: Test Vein Clinic\nbase_url: https://clinic.example/\ncontact:\n  url: mailto:hello@clinic.example\n"
FRONT = "---\ntitle: Your options\ndescription: The choices you have.\nkind: benefits\nchecks:\n  review: off\n---\n"


def options_page(body: str, sources: str = "") -> dict:
    """The benefits page with `body` from line 10 (line 8 links the risks, line 9 is blank)."""
    front = FRONT.replace("---\n", f"---\n{sources}", 1) if sources else FRONT
    return {"content/benefits.md": f"{front}See the [risks](/risks/). Or choose no treatment.\n\n{body}"}


def test_a_comparison_on_a_page_without_sources_is_a_warning_at_its_place(tmp_path):
    site = make_site(tmp_path, options_page("Injections are less likely to mark the skin.\n"
                                            "They are quicker than laser, and better than IPL.\n"), fixture="clinic")
    assert findings(site, "comparisons") == [("content/benefits.md", 10, 16, "warning"),
                                             ("content/benefits.md", 11, 10, "warning"),
                                             ("content/benefits.md", 11, 34, "warning")]
    assert messages(site, "comparisons")[0] == (
        'comparative claim "less likely to" on a page that cites no source: list the evidence under \'sources:\' or '
        "link it in the same paragraph, or leave the claim out (CAP Code 3.7 and 12.1)")


def test_a_comparison_table_is_a_warning_at_its_header_row(tmp_path):
    table = "Some words first.\n\n| What matters | Injections | Laser |\n| --- | --- | --- |\n| Sessions | 2 to 4 | 3 |\n"
    site = make_site(tmp_path, options_page(table), fixture="clinic")
    assert findings(site, "comparisons") == [("content/benefits.md", 12, 3, "warning")]
    assert messages(site, "comparisons")[0].startswith("comparison table of 3 columns on a page that cites no source")


def test_sources_in_the_settings_or_a_link_in_the_paragraph_are_enough(tmp_path):
    cited = "sources:\n  - title: A trial\n    url: https://example.org/trial\n"
    site = make_site(tmp_path, options_page("Injections are quicker than laser.\n", sources=cited), fixture="clinic")
    assert findings(site, "comparisons") == []
    site = make_site(tmp_path / "b", options_page("Injections are quicker than laser ([a trial]"
                                                  "(https://example.org/trial)).\n"), fixture="clinic")
    assert findings(site, "comparisons") == []


def test_an_absolute_claim_the_site_allows_still_needs_a_source_and_us_sites_cite_the_ftc(tmp_path):
    site = make_site(tmp_path, {**options_page("Most marks are permanent.\n"),
                                "site.yaml": YAML + "jurisdictions: [us]\nchecks:\n  claims:\n    allow: [permanent]\n"},
                     fixture="clinic")
    assert findings(site, "comparisons") == [("content/benefits.md", 10, 16, "warning")]
    assert findings(site, "claims") == []
    assert messages(site, "comparisons")[0].endswith(
        "(FTC Health Products Compliance Guidance: competent and reliable scientific evidence)")
