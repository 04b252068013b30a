"""Structured data and share images on small fixture sites laid out by the real templates."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import REPO, json_ld_graph, make_site, node_of_type, parse_html, run_cli, without_excerpts
from microsite import pipeline
from microsite.images import image_size
from microsite.markup import questions_and_answers, render_markdown
from microsite.structured_data import script_json

def site_with_real_templates(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    site = make_site(tmp_path, files)
    for folder in ("templates", "static"):  # the real templates link the real icons and style sheet
        shutil.copytree(REPO / folder, site / folder, dirs_exist_ok=True)
    return site


def build(site: Path, drafts: bool = False) -> Path:
    """Build in this process (quicker than the command line, which test_treatment_* runs)."""
    out = site.parent / "public"
    result = pipeline.build(pipeline.BuildOptions(site, out, drafts=drafts))
    assert result.written, [d.format(site) for d in result.diagnostics]
    return out


def check(site: Path) -> tuple[bool, list[str]]:
    result = pipeline.build(pipeline.BuildOptions(site))
    return result.ok, [d.format(site) for d in result.diagnostics]


def png(width: int, height: int) -> bytes:
    """A valid one-colour PNG, made with zlib (no imaging library)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + b"\xee" * width * 3 for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def jpeg_header(width: int, height: int) -> bytes:
    """The start of a baseline JPEG: SOI, a JFIF APP0 segment, then the frame header with the size."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0


HOSTILE_TITLE = "</script><script>alert(1)</script>"


def test_script_breaking_title_stays_inert_in_html_and_json_ld(tmp_path):
    site = site_with_real_templates(tmp_path, {"content/risks.md": f"""
        ---
        title: "{HOSTILE_TITLE}"
        description: "Tom & Jerry's <!-- comment --> <b>bold</b>"
        kind: risks
        reviewed:
          by: Dr Test
          role: Consultant
          date: 2026-03-12
        ---
        ## Side effects

        Bruising is common.
        """})
    out = build(site)
    raw = (out / "risks" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in raw
    tree = parse_html(out / "risks" / "index.html")
    assert len(tree.xpath("//script")) == 1  # only the JSON-LD data block
    page = node_of_type(json_ld_graph(tree), "MedicalWebPage")
    assert page["name"] == HOSTILE_TITLE
    assert page["description"] == "Tom & Jerry's <!-- comment --> <b>bold</b>"
    assert tree.findtext(".//title") == f"{HOSTILE_TITLE} | Test Clinic"
    assert tree.xpath("//h1")[0].text_content() == HOSTILE_TITLE
    assert tree.xpath('//meta[@property="og:title"]/@content') == [HOSTILE_TITLE]
    crumbs = node_of_type(json_ld_graph(tree), "BreadcrumbList")["itemListElement"]
    assert crumbs[-1]["name"] == HOSTILE_TITLE


@pytest.mark.skipif(not shutil.which("chromium"), reason="needs Debian's chromium")
def test_script_breaking_title_runs_nothing_in_a_browser(tmp_path):
    site = site_with_real_templates(tmp_path, {"content/risks.md": f"""
        ---
        title: "</script><script>document.title = 'injected'</script>"
        description: Risks.
        ---
        Text.
        """})
    out = build(site)
    profile = tmp_path / "profile"
    dom = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                          "--disable-background-networking", "--disable-component-update", "--disable-sync",
                          f"--user-data-dir={profile}", "--dump-dom", (out / "risks" / "index.html").as_uri()],
                         capture_output=True, text=True, timeout=60).stdout
    assert "<title>&lt;/script&gt;&lt;script&gt;document.title" in dom
    assert dom.count("<script") == 1


def test_breadcrumbs_follow_the_address_and_skip_folders_without_a_page(tmp_path):
    site = site_with_real_templates(tmp_path)
    graph = json_ld_graph(parse_html(build(site) / "guides" / "aftercare" / "index.html"))
    items = node_of_type(graph, "BreadcrumbList")["itemListElement"]
    assert [(i["position"], i["name"], i["item"]) for i in items] == [
        (1, "Welcome", "https://clinic.example/"), (2, "Aftercare", "https://clinic.example/guides/aftercare/")]

    (site / "content" / "guides" / "index.md").write_text("---\ntitle: All our guides\nnav_title: Guides\n"
                                                          "description: Guides.\n---\nGuides.\n", encoding="utf-8")
    graph = json_ld_graph(parse_html(build(site) / "guides" / "aftercare" / "index.html"))
    items = node_of_type(graph, "BreadcrumbList")["itemListElement"]
    assert [(i["position"], i["name"], i["item"]) for i in items] == [
        (1, "Welcome", "https://clinic.example/"), (2, "Guides", "https://clinic.example/guides/"),
        (3, "Aftercare", "https://clinic.example/guides/aftercare/")]


AFTERCARE_FOLLOWUP = """
    ---
    title: Aftercare
    description: Aftercare.
    procedure:
      followup: Walk daily.
    ---
    Text.
    """


def test_treatment_facts_may_be_spread_over_pages_but_each_given_once(tmp_path):
    site = site_with_real_templates(tmp_path, {
        "content/risks.md": """
            ---
            title: Risks
            description: Risks.
            procedure:
              name: Microsclerotherapy
              type: percutaneous
              body_location: Legs
              how_performed: Fine injections.
              preparation: A consultation first.
              followup: Walk every day.
            ---
            Text.
            """,
        "content/guides/aftercare.md": AFTERCARE_FOLLOWUP})
    result = run_cli("check", "--quiet", cwd=site)  # pages in navigation order: aftercare (3), then risks
    assert result.returncode == 1
    assert without_excerpts(result.stderr) == ["content/risks.md:10: error: front matter: procedure.followup is already "
                                          "given in content/guides/aftercare.md; give each fact on one page"]


def test_treatment_needs_a_name_and_warns_about_missing_facts(tmp_path):
    site = site_with_real_templates(tmp_path, {"content/guides/aftercare.md": AFTERCARE_FOLLOWUP})
    ok, lines = check(site)
    assert not ok
    assert lines == ["content/guides/aftercare.md:4: error: front matter: no page gives procedure.name: "
                     "add it to the page about the treatment"]

    (site / "content" / "risks.md").write_text("---\ntitle: Risks\ndescription: Risks.\nprocedure:\n  name: Micro\n"
                                               "  type: percutaneous\n---\nText.\n", encoding="utf-8")
    ok, lines = check(site)
    assert ok
    assert lines == ["content/risks.md:4: warning: front matter: search engines expect the treatment's "
                     "body_location, how_performed, preparation: add procedure.body_location to the page that "
                     "explains it"]
    out = build(site)
    treatment = node_of_type(json_ld_graph(parse_html(out / "risks" / "index.html")), "TherapeuticProcedure")
    assert treatment == {"@type": "TherapeuticProcedure", "@id": "https://clinic.example/risks/#treatment",
                         "url": "https://clinic.example/risks/", "name": "Micro",
                         "procedureType": "https://schema.org/PercutaneousProcedure", "followup": "Walk daily."}
    elsewhere = node_of_type(json_ld_graph(parse_html(out / "index.html")), "TherapeuticProcedure")
    assert elsewhere == {"@type": "TherapeuticProcedure", "@id": treatment["@id"], "name": "Micro"}


def test_share_image_from_site_yaml_and_per_page(tmp_path):
    site = site_with_real_templates(tmp_path, {
        "site.yaml": """
            name: Test Clinic
            base_url: https://clinic.example/clinic/
            contact:
              url: https://clinic.example/contact/
            share_image:
              path: share.png
              alt: The clinic's name.
            checks:
              sections: {level: off}
              disclosures: {level: off}
              privacy: {level: off}
              review: {level: off}
            """,
        "content/risks.md": """
            ---
            title: Risks
            description: Risks.
            share_image:
              path: /cards/risks.jpg
              alt: A calm picture.
            ---
            Text.
            """})
    (site / "static" / "share.png").write_bytes(png(1200, 630))
    (site / "static" / "cards").mkdir()
    (site / "static" / "cards" / "risks.jpg").write_bytes(jpeg_header(800, 418))
    out = build(site)

    def card(page: Path) -> list:
        tree = parse_html(page)
        return [tree.xpath(f'//meta[@{a}="{v}"]/@content')[0] for a, v in (
            ("property", "og:image"), ("property", "og:image:width"), ("property", "og:image:height"),
            ("property", "og:image:alt"), ("name", "twitter:card"))]

    home, risks = card(out / "index.html"), card(out / "risks" / "index.html")
    assert re.fullmatch(r"https://clinic\.example/clinic/static/share\.[0-9a-f]{8}\.png", home[0])
    assert home[1:] == ["1200", "630", "The clinic's name.", "summary_large_image"]
    assert re.fullmatch(r"https://clinic\.example/clinic/static/cards/risks\.[0-9a-f]{8}\.jpg", risks[0])
    assert risks[1:] == ["800", "418", "A calm picture.", "summary_large_image"]
    assert (out / risks[0].removeprefix("https://clinic.example/clinic/")).is_file()


def test_share_image_problems_point_at_the_setting(tmp_path):
    site = site_with_real_templates(tmp_path, {"content/risks.md": """
        ---
        title: Risks
        description: Risks.
        share_image:
          alt: A picture.
          path: missing.png
        ---
        Text.
        """})
    (site / "static" / "tiny.png").write_bytes(png(100, 100))
    (site / "static" / "notes.png").write_text("not an image", encoding="utf-8")
    assert check(site) == (False, ["content/risks.md:6: error: front matter: share_image.path: "
                                "no file static/missing.png"])
    text = (site / "content" / "risks.md").read_text(encoding="utf-8")
    (site / "content" / "risks.md").write_text(text.replace("missing.png", "notes.png"), encoding="utf-8")
    assert check(site)[1] == ["content/risks.md:6: error: front matter: share_image.path: "
                              "static/notes.png is not a PNG or JPEG image (the formats every social app shows)"]
    (site / "content" / "risks.md").write_text(text.replace("missing.png", "tiny.png"), encoding="utf-8")
    assert check(site) == (True, ["content/risks.md:6: warning: front matter: share_image.path: "
                                "static/tiny.png is 100 × 100 pixels; social apps ignore images under 200 × 200 "
                                "(1200 × 630 is best)"])
    tree = parse_html(build(site) / "index.html")
    assert tree.xpath('//meta[@name="twitter:card"]/@content') == ["summary"]
    assert not tree.xpath('//meta[@property="og:image"]')


def test_faq_page_is_built_from_its_headings_and_warns_without_questions(tmp_path):
    site = site_with_real_templates(tmp_path, {"content/faq.md": f"""
        ---
        title: Questions
        description: Questions.
        kind: faq
        reviewed:
          by: Dr Test
          role: Consultant
          date: 2026-03-12
        ---
        ## About it

        ### Does it hurt, "really"?

        A *small* sting. See [risks](/risks/).

        - walk
        - rest

        ### Not a question

        Ignored.
        """})
    tree = parse_html(build(site) / "faq" / "index.html")
    faq = node_of_type(json_ld_graph(tree), "FAQPage")
    assert faq["mainEntity"] == [{"@type": "Question", "name": "Does it hurt, \u201creally\u201d?", "acceptedAnswer": {
        "@type": "Answer", "text": "A small sting. See risks.\n\nwalk\n\nrest"}}]

    (site / "content" / "faq.md").write_text("---\ntitle: Questions\ndescription: Questions.\nkind: faq\n---\n"
                                             "## No questions here\n\nText.\n", encoding="utf-8")
    assert check(site) == (True, ["content/faq.md:6: warning: an FAQ page needs questions: headings that "
                                "end in '?' (### Does it hurt?), each followed by its answer"])
    graph = json_ld_graph(parse_html(build(site) / "faq" / "index.html"))
    assert node_of_type(graph, "WebPage")["@type"] == "WebPage"


def test_drafts_are_noindex_and_never_in_the_sitemap(tmp_path):
    site = site_with_real_templates(tmp_path)
    out = build(site, drafts=True)
    draft = parse_html(out / "draft" / "index.html")
    assert draft.xpath('//meta[@name="robots"]/@content') == ["noindex"]
    assert not parse_html(out / "risks" / "index.html").xpath('//meta[@name="robots"]')
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://clinic.example/risks/" in sitemap and "/draft/" not in sitemap


def test_answers_keep_the_text_of_nested_blocks_once_within_the_outer_block():
    html = render_markdown("### Why?\n\n1. first\n\n    - inner\n\n2. second\n\n## Next\n\nNot an answer.\n").html
    [qa] = questions_and_answers(html)
    assert (qa.question, qa.answer) == ("Why?", "first inner\n\nsecond")


@given(st.recursive(st.text() | st.integers() | st.booleans() | st.none(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4)))
def test_serialized_json_cannot_leave_its_script_element(data):
    text = script_json(data)
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == data


def test_image_size_reads_png_and_jpeg_headers():
    assert image_size(png(3, 2)) == (3, 2)
    assert image_size(jpeg_header(1200, 630)) == (1200, 630)
    assert image_size(b"\xff\xd8\xff\xd9") is None
    assert image_size(b"GIF89a\x01\x00\x01\x00") is None
