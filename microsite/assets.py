"""The files under static/, copied to the root of the built site."""

from __future__ import annotations

from .config import STATIC_DIR, SiteConfig
from .diagnostics import Diagnostic, error
from .render import OutputFile
from .sitepaths import site_files


def static_files(config: SiteConfig) -> tuple[list[OutputFile], list[Diagnostic]]:
    folder = config.root / STATIC_DIR
    if not folder.is_dir():
        return [], []
    paths, problems = site_files(folder, config.root)
    files = []
    for path in paths:
        try:
            files.append(OutputFile(path.relative_to(folder).as_posix(), path.read_bytes()))
        except OSError as exc:
            problems.append(error(path, 0, f"cannot read file: {exc.strerror or exc}"))
    return files, problems


def clashes(paths: list[str], config: SiteConfig) -> list[Diagnostic]:
    """Two outputs written to the same path, such as static/404.html and the 404 page."""
    seen: set[str] = set()
    problems = []
    for path in paths:
        if path in seen:
            problems.append(error(config.root / STATIC_DIR / path, 0,
                                  f"static file would overwrite the generated /{path}; rename or remove it"))
        seen.add(path)
    return problems
