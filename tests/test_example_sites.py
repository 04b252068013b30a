"""The engine is general: a second site, for another treatment in another country, builds clean, and
no module of the engine speaks of one treatment."""

import re
import shutil

from conftest import REPO, json_ld_graph, node_of_type, parse_html, run_cli

EXAMPLE = REPO / "examples" / "us-evla"
DAY = {"SOURCE_DATE_EPOCH": "1795608000"}  # 2026-11-25: the example's reviews are current
ONE_TREATMENT = re.compile(r"vein|sclero|telangi|thread vein|\bDVT\b|polidocanol|tetradecyl", re.IGNORECASE)


def example_copy(tmp_path):
    """A copy of the example, so that building it leaves nothing in the repository."""
    return shutil.copytree(EXAMPLE, tmp_path / "us-evla")


def test_the_us_example_builds_and_passes_every_check(tmp_path):
    site = example_copy(tmp_path)
    checked = run_cli("check", "--site", site, env=DAY)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr.strip().splitlines()[-1].endswith("(0 errors, 0 warnings)"), checked.stderr
    built = run_cli("build", "--site", site, "--out", tmp_path / "out", env=DAY)
    assert built.returncode == 0, built.stderr
    procedure = parse_html(tmp_path / "out" / "procedure" / "index.html")
    assert procedure.get("lang") == "en-US"
    assert procedure.xpath("//main//a[@href='/glossary/#term-endovenous-laser-ablation']/text()") == [
        "Endovenous laser ablation"]
    treatment = node_of_type(json_ld_graph(procedure), "TherapeuticProcedure")
    assert (treatment["name"], treatment["bodyLocation"]) == ("Endovenous laser ablation", "Legs")


def test_the_sites_jurisdictions_choose_the_rules(tmp_path):
    site = example_copy(tmp_path)
    page = site / "content" / "procedure.md"
    page.write_text(page.read_text().replace("title: What happens during treatment",
                                             "title: Lidocaine and what happens during treatment"))
    assert run_cli("check", "--site", site, env=DAY).returncode == 0  # a US site may name the medicine
    settings = site / "site.yaml"
    settings.write_text(settings.read_text().replace("jurisdictions: [us]", "jurisdictions: [uk, us]"))
    checked = run_cli("check", "--site", site, env=DAY)
    assert checked.returncode == 1
    assert 'content/procedure.md:2:8: error: prescription-only medicine "Lidocaine"' in checked.stderr


def test_no_module_of_the_engine_speaks_of_one_treatment():
    mentions = [f"{path.relative_to(REPO)}:{number}: {line.strip()}"
                for path in sorted((REPO / "microsite").rglob("*.py"))
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if ONE_TREATMENT.search(line)]
    assert mentions == []
