"""The build, top to bottom: load config → static files → read pages → validate → render → check → write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from .assets import StaticFiles, clashes, static_files
from .cache import CACHE_DIR, BuildCache, RenderRecord, digest, open_cache
from .checks.settings import SITE_WIDE, checks_on
from .cms import editor_files
from .config import CONFIG_FILE, SiteConfig, load_config
from .content import CONTENT_DIR, find_sources
from .diagnostics import WARNING, Diagnostic, count, has_errors, processing
from .headers import headers_file
from .incremental import RenderKeys, Sources, read_pages, records_of, reusable, site_glossary
from .output import live_files, write_site
from .pages import Listing, list_pages
from .parallel import Progress, RenderJob, default_jobs, each_page
from .model import Glossary, OutputFile, RenderedPage
from .render import make_environment, site_files, site_menus, template_problems, unique
from .sample import sample_findings
from .snippets import Snippets, read_snippets
from .structured_data import site_facts

GLOSSARY_CHECK = "glossary"  # the NAME of checks/glossary.py, which is imported only when the checks run


@dataclass(frozen=True)
class BuildOptions:
    site: Path
    out: Path | None = None  # None: check only, write nothing
    base_url: str | None = None
    drafts: bool = False
    cache_dir: Path | None = None  # None: SITE/.microsite-cache
    use_cache: bool = True
    jobs: int = 0  # worker processes for rendering; 0: one per core
    progress: Progress | None = None  # called with (what is being done, pages done, pages to do)
    fingerprint: bool = True  # False for the live preview: plain names, so a changed stylesheet is swapped in place
    publishing: bool = False  # --strict or CI: the sample's invented details are errors (sample.py)
    allow_sample: bool = False  # --allow-sample: except on the sample itself
    strict: bool = False  # a warning fails the build too: nothing is written
    editor: str | None = None  # the address of Decap's local proxy (build.py serve): /admin/ saves through it

    @property
    def cache_folder(self) -> Path | None:
        return (self.cache_dir or self.site / CACHE_DIR) if self.use_cache else None


@dataclass(frozen=True)
class BuildResult:
    pages: int = 0
    files: tuple[OutputFile, ...] = ()  # the files this build wrote or would write (not those the output already holds)
    diagnostics: tuple[Diagnostic, ...] = ()
    seconds: float = 0.0
    written: bool = False
    rendered: int = 0  # pages rendered by this build
    reused: int = 0  # pages whose last render still held
    changed: tuple[str, ...] = ()  # output paths added, changed or removed, when written

    @property
    def ok(self) -> bool:
        return not has_errors(list(self.diagnostics))

    def passed(self, strict: bool) -> bool:
        """No errors, and under --strict no warnings either."""
        return passed(list(self.diagnostics), strict)


def passed(problems: list[Diagnostic], strict: bool) -> bool:
    return not has_errors(problems) and not (strict and count(problems, WARNING))


@dataclass
class _Run:
    """What a build has found so far, and how long it has taken."""

    started: float = field(default_factory=time.perf_counter)
    started_ns: int = field(default_factory=time.time_ns)
    problems: list[Diagnostic] = field(default_factory=list)

    def result(self, pages: int = 0, files: list[OutputFile] | None = None, **done) -> BuildResult:
        return BuildResult(pages, tuple(files or ()), tuple(sorted(unique(self.problems), key=Diagnostic.order)),
                           time.perf_counter() - self.started, **done)


def build(options: BuildOptions) -> BuildResult:
    """Build the site in `options.site`; write it to `options.out` only if there are no errors (nor warnings,
    when strict)."""
    run = _Run()
    with processing(options.site / CONFIG_FILE):
        config, found = load_config(options.site, options.base_url)
    run.problems += found
    if config is None:
        return run.result()
    static, found = static_files(config, options.fingerprint)
    run.problems += found + template_problems(config)
    config = replace(config, assets=static.assets)  # pages link to static files by their fingerprinted names
    with open_cache(options.cache_folder, config.root) as (cache, found, save_cache):
        run.problems += found
        site = read_site(options, config, cache, run)
        files = [Path(page.source) for page in site.pages] + [snippet.path for snippet in site.snippets.items]
        run.problems += sample_findings(options.site / CONFIG_FILE, config.sample, files, options.publishing,
                                        options.allow_sample)
        state = cache.outputs.get(str(options.out))
        made = render_site(options, site, static, cache, live_files(options.out, state) if options.out else {}, run)
        cache.store_renders(made.reused | records_of(made.rendered, {p.output: p for p in site.pages}, site.keys),
                            {page.output: page.data for page in made.rendered if page.data is not None})
        run.problems += without_consequences(check_site(options, site, made, cache), site, made)
        counts = {"rendered": len(made.rendered), "reused": len(made.reused)}
        if not passed(run.problems, options.strict) or options.out is None:  # decided before anything is written
            run.problems += save_cache()
            return run.result(len(site.readable), made.files, **counts)
        written = write_site(options.out, made.files, made.digests, state)
        run.problems += written.problems
        if not written.problems:
            cache.outputs = {str(options.out): written.state}
        run.problems += save_cache()
        return run.result(len(site.readable), made.files, written=not written.problems, changed=written.changed,
                          **counts)


@dataclass(frozen=True)
class _Site:
    """The site as read: its settings, its pages, and the keys that tell which last renders still hold."""

    config: SiteConfig
    sources: Sources
    pages: tuple[Listing, ...]
    glossary: Glossary | None
    snippets: Snippets
    keys: RenderKeys
    job: RenderJob

    @property
    def readable(self) -> tuple[Listing, ...]:
        """The pages that were read: not the stand-ins of those whose error the build reports."""
        return tuple(page for page in self.pages if not page.unread)


@dataclass(frozen=True)
class _Made:
    """The output of this build: the files it made, the pages it rendered and those it reused."""

    files: list[OutputFile]
    rendered: list[RenderedPage]
    reused: dict[str, RenderRecord]
    digests: dict[str, bytes]  # output path → digest of every file of the site


def read_site(options: BuildOptions, config: SiteConfig, cache: BuildCache, run: _Run) -> _Site:
    """Read the page files (those unchanged since the last build from the cache) and list the pages."""
    found_files, found = find_sources(options.site)
    run.problems += found
    sources = read_pages(found_files, config, cache.sources, run.started_ns)
    run.problems += sources.problems
    cache.sources = sources.records
    pages, found = list_pages(sources.listings, options.drafts)
    run.problems += found
    glossary = site_glossary(pages, sources.fresh, config)
    snippets, found = read_snippets(options.site / CONTENT_DIR, options.site)
    run.problems += found
    menus, facts = site_menus(pages), site_facts(config, pages)
    keys = RenderKeys(facts, menus, glossary, snippets, sources.records)
    return _Site(config, sources, pages, glossary, snippets, keys,
                 RenderJob(facts, menus, glossary, snippets, sources.fresh))


def render_site(options: BuildOptions, site: _Site, static: StaticFiles, cache: BuildCache, live: dict[str, bytes],
                run: _Run) -> _Made:
    """Render the pages whose last render no longer holds, then the site-wide files; add the static files.
    A reused page the output folder (`live`) does not hold comes from the cache, never from the folder."""
    reused = reusable(site.readable, site.keys, cache)
    restored = []
    for output in [o for o, record in reused.items() if options.out and live.get(o) != record.digest]:
        data = cache.page_bytes(output)
        if data is None:  # unreadable in the cache: rendered again
            del reused[output]
        else:
            restored.append(OutputFile(output, data))
    todo = [page for page in site.readable if page.output not in reused]
    rendered = each_page(site.job, todo, options.jobs or default_jobs(), options.progress)
    run.problems += [problem for page in rendered for problem in page.problems]
    files = [OutputFile(page.output, page.data) for page in rendered if page.data is not None]
    made, found = site_files(make_environment(site.config), site.config, site.pages, site.job.menus)
    editor, problems = editor_files(site.config, options.editor)
    files += [*made, *static.files, headers_file(site.config), *editor]
    run.problems += found + problems + clashes([*reused, *(f.path for f in files)], site.config)
    digests = {path: record.digest for path, record in reused.items()} | {f.path: digest(f.data) for f in files}
    return _Made(restored + files, rendered, reused, digests)


def check_site(options: BuildOptions, site: _Site, made: _Made, cache: BuildCache) -> tuple[Diagnostic, ...]:
    """The content checks' findings; a page's own are kept from the last build while what they read holds."""
    config, pages = site.config, site.pages
    names = checks_on(config.checks, [level for page in pages for level in page.checks])
    if not names:
        cache.checks = {}
        return ()
    # Loaded only now: the checks and lxml cost a rebuild with every check off 30 ms to import.
    from .checking import CheckKeys, PageViews, checked_pages
    from .checks.registry import active_checks, site_findings, site_for_checks
    active = active_checks(names)
    views = PageViews({page.output: page for page in made.rendered}, site.job)
    checks = site_for_checks(config, pages, frozenset(made.digests) | {page.output for page in pages}, site.glossary,
                             views, views.page)
    keys = CheckKeys(checks, active, site.keys.config, {rel: r.digest for rel, r in site.keys.sources.items()},
                     made.digests)
    cache.checks = checked_pages(checks, keys, cache, active, options.jobs or default_jobs(), options.progress)
    return tuple(site_findings(checks, cache.checks, active))


def without_consequences(findings: tuple[Diagnostic, ...], site: _Site, made: _Made) -> tuple[Diagnostic, ...]:
    """The findings that do not follow from a page that could not be read or rendered.

    An unread page's stand-in keeps its address and kind, so links to it and the kinds of page the
    site needs still hold. But the rules about the whole site judge every page's text, and the
    glossary check the glossary page's (which may be the unread one): while a page is missing, what
    they find would only repeat the error that stopped it."""
    waiting = set(SITE_WIDE) if any(page.data is None for page in made.rendered) else set()
    if len(site.readable) < len(site.pages):
        waiting |= {*SITE_WIDE, GLOSSARY_CHECK}
    return tuple(finding for finding in findings if finding.check not in waiting)
