"""The sample site: a local build says it is a sample in one line; a build for publishing (CI set, or
--strict) refuses it with one error per detail to replace, unless --allow-sample; a site that is no
longer marked as a sample still may not publish a sample detail."""

import re

import pytest

from conftest import copy_default_site, run_cli

DETAIL = re.compile(r"SAMPLE-0000|0117 496 0000|\w\.example\b")
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?:\d+:)? (?P<level>error|warning|notice): (?P<message>.+) \[sample\]$")


@pytest.fixture
def sample(tmp_path):
    return copy_default_site(tmp_path / "site")


def sample_lines(result) -> list[dict]:
    return [m.groupdict() for line in result.stderr.splitlines() if (m := LINE.match(line))]


def details_in(site) -> set[tuple[str, int]]:
    """Every line of site.yaml, the pages and the snippets that holds an invented detail, read with a plain regex."""
    places = set()
    for path in [site / "site.yaml", *sorted((site / "content").rglob("*.md"))]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            places |= {(path.relative_to(site).as_posix(), number)} if DETAIL.search(line) else set()
    return places


def test_a_local_build_says_it_is_a_sample_in_one_line(sample):
    result = run_cli("check", "--site", sample, cwd=sample)
    assert result.returncode == 0, result.stderr
    [notice] = sample_lines(result)
    assert notice["level"] == "notice" and (notice["file"], notice["line"]) == ("site.yaml", "5")
    assert notice["message"].startswith(f"this is the sample site: {len(details_in(sample)) + 1} details to replace")
    assert result.stderr.strip().endswith("(0 errors, 0 warnings)")


@pytest.mark.parametrize("how", [{"env": {"CI": "true"}}, {"args": ["--strict"]}], ids=["CI", "strict"])
def test_a_build_for_publishing_refuses_with_one_error_per_detail(sample, how):
    result = run_cli("build", "--site", sample, *how.get("args", []), cwd=sample, env=how.get("env"))
    assert result.returncode == 1
    found = sample_lines(result)
    assert all(f["level"] == "error" for f in found)
    places = {(f["file"], int(f["line"])) for f in found}
    expected = details_in(sample) | {("site.yaml", 5)}
    assert places == expected and len(found) >= len(expected)
    assert "content/_snippets/urgent-help.md" in {f["file"] for f in found}, "the snippet's phone number"
    assert any("SAMPLE-0000" in f["message"] and "registration" in f["message"] for f in found)
    assert f"{len(found)} errors" in result.stderr.splitlines()[-1]
    assert not (sample / "public").exists()


def test_allow_sample_publishes_the_sample_with_its_banner(sample):
    result = run_cli("build", "--site", sample, "--allow-sample", cwd=sample, env={"CI": "true"})
    assert result.returncode == 0, result.stderr
    assert [f["level"] for f in sample_lines(result)] == ["notice"]
    assert "Sample site." in (sample / "public" / "index.html").read_text()


def test_without_the_marker_a_sample_registration_still_stops_a_publishing_build(sample):
    config = sample / "site.yaml"
    config.write_text(config.read_text().replace("sample: true\n", ""))
    result = run_cli("check", "--site", sample, "--allow-sample", cwd=sample, env={"CI": "true"})
    assert result.returncode == 1
    registrations = {place for place in details_in(sample) if "SAMPLE-0000" in
                     (sample / place[0]).read_text(encoding="utf-8").splitlines()[place[1] - 1]}
    assert {(f["file"], int(f["line"])) for f in sample_lines(result)} == registrations
    # Reserved addresses and drama numbers are what test and example sites use: only the sample is refused them.
    assert not any("example" in f["message"] or "Ofcom" in f["message"] for f in sample_lines(result))
    local = run_cli("check", "--site", sample, cwd=sample)
    assert local.returncode == 0 and not sample_lines(local), "a local build of an unmarked site is not scanned"
