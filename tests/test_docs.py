"""The generated parts of the docs match the code, and the docs' links lead somewhere."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from conftest import REPO
from microsite.config import SCHEMA
from microsite import docs
from microsite.checks.registry import CHECKS
from microsite.docs import DOCUMENTS, EXPLAINED_ELSEWHERE, FIXES
from microsite.pages import FRONT_MATTER


def run_docs(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "microsite.docs", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=60)


def test_generated_sections_are_up_to_date():
    result = run_docs("--check")
    assert result.returncode == 0, f"{result.stderr}\nRun: python -m microsite.docs"


def test_a_stale_section_is_found_and_rewritten(tmp_path):
    for name in DOCUMENTS:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, tmp_path / name)
    guide = tmp_path / "docs/editing.md"
    fresh = guide.read_text(encoding="utf-8")
    guide.write_text(fresh.replace("The reviewer's name.", "Somebody."), encoding="utf-8")

    checked = run_docs("--check", "--root", str(tmp_path))
    rewritten = run_docs("--root", str(tmp_path))

    assert checked.returncode == 1
    assert "docs/editing.md: out of date; run: python -m microsite.docs" in checked.stderr
    assert "docs/pages.md" not in checked.stderr
    assert rewritten.returncode == 0
    assert guide.read_text(encoding="utf-8") == fresh


def test_an_unknown_generated_section_is_an_error(tmp_path):
    for name in DOCUMENTS:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, tmp_path / name)
    with (tmp_path / "docs/pages.md").open("a", encoding="utf-8") as page:
        page.write("<!-- BEGIN GENERATED nonsense -->\n<!-- END GENERATED nonsense -->\n")

    result = run_docs("--check", "--root", str(tmp_path))

    assert result.returncode == 1
    assert "unknown generated section 'nonsense'" in result.stderr


def test_the_guide_explains_every_page_and_site_setting_and_every_check():
    guide = (REPO / "docs/editing.md").read_text(encoding="utf-8")
    for field in FRONT_MATTER + SCHEMA:
        assert f"#### `{field.name}`" in guide
        assert field.doc in guide
        for child in field.fields:
            if field.name in EXPLAINED_ELSEWHERE:  # the checks: one section each
                assert f"#### `{child.name}`" in guide
            else:
                assert re.search(rf"^- `{child.name}` \(.*\): {re.escape(child.doc)}$", guide, re.MULTILINE)
    for check in CHECKS:
        assert f"#### `{check.NAME}`\n\n**What it checks:**" in guide
        assert FIXES[check.NAME] in guide


def test_a_check_without_advice_on_fixing_it_stops_the_generator(monkeypatch, capsys):
    class NewCheck:
        """novelty: something new."""
        NAME = "novelty"

    monkeypatch.setattr(docs, "CHECKS", (*docs.CHECKS, NewCheck))

    assert docs.main(["--check"]) == 1
    assert "no advice on fixing the novelty check in FIXES" in capsys.readouterr().err


# Links between the repository's files; not web addresses, nor the site's own (/aftercare/) in examples
LINK = re.compile(r"\]\((?!https?:|mailto:|/)([^)\s]*)\)")


def headings(text: str) -> set[str]:
    """The anchors GitHub gives a Markdown file's headings (code blocks left out)."""
    anchors, fenced = set(), False
    for line in text.splitlines():
        fenced ^= line.startswith("```")
        if not fenced and (match := re.match(r"#+ (.*)", line)):
            anchors.add(re.sub(r"[^\w\- ]", "", match[1].lower()).replace(" ", "-"))
    return anchors


def test_every_link_between_the_docs_leads_to_a_file_and_heading_that_exist():
    documents = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    broken = []
    for document in documents:
        text = document.read_text(encoding="utf-8")
        for target in LINK.findall(text):
            path, _, anchor = target.partition("#")
            linked = (document.parent / path).resolve() if path else document
            if not linked.exists():
                broken.append(f"{document.name}: {target}")
            elif anchor and anchor not in headings(linked.read_text(encoding="utf-8")):
                broken.append(f"{document.name}: {target} (no such heading)")
    assert not broken, broken


def test_the_readme_is_short_and_keeps_its_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    assert "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/python build.py\n" in readme
    assert "\nbash scripts/test\n" in readme


def test_the_architecture_diagram_names_a_module_that_exists_for_every_stage():
    architecture = (REPO / "docs/architecture.md").read_text(encoding="utf-8")
    diagram = architecture.partition("```text\n")[2].partition("```")[0]
    named = set(re.findall(r"microsite/[\w/]+\.py", diagram))
    assert {"microsite/config.py", "microsite/render.py", "microsite/checking.py", "microsite/output.py"} <= named
    assert [module for module in named if not (REPO / module).exists()] == []
