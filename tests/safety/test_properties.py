"""Property tests: for random front matter, Markdown and site.yaml, the build never raises, reports
only well-formed problems, and writes nothing but its output folder.

The number of examples is bounded for the normal suite; `bench/fuzz` runs many more by setting
MICROSITE_FUZZ_EXAMPLES.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import lxml.etree
import lxml.html
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import SITES
from microsite.cache import CACHE_DIR
from microsite.htmlpolicy import URL_ATTRIBUTES, unsafe_scheme
from microsite.pipeline import BuildOptions, build
from safety_helpers import DIAGNOSTIC

EXAMPLES = int(os.environ.get("MICROSITE_FUZZ_EXAMPLES", "30"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 100,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Any code point, control characters and lone surrogates included.
ANY_CHARACTER = st.characters(codec=None, categories=None)
PRINTABLE_TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=40)
ANY_TEXT = PRINTABLE_TEXT | st.text(ANY_CHARACTER, max_size=40)
FIELDS = ["title", "description", "nav_title", "kind", "order", "slug", "menu", "draft", "template", "reviewed",
          "next_review", "sources", "by", "role", "date", "url"]
SCALARS = st.one_of(ANY_TEXT, st.integers(), st.floats(), st.booleans(), st.none(), st.dates(),
                    st.sampled_from(["2026-02-30", "../../etc/passwd", "/etc/passwd", "C:\\x", "javascript:alert(1)",
                                     "https://nhs.example/", "page.html", "main", "{page.__class__}", "<b>x</b>"]))
KEYS = st.one_of(st.sampled_from(FIELDS), ANY_TEXT)
VALUES = st.recursive(SCALARS, lambda children: st.one_of(st.lists(children, max_size=4),
                                                          st.dictionaries(KEYS, children, max_size=4)), max_leaves=12)
RAW_YAML = st.lists(st.sampled_from(["title: x", "description: y", "&a x", "*a", "!!python/object:os.system",
                                     "- ", ": ", "? ", "[", "]", "{", "}", "'", '"', "\\u", "\t", "  ", "\n", "#",
                                     "<<: *a", "!!binary", "|", ">-", "---", "..."]) | ANY_TEXT, max_size=20).map("".join)


def dumped(value) -> str:
    try:
        return yaml.safe_dump(value, allow_unicode=True)
    except yaml.YAMLError:
        return str(value)


FRONT_MATTER = st.one_of(
    st.fixed_dictionaries({"title": PRINTABLE_TEXT, "description": PRINTABLE_TEXT},
                          optional={"nav_title": PRINTABLE_TEXT, "order": st.integers(), "menu": SCALARS,
                                    "slug": SCALARS, "template": SCALARS, "draft": st.booleans(),
                                    "kind": st.sampled_from(["risks", "faq", "procedure", "price"]) | SCALARS,
                                    "reviewed": st.fixed_dictionaries({"by": PRINTABLE_TEXT, "role": PRINTABLE_TEXT,
                                                                       "date": st.dates()}),
                                    "next_review": st.dates(),
                                    "sources": st.lists(st.fixed_dictionaries({"title": PRINTABLE_TEXT, "url": SCALARS}),
                                                        max_size=2)}).map(dumped),
    st.fixed_dictionaries({"title": SCALARS, "description": SCALARS}, optional=dict.fromkeys(FIELDS[2:], VALUES)).map(dumped),
    VALUES.map(dumped),
    RAW_YAML,
)
MARKDOWN_PIECES = ["# ", "## ", "\n", "\n\n", "    ", "`", "```", "*", "_", "[a](", ")", "![i](", "javascript:", "data:",
                   "&#58;", "&amp;", "<", ">", "</", "div", "script", "abbr", "<!--", "-->", "{: ", "onclick=", "}",
                   "[r]: ", "- ", "1. ", "| a | b |\n|---|---|\n", "*[HTML]: ", "\\", "[TOC]", "---", "<div>",
                   "<span>", "</b>", "<abbr title=x>", "<a href='javascript:x'>", "<img src=data:x>", "<br/>", "<?x?>",
                   "<!DOCTYPE html>", "<script>alert(1)</script>", "<b onclick=x>", "&#106;avascript:", "[x][r]"]
MARKDOWN = st.lists(st.sampled_from(MARKDOWN_PIECES) | PRINTABLE_TEXT, max_size=30).map("".join) | ANY_TEXT
# The basic site turns off the checks that need a whole clinic's site, so that random settings can build.
BASIC_CHECKS = yaml.safe_load((SITES / "basic/site.yaml").read_text())["checks"]
WEB_ADDRESSES = st.sampled_from(["https://c.example/", "https://c.example/x/", "https://c.example/?a=1&b=<2>"])
SITE_YAML = st.one_of(
    st.fixed_dictionaries(
        {"name": PRINTABLE_TEXT, "base_url": WEB_ADDRESSES,
         "contact": st.fixed_dictionaries({"url": WEB_ADDRESSES, "label": PRINTABLE_TEXT},
                                          optional={"phone": PRINTABLE_TEXT, "email": PRINTABLE_TEXT})},
        optional={"title_pattern": st.sampled_from(["{page} | {site}", "{site}: {page}", "{page.x}", "{", "{page!r}",
                                                    "{0}", "{}"]) | PRINTABLE_TEXT,
                  "opening_hours": st.lists(PRINTABLE_TEXT, max_size=3), "description": PRINTABLE_TEXT,
                  "address": st.fixed_dictionaries({"street": PRINTABLE_TEXT, "locality": PRINTABLE_TEXT,
                                                    "postcode": PRINTABLE_TEXT}),
                  "theme_color": PRINTABLE_TEXT, "language": PRINTABLE_TEXT, "treatment": PRINTABLE_TEXT,
                  "allowed_html": st.lists(st.sampled_from(["abbr", "b", "script", "ABBR"]), max_size=2)}
    ).map(lambda settings: dumped({**settings, "checks": BASIC_CHECKS})),
    st.fixed_dictionaries({"name": SCALARS, "base_url": st.sampled_from(["https://c.example/", "https://c.example/x/"])
                           | SCALARS, "contact": st.fixed_dictionaries({"url": SCALARS}) | VALUES},
                          optional={k: VALUES | SCALARS for k in ("title_pattern", "allowed_html", "address",
                                                                  "opening_hours", "language", "review_period_years")}
                          ).map(dumped),
    RAW_YAML,
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "crlf", "surrogatepass"])


def encode(text: str, how: str) -> bytes:
    if how == "crlf":
        text = text.replace("\n", "\r\n")
    return text.encode(how if how in ("utf-8", "utf-8-sig") else "utf-8", "surrogatepass")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` but the build cache, which a build may write."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and CACHE_DIR not in p.parts}


def check_build(files: dict[str, bytes], check_output=None) -> None:
    """Build a copy of the basic site with `files` written over it, and check the promises
    (and `check_output(out)` when it built)."""
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp, "site")
        shutil.copytree(SITES / "basic", site)
        for name, data in files.items():
            (site / name).write_bytes(data)
        out = Path(tmp, "out")
        before = snapshot(site)
        result = build(BuildOptions(site=site, out=out))  # must not raise, whatever the input
        lines = [d.format() for d in result.diagnostics]
        for line in lines:
            assert DIAGNOSTIC.match(line) and "\n" not in line, line
            assert "Traceback" not in line and "internal error" not in line, line
        assert snapshot(site) == before
        assert sorted(p.name for p in Path(tmp).iterdir()) == (["out", "site"] if result.written else ["site"])
        assert result.ok == result.written
        if result.ok and check_output:
            check_output(out)
        first = re.sub(r"'[^']*'|\(.*|U\+\w+|\d+", "…", lines[0].split(": error: ")[-1]) if lines else ""
        event("built" if result.ok else "refused: " + first[:70])


@FUZZ
@given(front_matter=FRONT_MATTER, body=MARKDOWN, how=ENCODINGS)
def test_random_pages(front_matter, body, how):
    check_build({"content/risks.md": encode(f"---\n{front_matter}\n---\n{body}", how)})


@FUZZ
@given(body=MARKDOWN, allowed=st.lists(st.sampled_from(["abbr", "a", "img", "span", "b", "sup"]), max_size=3, unique=True))
def test_random_markdown(body, allowed):
    site_yaml = (SITES / "basic/site.yaml").read_text() + f"allowed_html: {allowed}\n"
    check_build({"site.yaml": site_yaml.encode(),
                 "content/risks.md": f"---\ntitle: t\ndescription: d\n---\n{body}".encode("utf-8", "surrogatepass")},
                nothing_runs_code)


def nothing_runs_code(out: Path) -> None:
    """The page has no script, no comment, no script handler and no javascript:, vbscript: or data: link."""
    doc = lxml.html.fromstring((out / "risks/index.html").read_bytes())
    assert doc.xpath("//script | //iframe | //object | //embed | //style | //comment()") == []
    for element in doc.iter(lxml.etree.Element):
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), lxml.html.tostring(element)
            assert name not in URL_ATTRIBUTES or not unsafe_scheme(value, name == "srcset"), lxml.html.tostring(element)


@FUZZ
@given(site_yaml=SITE_YAML, how=ENCODINGS)
def test_random_site_yaml(site_yaml, how):
    check_build({"site.yaml": encode(site_yaml, how)}, nothing_runs_code)


@FUZZ
@given(data=st.binary(max_size=200), name=st.sampled_from(["site.yaml", "content/risks.md", "templates/page.html"]))
def test_random_bytes(data, name):
    check_build({name: data})
