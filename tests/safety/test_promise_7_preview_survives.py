"""Promise 7 (the build's part): pipeline.build never raises for bad input, so a preview that calls it
on every save stays up, keeps the last good site, and shows the fixed site as soon as it builds."""

from __future__ import annotations

import random

from conftest import make_site, parse_html
from microsite.pipeline import BuildOptions, build
from safety_helpers import DIAGNOSTIC, page

BAD_SAVES = [
    b"",  # the editor truncated the file before writing it
    b"---\ntitle: Half writ",  # saved mid-word
    b"---\ntitle: [\n---\n",
    b"\xff\xfe\x00b\x00a\x00d\x00",
    b"---\ntitle: t\ndescription: d\n---\n<script>alert(1)</script>\n",
    b"---\ntitle: t\ndescription: d\ntemplate: ../../../etc/passwd\n---\n",
    b"---\ntitle: &a x\ndescription: *a\n---\n",
    b"---\ntitle: t\ndescription: d\n---\n[x](javascript:alert(1))\n",
    b"\x00" * 100,
]


def test_bursts_of_bad_saves_never_raise_and_keep_the_last_good_site(tmp_path):
    site = make_site(tmp_path)
    out = tmp_path / "out"
    options = BuildOptions(site=site, out=out)
    assert build(options).written
    good = (out / "risks/index.html").read_bytes()
    saves = random.Random(5)
    for n in range(60):
        (site / "content/risks.md").write_bytes(saves.choice(BAD_SAVES))
        result = build(options)  # must not raise
        assert not result.ok and not result.written
        assert all(DIAGNOSTIC.match(d.format()) for d in result.diagnostics)
        assert (out / "risks/index.html").read_bytes() == good, n
    (site / "content/risks.md").write_text(page("title: Fixed at last\ndescription: d"))
    result = build(options)
    assert result.ok and result.written
    assert parse_html(out / "risks/index.html").findtext(".//h1") == "Fixed at last"
