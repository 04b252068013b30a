"""The default site passes every check; the four mistakes a new user tries are each named, then undone."""

import shutil

from test_check_output import FINDING, check

from conftest import REPO, without_excerpts

IMAGE = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>\n'


def copy_default_site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(REPO / "site.yaml", site)
    for folder in ("content", "templates", "static"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, site / folder)
    (site / "static").mkdir(exist_ok=True)
    (site / "static" / "leg.svg").write_text(IMAGE)
    edit(site, "content/aftercare.md", "## Your daily checklist\n",
         "## Your daily checklist\n\n![A leg raised on two cushions](/leg.svg)\n")
    return site


def edit(site, name, old, new):
    path = site / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def line_of(site, name, text):
    return next(i for i, line in enumerate((site / name).read_text().splitlines(), 1) if text in line)


def test_default_site_is_clean_then_names_four_mistakes_then_is_clean_again(tmp_path):
    site = copy_default_site(tmp_path)
    clean = check(site)
    assert clean.returncode == 0, clean.stderr
    assert clean.stderr.strip().endswith("(0 errors, 0 warnings)")
    originals = {name: (site / name).read_text() for name in ("content/options.md", "content/index.md",
                                                               "content/aftercare.md", "content/procedure.md")}

    edit(site, "content/options.md", "The vein closes and slowly fades.",
         "The vein closes and slowly fades, with guaranteed permanent results.")
    edit(site, "content/index.md", "title: Thread veins and your consultation",
         "title: Thread veins, polidocanol and your consultation")
    edit(site, "content/aftercare.md", "![A leg raised on two cushions]", "![]")
    edit(site, "content/procedure.md", "Your consultation comes first\n",
         "Your consultation comes first\n\nSee our [offers page](/offers/).\n")
    result = check(site)
    assert result.returncode == 1
    found = [m.groupdict() for line in without_excerpts(result.stderr.strip())[:-1] if (m := FINDING.match(line))]
    named: dict = {}
    for f in found:
        key = (f["file"], int(f["line"]), f["check"])
        named[key] = named.get(key, "") + f["message"] + "\n"
    options_line = line_of(site, "content/options.md", "guaranteed permanent")
    assert "CAP Code 3.7, 3.11 and 12.1" in named[("content/options.md", options_line, "claims")]
    assert '"guaranteed"' in named[("content/options.md", options_line, "claims")]
    assert '"permanent"' in named[("content/options.md", options_line, "claims")]
    assert "CAP Code 12.12" in named[("content/index.md", 2, "claims")]
    assert "WCAG 2.2 SC 1.1.1" in named[("content/aftercare.md", line_of(site, "content/aftercare.md", "![]"),
                                         "accessibility")]
    assert 'link to "/offers/" goes nowhere' in named[("content/procedure.md",
                                                       line_of(site, "content/procedure.md", "/offers/"), "links")]
    assert len([f for f in found if f["check"] == "claims" and f["file"] == "content/options.md"]) == 2
    # The home title is also its h1 and JSON-LD name: all one place, never a mention on a deeper page.
    assert [(f["file"], f["line"]) for f in found if f["check"] == "claims" and "polidocanol" in f["message"]] == [
        ("content/index.md", "2")]

    for name, text in originals.items():
        (site / name).write_text(text)
    assert check(site).returncode == 0
