"""glossary: medical terms have an entry on the glossary page, and the build links their first use."""

from checking import findings, messages, run
from conftest import make_site, parse_html

SITE = """name: Test Vein Clinic
base_url: https://clinic.example/
contact:
  url: mailto:hello@clinic.example
checks:
  glossary:
    terms: [sclerosant, thrombophlebitis, DVT, venous ulcer]
"""


def procedure(body: str) -> dict:
    """The procedure page, in a site that lists its medical terms."""
    return {"site.yaml": SITE, "content/procedure.md": "---\ntitle: What happens\ndescription: The day.\n"
                                                       "kind: procedure\nchecks:\n  review: off\n---\n" + body}


def test_terms_with_entries_pass_and_their_first_use_links_to_the_entry(tmp_path):
    site = make_site(tmp_path, procedure("## The sclerosant\n\nA sclerosant seals the vein. The sclerosant works "
                                         "fast.\n\nA clot in a deep vein (DVT) is rare.\n"), fixture="clinic")
    assert findings(site, "glossary") == []
    run(site, out=tmp_path / "out")
    page = parse_html(tmp_path / "out" / "procedure" / "index.html")
    links = [(a.text, a.get("href")) for a in page.xpath("//main//a[contains(@href, '#term-')]")]
    assert links == [("sclerosant", "/glossary/#term-sclerosant"), ("DVT", "/glossary/#term-deep-vein-thrombosis")]
    assert page.xpath("//h2/@id") == ["the-sclerosant"]  # headings are not linked and keep their ids
    glossary = parse_html(tmp_path / "out" / "glossary" / "index.html")
    assert glossary.xpath("//dt/@id") == ["term-sclerosant", "term-deep-vein-thrombosis"]


def test_a_term_without_an_entry_is_a_warning_at_its_first_use(tmp_path):
    site = make_site(tmp_path, procedure("Rarely, a vein gets inflamed.\nThis is thrombophlebitis. "
                                         "Thrombophlebitis settles.\n"), fixture="clinic")
    assert findings(site, "glossary") == [("content/procedure.md", 9, 9, "warning")]
    assert messages(site, "glossary")[0].startswith('medical term "thrombophlebitis" has no glossary entry: add it')


def test_the_terms_are_the_sites_own(tmp_path):
    site = make_site(tmp_path, procedure("A venous ulcer is an open sore. Thrombophlebitis is rare.\n"),
                     fixture="clinic")
    assert findings(site, "glossary") == [("content/procedure.md", 8, 3, "warning"),
                                          ("content/procedure.md", 8, 33, "warning")]
    (site / "site.yaml").write_text(SITE.replace("[sclerosant, thrombophlebitis, DVT, venous ulcer]", "[]"))
    assert findings(site, "glossary") == []


def test_without_a_glossary_page_the_message_says_to_add_one(tmp_path):
    site = make_site(tmp_path, {"site.yaml": SITE,
                                "content/glossary.md": "---\ntitle: Words\ndescription: Words.\nkind: page\n---\n"
                                                       "Sclerosant\n:   The medicine.\n"}, fixture="clinic")
    assert findings(site, "glossary") == [("content/glossary.md", 6, 1, "warning"),
                                          ("content/procedure.md", 17, 27, "warning")]
    assert "add a page with 'kind: glossary'" in messages(site, "glossary")[0]
