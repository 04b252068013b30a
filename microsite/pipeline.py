"""The build, top to bottom: load config → static files → read pages → validate → render → check → write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from .assets import clashes, static_files
from .checks.registry import run_checks
from .config import CONFIG_FILE, load_config
from .content import read_sources
from .diagnostics import Diagnostic, has_errors, processing
from .glossary import read_glossary
from .headers import headers_file
from .output import write_site
from .pages import make_pages
from .render import OutputFile, render_site


@dataclass(frozen=True)
class BuildOptions:
    site: Path
    out: Path | None = None  # None: check only, write nothing
    base_url: str | None = None
    drafts: bool = False


@dataclass(frozen=True)
class BuildResult:
    pages: int = 0
    files: tuple[OutputFile, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    seconds: float = 0.0
    written: bool = False

    @property
    def ok(self) -> bool:
        return not has_errors(list(self.diagnostics))


@dataclass
class _Run:
    """What a build has found so far, and how long it has taken."""

    started: float = field(default_factory=time.perf_counter)
    problems: list[Diagnostic] = field(default_factory=list)

    def result(self, pages: int = 0, files: list[OutputFile] | None = None, written: bool = False) -> BuildResult:
        return BuildResult(pages, tuple(files or ()), tuple(sorted(self.problems)),
                           time.perf_counter() - self.started, written)


def build(options: BuildOptions) -> BuildResult:
    """Build the site in `options.site`; write it to `options.out` only if there are no errors."""
    run = _Run()
    with processing(options.site / CONFIG_FILE):
        config, found = load_config(options.site, options.base_url)
    run.problems += found
    if config is None:
        return run.result()
    static, found = static_files(config)
    run.problems += found
    config = replace(config, assets=static.assets)  # pages link to static files by their fingerprinted names
    sources, found = read_sources(options.site)
    run.problems += found
    pages, found = make_pages(sources, config, options.drafts)
    run.problems += found
    glossary = read_glossary(pages)
    files, found = render_site(config, pages, glossary)
    run.problems += found
    files += [*static.files, headers_file(config)]
    run.problems += clashes(files, config)
    run.problems += run_checks(config, pages, files, glossary)
    if has_errors(run.problems) or options.out is None:
        return run.result(len(pages), files)
    run.problems += write_site(options.out, files)
    return run.result(len(pages), files, written=not has_errors(run.problems))
