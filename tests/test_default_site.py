"""The repository's own site: it builds, every page carries what a patient needs, check is clean."""

from __future__ import annotations

import pytest
import yaml

from conftest import REPO, parse_html, run_cli

MEDICAL_KINDS = {"overview", "benefits", "procedure", "risks", "aftercare", "faq", "price"}


@pytest.fixture
def built(default_build):
    return default_build


def content_pages():
    for path in sorted((REPO / "content").rglob("*.md")):
        if path.name.startswith("_") or path.parent.name.startswith("_"):
            continue  # a snippet, not a page
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        rel = path.relative_to(REPO / "content").with_suffix("")
        url = "" if rel.as_posix() == "index" else rel.as_posix() + "/"
        yield url, meta


PAGES = list(content_pages())


def test_check_is_clean():
    result = run_cli("check")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1].endswith("(0 errors, 0 warnings)")


def test_the_site_has_every_page_a_patient_needs():
    kinds = {meta.get("kind") for _, meta in PAGES}
    assert MEDICAL_KINDS | {"privacy"} <= kinds


@pytest.mark.parametrize("url,meta", PAGES, ids=[u or "home" for u, _ in PAGES])
def test_every_page_links_to_the_contact_form(built, url, meta):
    contact = yaml.safe_load((REPO / "site.yaml").read_text())["contact"]["url"]
    doc = parse_html(built / url / "index.html")
    assert doc.xpath("//main//a[@href=$u]", u=contact), "no contact link in the page's main content"
    assert doc.xpath("//header//a[@href=$u]", u=contact), "no contact link in the header"


@pytest.mark.parametrize("url,meta", PAGES, ids=[u or "home" for u, _ in PAGES])
def test_every_page_is_well_formed(built, url, meta):
    doc = parse_html(built / url / "index.html")
    assert doc.get("lang") == "en-GB"
    assert [h.text_content() for h in doc.xpath("//h1")] == [meta["title"]]
    assert doc.xpath("//meta[@name='description']/@content") == [" ".join(meta["description"].split())]
    assert doc.xpath("//link[@rel='canonical']/@href") == [f"https://www.harbourveinclinic.example/{url}"]
    assert doc.xpath("//a[contains(concat(' ', @class, ' '), ' skip-link ')]/@href") == ["#main"] and doc.xpath("//main[@id='main']")
    assert not doc.xpath("//script[not(@type='application/ld+json')]"), "pages carry no JavaScript"


@pytest.mark.parametrize("url,meta", [(u, m) for u, m in PAGES if m.get("kind") in MEDICAL_KINDS],
                         ids=[u or "home" for u, m in PAGES if m.get("kind") in MEDICAL_KINDS])
def test_medical_pages_show_who_reviewed_them_and_when(built, url, meta):
    text = " ".join(parse_html(built / url / "index.html").text_content().split())
    reviewed = meta["reviewed"]
    date = reviewed["date"]
    assert f"Page last reviewed: {date.day} {date:%B %Y}" in text
    assert f"Next review due: {date.day} {date:%B} {date.year + 3}" in text
    assert f"Reviewed by {reviewed['by']}, {reviewed['role']} ({reviewed['registration']})" in text


def test_the_site_files_exist(built):
    for name in ("404.html", "sitemap.xml", "robots.txt", "favicon.ico", "style.css"):
        assert (built / name).is_file(), name
    assert "Sitemap: https://www.harbourveinclinic.example/sitemap.xml" in (built / "robots.txt").read_text()


def test_nothing_is_loaded_from_another_host(built):
    for page in built.rglob("*.html"):
        doc = parse_html(page)
        for ref in doc.xpath("//link[@rel!='canonical']/@href | //script/@src | //img/@src | //iframe/@src | //source/@srcset"):
            assert ref.startswith("/") and not ref.startswith("//"), f"{page}: {ref}"
