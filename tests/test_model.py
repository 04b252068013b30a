"""The shared types live in microsite/model.py: writing the output and running the checks need no renderer."""

import subprocess
import sys

import pytest

RENDERERS = ("jinja2", "markdown")


@pytest.mark.parametrize("module", ["microsite.model", "microsite.output", "microsite.checks.registry"])
def test_importing_a_stage_that_does_not_render_loads_no_renderer(module):
    code = f"import sys, {module}; print(' '.join(m for m in {RENDERERS!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []
