"""Promise 5: text is always escaped; raw HTML and script links in Markdown are refused at their line."""

from __future__ import annotations

import json
import shutil

import lxml.etree
import pytest

from conftest import REPO, make_site, parse_html
from safety_helpers import errors_of, page, run_main

HOSTILE = """<script>alert("x")</script> "quoted" 'single' & </title><!-- ]]>"""


def hostile_site(tmp_path):
    """The basic site with the project's own templates, every free-text value a piece of markup."""
    value = json.dumps(HOSTILE)
    site = make_site(tmp_path, {
        "site.yaml": f"""
            name: {value}
            base_url: https://clinic.example/a?b=1&c=2
            description: {value}
            contact:
              url: "https://clinic.example/contact/?a=1&b=<2>"
              label: {value}
              phone: {value}
              email: {value}
            address:
              street: {value}
              locality: {value}
              postcode: {value}
            opening_hours: [{value}]
            theme_color: {value}
            checks:  # the content checks judge the words; here only the escaping matters
              sections: {{level: off}}
              disclosures: {{level: off}}
              privacy: {{level: off}}
              review: {{level: off}}
              links: {{level: off}}
            """,
        "content/risks.md": page(f"title: {value}\nnav_title: {value}\ndescription: {value}\n"
                                 f"reviewed: {{by: {value}, role: {value}, registration: {value}, date: 2026-03-12}}\n"
                                 f"sources: [{{title: {value}, url: 'https://nhs.example/?a=<b>'}}]",
                                 "## Heading\n\nText.\n"),
    })
    shutil.rmtree(site / "templates")
    shutil.copytree(REPO / "templates", site / "templates")
    return site


def test_front_matter_and_site_values_are_escaped_everywhere(tmp_path):
    site = hostile_site(tmp_path)
    out = tmp_path / "out"
    result = run_main("build", "--site", site, "--out", out)
    assert result.returncode == 0, result.stderr
    doc = parse_html(out / "risks/index.html")
    assert doc.xpath("//script[not(@type='application/ld+json')]") == []
    assert doc.xpath("//comment()") == []
    assert doc.findtext(".//h1") == HOSTILE
    assert doc.xpath("string(//title)").startswith(HOSTILE)
    assert doc.xpath("//meta[@name='description']/@content") == [HOSTILE]
    assert doc.xpath("//meta[@name='theme-color']/@content") == [HOSTILE]
    texts = doc.xpath("//text()")
    for place in ("footer", "nav"):
        assert HOSTILE in "".join(doc.xpath(f"//{place}//text()")), place
    assert sum(HOSTILE in t for t in texts) >= 8
    assert doc.xpath("//a[starts-with(@href, 'https://clinic.example/contact/')]/@href")[0] == \
        "https://clinic.example/contact/?a=1&b=<2>"


def test_json_ld_holds_the_values_as_data(tmp_path):
    site = hostile_site(tmp_path)
    out = tmp_path / "out"
    assert run_main("build", "--site", site, "--out", out).returncode == 0
    scripts = parse_html(out / "risks/index.html").xpath("//script[@type='application/ld+json']")
    if not scripts:
        pytest.skip("the templates write no JSON-LD yet")
    for script in scripts:
        assert "<" not in script.text  # so neither </script> nor <!-- can end or hide the script early
        assert HOSTILE in strings(json.loads(script.text))


def strings(value) -> list[str]:
    """Every string in a JSON value."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


def test_the_sitemap_is_well_formed_xml(tmp_path):
    site = hostile_site(tmp_path)
    out = tmp_path / "out"
    assert run_main("build", "--site", site, "--out", out).returncode == 0
    urls = lxml.etree.parse(str(out / "sitemap.xml")).xpath("//*[local-name()='loc']/text()")
    assert "https://clinic.example/a?b=1&c=2/risks/" in urls


MARKDOWN = {
    "block HTML": ("Intro.\n\n<div class='x'>\nHello\n</div>\n", [3, 5], "raw HTML <div>"),
    "inline HTML": ("One.\n\nTwo <span>three</span>.\n", [3], "raw HTML <span>"),
    "script": ("Text.\n\n<script>alert(1)</script>\n", [3], "raw HTML <script>"),
    "iframe in a list": ("- item\n- <iframe src=x></iframe>\n", [2], "raw HTML <iframe>"),
    "comment": ("Text.\n\n<!-- internal note: price is negotiable -->\n", [3], "HTML comment"),
    "javascript link": ("Text.\n\nA [link](javascript:alert(1)).\n", [3], "javascript: addresses"),
    "disguised javascript link": ("A [link](JaVa&#115;cript&#58;alert(1)).\n", [1], "javascript: addresses"),
    "vbscript reference": ("See [here][r].\n\n[r]: vbscript:msgbox\n", [3], "vbscript: addresses"),
    "data image": ("Text\n\n![x](data:image/svg+xml;base64,PHN2Zz4=)\n", [3], "data: addresses"),
    "event handler via attr_list": ("Text.\n\nClick me\n{: onclick=\"alert(1)\" }\n", [4], "attribute onclick="),
}


@pytest.mark.parametrize("body, lines, message", MARKDOWN.values(), ids=MARKDOWN.keys())
def test_unsafe_markdown_is_refused_at_its_line(tmp_path, body, lines, message):
    site = make_site(tmp_path, {"content/risks.md": page(body=body)})  # body line 1 is file line 5
    errors = errors_of(run_main("check", "--site", site))
    assert {int(e["line"]) - 4 for e in errors} == set(lines), [e.group() for e in errors]
    assert all(e["path"].endswith("content/risks.md") and message in e.group() for e in errors)


def test_code_is_never_taken_for_html(tmp_path):
    body = ("Use `<script>` and `[x](javascript:y)` in code.\n\n    <div>indented code</div>\n\n"
            "``<iframe></iframe>`` and the `<!-- -->` comment. 3 < 4 & 5 > 2.\n")
    site = make_site(tmp_path, {"content/risks.md": page(body=body)})
    out = tmp_path / "out"
    assert run_main("build", "--site", site, "--out", out).returncode == 0
    doc = parse_html(out / "risks/index.html")
    assert [c.text for c in doc.iter("code")][:2] == ["<script>", "[x](javascript:y)"]
    assert doc.xpath("//script | //iframe | //div[text()='indented code']") == []


def test_lines_count_from_the_file_with_crlf_and_a_bom(tmp_path):
    site = make_site(tmp_path)
    text = page("title: t\ndescription: d\norder: 3", "\nFine.\n\nStill `<b>` fine.\n\nNot <b>fine</b>.\n")
    (site / "content/risks.md").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    [error] = errors_of(run_main("check", "--site", site))
    assert error["line"] == "11"


def test_site_yaml_can_allow_a_few_safe_tags(tmp_path):
    site = make_site(tmp_path, {"content/risks.md": page(body="Press <kbd>Ctrl</kbd>, H<sub>2</sub>O, "
                                                              "<abbr title='Hypertext'>HTML</abbr>.\n")})
    with (site / "site.yaml").open("a") as f:
        f.write("allowed_html: [abbr, sub, kbd]\n")
    out = tmp_path / "out"
    assert run_main("build", "--site", site, "--out", out).returncode == 0
    doc = parse_html(out / "risks/index.html")
    assert doc.findtext(".//kbd") == "Ctrl" and doc.find(".//abbr").get("title") == "Hypertext"


@pytest.mark.parametrize("body, message", [
    ("<abbr onmouseover='x()'>A</abbr>", "attribute onmouseover= is not allowed on <abbr>"),
    ("<abbr style='x'>A</abbr>", "attribute style= is not allowed on <abbr>"),
    ("<a href='javascript:x()'>A</a>", "javascript: addresses"),
    ("<img src='data:image/png;base64,AA' alt=''>", "data: addresses"),
    ("<span>A</span>", "raw HTML <span> is not allowed in Markdown; write it in Markdown (or add span"),
])
def test_allowed_tags_are_still_checked(tmp_path, body, message):
    site = make_site(tmp_path, {"content/risks.md": page(body=body + "\n")})
    with (site / "site.yaml").open("a") as f:
        f.write("allowed_html: [abbr, a, img]\n")
    [error] = errors_of(run_main("check", "--site", site))
    assert error["line"] == "5" and message in error.group()


def test_only_safe_tags_can_be_allowed(tmp_path):
    site = make_site(tmp_path)
    with (site / "site.yaml").open("a") as f:
        f.write("allowed_html: [abbr, script]\n")
    [error] = errors_of(run_main("check", "--site", site))
    assert error["path"].endswith("site.yaml") and int(error["line"]) == len((site / "site.yaml").read_text().splitlines())
    assert "'allowed_html[2]' must be one of" in error.group()


def test_a_page_full_of_pasted_html_reports_its_first_lines_quickly(tmp_path):
    body = "".join(f"<p style='mso-x'>Paragraph {i}</p>\n\n" for i in range(300))
    site = make_site(tmp_path, {"content/risks.md": page(body=body)})
    errors = errors_of(run_main("check", "--site", site))
    assert [int(e["line"]) for e in errors[:10]] == [5 + 2 * i for i in range(10)]
    assert len(errors) == 11 and "and more after this line: raw HTML <p>" in errors[-1].group()
