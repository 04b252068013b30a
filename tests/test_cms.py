"""The editor at /admin/ (`cms:` in site.yaml, microsite/cms.py): its forms made from the schema, what
it adds to the output and what it leaves alone, and, in Chromium on `build.py serve` with Decap's
local proxy, a marketer creating, editing and mis-typing pages.

The browser tests save screenshots for docs/editing.md when UPDATE_SCREENSHOTS=1.
"""

from __future__ import annotations

import difflib
import os
import re
import time
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from conftest import NODE_MODULES, REPO, copy_default_site, need, run_cli
from previewserver import PREVIEW, Server
from sitehttp import matching, parse_headers, serve

from microsite import cms
from microsite.config import SCHEMA, load_config
from microsite.diagnostics import NOTICE
from microsite.pages import FRONT_MATTER, KINDS
from microsite.pipeline import BuildOptions, build
from microsite.schema import Field

EDITOR = "\ncms:\n  backend: github\n  repo: harbour-clinic/website\n"
SCREENSHOTS = REPO / "docs" / "screenshots"
DECAP = (NODE_MODULES / "decap-cms/dist/decap-cms.js", NODE_MODULES / "decap-server/dist/index.js")


def with_editor(site: Path, settings: str = EDITOR) -> Path:
    with (site / "site.yaml").open("a", encoding="utf-8") as file:
        file.write(settings)
    return site


def needs_decap() -> None:
    need(all(path.is_file() for path in DECAP), "decap-cms and decap-server (npm ci)")


def form_names(fields: list[dict]) -> list:
    """The names of a form's fields, with those of the fields inside each object or list."""
    return [(f["name"], form_names(f["fields"])) if "fields" in f else f["name"] for f in fields]


def schema_names(fields: tuple[Field, ...]) -> list:
    return [(f.name, schema_names(f.fields)) if f.fields else f.name for f in fields]


def every_field(fields: list[dict]):
    for f in fields:
        yield f
        yield from every_field(f.get("fields", []))


# The forms, from the schema.

@pytest.fixture(scope="module")
def config(tmp_path_factory):
    needs_decap()
    site = with_editor(copy_default_site(tmp_path_factory.mktemp("editor") / "site"))
    loaded, problems = load_config(site)
    assert problems == []
    return yaml.safe_load(cms.config_yml(loaded, cms.saving_backend(loaded.cms)))


def test_every_field_of_the_forms_is_a_field_of_the_schema(config):
    pages, clinic = config["collections"]
    assert form_names(pages["fields"]) == schema_names(FRONT_MATTER) + ["body"]
    assert form_names(clinic["files"][0]["fields"]) == schema_names(
        tuple(f for f in SCHEMA if f.name in cms.CLINIC_DETAILS))
    assert (pages["folder"], clinic["files"][0]["file"]) == ("content", "site.yaml")


def test_each_field_gets_the_widget_choices_rules_and_help_of_its_type(config):
    fields = {f["name"]: f for f in config["collections"][0]["fields"]}
    assert fields["kind"]["widget"] == "select" and fields["kind"]["options"] == list(KINDS)
    assert [fields[name]["widget"] for name in ("reviewed", "sources", "procedure", "order", "draft", "body")] == [
        "object", "list", "object", "number", "boolean", "markdown"]
    assert fields["title"]["required"] and not fields["nav_title"]["required"]
    assert fields["title"]["hint"] == FRONT_MATTER[0].doc
    assert fields["description"]["pattern"][1] == "Keep it to 160 characters: search engines cut a longer description."
    assert fields["slug"]["pattern"] == ["^[a-z0-9]+(?:-[a-z0-9]+)*$",
                                         "The slug may only use a-z, 0-9 and single hyphens."]
    review = {f["name"]: f for f in fields["reviewed"]["fields"]}
    assert review["date"]["widget"] == "datetime" and review["date"]["format"] == "YYYY-MM-DD"
    assert "Required once this part is filled in." in review["by"]["hint"]  # the part itself may be left out
    assert all(f.get("hint") for f in every_field(config["collections"][0]["fields"]))


def test_each_backend_is_configured_as_documented():
    editor = cms.Editor
    assert cms.saving_backend(editor("github", "a/b", "main", None, None, True)) == {
        "name": "github", "branch": "main", "repo": "a/b"}
    assert cms.saving_backend(editor("gitlab", "a/b", "main", "https://git.example.org", "123", True)) == {
        "name": "gitlab", "branch": "main", "repo": "a/b", "auth_type": "pkce", "app_id": "123",
        "base_url": "https://git.example.org", "api_root": "https://git.example.org/api/v4"}
    assert cms.saving_backend(editor("git-gateway", None, "main", None, None, True)) == {
        "name": "git-gateway", "branch": "main"}


@pytest.mark.parametrize("settings, message, below", [
    ("\ncms:\n  backend: github\n", "'cms.repo' is needed with the github backend", 0),
    ("\ncms:\n  backend: gitlab\n  repo: a/b\n", "'cms.app_id' is needed with the gitlab backend", 0),
    ("\ncms:\n  backend: wordpress\n", "'cms.backend' must be one of github, gitlab, git-gateway, proxy", 1),
])
def test_a_backend_without_what_it_needs_is_an_error_at_its_line(tmp_path, settings, message, below):
    site = with_editor(copy_default_site(tmp_path / "site"), settings)
    line = (site / "site.yaml").read_text().splitlines().index("cms:") + 1 + below
    result = run_cli("check", cwd=site)
    assert result.returncode == 1 and re.search(rf"^site\.yaml:{line}(:\d+)?: error: {re.escape(message)}", result.stderr, re.M)


def test_without_node_modules_the_build_says_what_to_run(tmp_path, monkeypatch):
    monkeypatch.setattr(cms, "DECAP_DIST", "node_modules/no-such-package")
    site = with_editor(copy_default_site(tmp_path / "site"))
    result = build(BuildOptions(site=site, use_cache=False, jobs=1))
    assert [d.message for d in result.diagnostics if d.level != NOTICE] == [
        f"the editor (cms: in site.yaml) needs Decap CMS from npm: run `npm ci --omit=dev` in {REPO}"]


# What the editor adds to the output, and what it leaves alone.

@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The default site built without and with `cms:`."""
    needs_decap()
    root = tmp_path_factory.mktemp("builds")
    outputs = []
    for settings in ("", EDITOR):
        site = with_editor(copy_default_site(root / f"site{len(outputs)}"), settings)
        result = run_cli("build", "--out", root / f"public{len(outputs)}", cwd=site)
        assert result.returncode == 0, result.stderr
        outputs.append(root / f"public{len(outputs)}")
    return outputs


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_visitors_site_is_the_same_byte_for_byte_with_the_editor_on_or_off(builds):
    off, on = map(files_of, builds)
    assert not any(path.startswith("admin/") for path in off)
    editor = {path for path in on if path.startswith("admin/")}
    assert {"admin/index.html", "admin/config.yml", "admin/decap-cms.js", "admin/admin.js"} <= editor
    assert not any(path.endswith(".map") for path in editor)  # what the page loads, not the source maps
    assert {path: data for path, data in on.items() if path not in editor | {"_headers"}} == {
        path: data for path, data in off.items() if path != "_headers"}
    assert on["_headers"].startswith(off["_headers"])  # the visitors' rules, then the editor's own


def test_no_page_links_to_the_editor_and_the_sitemap_leaves_it_out(builds):
    on = files_of(builds[1])
    visitors = {path: data for path, data in on.items() if not path.startswith("admin/")}
    assert [path for path, data in visitors.items() if b"/admin" in data and path != "_headers"] == []


def test_the_editor_has_a_policy_of_its_own_and_is_not_indexed(builds):
    page = (builds[1] / "admin/index.html").read_text()
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert re.findall(r'src="([^"]+)"', page) == ["decap-cms.js", "js-yaml.min.js", "admin.js"]  # from the site
    assert "script-src 'self' 'unsafe-eval'" in page and "connect-src 'self' https://api.github.com" in page
    rules = parse_headers((builds[1] / "_headers").read_text())
    admin, visitor = matching(rules, "/admin/"), matching(rules, "/risks/")
    assert admin["content-security-policy"] == [rules["/admin/*"]["content-security-policy"]]
    assert "frame-ancestors 'none'" in admin["content-security-policy"][0]
    assert "unsafe" not in visitor["content-security-policy"][0]


def test_visitors_of_a_site_with_the_editor_get_no_script_and_nothing_from_elsewhere(browser, builds):
    with serve(builds[1]) as url:
        context = browser.new_context()
        for path in ("/", "/aftercare/", "/404.html"):
            page = context.new_page()
            requests = []
            page.on("request", lambda request: requests.append(request))
            page.goto(url + path)
            assert [r.url for r in requests if r.resource_type == "script" or not r.url.startswith(url)] == []
            assert page.evaluate("() => document.querySelectorAll('script:not([type=\"application/ld+json\"])')"
                                 ".length") == 0
            assert "unsafe" not in requests[0].response().headers["content-security-policy"]
        context.close()


# In the browser, on `build.py serve`.

@pytest.fixture(scope="module")
def server(tmp_path_factory):
    needs_decap()
    site = with_editor(copy_default_site(tmp_path_factory.mktemp("serve") / "site"))
    running = Server(site)
    try:
        deadline = time.monotonic() + 10
        while "edit the pages in your browser" not in running.output and time.monotonic() < deadline:
            time.sleep(0.05)
        assert f"edit the pages in your browser at {running.url}admin/" in running.output
        yield running
    finally:
        assert running.stop() == 0


@pytest.fixture
def editor(browser, server):
    """A marketer's browser on /admin/, signed in to the local proxy; yields (page, console errors)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    yield page, errors
    context.close()


def open_editor(page, server: Server, route: str = "") -> None:
    page.goto(f"{server.url}admin/#/collections/pages{route}")
    page.get_by_role("button", name="Login").click()
    if route.startswith("/entries/"):  # typing before the page has loaded would add to its text
        expect(page.get_by_label("Title", exact=True).first).not_to_have_value("")


def publish(page) -> None:
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now").click()


def body_editor(page):
    return page.locator(".cms-editor-raw [contenteditable=true]").first


def type_at_the_end(page, text: str) -> None:
    """Type a new last paragraph into the page's text."""
    body_editor(page).locator("[data-slate-node=element]").last.click()
    page.keyboard.press("End")
    page.keyboard.type(text)


def screenshot(page, name: str, tmp_path: Path) -> None:
    folder = SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
    page.screenshot(path=str(folder / f"editor-{name}.png"))


def front_matter_of(path: Path) -> dict:
    """The page's settings; {} while the file is being written (the proxy empties it first)."""
    parts = path.read_text().split("---")
    try:
        return yaml.safe_load(parts[1]) if len(parts) > 2 else {}
    except yaml.YAMLError:
        return {}


def wait_until(condition, timeout: float = 15):
    deadline = time.monotonic() + timeout
    while not (value := condition()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return value


def test_the_editor_loads_its_config_with_no_console_errors(editor, server, tmp_path):
    page, errors = editor
    open_editor(page, server)
    page.get_by_text("Risks and side effects").wait_for()
    page.get_by_text("The site builds: no problems found.").wait_for()
    screenshot(page, "pages", tmp_path)
    assert errors == []


def test_a_new_aftercare_page_from_the_form_is_saved_checked_and_previewed(editor, server, tmp_path):
    page, errors = editor
    open_editor(page, server, "/new")
    page.get_by_label("Title", exact=True).first.fill("Aftercare for your face")
    page.get_by_label("Description").fill("What to do in the days after treatment on the face, and when to get help.")
    page.get_by_label("Kind (optional)").click()
    page.get_by_role("option", name="aftercare", exact=True).click()
    page.get_by_label("By (optional)").fill("Dr Sarah Okafor")  # 'optional': the page may have no review part
    page.get_by_label("Role (optional)").fill("Consultant vascular surgeon")
    page.get_by_label("Registration (optional)").fill("GMC 7000001")
    page.get_by_label("Date (optional)").first.fill("2026-03-12")
    page.get_by_role("button", name="Add sources").click()
    page.get_by_label("Title", exact=True).nth(1).fill("Varicose veins: treatment (NHS)")
    page.get_by_label("Url", exact=True).fill("https://www.nhs.uk/conditions/varicose-veins/treatment/")
    body_editor(page).click()
    page.keyboard.type("## After treatment\n\nKeep the treated skin clean and dry for a day.\n")
    page.get_by_label("Title", exact=True).first.scroll_into_view_if_needed()
    screenshot(page, "new-page", tmp_path)
    publish(page)

    saved = server.site / "content/aftercare-for-your-face.md"
    assert wait_until(lambda: saved.is_file() and saved.read_text().endswith(
        "\n\nKeep the treated skin clean and dry for a day.\n")), "the page was not saved"
    front_matter = front_matter_of(saved)
    assert front_matter["kind"] == "aftercare" and front_matter["reviewed"]["registration"] == "GMC 7000001"
    result = run_cli("check", cwd=server.site)
    assert result.returncode == 0, result.stderr
    status, html = server.wait_for("/aftercare-for-your-face/", lambda status, _: status == 200)
    assert status == 200 and "Aftercare for your face" in html
    assert errors == []


def test_editing_a_title_and_the_text_changes_only_those_lines(editor, server):
    page, errors = editor
    source = server.site / "content/risks.md"
    before = source.read_text()
    open_editor(page, server, "/entries/risks")
    page.get_by_label("Title", exact=True).first.fill("Risks and side effects of treatment")
    type_at_the_end(page, "\n\nAsk your clinician about anything on this page.")
    publish(page)

    assert wait_until(lambda: source.read_text().endswith("\n\nAsk your clinician about anything on this page.\n")), \
        "the page was not saved"  # as a whole: the proxy empties a file before writing it
    changed = [line for line in difflib.ndiff(before.splitlines(), source.read_text().splitlines())
               if line.startswith(("- ", "+ "))]
    assert [line for line in changed if line.strip() not in "+-"] == [
        "- title: Risks and side effects", "+ title: Risks and side effects of treatment",
        "+ Ask your clinician about anything on this page."]
    assert errors == []


def test_open_and_save_leaves_the_page_and_its_output_as_they_were(editor, server):
    page, errors = editor
    source, output = server.site / "content/options.md", server.site / PREVIEW / "options/index.html"
    before, built = source.read_bytes(), output.read_bytes()
    for title in ("A title for a moment", front_matter_of(source)["title"]):
        open_editor(page, server, "/entries/options")
        page.get_by_label("Title", exact=True).first.fill(title)
        publish(page)
        assert wait_until(lambda: front_matter_of(source).get("title") == title), "the page was not saved"
        page.evaluate("() => localStorage.clear()")  # signed out: the editor opens afresh, as on another day
        page.goto("about:blank")
    assert source.read_bytes() == before
    assert wait_until(lambda: output.read_bytes() == built), "the page's output changed"
    assert errors == []


def test_a_description_over_160_characters_is_refused_with_the_schemas_message(editor, server):
    page, _ = editor
    source = server.site / "content/price.md"
    before = source.read_text()
    open_editor(page, server, "/entries/price")
    page.get_by_label("Description").fill("A description that goes on. " * 6)
    publish(page)
    page.get_by_text("Keep it to 160 characters: search engines cut a longer description.").wait_for()
    assert source.read_text() == before


def test_the_editor_shows_the_builds_findings_at_their_lines(editor, server, tmp_path):
    page, _ = editor
    source = server.site / "content/faq.md"
    before = source.read_text()
    open_editor(page, server, "/entries/faq")
    type_at_the_end(page, "\n\nTODO")
    publish(page)
    assert wait_until(lambda: source.read_text().endswith("\nTODO\n")), "the page was not saved"
    line = source.read_text().splitlines().index("TODO") + 1
    page.get_by_text(f"content/faq.md:{line}: error: placeholder left in the text: 'TODO'").wait_for()
    screenshot(page, "findings", tmp_path)
    source.write_text(before)
    page.get_by_text("The site builds: no problems found.").wait_for()


def test_the_clinics_details_change_in_site_yaml_and_nothing_else(editor, server):
    page, errors = editor
    settings = server.site / "site.yaml"
    before = settings.read_text()
    page.goto(f"{server.url}admin/#/collections/settings/entries/clinic")
    page.get_by_role("button", name="Login").click()
    phone = page.get_by_label("Phone (optional)")
    expect(phone).to_have_value("0117 496 0000")
    phone.fill("0117 496 0999")
    publish(page)

    expected = before.replace("phone: 0117 496 0000", "phone: 0117 496 0999")
    assert wait_until(lambda: settings.read_text() == expected), "site.yaml was not saved, or not only the phone"
    assert errors == []
