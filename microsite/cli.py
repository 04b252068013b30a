"""The command line: parse arguments, run a stage, print problems like a compiler."""

from __future__ import annotations

import argparse
import difflib
import errno
import json
import os
import sys
import time
import traceback
from pathlib import Path

from . import __version__
from .config import CONFIG_FILE, STATIC_DIR, TEMPLATES_DIR, base_url_problem
from .content import CONTENT_DIR
from .diagnostics import (ERROR, WARNING, Diagnostic, SourceLines, count, display_path, format_text,
                          internal_error, plural, printable, use_colour)
from .pages import KINDS, PLACEHOLDER
from .pipeline import BuildOptions, BuildResult, build

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
BUILT_MARKER = "sitemap.xml"  # every build writes it: a folder without it was not built here
COMMANDS = ("build", "check", "serve", "new")
FORMATS = ("text", "json", "github")


class UsageError(Exception):
    """Arguments that make no sense: exit status 2, nothing done."""


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="microsite", description="Build a clinic's treatment-information site.")
    top.add_argument("--version", action="version", version=f"microsite {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in (("build", "build the site into the output folder (the default)"),
                            ("check", "read, validate and render everything; write nothing"),
                            ("serve", "preview the site: rebuild on every save and reload the browser")):
        command = commands.add_parser(name, help=help_text, description=help_text)
        command.add_argument("-s", "--site", type=Path, default=Path("."), metavar="DIR",
                             help="the site folder (default: the current folder)")
        if name != "serve":
            command.add_argument("--base-url", metavar="URL", help="the address the site is published at "
                                                                   "(default: base_url in site.yaml)")
            command.add_argument("--strict", action="store_true",
                                 help="fail on warnings too (nothing is written when there is one); refuse the "
                                      "sample's invented details (so does any build with CI set)")
            command.add_argument("--format", choices=FORMATS, default="text",
                                 help="text (default); json: one JSON object per problem, on standard output; "
                                      "github: one GitHub Actions workflow command per problem, on standard output")
            command.add_argument("--allow-sample", action="store_true",
                                 help="build a site marked 'sample: true' for publishing anyway, with its banner")
        command.add_argument("--drafts", action="store_true", help="include pages marked draft: true")
        command.add_argument("-q", "--quiet", action="store_true",
                             help="print problems only: no progress, no summary")
        command.add_argument("--debug", action="store_true", help="show the Python traceback of an internal error")
        command.add_argument("--jobs", type=int, default=0, metavar="N",
                             help="render in N worker processes (default: one per core)")
        command.add_argument("--no-cache", action="store_true",
                             help="ignore and keep no build cache (SITE/.microsite-cache): render every page")
        if name == "build":
            command.add_argument("-o", "--out", type=Path, metavar="DIR", help="the output folder (default: SITE/public)")
        if name == "serve":
            command.add_argument("--host", default="127.0.0.1",
                                 help="the address to listen on (default: 127.0.0.1, this computer only)")
            command.add_argument("--port", type=int, default=8000, help="the port (default: 8000; 0: any free port)")
            command.add_argument("--open", action="store_true", help="open the preview in the web browser")
            command.set_defaults(strict=False, format="text", allow_sample=False)  # the preview is for people, and shows warnings
    new = commands.add_parser("new", help="start a page with every setting it needs, to fill in",
                              description="Write a new page under content/ with placeholders (TODO) to replace.")
    new.add_argument("path", metavar="PATH", help="where the page goes, e.g. content/aftercare-faq.md")
    new.add_argument("--kind", choices=KINDS, default="page", help="what the page is (default: page)")
    new.add_argument("-s", "--site", type=Path, default=Path("."), metavar="DIR",
                     help="the site folder (default: the current folder)")
    return top


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        print(printable(f"microsite: error: {unknown_command(argv[0])}"), file=sys.stderr)
        return EXIT_USAGE
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help", "--version"):
        argv.insert(0, "build")
    args = parser().parse_args(argv)
    if args.command == "new":
        return create_page(args)
    if args.command == "serve":
        return serve_command(args)
    try:
        options = build_options(args)
    except (UsageError, OSError) as exc:
        print(printable(f"microsite: error: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    try:
        result = build(options)
    except KeyboardInterrupt:
        print("microsite: interrupted; the output folder was left as it was", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: one line naming the file, the traceback only when asked for
        report_internal_error(exc, options.site, args.debug)
        return EXIT_ERRORS
    report(result, args)
    return EXIT_OK if result.passed(args.strict) else EXIT_ERRORS


def unknown_command(name: str) -> str:
    """The message for a command that does not exist, with the nearest one that does."""
    nearest = difflib.get_close_matches(name, COMMANDS, n=1, cutoff=0.5)
    return f"unknown command '{name}'" + (f" (did you mean '{nearest[0]}'?)" if nearest else
                                          f"; the commands are {', '.join(COMMANDS)}")


def create_page(args: argparse.Namespace) -> int:
    from .scaffold import new_page

    created = new_page(args.site, args.path, args.kind)
    if created.path is None:
        print(f"microsite: error: {created.problem}", file=sys.stderr)
        return EXIT_USAGE
    print(f"created {display_path(created.path)}: replace every {PLACEHOLDER} in it, then run the check again")
    return EXIT_OK


def serve_command(args: argparse.Namespace) -> int:
    """Preview until Ctrl-C; a site with errors is served as an error page, not refused."""
    from .serve import ServeOptions, listen, serve  # the web server and the watcher: only the preview loads them

    try:
        site = site_folder(args)
        sockets = listen(args.host, args.port)
    except UsageError as exc:
        print(f"microsite: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"microsite: error: cannot listen on {args.host} port {args.port}: {exc.strerror or exc}"
              f"{'; is another preview running? choose another with --port' if exc.errno == errno.EADDRINUSE else ''}",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        serve(ServeOptions(site, args.host, args.port, args.drafts, args.open, args.jobs, not args.no_cache), sockets,
              lambda result: report(result, args))
    except KeyboardInterrupt:
        print("microsite: interrupted during the first build", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: one line naming the file, the traceback only when asked for
        report_internal_error(exc, site, args.debug)
        return EXIT_ERRORS
    return EXIT_OK


def site_folder(args: argparse.Namespace) -> Path:
    """The site folder, after the checks every command shares."""
    site = args.site.resolve()
    if not site.is_dir():
        raise UsageError(f"--site {args.site}: no such folder")
    if args.jobs < 0:
        raise UsageError("--jobs must be 0 (one per core) or more")
    return site


def build_options(args: argparse.Namespace) -> BuildOptions:
    site = site_folder(args)
    if args.base_url is not None and (problem := base_url_problem(args.base_url)):
        raise UsageError(f"--base-url {problem}")
    out = None
    if args.command == "build":
        out = (args.out or site / "public").resolve()
        check_out(out, site)
    return BuildOptions(site=site, out=out, base_url=args.base_url, drafts=args.drafts, use_cache=not args.no_cache,
                        jobs=args.jobs, progress=None if args.quiet else progress_line(sys.stderr),
                        strict=args.strict, publishing=args.strict or bool(os.environ.get("CI")),
                        allow_sample=args.allow_sample)


def progress_line(stream):
    """A callback that keeps one line up to date on a terminal; nothing in CI or into a file."""
    if not stream.isatty() or os.environ.get("CI"):
        return None
    shown = [0.0]

    def show(what: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done == total:
            stream.write("\r\033[K")
        elif now - shown[0] >= 0.1:
            stream.write(f"\r{what} {done:,}/{total:,} pages")
            shown[0] = now
        stream.flush()
    return show


def check_out(out: Path, site: Path) -> None:
    """Refuse an output folder whose replacement would delete the site's sources, or anything else."""
    sources = [site / name for name in (CONFIG_FILE, CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR)]
    if out == site or site.is_relative_to(out):
        raise UsageError(f"--out {display_path(out)} is the site folder or contains it; "
                         "building there would delete the sources")
    for source in sources:
        if source.is_relative_to(out) or out.is_relative_to(source):
            raise UsageError(f"--out {display_path(out)} overlaps the site's sources ({source.name}); "
                             "choose a folder of its own, such as public/")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {display_path(out)} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / BUILT_MARKER).is_file():
        raise UsageError(f"--out {display_path(out)} holds files that are not a site built by microsite "
                         f"(it has no {BUILT_MARKER}); building would replace them. Choose a new or empty folder")


def report_internal_error(exc: Exception, site: Path, debug: bool) -> None:
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    hint = "" if debug else "; run again with --debug to see the traceback"
    print(internal_error(exc, site, hint).format(), file=sys.stderr)


def report(result: BuildResult, args: argparse.Namespace) -> None:
    """The problems (on standard output in the machine formats, which nothing else is mixed into),
    then a summary on standard error."""
    sources, colour = SourceLines(), use_colour(sys.stderr)
    for problem in result.diagnostics:
        print_problem(problem, args.format, lambda p: format_text(p, sources, colour=colour))
    if args.quiet:
        return
    errors, warnings = count(list(result.diagnostics), ERROR), count(list(result.diagnostics), WARNING)
    tally = f"({plural(errors, 'error')}, {plural(warnings, WARNING)}{per_check(result.diagnostics)})"
    pages = plural(result.pages, "page")
    work = f"{result.rendered} rendered, {result.reused} reused from the cache"
    strict = "; --strict: warnings fail the build" if args.strict and warnings else ""
    if args.command == "check":
        line = f"checked {pages} in {result.seconds:.2f} s {tally}{strict}"
    elif result.written:
        line = f"built {pages} in {result.seconds:.2f} s: {work} {tally}"
    elif args.command == "serve":
        line = f"not built: {tally[1:-1]}; the browser shows them until they are fixed"
    else:
        line = f"not built: {tally[1:-1]}{strict}; the output folder was left as it was"
    print(line, file=sys.stderr)


def print_problem(problem: Diagnostic, output_format: str, as_text) -> None:
    """One problem: JSON alone; text (`as_text`: with its source line), and as a workflow command too
    when GitHub Actions runs it."""
    if output_format == "json":
        print(json.dumps(problem.as_dict()))
        return
    if output_format == "text":
        print(as_text(problem), file=sys.stderr)
    if output_format == "github" or os.environ.get("GITHUB_ACTIONS") == "true":
        print(problem.github_annotation())


def per_check(problems) -> str:
    """'; claims: 1 error, links: 2 warnings': the tally of each check that found something."""
    checks = dict.fromkeys(p.check for p in problems if p.check)
    parts = []
    for check in checks:
        found = [p for p in problems if p.check == check]
        counts = [plural(n, level) for level in (ERROR, WARNING) if (n := count(found, level))]
        parts += [f"{check}: {', '.join(counts)}"] if counts else []  # a notice is no problem
    return "; " + "; ".join(parts) if parts else ""
