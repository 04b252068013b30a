"""Stage 1: load and validate site.yaml into a SiteConfig."""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from .checks.settings import CHECKS_FIELD, JURISDICTIONS, ChecksConfig
from .diagnostics import Diagnostic, error, has_errors
from .images import ShareImage, measure_share_image, share_image_field
from .htmlpolicy import ALLOWABLE_TAGS
from .schema import CONVERTERS, WEB_SCHEMES, Field, Validator
from .sitepaths import outside_site
from .textfile import read_text
from .yamldoc import parse_yaml

if TYPE_CHECKING:
    from .assets import Asset

CONFIG_FILE = "site.yaml"
EDITOR_BACKENDS = ("github", "gitlab", "git-gateway", "proxy")
EDITOR_REPO_BACKENDS = ("github", "gitlab")  # the backends that need `repo`
STATIC_DIR = "static"
TEMPLATES_DIR = "templates"


@dataclass(frozen=True)
class Contact:
    url: str
    label: str
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class Address:
    street: str
    locality: str
    postcode: str
    region: str | None
    country: str


@dataclass(frozen=True)
class Editor:
    """`cms:`: the editor at /admin/ and where it saves (see cms.py)."""

    backend: str
    repo: str | None
    branch: str
    auth_url: str | None
    app_id: str | None
    editorial_workflow: bool


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    name: str
    base_url: str
    language: str
    description: str
    treatment: str
    title_pattern: str
    contact: Contact
    address: Address | None
    opening_hours: tuple[str, ...]
    theme_color: str
    review_period_years: int
    jurisdictions: tuple[str, ...]
    share_image: ShareImage | None
    checks: ChecksConfig
    allowed_html: tuple[str, ...] = ()
    sample: bool = False
    cms: Editor | None = None
    # The files under static/ as pages link to them (fingerprinted), by path under static/; set once
    # they are made, after site.yaml is read, so that everything a page's render uses is in the config.
    assets: Mapping[str, Asset] = field(default_factory=dict)

    @property
    def base_path(self) -> str:
        """The path part of base_url, e.g. '/' or '/clinic/treatments/'."""
        return "/" + self.base_url.split("://", 1)[1].partition("/")[2]


SCHEMA = (
    Field("name", "text", "The clinic's name, shown in the header, the footer and page titles.", required=True,
          example="Harbour Clinic"),
    Field("base_url", "url", "The address the site is published at; links and the sitemap use it.", required=True,
          example="https://www.example-clinic.co.uk/"),
    Field("language", "text", "The language of the pages, as a language tag.", default="en-GB", example="en-GB"),
    Field("description", "text", "One sentence about the clinic, used where a page has none.", default="",
          example="Information about laser hair removal at Harbour Clinic, written for patients."),
    Field("treatment", "text", "The treatment the site is about.", default="", example="Laser hair removal"),
    Field("title_pattern", "text", "How page titles are written: {page} is the page title, {site} the clinic name.",
          default="{page} | {site}"),
    Field("contact", "mapping", "How patients reach the clinic; every page links to it.", required=True, build=Contact,
          fields=(
              Field("url", "url", "The clinic's contact form (or a mailto: or tel: link).", required=True,
                    schemes=WEB_SCHEMES + ("mailto", "tel"), example="https://www.example-clinic.co.uk/contact/"),
              Field("label", "text", "The text of the contact button.", default="Book a consultation"),
              Field("phone", "text", "The clinic's phone number, as patients should dial it.", example="020 7946 0000"),
              Field("email", "text", "The clinic's email address.", example="hello@example-clinic.co.uk"),
          )),
    Field("address", "mapping", "The clinic's postal address, shown in the footer.", build=Address, fields=(
        Field("street", "text", "Street address.", required=True, example="12 Quay Street"),
        Field("locality", "text", "Town or city.", required=True, example="Bristol"),
        Field("postcode", "text", "Postcode.", required=True, example="BS1 4XX"),
        Field("region", "text", "County or region.", example="City of Bristol"),
        Field("country", "text", "Country code.", default="GB"),
    )),
    Field("opening_hours", "list", "Opening hours, one line each.", item="text", default=(),
          example=["Monday to Friday, 9am to 6pm", "Saturday, 9am to 1pm"]),
    Field("theme_color", "text", "The colour browsers use around the page on phones.", default="#0b5e6b"),
    Field("review_period_years", "integer", "How many years after its review a medical page falls due for review "
                                            "again (at most 3).", default=3, choices=(1, 2, 3)),
    Field("jurisdictions", "list", "Where the clinic advertises, so whose rules the checks apply: uk (the ASA's "
                                   "CAP Code, the GMC), us (the FTC) or both. Rules of one country alone, such as "
                                   "the UK ban on advertising prescription-only medicines, apply only with it.",
          item="text", default=("uk",), choices=JURISDICTIONS, example=["us"]),
    share_image_field("The picture social apps show with a link to any page that has none of its own."),
    CHECKS_FIELD,
    Field("allowed_html", "list", "HTML tags pages may use in their Markdown (raw HTML is refused otherwise).",
          item="text", default=(), choices=ALLOWABLE_TAGS, example=["abbr", "sup", "sub", "kbd", "br"]),
    Field("sample", "boolean", "true: the site is the invented sample, and every page says so; a build for "
                               "publishing refuses it (see docs/publishing.md). Remove it once every detail is "
                               "the clinic's own.", default=False),
    Field("cms", "mapping", "The editor at /admin/, for editing pages in the browser (off without this key). "
                            "See docs/publishing.md for each backend's one-time setup.", build=Editor, fields=(
        Field("backend", "text", "Where the editor saves: github or gitlab (into the repository, signing in with "
                                 "that host), git-gateway (Netlify Identity), or proxy (this computer only, with "
                                 "build.py serve).", default="git-gateway", choices=EDITOR_BACKENDS, example="github"),
        Field("repo", "text", "The repository, as owner/name (github and gitlab).", example="harbour-clinic/website"),
        Field("branch", "text", "The branch the site is published from.", default="main"),
        Field("auth_url", "url", "github: the OAuth server that signs editors in (default Netlify's); gitlab: "
                                 "the GitLab address (default https://gitlab.com)."),
        Field("app_id", "text", "gitlab: the ID of the GitLab application that signs editors in (PKCE)."),
        Field("editorial_workflow", "boolean", "true: each change is saved as a pull request (merge request), "
                                               "checked by CI, and published when merged.", default=True),
    )),
)


def load_config(root: Path, base_url: str | None = None) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """Read `root/site.yaml`; `base_url` (from the command line) replaces the file's."""
    path = root / CONFIG_FILE
    if path.is_dir():
        return None, [error(path, 0, f"{CONFIG_FILE} is a folder: the site's settings go in a file of that name")]
    if not path.is_file():
        return None, [error(path, 0, f"no {CONFIG_FILE} here: is this a site folder?")]
    if problem := outside_site(path, root):
        return None, [problem]
    text, problems = read_text(path)
    if text is None:
        return None, problems
    doc, problems = parse_yaml(text, path)
    if doc is None:
        return None, problems
    values, problems = Validator(doc).mapping(doc.value, SCHEMA)
    if not problems and (problem := title_pattern_problem(values["title_pattern"])):
        problems.append(error(path, doc.line(("title_pattern",)), problem))
    if not problems and (problem := editor_problem(values["cms"])):
        problems.append(error(path, doc.line(("cms",)), problem))
    if problems:
        return None, problems
    values["base_url"] = normal_base_url(base_url or values["base_url"])
    if values["share_image"]:
        values["share_image"], problems = measure_share_image(values["share_image"], root / STATIC_DIR, doc)
    if has_errors(problems):
        return None, problems
    return SiteConfig(root=root, **values), problems


def title_pattern_problem(pattern: str) -> str:
    """Why `pattern` cannot make page titles ('' when it can): only {page} and {site}, as they are
    (an attribute such as {page.__class__} or a format such as {page:%} would fail or leak)."""
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError:
        return "'title_pattern' has a '{' or '}' without its partner"
    for _, name, spec, conversion in parts:
        if name is not None and (name not in ("page", "site") or spec or conversion):
            return f"'title_pattern' may only use {{page}} and {{site}}, not {{{name}}}"
    return ""


def editor_problem(editor: Editor | None) -> str:
    """Why the editor cannot save anywhere ('' when it can)."""
    if editor and editor.backend in EDITOR_REPO_BACKENDS and not editor.repo:
        return f"'cms.repo' is needed with the {editor.backend} backend: the repository, as owner/name"
    if editor and editor.backend == "gitlab" and not editor.app_id:
        return "'cms.app_id' is needed with the gitlab backend: the GitLab application's ID (see docs/publishing.md)"
    return ""


def base_url_problem(url: str) -> str:
    """Why `url` cannot be a base URL ('' when it can): the check site.yaml's base_url gets."""
    base_url_field = next(f for f in SCHEMA if f.name == "base_url")
    return CONVERTERS["url"](url, base_url_field)[1]


def normal_base_url(url: str) -> str:
    return url.rstrip("/") + "/"
