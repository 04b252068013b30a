"""Pictures in page text: sized from their files, lazy below the first screen, a srcset for large photos."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from conftest import make_site, parse_html, run_cli
from sitehttp import serve

PICTURES = Path(__file__).parent / "pictures"  # photo.jpg (1200 × 800) and diagram.png (300 × 200)
PAGE = """
    ---
    title: Pictures
    description: A page with pictures.
    ---
    ![A calm photo of a clinic room](/images/photo.jpg)

    The first paragraph.

    The second paragraph.

    ![A diagram of a vein](/images/diagram.png){{ width=150 }}

    ![The same photo, further down](/images/photo.jpg)

    {extra}
    """


def picture_site(tmp_path: Path, extra: str = "", base_url: str | None = None) -> tuple[Path, object]:
    site = make_site(tmp_path, {"content/pictures.md": PAGE.format(extra=extra)})
    shutil.copytree(PICTURES, site / "static" / "images")
    out = tmp_path / "out"
    result = run_cli("build", "--site", site, "--out", out, *(["--base-url", base_url] if base_url else []))
    return out, result


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out, result = picture_site(tmp_path_factory.mktemp("pictures"))
    assert result.returncode == 0, result.stderr
    return out


def pictures(out: Path) -> list[dict]:
    return [dict(img.attrib) for img in parse_html(out / "pictures/index.html").xpath("//main//img")]


def test_every_picture_gets_the_size_of_its_file_and_a_fingerprinted_address(built):
    photo, diagram, again = pictures(built)
    assert (photo["width"], photo["height"]) == ("1200", "800")
    assert (diagram["width"], diagram["height"]) == ("150", "100")  # the author's width, the height in proportion
    assert re.fullmatch(r"/static/images/photo\.[0-9a-f]{8}\.jpg", photo["src"]) and again["src"] == photo["src"]
    assert (built / photo["src"].lstrip("/")).read_bytes() == (PICTURES / "photo.jpg").read_bytes()
    assert photo["alt"] == "A calm photo of a clinic room"


def test_only_a_picture_at_the_top_of_the_text_loads_at_once(built):
    assert [p.get("loading") for p in pictures(built)] == [None, "lazy", "lazy"]


def test_a_large_photo_gets_narrower_copies_in_a_srcset_and_a_small_drawing_does_not(built):
    photo, diagram, _ = pictures(built)
    candidates = [c.strip().split() for c in photo["srcset"].split(",")]
    assert [w for _, w in candidates] == ["480w", "800w", "1200w"]
    assert candidates[-1][0] == photo["src"] and photo["sizes"]
    for url, width in candidates[:-1]:
        with Image.open(built / url.lstrip("/")) as copy:
            assert copy.format == "JPEG" and copy.size == (int(width[:-1]), int(width[:-1]) * 2 // 3)
    assert "srcset" not in diagram


def test_the_browser_picks_the_copy_for_its_width_and_nothing_moves(built, browser):
    with serve(built) as url:
        context = browser.new_context(viewport={"width": 375, "height": 700}, device_scale_factor=1)
        page = context.new_page()
        page.goto(url + "/pictures/")
        boxes = page.evaluate("() => [...document.images].map(i => i.getBoundingClientRect().height)")
        page.evaluate("() => Promise.all([...document.images].map(i => { i.loading = 'eager'; return i.decode(); }))")
        chosen = page.evaluate("() => [...document.images].map(i => i.currentSrc)")
        after = page.evaluate("() => [...document.images].map(i => i.getBoundingClientRect().height)")
        context.close()
    assert re.search(r"/photo-480w\.[0-9a-f]{8}\.jpg$", chosen[0])  # 327 CSS px wide: the 480 px copy
    assert boxes == after and all(h > 0 for h in boxes)  # the space was kept before the pictures came


def test_a_picture_that_is_not_in_static_is_an_error_at_its_line(tmp_path):
    _, result = picture_site(tmp_path, extra="![Gone](/images/missing.jpg)")
    assert result.returncode == 1
    assert "content/pictures.md:15: error: picture '/images/missing.jpg': no file static/images/missing.jpg" \
        in result.stderr


def test_pictures_of_a_sub_path_site_live_under_the_path(tmp_path):
    out, result = picture_site(tmp_path, base_url="https://example.org/clinic/")
    assert result.returncode == 0, result.stderr
    photo = pictures(out)[0]
    assert photo["src"].startswith("/clinic/static/images/photo.")
    assert all(url.startswith("/clinic/static/") for url in photo["srcset"].split()[::2])


def test_a_photo_turned_by_its_exif_orientation_is_sized_as_shown(tmp_path):
    turned = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the camera on its side: shown a quarter turn round
    Image.new("RGB", (1000, 750), (90, 120, 150)).save(turned, "JPEG", exif=exif)
    site = make_site(tmp_path, {"content/pictures.md": "---\ntitle: P\ndescription: D.\n---\n![A photo](/turned.jpg)\n"})
    (site / "static" / "turned.jpg").write_bytes(turned.getvalue())
    result = run_cli("build", "--site", site, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    photo = pictures(tmp_path / "out")[0]
    assert (photo["width"], photo["height"]) == ("750", "1000")
    with Image.open(tmp_path / "out" / photo["srcset"].split()[0].lstrip("/")) as copy:
        assert copy.size == (480, 640)  # the copies are turned upright


def test_an_authors_own_srcset_links_the_fingerprinted_copies(tmp_path):
    out, result = picture_site(tmp_path, extra='![A diagram](/images/diagram.png){ srcset="/images/diagram.png 1x, '
                                               '/images/photo.jpg 2x" }')
    assert result.returncode == 0, result.stderr
    srcset = pictures(out)[-1]["srcset"]
    assert re.fullmatch(r"/static/images/diagram\.[0-9a-f]{8}\.png 1x, /static/images/photo\.[0-9a-f]{8}\.jpg 2x",
                        srcset)
