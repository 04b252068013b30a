"""accessibility: alt text, headings, link text, table headers and the page language."""

from checking import findings, messages
from conftest import make_site


def aftercare(body: str) -> dict:
    return {"content/aftercare.md": "---\ntitle: Aftercare\ndescription: Care.\nkind: aftercare\n"
                                    "checks:\n  review: off\n  links: off\n---\n" + body}


def test_described_and_decorative_images_and_clear_links_pass(tmp_path):
    site = make_site(tmp_path, aftercare("![A raised leg on cushions](/leg.png)\n\n![](/line.svg){role=presentation}\n\n"
                                         "Read about [risks and side effects](/risks/).\n"), fixture="clinic")
    assert findings(site, "accessibility") == []


def test_images_need_real_alt_text(tmp_path):
    site = make_site(tmp_path, aftercare("![](/leg.png)\n\n![leg.png](/leg.png)\n\n![Image of a leg](/leg2.png)\n"),
                     fixture="clinic")
    assert findings(site, "accessibility") == [("content/aftercare.md", 9, 5, "error"),
                                               ("content/aftercare.md", 11, 12, "error"),
                                               ("content/aftercare.md", 13, 19, "warning")]
    assert messages(site, "accessibility")[0].startswith('image "leg.png" has no alt text')


def test_headings_must_not_skip_and_there_is_one_h1(tmp_path):
    site = make_site(tmp_path, aftercare("## Each day\n\n#### Walking\n\n# Another title\n"), fixture="clinic")
    assert findings(site, "accessibility") == [("content/aftercare.md", 11, 6, "error"),
                                               ("content/aftercare.md", 13, 3, "error")]


def test_vague_link_text_and_bare_addresses_are_errors(tmp_path):
    site = make_site(tmp_path, aftercare("For risks [click here](/risks/).\nOr see <https://www.nhs.uk/>.\n"),
                     fixture="clinic")
    assert findings(site, "accessibility") == [("content/aftercare.md", 9, 12, "error"),
                                               ("content/aftercare.md", 10, 9, "error")]


def test_tables_need_header_cells_and_pages_a_language(tmp_path):
    template = (make_site(tmp_path / "x", fixture="clinic") / "templates/base.html").read_text()
    site = make_site(tmp_path, {"templates/base.html": template.replace(' lang="{{ site.language }}"', "").replace(
        "<main>", "<main><table><tr><td>Opening hours</td></tr></table>")}, fixture="clinic")
    assert findings(site, "accessibility") == [("templates/base.html", 2, 1, "error"),
                                               ("templates/base.html", 8, 22, "error")]
