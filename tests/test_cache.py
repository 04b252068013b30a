"""The build cache: keyed by the whole engine, shared between machines and folders, never run."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, local_env, make_site
from microsite import cache as build_cache
from microsite.cache import CACHE_DIR, CACHE_FILE, engine_fingerprint


def microsite(site: Path, *args: str, package: Path = REPO, home: Path | None = None,
              prelude: str = "") -> subprocess.CompletedProcess:
    """`microsite ARGS --site SITE` in a new process, run from the package in `package` (a copy of the
    repository's, say) with `home` as HOME; `prelude` is Python run first."""
    code = f"{prelude}\nimport sys\nfrom microsite.cli import main\nsys.exit(main())"
    env = local_env(PYTHONPATH=str(package))
    if home:
        env |= {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "USERPROFILE": str(home)}
    return subprocess.run([sys.executable, "-c", code, *args, "--site", str(site), "--format", "json"],
                          cwd=site, capture_output=True, text=True, timeout=120, env=env)


def findings(result: subprocess.CompletedProcess) -> list[dict]:
    """What a `--format json` run reported: one JSON object a line."""
    assert "Traceback" not in result.stderr, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def counts(result: subprocess.CompletedProcess) -> tuple[int, int, int]:
    """(pages, rendered, reused) from a build's summary."""
    found = re.search(r"built (\d+) pages in [\d.]+ s: (\d+) rendered, (\d+) reused", result.stderr)
    assert found, result.stderr
    return tuple(int(n) for n in found.groups())


def copy_package(dest: Path) -> Path:
    """A copy of microsite's package under `dest`, to run and change as an upgrade would."""
    shutil.copytree(REPO / "microsite", dest / "microsite", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def test_a_new_claims_term_gives_the_findings_of_a_build_without_the_cache(tmp_path):
    """The stale-findings scenario: a cached check after an upgrade that adds a term to a rule."""
    site = make_site(tmp_path)
    engine = copy_package(tmp_path / "engine")
    assert microsite(site, "check", package=engine).returncode == 0
    claims = engine / "microsite/checks/claims.py"
    claims.write_text(claims.read_text(encoding="utf-8").replace('"lunchtime", ', '"lunchtime", "bruising", '),
                      encoding="utf-8")
    cached, uncached = microsite(site, "check", package=engine), microsite(site, "check", "--no-cache", package=engine)
    assert any("bruising" in d["message"].lower() for d in findings(uncached)), "the new term is found"
    assert findings(cached) == findings(uncached)


@pytest.mark.parametrize("change", [
    "checks/claims.py",  # a check's rule list
    "checks/registry.py",
    "pipeline.py",
    "data/prescription-medicines.yaml",  # the package's data
    "preview.js",
])
def test_every_file_of_the_package_is_in_the_engine_fingerprint(tmp_path, monkeypatch, change):
    engine = copy_package(tmp_path)
    monkeypatch.setattr(build_cache, "PACKAGE", engine / "microsite")
    engine_fingerprint.cache_clear()
    try:
        before = engine_fingerprint()
        with (engine / "microsite" / change).open("a", encoding="utf-8") as file:
            file.write("\n")
        engine_fingerprint.cache_clear()
        assert engine_fingerprint() != before
    finally:
        engine_fingerprint.cache_clear()


def test_the_libraries_versions_are_in_the_engine_fingerprint(monkeypatch):
    import importlib.metadata

    installed = importlib.metadata.distribution

    class Upgraded:  # markdown, one version on
        def __init__(self, name: str):
            self.distribution = installed(name)
            self.version = self.distribution.version + (".1" if name == "markdown" else "")
            self.requires = self.distribution.requires

    engine_fingerprint.cache_clear()
    try:
        before = engine_fingerprint()
        monkeypatch.setattr(importlib.metadata, "distribution", Upgraded)
        engine_fingerprint.cache_clear()
        assert engine_fingerprint() != before
    finally:
        monkeypatch.undo()
        engine_fingerprint.cache_clear()


def checkout(site: Path, dest: Path) -> Path:
    """The site's sources copied to `dest`, every file with a new time, as a fresh clone has them."""
    shutil.copytree(site, dest, copy_function=shutil.copy, ignore=shutil.ignore_patterns(CACHE_DIR, "public"))
    return dest


def test_a_cache_from_another_home_and_folder_is_reused(tmp_path):
    """A CI runner: a clone in another folder, another HOME, the last build's cache restored."""
    site = make_site(tmp_path / "first")
    built = microsite(site, "build", home=tmp_path / "home-1")
    assert built.returncode == 0, built.stderr
    clone = checkout(site, tmp_path / "runner/clone")
    shutil.copytree(site / CACHE_DIR, clone / CACHE_DIR)
    risks = clone / "content/risks.md"
    risks.write_text(risks.read_text(encoding="utf-8") + "\nAnd some swelling.\n", encoding="utf-8")
    result = microsite(clone, "build", home=tmp_path / "home-2")
    assert result.returncode == 0, result.stderr
    pages, rendered, reused = counts(result)
    assert (rendered, reused) == (1, pages - 1), result.stderr
    fresh = microsite(checkout(clone, tmp_path / "reference"), "build", "--no-cache")
    assert fresh.returncode == 0
    for page in (clone / "public").rglob("*.html"):
        assert page.read_bytes() == (tmp_path / "reference/public" / page.relative_to(clone / "public")).read_bytes()


def planted(site: Path, data: bytes) -> Path:
    cache = site / CACHE_DIR / CACHE_FILE
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(data)
    return cache


def test_a_cache_file_of_arbitrary_bytes_is_ignored_with_a_warning_and_never_run(tmp_path):
    import pickle

    marker = tmp_path / "ran"

    class Planted:
        def __reduce__(self):
            return (exec, (f"open({str(marker)!r}, 'w')",))

    site = make_site(tmp_path)
    planted(site, pickle.dumps(Planted()) + os.urandom(4096))
    result = microsite(site, "build")
    assert result.returncode == 0, result.stderr
    warnings = [d for d in findings(result) if "build cache" in d["message"]]
    assert [d["message"] for d in warnings] == [
        "build cache ignored: the file is damaged or not a microsite cache; building everything"]
    assert not marker.exists()
    again = microsite(site, "build")
    assert not [d for d in findings(again) if "build cache" in d["message"]], "the next build has a good cache"
    assert counts(again)[1] == 0


def test_a_cache_naming_a_type_outside_microsite_is_ignored_and_nothing_is_called(tmp_path):
    """Only microsite's own plain value types can be named in the cache's rows."""
    site = make_site(tmp_path)
    assert microsite(site, "build").returncode == 0
    marker = tmp_path / "ran"
    call = json.dumps({"o": "os:system", "v": [f"touch {marker}"]})
    with sqlite3.connect(site / CACHE_DIR / CACHE_FILE) as connection:
        connection.execute("UPDATE sources SET value = ?", (call,))
    result = microsite(site, "build")
    assert result.returncode == 0, result.stderr
    assert [d["message"] for d in findings(result) if "build cache" in d["message"]] == [
        "build cache ignored: unreadable (ValueError); building everything"]
    assert not marker.exists()


def test_every_command_works_without_fcntl(tmp_path):
    """Windows has no fcntl: a build, a cached build and a check run where it cannot be imported."""
    site = make_site(tmp_path)
    no_fcntl = "import sys\nsys.modules['fcntl'] = None"
    for command in ("build", "build", "check"):
        result = microsite(site, command, prelude=no_fcntl)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert counts(microsite(site, "build", prelude=no_fcntl))[2] > 0


def test_a_page_file_name_that_is_not_utf8_is_kept_and_reused(tmp_path):
    site = make_site(tmp_path)
    name = os.fsdecode(b"caf\xe9.md")
    (site / "content" / name).write_text("---\ntitle: Caf\u00e9\ndescription: Coffee.\n---\nText.\n", encoding="utf-8")
    assert microsite(site, "build").returncode == 0
    again = microsite(site, "build")
    assert again.returncode == 0, again.stderr
    pages, rendered, reused = counts(again)
    assert (rendered, reused) == (0, pages)
