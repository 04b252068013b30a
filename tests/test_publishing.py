"""The CI and hosting files are well-formed and do what docs/publishing.md says. They cannot run here, so
these tests are what shows it: YAML that parses, the CI vendors' own JSON schemas (vendored in
check-jsonschema, so this works offline), and the steps that matter."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import REPO

WORKFLOW = REPO / ".github/workflows/publish.yml"
GITLAB_CI = REPO / ".gitlab-ci.yml"
PAGES_ACTIONS = ("actions/configure-pages@", "actions/upload-pages-artifact@", "actions/deploy-pages@")


def validate(path: Path, schema: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
                          capture_output=True, text=True, timeout=120)


def load(path: Path) -> dict:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in doc:  # YAML 1.1 reads the key `on` as true
        doc["on"] = doc.pop(True)
    return doc


def steps(job: dict) -> str:
    """Everything a job runs or uses, as one text."""
    return "\n".join(str(step.get("run", "")) + str(step.get("uses", "")) for step in job["steps"])


@pytest.mark.parametrize("path, schema", [(WORKFLOW, "vendor.github-workflows"), (GITLAB_CI, "vendor.gitlab-ci")])
def test_ci_files_match_their_schemas(path, schema):
    result = validate(path, schema)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("schema, broken", [
    ("vendor.github-workflows", {"on": "push", "jobs": {"test": {"steps": [{"run": "true"}]}}}),  # no runs-on
    ("vendor.gitlab-ci", {"pages": {"script": 42, "artifacts": {"pathz": ["public"]}}}),
])
def test_the_schema_check_rejects_a_broken_file(tmp_path, schema, broken):
    path = tmp_path / "ci.yml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    assert validate(path, schema).returncode == 1


def test_pull_requests_run_the_tests_and_the_content_checks():
    workflow = load(WORKFLOW)
    test = workflow["jobs"]["test"]

    assert "pull_request" in workflow["on"]
    assert "if" not in test
    assert "build.py check" in steps(test)
    assert "bash scripts/test" in steps(test)
    assert workflow["permissions"] == {"contents": "read"}


def test_the_tests_also_run_on_windows_and_macos():
    systems = load(WORKFLOW)["jobs"]["systems"]

    assert systems["strategy"]["matrix"]["os"] == ["ubuntu-latest", "windows-latest", "macos-latest"]
    assert systems["runs-on"] == "${{ matrix.os }}" and "container" not in systems
    assert "build.py check --format github" in steps(systems)
    assert "pytest" in steps(systems)


def test_main_is_built_for_its_pages_address_and_deployed_with_the_official_actions():
    workflow = load(WORKFLOW)
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]

    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "refs/heads/main" in build["if"] and "pull_request" in build["if"]
    assert build["needs"] == "test" and deploy["needs"] == "build"
    assert all(any(action in steps(job) for job in (build, deploy)) for action in PAGES_ACTIONS)
    build_step = next(step for step in build["steps"] if "build.py build" in step.get("run", ""))
    assert build_step["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert '--base-url "$BASE_URL/"' in build_step["run"]
    assert "SOURCE_DATE_EPOCH" in build_step["run"]
    upload = next(step for step in build["steps"] if step.get("uses", "").startswith(PAGES_ACTIONS[1]))
    assert upload["with"]["path"] == "public"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_gitlab_publishes_public_from_the_default_branch_for_its_pages_address():
    ci = load(GITLAB_CI)

    assert "build.py check" in "\n".join(ci["test"]["script"])
    assert any(rule["if"] == '$CI_PIPELINE_SOURCE == "merge_request_event"' for rule in ci["test"]["rules"])
    assert ci["pages"]["artifacts"]["paths"] == ["public"]
    assert ci["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert any('--base-url "$CI_PAGES_URL/"' in line for line in ci["pages"]["script"])


def test_netlify_builds_into_the_folder_it_publishes():
    netlify = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))

    assert netlify["build"]["publish"] == "public"  # the build's default output folder
    assert "python build.py build" in netlify["build"]["command"]
    assert "--out" not in netlify["build"]["command"]
    assert "headers" not in netlify  # the build's _headers file is the one place headers are set


def test_the_editors_pull_requests_get_the_checks_too():
    """With the editorial workflow (cms: in site.yaml), each page saved in the editor is a pull request
    from a branch named cms/...: no branch filter may leave it unchecked."""
    trigger = load(WORKFLOW)["on"]["pull_request"] or {}
    assert not {"branches", "branches-ignore", "paths", "paths-ignore"} & set(trigger)


def test_a_site_with_the_editor_is_checked_and_published_with_it():
    """The build copies the editor from node_modules: both hosts' jobs install it before the check or build."""
    workflow, gitlab = load(WORKFLOW)["jobs"], load(GITLAB_CI)
    for script, command in ((steps(workflow["test"]), "build.py check"), (steps(workflow["build"]), "build.py build"),
                            ("\n".join(gitlab["test"]["script"]), "build.py check"),
                            ("\n".join(gitlab["pages"]["script"]), "build.py build")):
        assert script.index("npm ci --omit=dev") < script.index(command)


def test_github_restores_and_saves_the_build_cache_before_each_build():
    """A publish after a one-page edit renders that page: the last build's cache comes back first."""
    workflow = load(WORKFLOW)
    for job, command in (("test", "build.py check"), ("build", "build.py build")):
        runs = [step.get("run", "") for step in workflow["jobs"][job]["steps"]]
        cache = next(i for i, step in enumerate(workflow["jobs"][job]["steps"])
                     if step.get("uses") == "actions/cache@v4")
        assert cache < next(i for i, run in enumerate(runs) if command in run), job
        settings = workflow["jobs"][job]["steps"][cache]["with"]
        assert settings["path"] == ".microsite-cache"
        assert "hashFiles('pyproject.toml', 'microsite/**')" in settings["key"] and "content/**" in settings["key"]
        engine_key = settings["key"].rsplit("-${{", 1)[0] + "-"
        assert settings["restore-keys"].splitlines() == [engine_key, f"microsite-{'check' if job == 'test' else job}-"]


def test_gitlab_keeps_the_build_cache_of_each_job():
    ci = load(GITLAB_CI)
    assert ci["test"]["cache"]["key"] != ci["pages"]["cache"]["key"]
    for job in ("test", "pages"):
        assert ci[job]["cache"]["paths"] == [".microsite-cache/"] and ci[job]["cache"]["when"] == "always"


def test_every_ci_build_of_this_repository_lets_its_sample_through():
    """CI sets CI=true, and a build with CI set refuses a site marked 'sample: true': while this
    repository's own site is the sample, each build or check CI runs passes --allow-sample."""
    assert "sample: true" in (REPO / "site.yaml").read_text(encoding="utf-8")
    texts = [WORKFLOW.read_text(encoding="utf-8"), GITLAB_CI.read_text(encoding="utf-8"),
             (REPO / "netlify.toml").read_text(encoding="utf-8")]
    commands = [line for text in texts for line in text.splitlines()
                if re.search(r"build\.py (build|check)", line) and not line.lstrip().startswith("#")]
    assert len(commands) >= 5
    assert [line.strip() for line in commands if "--allow-sample" not in line] == []
