"""What a page's render used: the templates it loaded and the names it looked up.

The build cache re-renders a page only when something it used has changed. What it used is not
guessed from the template files: the Jinja2 environment records it while the page renders, so an
`{% include %}` inside an `{% if %}` counts only for the pages that took that branch.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import jinja2
from jinja2.runtime import Context

from .model import Deps


class _Recorder:
    def __init__(self) -> None:
        self.templates: dict[str, None] = {}
        self.names: dict[str, None] = {}

    def deps(self) -> Deps:
        return Deps(tuple(self.templates), tuple(sorted(self.names)))


class RecordingContext(Context):
    """A template context that notes every top-level name a template looks up."""

    def resolve_or_missing(self, key: str):
        recorder = getattr(self.environment, "recorder", None)
        if recorder is not None:
            recorder.names[key] = None
        return super().resolve_or_missing(key)


class RecordingEnvironment(jinja2.Environment):
    """An environment that notes every template loaded while `recording()` is active."""

    context_class = RecordingContext
    recorder: _Recorder | None = None

    def get_template(self, name, parent=None, globals=None):
        template = super().get_template(name, parent, globals)
        self._note(template)
        return template

    def select_template(self, names, parent=None, globals=None):
        template = super().select_template(names, parent, globals)
        self._note(template)
        return template

    def _note(self, template: jinja2.Template) -> None:
        if self.recorder is not None and template.name is not None:
            self.recorder.templates[template.name] = None

    @contextmanager
    def recording(self) -> Iterator[_Recorder]:
        """Record what the renders inside the `with` block use; `.deps()` on the result reads it."""
        self.recorder = _Recorder()
        try:
            yield self.recorder
        finally:
            self.recorder = None
