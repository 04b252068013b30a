"""Links to the site's own pages and files, under the path the site is published at."""

from __future__ import annotations

from .config import SiteConfig


def link(config: SiteConfig, path: str) -> str:
    """A root-relative link to `path` (relative to the site), under the site's base path."""
    return config.base_path + path.lstrip("/")


def static(config: SiteConfig, path: str) -> str:
    """The link to static/`path`: its fingerprinted copy, which browsers may keep for a year."""
    asset = config.assets.get(path.lstrip("/"))
    if asset is None:
        raise ValueError(f"static({path!r}): there is no file static/{path.lstrip('/')}")
    return link(config, asset.path)


def authored(config: SiteConfig, url: str) -> str:
    """`url` as the author wrote it: a link to a fingerprinted copy becomes '/' and its path under static/."""
    for name, asset in config.assets.items():
        if url == link(config, asset.path):
            return "/" + name
    return url
