"""What search engines and social apps read from the built default site: JSON-LD, meta tags, sitemap.

Expected values are read from content/ and site.yaml with plain PyYAML, not from the generator.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.etree
import msgspec_schemaorg.enums
import msgspec_schemaorg.models
import pytest
import yaml

from conftest import REPO, front_matter, json_ld_graph, node_of_type, parse_html, run_cli
from microsite.images import image_size

SITE = yaml.safe_load((REPO / "site.yaml").read_text(encoding="utf-8"))
BASE = SITE["base_url"]
CONTENT = {path.stem: front_matter(path) for path in sorted((REPO / "content").glob("*.md"))}
PAGE_URLS = {name: BASE + ("" if name == "index" else f"{name}/") for name in CONTENT}


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("public")
    result = run_cli("build", "--site", REPO, "--out", out)
    assert result.returncode == 0, result.stderr
    return out


def page_tree(out: Path, name: str):
    return parse_html(out / ("index.html" if name == "index" else f"{name}/index.html"))


def meta(tree, attribute: str, value: str) -> str:
    [content] = tree.xpath(f'//head/meta[@{attribute}="{value}"]/@content')
    return content


@pytest.mark.parametrize("name", CONTENT)
def test_web_page_node_equals_front_matter(out, name):
    fm, tree = CONTENT[name], page_tree(out, name)
    graph = json_ld_graph(tree)
    page = node_of_type(graph, "MedicalWebPage" if fm.get("reviewed") else "WebPage")
    assert page["url"] == PAGE_URLS[name] == tree.xpath('//link[@rel="canonical"]/@href')[0]
    assert page["name"] == fm["title"]
    assert page["description"] == fm["description"]
    assert page["inLanguage"] == SITE["language"] == tree.get("lang")
    assert page["isPartOf"] == {"@id": node_of_type(graph, "WebSite")["@id"]}
    assert page["publisher"] == {"@id": node_of_type(graph, "MedicalClinic")["@id"]}
    if fm.get("reviewed"):
        assert page["lastReviewed"] == fm["reviewed"]["date"].isoformat()
        assert page["reviewedBy"] == {"@type": "Person", "name": fm["reviewed"]["by"],
                                      "jobTitle": fm["reviewed"]["role"], "identifier": fm["reviewed"]["registration"]}
        assert page["medicalAudience"] == {"@type": "Patient"}
        assert page["about"] == {"@id": node_of_type(graph, "TherapeuticProcedure")["@id"]}
    else:
        assert "about" not in page and "lastReviewed" not in page


@pytest.mark.parametrize("name", [name for name in CONTENT if CONTENT[name].get("reviewed")])
def test_review_in_json_ld_is_the_review_line_the_page_shows(out, name):
    tree = page_tree(out, name)
    page = node_of_type(json_ld_graph(tree), "MedicalWebPage")
    [review] = tree.xpath('//*[@class="review"]')
    assert review.xpath(".//time/@datetime")[0] == page["lastReviewed"]
    shown = " ".join(review.text_content().split())
    assert f"Reviewed by {page['reviewedBy']['name']}, {page['reviewedBy']['jobTitle']}" in shown


def shared_nodes(out: Path, type_: str) -> dict[str, dict]:
    """The node of type `type_` on each page, by page name."""
    return {name: node_of_type(json_ld_graph(page_tree(out, name)), type_) for name in CONTENT}


def brief(node: dict) -> dict:
    """How a page names a node that is described in full on another page."""
    return {"@type": node["@type"], "@id": node["@id"], "name": node["name"]}


def test_treatment_is_made_of_the_pages_front_matter_and_described_on_its_own_page(out):
    described, followup = CONTENT["procedure"]["procedure"], CONTENT["aftercare"]["procedure"]
    treatments = shared_nodes(out, "TherapeuticProcedure")
    treatment = treatments.pop("procedure")
    assert treatments and all(t == brief(treatment) for t in treatments.values()), treatments
    assert treatment == {
        "@type": "TherapeuticProcedure",
        "@id": PAGE_URLS["procedure"] + "#treatment",
        "url": PAGE_URLS["procedure"],
        "name": described["name"],
        "alternateName": described["alternate_names"],
        "procedureType": "https://schema.org/PercutaneousProcedure",
        "bodyLocation": described["body_location"],
        "howPerformed": described["how_performed"],
        "preparation": described["preparation"],
        "followup": followup["followup"],
    }
    procedure_type = treatment["procedureType"].removeprefix("https://schema.org/")
    assert procedure_type in msgspec_schemaorg.enums.MedicalProcedureType.__members__


def test_clinic_is_site_yaml_described_on_the_home_page(out):
    graph = json_ld_graph(page_tree(out, "index"))
    clinic = node_of_type(graph, "MedicalClinic")
    contact, address = SITE["contact"], SITE["address"]
    assert clinic["name"] == SITE["name"] and clinic["url"] == BASE
    assert clinic["telephone"] == contact["phone"] and clinic["email"] == contact["email"]
    assert clinic["address"] == {"@type": "PostalAddress", "streetAddress": address["street"],
                                 "addressLocality": address["locality"], "postalCode": address["postcode"],
                                 "addressCountry": address["country"]}
    assert clinic["contactPoint"]["@type"] == "ContactPoint"
    assert clinic["contactPoint"]["url"] == contact["url"]
    assert clinic["availableService"] == {"@id": node_of_type(graph, "TherapeuticProcedure")["@id"]}
    assert {n: c for n, c in shared_nodes(out, "MedicalClinic").items() if n != "index"} == {
        name: brief(clinic) for name in CONTENT if name != "index"}


def test_website_is_described_on_the_home_page(out):
    website = node_of_type(json_ld_graph(page_tree(out, "index")), "WebSite")
    assert website == {"@type": "WebSite", "@id": BASE + "#website", "url": BASE, "name": SITE["name"],
                       "inLanguage": SITE["language"], "publisher": {"@id": BASE + "#clinic"},
                       "description": SITE["description"]}
    assert {n: w for n, w in shared_nodes(out, "WebSite").items() if n != "index"} == {
        name: brief(website) for name in CONTENT if name != "index"}


def test_faq_questions_and_answers_are_the_markdowns(out):
    markdown = (REPO / "content" / "faq.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    questions = re.findall(r"^### (.+\?)$", markdown, re.MULTILINE)
    tree = page_tree(out, "faq")
    faq = node_of_type(json_ld_graph(tree), "FAQPage")
    assert faq["@type"] == ["MedicalWebPage", "FAQPage"]
    assert [q["name"] for q in faq["mainEntity"]] == questions
    visible = " ".join(tree.xpath("//main")[0].text_content().split())
    for question in faq["mainEntity"]:
        assert question["@type"] == "Question" and question["acceptedAnswer"]["@type"] == "Answer"
        paragraphs = question["acceptedAnswer"]["text"].split("\n\n")
        assert all(paragraph in visible for paragraph in paragraphs), question["name"]
    # The answer to "Does it hurt?" is its two paragraphs in the Markdown, link syntax and all removed.
    answer = markdown.split("### Does it hurt?\n\n", 1)[1].split("\n\n#", 1)[0].strip()
    [hurt] = [q for q in faq["mainEntity"] if q["name"] == "Does it hurt?"]
    assert hurt["acceptedAnswer"]["text"] == answer


@pytest.mark.parametrize("name", CONTENT)
def test_breadcrumbs_on_every_page_but_home(out, name):
    tree = page_tree(out, name)
    graph = json_ld_graph(tree)
    if name == "index":
        assert not [n for n in graph if n["@type"] == "BreadcrumbList"]
        return
    items = node_of_type(graph, "BreadcrumbList")["itemListElement"]
    assert [item["position"] for item in items] == [1, 2]
    assert [item["item"] for item in items] == [BASE, PAGE_URLS[name]]
    assert items[-1]["name"] == tree.xpath("//h1")[0].text_content().strip()
    assert node_of_type(graph, "WebPage" if name == "privacy" else "MedicalWebPage")["breadcrumb"] == {
        "@id": PAGE_URLS[name] + "#breadcrumb"}


def schema_org_problems(value) -> list[str]:
    """Types and properties of a JSON-LD value that schema.org does not define."""
    if isinstance(value, list):
        return [problem for item in value for problem in schema_org_problems(item)]
    if not isinstance(value, dict):
        return []
    types = [value["@type"]] if isinstance(value.get("@type"), str) else value.get("@type", [])
    classes = [getattr(msgspec_schemaorg.models, t, None) for t in types]
    problems = [f"unknown type {t}" for t, c in zip(types, classes) if c is None]
    known = {name for c in classes if c for name in c.__struct_encode_fields__}
    problems += [f"{'/'.join(types)} has no property {key}" for key in value if types and key not in known]
    return problems + [problem for child in value.values() for problem in schema_org_problems(child)]


@pytest.mark.parametrize("name", CONTENT)
def test_every_type_and_property_is_schema_org_vocabulary(out, name):
    graph = json_ld_graph(page_tree(out, name))
    assert schema_org_problems(graph) == []


def test_no_self_serving_reviews_or_ratings(out):
    def types(value):
        if isinstance(value, dict):
            yield from ([value["@type"]] if isinstance(value.get("@type"), str) else value.get("@type", []))
            for child in value.values():
                yield from types(child)
        elif isinstance(value, list):
            for child in value:
                yield from types(child)

    found = {t for name in CONTENT for t in types(json_ld_graph(page_tree(out, name)))}
    assert "MedicalClinic" in found and not found & {"Review", "AggregateRating", "Rating"}


@pytest.mark.parametrize("name", CONTENT)
def test_meta_tags_for_search_and_sharing(out, name):
    fm, tree = CONTENT[name], page_tree(out, name)
    assert tree.findtext(".//title") == SITE["title_pattern"].format(page=fm["title"], site=SITE["name"])
    assert meta(tree, "name", "description") == meta(tree, "property", "og:description") == fm["description"]
    assert meta(tree, "property", "og:title") == fm["title"]
    assert meta(tree, "property", "og:url") == PAGE_URLS[name]
    assert meta(tree, "property", "og:type") == "website"
    assert meta(tree, "name", "twitter:card") == "summary_large_image"
    assert meta(tree, "name", "theme-color") == SITE["theme_color"]
    image = meta(tree, "property", "og:image")
    assert re.fullmatch(re.escape(BASE) + r"static/share\.[0-9a-f]{8}\.png", image)  # fingerprinted
    size = image_size((out / image.removeprefix(BASE)).read_bytes())
    assert size == (1200, 630)
    assert (meta(tree, "property", "og:image:width"), meta(tree, "property", "og:image:height")) == ("1200", "630")
    assert meta(tree, "property", "og:image:alt") == SITE["share_image"]["alt"]
    assert tree.xpath('//link[@rel="apple-touch-icon"]') and tree.xpath('//link[@rel="icon"]')


def test_sitemap_is_valid_and_lists_every_published_page_dated_by_its_review(out):
    schema = lxml.etree.XMLSchema(lxml.etree.parse(str(Path(__file__).parent / "sitemap.xsd")))
    sitemap = lxml.etree.parse(str(out / "sitemap.xml"))
    schema.assertValid(sitemap)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = {url.findtext("s:loc", namespaces=ns): url.findtext("s:lastmod", namespaces=ns)
              for url in sitemap.getroot()}
    expected = {PAGE_URLS[name]: fm["reviewed"]["date"].isoformat() if fm.get("reviewed") else None
                for name, fm in CONTENT.items() if not fm.get("draft")}
    assert listed == expected
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {BASE}sitemap.xml" in robots.splitlines()


def test_404_page_is_left_out_of_search(out):
    tree = parse_html(out / "404.html")
    assert meta(tree, "name", "robots") == "noindex"
    assert not tree.xpath('//script') and not tree.xpath('//meta[starts-with(@property, "og:")]')
    assert "404" not in (out / "sitemap.xml").read_text(encoding="utf-8")
