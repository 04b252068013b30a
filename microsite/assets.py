"""The files under static/: published as they are, and again under a name that carries a fingerprint
of their content (static/style.css → /static/style.3f9a1c2b.css), which is what pages link to.

A fingerprinted file never changes at its address, so browsers may keep it for a year (see
headers.py); a new version gets a new name. The plain copies keep addresses that browsers ask for
by themselves (/favicon.ico) and links written by hand working.
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Mapping
from urllib.parse import urlsplit

from .config import STATIC_DIR, SiteConfig
from .diagnostics import Diagnostic, error, warning
from .images import PictureError, Variant, picture_size, variants
from .links import link
from .model import OutputFile
from .sitepaths import site_files

FINGERPRINTED_DIR = "static"  # the output folder of the fingerprinted copies, whose rule in _headers says immutable
HASH_LENGTH = 8  # hex digits: a clash between two versions of one file is a one-in-four-billion chance
FILE_FUNCTIONS = ("url", "src", "image-set", "-webkit-image-set")  # CSS functions whose strings name files


@dataclass(frozen=True)
class Asset:
    """A static file as pages use it: its fingerprinted path in the output and, for a picture, its size."""

    path: str  # e.g. 'static/images/leg.3f9a1c2b.jpg'
    width: int = 0
    height: int = 0
    variants: tuple[Variant, ...] = ()  # narrower copies of a large picture, for srcset


@dataclass(frozen=True)
class StaticFiles:
    files: list[OutputFile]
    assets: Mapping[str, Asset] = field(default_factory=dict)  # by path under static/


def static_files(config: SiteConfig, fingerprint: bool = True) -> tuple[StaticFiles, list[Diagnostic]]:
    """Every file under static/, as it is and (unless not `fingerprint`) fingerprinted, stylesheets minified."""
    folder = config.root / STATIC_DIR
    if not folder.is_dir():
        return StaticFiles([]), []
    sources, problems = read_static(folder, config.root)
    plain = [OutputFile(name, data) for name, data in sources.items()]
    if not fingerprint:  # pages link to the plain copies, sized but with no narrower copies made
        return StaticFiles(plain, MappingProxyType({name: Asset(name, *(picture_size(data) or (0, 0)))
                                                    for name, data in sources.items()})), problems
    if (folder / FINGERPRINTED_DIR).exists():
        problems.append(error(folder / FINGERPRINTED_DIR, 0, f"the folder name static/{FINGERPRINTED_DIR}/ is kept "
                                                             "for fingerprinted files; rename this folder"))
    maker = _Fingerprinter(config, folder, sources)
    for name in sources:
        maker.asset(name)
    return StaticFiles(plain + maker.files, MappingProxyType(maker.assets)), problems + maker.problems


def read_static(folder: Path, root: Path) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """The bytes of each file under `folder` by its path there (hidden files and links outside the site left out)."""
    paths, problems = site_files(folder, root)
    sources = {}
    for path in paths:
        try:
            sources[path.relative_to(folder).as_posix()] = path.read_bytes()
        except OSError as exc:
            problems.append(error(path, 0, f"cannot read file: {exc.strerror or exc}"))
    return sources, problems


def fingerprinted_name(name: str, data: bytes, suffix: str = "") -> str:
    """'css/style.css' → 'static/css/style.3f9a1c2b.css': the content's hash, the same on every machine."""
    path = PurePosixPath(FINGERPRINTED_DIR, name)
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    return str(path.with_name(f"{path.stem}{suffix}.{digest}{path.suffix}"))


class _Fingerprinter:
    """Makes each file's fingerprinted copy, those a stylesheet refers to before the stylesheet itself."""

    def __init__(self, config: SiteConfig, folder: Path, sources: dict[str, bytes]):
        self.config, self.folder, self.sources = config, folder, sources
        self.assets: dict[str, Asset] = {}
        self.files: list[OutputFile] = []
        self.problems: list[Diagnostic] = []
        self.started: set[str] = set()  # stylesheets being made, to stop an @import loop

    def asset(self, name: str) -> Asset:
        if name not in self.assets:
            data = self.sources[name]
            if name.endswith(".css"):
                import rcssmin  # a site without stylesheets, and a rebuild with no static/ folder, never load it

                self.started.add(name)
                data = rcssmin.cssmin(self.stylesheet(name, data.decode("utf-8", "replace"))).encode()
            self.assets[name] = self.publish(name, data)
        return self.assets[name]

    def publish(self, name: str, data: bytes) -> Asset:
        path = fingerprinted_name(name, data)
        self.files.append(OutputFile(path, data))
        size = picture_size(data)
        if size is None:
            return Asset(path)
        try:
            made = variants(data, size[0], lambda width: fingerprinted_name(name, data, f"-{width}w"))
        except PictureError as exc:
            self.problems.append(warning(self.folder / name, 0, f"cannot read this picture to make narrower "
                                                                f"copies: {exc}"))
            made = []
        self.files += [OutputFile(variant.path, copy) for variant, copy in made]
        return Asset(path, *size, tuple(variant for variant, _ in made))

    def stylesheet(self, name: str, css: str) -> str:
        """The stylesheet with each url() and @import of another static file pointing at its fingerprinted copy."""
        import tinycss2

        tokens = tinycss2.parse_component_value_list(css)
        self.relink(name, tokens)
        return tinycss2.serialize(tokens)

    def relink(self, name: str, tokens: list, strings_are_files: bool = False) -> None:
        after_import = False
        for i, token in enumerate(tokens):
            if token.type == "url" or (token.type == "string" and (strings_are_files or after_import)):
                tokens[i] = self.relinked(name, token)
            elif token.type == "function":
                self.relink(name, token.arguments, token.lower_name in FILE_FUNCTIONS)
            elif token.type.endswith("block"):
                self.relink(name, token.content)
            if token.type not in ("whitespace", "comment"):
                after_import = token.type == "at-keyword" and token.lower_value == "import"

    def relinked(self, name: str, token):
        from tinycss2 import ast as css_ast
        from tinycss2.serializer import serialize_string_value, serialize_url

        new = self.target(name, token.value, token.source_line)
        if token.type == "url":
            return css_ast.URLToken(token.source_line, token.source_column, new, f"url({serialize_url(new)})")
        return css_ast.StringToken(token.source_line, token.source_column, new, f'"{serialize_string_value(new)}"')

    def target(self, name: str, ref: str, line: int) -> str:
        """The address to write instead of `ref`, a reference in static/`name` (at `line`)."""
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc or not parts.path:
            return ref  # another host, a data: address, or a fragment of this file
        base = "" if parts.path.startswith("/") else posixpath.dirname(name)
        wanted = posixpath.normpath(posixpath.join(base, parts.path.lstrip("/")))
        if wanted not in self.sources:
            self.problems.append(warning(self.folder / name, line, f"{ref!r}: no file static/{wanted}"))
            return ref
        if wanted in self.started and wanted not in self.assets:
            self.problems.append(error(self.folder / name, line, f"{ref!r}: @import loop through static/{wanted}"))
            return ref
        new = self.asset(wanted).path + (f"#{parts.fragment}" if parts.fragment else "")
        if parts.path.startswith("/"):
            return link(self.config, new)
        return posixpath.relpath(new, posixpath.dirname(fingerprinted_name(name, b"")))


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
