"""Stage 4: render pages through Jinja2 templates, and make the site's other files."""

from __future__ import annotations

import re
import traceback
from html import escape
from pathlib import Path

import jinja2
import jinja2.ext
from jinja2.loaders import split_template_path
from markupsafe import Markup

from .config import TEMPLATES_DIR, SiteConfig
from .deps import RecordingEnvironment
from .diagnostics import Diagnostic, error, processing, warning
from .htmlpolicy import template_script
from .links import link, static
from .markup import QuestionAnswer, Rendered, questions_and_answers, render_markdown
from .model import MENUS, Content, Glossary, Menus, NavItem, OutputFile, RenderedPage
from .pages import Listing, Page
from .pictures import sized_pictures
from .security import with_security_meta
from .sitepaths import outside_site
from .snippets import Snippets
from .structured_data import SiteFacts, page_json_ld
from .textfile import read_text
from .words import long_date

HOME_TEMPLATE, PAGE_TEMPLATE, NOT_FOUND_TEMPLATE = "home.html", "page.html", "404.html"
# The indentation of a template's lines, except inside <pre> and <textarea>, whose text keeps it.
INDENTATION = re.compile(r"(<(pre|textarea)\b.*?</\2\s*>)|^[ \t]+", re.DOTALL | re.IGNORECASE | re.MULTILINE)


class TemplateFileProblem(jinja2.TemplateError):
    """A template file that cannot be used: a link out of the site, or not UTF-8 text."""

    def __init__(self, problem: Diagnostic):
        super().__init__(problem.message)
        self.problem = problem


class SiteTemplateLoader(jinja2.FileSystemLoader):
    """Templates from the site's templates/ folder, read like every other source file."""

    def __init__(self, config: SiteConfig):
        super().__init__(config.root / TEMPLATES_DIR)
        self.root = config.root

    def get_source(self, environment, template):
        path = Path(self.searchpath[0], *split_template_path(template))
        if not path.is_file():
            raise jinja2.TemplateNotFound(template)
        problem = outside_site(path, self.root)  # checked before the file is read
        text, problems = (None, [problem]) if problem else read_text(path)
        if text is None:
            raise TemplateFileProblem(problems[0])
        mtime = path.stat().st_mtime
        return text, str(path), lambda: path.is_file() and path.stat().st_mtime == mtime


class Unindented(jinja2.ext.Extension):
    """Templates are indented for their readers; pages are written without it, as a browser ignores it
    (286 bytes of the FAQ page). Each line keeps its number, for errors in the template."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return INDENTATION.sub(lambda match: match[1] or "", source)


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process, not once per build: a preview builds after every save.

    Jinja2 stores each template's source checksum with its code and recompiles a changed template."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()


def make_environment(config: SiteConfig) -> RecordingEnvironment:
    env = RecordingEnvironment(
        loader=SiteTemplateLoader(config),
        bytecode_cache=COMPILED_TEMPLATES,
        autoescape=True,  # every page is HTML, whatever its template is called
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=[Unindented],
    )
    env.filters["long_date"] = long_date
    env.globals.update(site=config, url=lambda path="": link(config, path), static=lambda path: static(config, path),
                       absolute=lambda path: absolute_url(config, path))
    return env


def template_problems(config: SiteConfig) -> list[Diagnostic]:
    """Script in a template would run on every page, against the site's promise and its security policy:
    each is an error at its line. (A template that cannot be read is reported when it is used.)"""
    folder = config.root / TEMPLATES_DIR
    problems = []
    for path in sorted(folder.rglob("*.htm*")) if folder.is_dir() else []:
        text = None if outside_site(path, config.root) else read_text(path)[0]
        problems += [error(path, line, message, column) for line, column, message in template_script(text or "")]
    return problems


def render_recorded(env: RecordingEnvironment, facts: SiteFacts, menus: Menus, glossary: Glossary | None,
                    snippets: Snippets, page: Page) -> RenderedPage:
    """Render one page, noting the templates and context names it used."""
    with processing(page.source), env.recording() as recorder:
        html, body, problems = render_page(env, facts, menus, page, glossary, snippets)
    content = Content(body.html, body.places) if body else None
    return RenderedPage(page.output, html.encode() if html is not None else None, tuple(problems), recorder.deps(),
                        content)


def site_files(env: RecordingEnvironment, config: SiteConfig, pages: tuple[Listing, ...],
               menus: Menus) -> tuple[list[OutputFile], list[Diagnostic]]:
    """The files made from the whole site rather than one page: the 404 page, the sitemap, robots.txt."""
    files = [OutputFile("sitemap.xml", sitemap(config, pages)), OutputFile("robots.txt", robots(config))]
    context = menu_context(menus, None) | {"robots": "noindex", "structured_data": None}
    html, problems = render_template(env, NOT_FOUND_TEMPLATE, context)
    if html is not None:
        files.insert(0, OutputFile("404.html", html.encode()))
    return files, problems


def render_page(env, facts: SiteFacts, menus: Menus, page: Page, glossary: Glossary | None = None,
                snippets: Snippets = Snippets()) -> tuple[str | None, Rendered | None, list[Diagnostic]]:
    """The page's HTML, its Markdown alone, and the problems found."""
    config = facts.config
    body = render_markdown(page.body, config.base_path, glossary, config.allowed_html, snippets)
    if body.problems:
        return None, None, [error(page.source, page.body_line + p.line - 1, p.message) for p in body.problems]
    questions, problems = faq(page, body.html)
    content, found = sized_pictures(body.html, config, page)
    problems += found
    context = {
        "page": page,
        "content": Markup(content),
        "headings": body.headings,
        **menu_context(menus, page.url),
        "canonical_url": config.base_url + page.url,
        "title": config.title_pattern.format(page=page.meta.title, site=config.name),
        "robots": "noindex" if page.meta.draft else None,
        "share_image": page.meta.share_image or config.share_image,
        "structured_data": Markup(page_json_ld(facts, page, questions)),
    }
    name = page.meta.template or (HOME_TEMPLATE if page.is_home else PAGE_TEMPLATE)
    html, found = render_template(env, name, context, page.source if page.meta.template else None)
    return html, body, problems + found


def faq(page: Page, html: str) -> tuple[tuple[QuestionAnswer, ...], list[Diagnostic]]:
    """The questions and answers of an FAQ page, for its structured data."""
    if page.meta.kind != "faq":
        return (), []
    questions = questions_and_answers(html)
    if questions:
        return questions, []
    return (), [warning(page.source, page.body_line, "an FAQ page needs questions: headings that end in '?' "
                                                     "(### Does it hurt?), each followed by its answer")]


def render_template(env, name: str, context: dict, for_page: Path | None = None) -> tuple[str | None, list[Diagnostic]]:
    """Render template `name`; a template error becomes a diagnostic at the template's line. A missing
    template is reported at the page that names it (`for_page`), else once, at its own path."""
    templates = env.loader.searchpath[0]
    try:
        return with_security_meta(env.get_template(name).render(context)), []
    except TemplateFileProblem as exc:
        return None, [exc.problem]
    except jinja2.TemplateSyntaxError as exc:
        path = Path(exc.filename) if exc.filename else Path(templates) / name
        return None, [error(path, exc.lineno or 0, f"template syntax: {exc.message}")]
    except jinja2.TemplateNotFound as exc:
        named = for_page is not None and exc.name == name
        where = for_page if named else Path(templates, *split_template_path(exc.name))
        return None, [error(where, 1 if named else 0, f"template {exc.name!r} not found in {TEMPLATES_DIR}/")]
    except Exception as exc:  # an error raised while the template runs: undefined names, bad filters
        path, line = template_position(exc, Path(templates))
        return None, [error(path, line, f"template: {type(exc).__name__}: {exc}")]


def template_position(exc: Exception, templates: Path) -> tuple[Path, int]:
    """The innermost template line in the traceback (Jinja2 rewrites frames to template lines)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).is_relative_to(templates)]
    if not frames:
        return templates, 0
    return Path(frames[-1].filename), frames[-1].lineno or 0


def site_menus(pages: tuple[Listing, ...]) -> Menus:
    """Found once per build: scanning every page for every page would grow with the square of the site."""
    return {name: tuple(p for p in pages if p.menu == menu) for name, menu in MENUS.items()}


def menu_context(menus: Menus, current_url: str | None) -> dict[str, tuple[NavItem, ...]]:
    return {name: tuple(NavItem(p.label, p.url, p.url == current_url) for p in listed)
            for name, listed in menus.items()}


def absolute_url(config: SiteConfig, root_relative: str) -> str:
    """A link made by `link` (or `static`) as a full address, for apps that read a page elsewhere."""
    return config.base_url.removesuffix(config.base_path) + root_relative


def sitemap(config: SiteConfig, pages: tuple[Listing, ...]) -> bytes:
    """Every published page (drafts shown with --drafts too are left out), dated by its last review."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in sorted((p for p in pages if not p.draft), key=lambda p: p.url):
        lastmod = f"<lastmod>{page.reviewed.isoformat()}</lastmod>" if page.reviewed else ""
        lines.append(f"  <url><loc>{escape(config.base_url + page.url, quote=False)}</loc>{lastmod}</url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode()


def robots(config: SiteConfig) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {config.base_url}sitemap.xml\n".encode()


def unique(problems: list[Diagnostic]) -> list[Diagnostic]:
    """One report of a template error shared by many pages."""
    return list(dict.fromkeys(problems))
