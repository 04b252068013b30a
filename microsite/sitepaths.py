"""Keeping the build inside the site: which files it may read, and which paths it may accept."""

from __future__ import annotations

import re
from pathlib import Path

from .diagnostics import Diagnostic, error

DRIVE = re.compile(r"^[a-zA-Z]:")


def outside_site(path: Path, root: Path) -> Diagnostic | None:
    """The problem if `path` is, or leads through a link to, something outside the site folder."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return error(path, 0, "symbolic link loop; it was not followed")
    if target.is_relative_to(root.resolve()):
        return None
    return error(path, 0, f"symbolic link leading outside the site (to {target}); it was not followed")


def site_files(folder: Path, root: Path, suffix: str = "",
               skip: tuple[str, ...] = (".",)) -> tuple[list[Path], list[Diagnostic]]:
    """The files under `folder` ending in `suffix`, sorted, leaving out names starting with `skip`.

    Links are followed only while they stay inside `root`; each folder is visited once, so a
    link to a parent folder cannot loop.
    """
    files: list[Path] = []
    problems: list[Diagnostic] = []
    seen: set[Path] = set()

    def visit(directory: Path) -> None:
        if (problem := outside_site(directory, root)) or directory.resolve() in seen:
            problems.extend([problem] if problem else [])
            return
        seen.add(directory.resolve())
        try:
            entries = sorted(directory.iterdir())
        except OSError as exc:
            problems.append(error(directory, 0, f"cannot read folder: {exc.strerror or exc}"))
            return
        for entry in entries:
            if entry.name.startswith(skip):
                continue
            if entry.is_dir():
                visit(entry)
            elif entry.name.endswith(suffix):
                # Only a link can lead out of a folder that is inside the site; resolving every file
                # would cost a system call per folder above it, for each of 10,000 pages.
                if entry.is_symlink() and (problem := outside_site(entry, root)):
                    problems.append(problem)
                elif entry.is_file():
                    files.append(entry)
                else:
                    problems.append(error(entry, 0, "not a regular file (a broken link, a pipe or a device); "
                                                    "it was skipped"))

    visit(folder)
    return sorted(files), problems


def relative_path_problem(text: str) -> str:
    """Why `text` cannot name a file inside a folder of the site ('' when it can)."""
    if "\0" in text:
        return "must not contain a NUL character"
    if "\\" in text:
        return f"must use '/' between folders, not '\\': {text!r}"
    if text.startswith("/") or DRIVE.match(text):
        return f"must be a path inside the site, not an absolute path: {text!r}"
    if ".." in text.split("/"):
        return f"must not go up a folder with '..': {text!r}"
    return ""
