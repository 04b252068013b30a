"""Shared helpers: fixture sites copied to a temporary folder, the command line as a subprocess."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import lxml.html
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SITES = Path(__file__).parent / "sites"
NODE_MODULES = REPO / "node_modules"  # axe-core, vnu-jar and lighthouse, installed by scripts/test (npm ci)
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Headless Chromium as root in a container, with nothing that calls home during a test.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def need(available: bool, what: str) -> None:
    """Skip a test whose tool is missing; under scripts/test (which installs every tool) fail instead."""
    if available:
        return
    message = f"{what} is missing; scripts/test installs it"
    if os.environ.get("MICROSITE_REQUIRE_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def make_site(tmp_path: Path, files: dict[str, str] | None = None, fixture: str = "basic") -> Path:
    """A copy of tests/sites/<fixture> in tmp_path/site, with `files` written over it (dedented)."""
    site = tmp_path / "site"
    shutil.copytree(SITES / fixture, site)
    for name, text in (files or {}).items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return site


def copy_default_site(dest: Path) -> Path:
    """A copy of the repository's own site (settings, pages, templates, static files) at `dest`."""
    dest.mkdir(parents=True)
    for name in ("site.yaml", "content", "templates", "static"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dest / name)
        elif (REPO / name).is_file():
            shutil.copy2(REPO / name, dest / name)
    return dest


def local_env(**extra: str) -> dict[str, str]:
    """The environment of a build on the marketer's own computer, plus `extra`: CI is left out, so
    that the tests see what a local build does even when they run in CI (where a build refuses the
    sample site; tests/test_sample.py sets CI itself)."""
    return {**{name: value for name, value in os.environ.items() if name != "CI"}, **extra}


def run_cli(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None,
            ) -> subprocess.CompletedProcess:
    """Run `python build.py ARGS` as a user would on their own computer, capturing its output; `env` adds
    variables (see `local_env`)."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), *map(str, args)],
                          cwd=cwd or REPO, capture_output=True, text=True, timeout=120, env=local_env(**(env or {})))


# The source line and the caret shown under a problem: `  12 | text`, then `     |    ^`
EXCERPT_LINE = re.compile(r"  [0-9 ]+ \|(?: |$)")


def without_excerpts(output: str) -> list[str]:
    """The lines of the command line's text output, leaving out the source lines shown under problems."""
    return [line for line in output.splitlines() if not EXCERPT_LINE.match(line)]


def parse_html(path: Path):
    return lxml.html.fromstring(path.read_bytes())


@pytest.fixture(scope="session")
def default_build(tmp_path_factory) -> Path:
    """The repository's own site, built once by the command line for every test that only reads it."""
    out = tmp_path_factory.mktemp("default") / "public"
    result = run_cli("build", "--out", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


def json_ld_graph(tree) -> list[dict]:
    """The @graph of the page's one JSON-LD script (asserting there is exactly one)."""
    scripts = tree.xpath('//script[@type="application/ld+json"]')
    assert len(scripts) == 1, f"{len(scripts)} JSON-LD scripts"
    data = json.loads(scripts[0].text)
    assert data["@context"] == "https://schema.org"
    return data["@graph"]


def node_of_type(graph: list[dict], type_: str) -> dict:
    """The one node of the graph that has `type_` among its types."""
    nodes = [n for n in graph if type_ in ([n["@type"]] if isinstance(n["@type"], str) else n["@type"])]
    assert len(nodes) == 1, f"{len(nodes)} nodes of type {type_}"
    return nodes[0]


def front_matter(path: Path) -> dict:
    """A Markdown file's front matter, read with plain PyYAML (independently of the generator)."""
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's browser (the `browser` and `page` fixtures) is Debian's Chromium, which
    scripts/test installs; Playwright's own is not used."""
    need(Path(CHROMIUM).exists(), f"Chromium ({CHROMIUM})")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
