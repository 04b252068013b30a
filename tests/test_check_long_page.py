"""A long page builds, every check on, in time that grows with its size, not with its square: a
leaflet pasted whole must not hang the build or the preview."""

import random
import time

from checking import run
from conftest import copy_default_site
from microsite import pipeline

WORDS = ("vein thread legs skin treatment injection solution clinic patient bruising stockings walking swelling "
         "week session results fade colour small visible mild rare consultation medicine blood vessel wall heal "
         "pressure support exercise daily advice risk benefit appointment recovery comfort sunlight usually "
         "often may should most some after before during between several few many").split()


def leaflet(size: int) -> str:
    """About `size` bytes of ordinary prose: each paragraph has a link, some emphasis and a long sentence,
    and, as in a real leaflet, the same advice comes back often."""
    rng = random.Random(size)
    advice = []
    for _ in range(12):
        words = rng.choices(WORDS, k=40)
        words[10], words[25] = f"*{words[10]}*", f"[{words[25]} advice](/aftercare/)"
        advice.append(" ".join(words).capitalize() + ".")
    parts = ["---\ntitle: A long leaflet\ndescription: Everything about thread vein treatment, in one page.\n---"]
    while sum(map(len, parts)) < size:
        if len(parts) % 20 == 1:
            parts.append(f"## Part {len(parts) // 20 + 1}")
        short = " ".join(rng.choices(WORDS, k=12)).capitalize()
        parts.append(f"{short}. {rng.choice(advice)} Most {rng.choice(WORDS)} is **{rng.choice(WORDS)}**; "
                     f"see [the NHS page](https://www.nhs.uk/conditions/varicose-veins/).")
    return "\n\n".join(parts) + "\n"


def check_seconds(tmp_path, monkeypatch, size: int) -> float:
    """How long the check stage of a cold build of the default site with the leaflet takes."""
    site = copy_default_site(tmp_path / str(size))
    (site / "content" / "leaflet.md").write_text(leaflet(size), encoding="utf-8")
    seconds = []

    def timed(*args):
        started = time.perf_counter()
        found = check_site(*args)
        seconds.append(time.perf_counter() - started)
        return found

    check_site = pipeline.check_site
    monkeypatch.setattr(pipeline, "check_site", timed)
    result = run(site, use_cache=False, jobs=1)
    monkeypatch.undo()
    assert any(d.path.name == "leaflet.md" and d.check == "readability" for d in result.diagnostics)
    return seconds[0]


def test_a_page_four_times_longer_takes_about_four_times_longer_to_check(tmp_path, monkeypatch):
    small = min(check_seconds(tmp_path / str(i), monkeypatch, 256 * 1024) for i in range(2))
    large = check_seconds(tmp_path, monkeypatch, 1024 * 1024)
    assert large < 6 * small, f"256 KB: {small:.2f} s, 1 MB: {large:.2f} s"
