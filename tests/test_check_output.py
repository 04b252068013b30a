"""What `build.py check` prints for people and for CI, and its exit status."""

import json
import re
import subprocess
import sys

from conftest import REPO, local_env, make_site, without_excerpts

FINDING = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<level>error|warning): (?P<message>.+) "
                     r"\[(?P<check>[a-z]+)\]$")
BODY = "See the [risks](/risks/). Or choose no treatment.\n\nWe guarantee a lunchtime treatment.\n"


def benefits(body: str) -> dict:
    return {"content/benefits.md": "---\ntitle: Benefits\ndescription: Help.\nkind: benefits\n"
                                   "checks:\n  review: off\n---\n" + body}


def check(site, *args, github: bool = False) -> subprocess.CompletedProcess:
    env = local_env(SOURCE_DATE_EPOCH="1795608000", GITHUB_ACTIONS="true" if github else "false")
    return subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--site", str(site), *args],
                          cwd=site, env=env, capture_output=True, text=True, timeout=120)


def test_text_findings_and_a_summary_per_check(tmp_path):
    result = check(make_site(tmp_path, benefits(BODY), fixture="clinic"))
    lines = without_excerpts(result.stderr.strip())
    assert [FINDING.match(line).group("file", "line", "column", "level", "check") for line in lines[:-1]] == [
        ("content/benefits.md", "10", "4", "error", "claims"), ("content/benefits.md", "10", "16", "warning", "claims")]
    assert re.fullmatch(r"checked 7 pages in \d+\.\d\d s \(1 error, 1 warning; claims: 1 error, 1 warning\)", lines[-1])
    assert result.returncode == 1


def test_warnings_pass_unless_strict(tmp_path):
    site = make_site(tmp_path, benefits("See the [risks](/risks/).\n\nA lunchtime treatment.\n"), fixture="clinic")
    assert check(site).returncode == 0
    strict = check(site, "--strict")
    assert strict.returncode == 1 and "warning:" in strict.stderr


def test_json_gives_one_object_per_finding(tmp_path):
    result = check(make_site(tmp_path, benefits(BODY), fixture="clinic"), "--format", "json")
    found = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(f["file"], f["line"], f["column"], f["level"], f["check"]) for f in found] == [
        ("content/benefits.md", 10, 4, "error", "claims"), ("content/benefits.md", 10, 16, "warning", "claims")]
    assert found[0]["message"].startswith('absolute claim "guarantee"')


def test_github_actions_annotations_point_at_the_line(tmp_path):
    result = check(make_site(tmp_path, benefits(BODY), fixture="clinic"), github=True)
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotations[0].startswith("::error file=content/benefits.md,line=10,col=4,title=claims::absolute claim")
    assert annotations[1].startswith("::warning file=content/benefits.md,line=10,col=16,title=claims::")
    assert len(annotations) == 2
