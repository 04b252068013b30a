"""`build.py new`: a page with every setting it needs, which builds once its placeholders are filled."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import REPO, copy_default_site, make_site, parse_html, run_cli
from microsite.cli import main
from microsite.pages import FRONT_MATTER, KINDS

FILLED = {"date": dt.date.today().isoformat(), "url": "https://www.nhs.uk/conditions/varicose-veins/treatment/",
          "registration": "GMC 7000001"}


def fill_in(text: str, kind: str) -> str:
    """What an editor does: replace every TODO with real words (a date, an address, text)."""
    text = re.sub(r"^(\s*(?:- )?)(\w+): TODO$",
                  lambda m: f"{m[1]}{m[2]}: {FILLED.get(m[2], f'Our {m[2]} for the {kind} page')}",
                  text, flags=re.MULTILINE)
    text = text.replace("## TODO: a question patients ask", "## Does it hurt?").replace("## TODO: a heading", "## More")
    text = re.sub(r"^:   TODO: .*$", ":   A short meaning in plain words.", text, flags=re.MULTILINE)
    return re.sub(r"^TODO: .*$", "Some words a patient can read.", text, flags=re.MULTILINE)


def with_examples(text: str) -> str:
    """Each setting's TODO replaced with the example shown above it, exactly as shown."""
    lines, example = text.split("\n"), None
    for number, line in enumerate(lines):
        if shown := re.fullmatch(r"\s*# For example: (.+)", line):
            example = shown[1]
        elif setting := re.fullmatch(r"(\s*(?:- )?\w+: )TODO", line):
            assert example, f"no example above line {number + 1}: {line}"
            lines[number], example = setting[1] + example, None
    return "\n".join(lines)


def line_of(text: str, line: str) -> int:
    return text.split("\n").index(line) + 1


def test_new_pages_of_every_kind_build_once_their_placeholders_are_filled(tmp_path, monkeypatch, capsys):
    site = make_site(tmp_path)
    monkeypatch.chdir(site)
    # The benefits page goes at /benefits/, where a new risks page links (and it links to /risks/).
    paths = {kind: "content/benefits.md" if kind == "benefits" else f"content/new/{kind}.md" for kind in KINDS}
    for kind, path in paths.items():
        assert main(["new", path, "--kind", kind]) == 0
        assert f"created {path}" in capsys.readouterr().out
        page = site / path
        page.write_text(fill_in(page.read_text(encoding="utf-8"), kind), encoding="utf-8")

    checked = run_cli("check", cwd=site)
    built = run_cli("build", cwd=site)

    assert checked.returncode == 0, checked.stderr
    assert "(0 errors" in checked.stderr
    assert built.returncode == 0, built.stderr
    for kind, path in paths.items():
        html = parse_html(site / "public" / path.removeprefix("content/").removesuffix(".md") / "index.html")
        assert html.findtext(".//h1") == f"Our title for the {kind} page"
        assert html.find(".//meta[@name='description']").get("content") == f"Our description for the {kind} page"


def test_every_kind_builds_with_the_examples_it_shows_copied_as_they_are(tmp_path, monkeypatch, capsys):
    site = make_site(tmp_path)
    monkeypatch.chdir(site)
    for kind in KINDS:
        path = "content/benefits.md" if kind == "benefits" else f"content/new/{kind}.md"
        assert main(["new", path, "--kind", kind]) == 0
        page = site / path
        page.write_text(fill_in(with_examples(page.read_text(encoding="utf-8")), kind), encoding="utf-8")
    capsys.readouterr()

    assert main(["build"]) == 0
    assert "(0 errors, 0 warnings)" in capsys.readouterr().err
    aftercare = parse_html(site / "public/new/aftercare/index.html")
    assert aftercare.findtext(".//h1") == "Aftercare: the first week"


def test_the_examples_fit_the_kind_and_the_engine_names_no_treatment(tmp_path):
    site = make_site(tmp_path)
    run_cli("new", "content/care.md", "--kind", "aftercare", cwd=site)
    text = (site / "content/care.md").read_text(encoding="utf-8").lower()
    shown = re.findall(r"^(?:# for example: |# nav_title: |# slug: |## )(.*)$", text, re.MULTILINE)
    assert len(shown) >= 6 and not [words for words in shown if "risk" in words or "side effect" in words]
    engine = "\n".join(path.read_text(encoding="utf-8") for path in (REPO / "microsite").rglob("*.py")).lower()
    assert "vein" not in engine


def test_a_new_page_on_the_default_site_passes_every_content_check_once_filled(tmp_path):
    """The guide's example, on the real site with every check on."""
    site = copy_default_site(tmp_path / "site")
    assert run_cli("new", "content/compression-stockings.md", "--kind", "aftercare", cwd=site).returncode == 0
    page = site / "content/compression-stockings.md"
    page.write_text(fill_in(page.read_text(encoding="utf-8"), "aftercare"), encoding="utf-8")

    checked = run_cli("check", cwd=site)

    assert checked.returncode == 0, checked.stderr
    assert "(0 errors" in checked.stderr


def test_a_new_risks_page_links_to_the_sites_own_options_page(tmp_path):
    """The default site's page of kind benefits is at /options/, not at the kind's name."""
    site = copy_default_site(tmp_path / "site")
    assert run_cli("new", "content/more-risks.md", "--kind", "risks", cwd=site).returncode == 0
    text = (site / "content/more-risks.md").read_text(encoding="utf-8")
    assert "[benefits](/options/)" in text and "/benefits/" not in text


def test_a_new_page_lists_every_setting_with_its_explanation(tmp_path):
    site = make_site(tmp_path)
    assert run_cli("new", "risks-legs.md", "--kind", "risks", cwd=site).returncode == 0
    text = (site / "content/risks-legs.md").read_text(encoding="utf-8")

    for field in FRONT_MATTER:
        assert re.search(rf"^(# )?{field.name}:", text, re.MULTILINE), field.name
        assert field.doc.split()[0] in text
    assert re.search(r"^kind: risks$", text, re.MULTILINE)
    assert re.search(r"^  date: TODO$", text, re.MULTILINE)  # a risks page needs a clinical review
    assert re.search(r"^  - title: TODO$", text, re.MULTILINE)


def test_unfilled_placeholders_are_errors_at_their_lines(tmp_path):
    site = make_site(tmp_path)
    run_cli("new", "content/risks-legs.md", "--kind", "risks", cwd=site)
    text = (site / "content/risks-legs.md").read_text(encoding="utf-8")

    checked = run_cli("check", cwd=site)

    assert checked.returncode == 1
    errors = checked.stderr.splitlines()
    assert (f"content/risks-legs.md:{line_of(text, 'title: TODO')}: error: front matter: 'title' is still the "
            "placeholder 'TODO'; replace it as the comment above it explains") in errors
    assert f"content/risks-legs.md:{line_of(text, '  date: TODO')}:3: error: front matter: 'reviewed.date' must be " \
           "a date written like 2026-03-12, not 'TODO'" in errors
    # one problem per line: the date is not also reported as a placeholder
    assert sum(f":{line_of(text, '  date: TODO')}:" in e for e in errors) == 1
    body_line = line_of(text, "## Common side effects") + 2
    assert any(e.startswith(f"content/risks-legs.md:{body_line}: error: placeholder left in the text") for e in errors)
    assert not (site / "public").exists()


def test_new_refuses_to_overwrite_a_page(tmp_path):
    site = make_site(tmp_path)
    before = (site / "content/risks.md").read_bytes()

    result = run_cli("new", "content/risks.md", "--kind", "risks", cwd=site)

    assert result.returncode == 2
    assert "content/risks.md already exists" in result.stderr
    assert (site / "content/risks.md").read_bytes() == before


@pytest.mark.parametrize("path, message", [
    ("../outside.md", "pages live in the content folder"),
    ("_partial.md", "names starting with '.' or '_' are not built as pages"),
    ("+++.md", "cannot make a web address"),
])
def test_new_refuses_a_path_that_cannot_be_a_page(tmp_path, path, message):
    site = make_site(tmp_path)
    files_before = sorted(tmp_path.rglob("*"))

    result = run_cli("new", path, "--site", site)

    assert result.returncode == 2
    assert message in result.stderr
    assert sorted(tmp_path.rglob("*")) == files_before
