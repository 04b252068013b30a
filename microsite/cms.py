"""The editor at /admin/ (`cms:` in site.yaml): Decap CMS, configured from the front matter schema.

Decap CMS is served from the site itself, copied from node_modules at build time (never a CDN),
with a config.yml made from FRONT_MATTER, so the editor's forms know the same fields, choices and
rules as the build. `build.py serve` runs Decap's local proxy (decap-server) beside the preview,
so the editor saves into the working folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .checks.settings import DESCRIPTION_LIMIT
from .config import CONFIG_FILE, SCHEMA, Editor, SiteConfig, load_config
from .content import CONTENT_DIR
from .diagnostics import Diagnostic, error
from .pages import FRONT_MATTER, SLUG, SLUG_RULE
from .render import OutputFile
from .schema import Field

ADMIN_DIR = "admin"
DECAP_DIST = "node_modules/decap-cms/dist"
DECAP_FILES = ("decap-cms.js", ".wasm", "decap-cms.js.LICENSE.txt")  # what the page loads (no source maps)
YAML_SCRIPT = "node_modules/js-yaml/dist/js-yaml.min.js"  # for admin.js, which reads and writes the files
DECAP_SERVER = "node_modules/decap-server/dist/index.js"
ADMIN_SCRIPT = Path(__file__).with_name("admin.js")
STATUS_FILE = "microsite-status.json"  # the preview's last build findings, shown by the editor (serve.py)
CLINIC_DETAILS = ("name", "description", "treatment", "contact", "address", "opening_hours")
LONG_TEXTS = ("description", "how_performed", "preparation", "followup", "alt")  # several lines in the form
BODY = {"name": "body", "label": "Text", "widget": "markdown", "modes": ["raw"],
        "hint": "The page's text in Markdown: ## for a heading, - for a list item, [words](/page/) for a link."}
# Rules the build enforces on one field, as the form checks them while typing: (pattern, message).
PATTERNS = {
    "description": (f"^[\\s\\S]{{0,{DESCRIPTION_LIMIT}}}$",
                    f"Keep it to {DESCRIPTION_LIMIT} characters: search engines cut a longer description."),
    "slug": (f"^{SLUG.pattern}$", f"The slug {SLUG_RULE}."),
}
WEB_ADDRESS = ("^(https?://[^\\s/]+|mailto:|tel:)\\S*$", "Write a full address, such as https://www.nhs.uk/.")
# The editor is a script application: it runs code it compiles (its form validator), WebAssembly,
# and styles it injects, and it talks to the host the pages are saved to. Visitors' pages never get this.
ADMIN_POLICY = ("default-src 'self'", "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
                "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob: https:", "frame-src 'self' blob:",
                "base-uri 'self'", "object-src 'none'", "form-action 'self'")
BACKEND_HOSTS = {"github": "https://api.github.com", "gitlab": "https://gitlab.com", "git-gateway": "", "proxy": ""}


def editor_files(config: SiteConfig, proxy: str | None) -> tuple[list[OutputFile], list[Diagnostic]]:
    """The files of /admin/ (none when `cms:` is off); `proxy` (from `build.py serve`) replaces the
    backend with Decap's local proxy at that address."""
    if config.cms is None:
        return [], []
    dist, yaml_script = find_up(config.root, DECAP_DIST), find_up(config.root, YAML_SCRIPT)
    if dist is None or yaml_script is None:
        return [], [error(config.root / CONFIG_FILE, 0, "the editor (cms: in site.yaml) needs Decap CMS from npm: "
                                                        f"run `npm ci --omit=dev` in {npm_folder(config.root)}")]
    backend = {"name": "proxy", "proxy_url": proxy} if proxy else saving_backend(config.cms)
    files = [OutputFile(f"{ADMIN_DIR}/{path.name}", path.read_bytes()) for path in sorted(dist.iterdir())
             if path.name.endswith(DECAP_FILES)]
    files += [OutputFile(f"{ADMIN_DIR}/config.yml", config_yml(config, backend).encode()),
              OutputFile(f"{ADMIN_DIR}/index.html", admin_page(config, backend, bool(proxy)).encode()),
              OutputFile(f"{ADMIN_DIR}/{yaml_script.name}", yaml_script.read_bytes()),
              OutputFile(f"{ADMIN_DIR}/{ADMIN_SCRIPT.name}", ADMIN_SCRIPT.read_bytes())]
    return files, []


def find_up(root: Path, relative: str) -> Path | None:
    """`relative` under the site's folder or the nearest folder above it that has it, else under
    the folder microsite itself was installed from (a checkout of its repository)."""
    folders = (root.resolve(), *root.resolve().parents, Path(__file__).resolve().parents[1])
    return next((folder / relative for folder in folders if (folder / relative).exists()), None)


def npm_folder(root: Path) -> str:
    found = find_up(root, "package.json")
    return str(found.parent if found else root)


def saving_backend(editor: Editor) -> dict:
    """Decap's `backend` for where the published editor saves."""
    backend = {"name": editor.backend, "branch": editor.branch}
    if editor.repo:
        backend["repo"] = editor.repo
    if editor.backend == "gitlab":
        backend |= {"auth_type": "pkce", "app_id": editor.app_id}
        if editor.auth_url:
            backend |= {"base_url": editor.auth_url, "api_root": editor.auth_url.rstrip("/") + "/api/v4"}
    elif editor.auth_url:
        backend["base_url"] = editor.auth_url
    return backend


def config_yml(config: SiteConfig, backend: dict) -> str:
    """Decap's config.yml: the pages' collection from FRONT_MATTER and the clinic's details from SCHEMA."""
    settings = {
        "backend": backend,
        "site_url": config.base_url,
        "display_url": config.base_url,
        "media_folder": "static",
        "public_folder": config.base_path,
        "collections": [pages_collection(), clinic_collection()],
    }
    if config.cms.editorial_workflow and backend["name"] != "proxy":  # the proxy saves in place
        settings["publish_mode"] = "editorial_workflow"
    header = "# The editor's settings, made by microsite from the page schema at each build (see cms: in site.yaml).\n"
    return header + yaml.safe_dump(settings, sort_keys=False, allow_unicode=True, width=120)


def pages_collection() -> dict:
    return {"name": "pages", "label": "Pages", "label_singular": "Page", "folder": CONTENT_DIR, "extension": "md",
            "format": "microsite-page", "create": True, "slug": "{{slug}}", "identifier_field": "title",
            "summary": "{{title}}", "preview_path": "{{slug}}/", "omit_empty_optional_fields": True,
            "fields": [form_field(f) for f in FRONT_MATTER] + [BODY]}


def clinic_collection() -> dict:
    fields = [form_field(f) for f in SCHEMA if f.name in CLINIC_DETAILS]
    return {"name": "settings", "label": "Clinic details", "editor": {"preview": False}, "format": "microsite-yaml",
            "files": [{"name": "clinic", "label": "Clinic details", "file": CONFIG_FILE,
                       "omit_empty_optional_fields": True, "fields": fields}]}


def form_field(f: Field, optional_part: bool = False) -> dict:
    """A Decap field (widget) for a schema field: the same name, choices, rules and help. In a part of
    the form that may be left empty (`optional_part`), Decap would insist on the required fields even
    then: there they are marked in the hint, and the build checks them once the part is filled in."""
    required = f.required and not optional_part
    spec = {"name": f.name, "label": f.name.replace("_", " ").capitalize(), "widget": "string", "required": required,
            "hint": f.doc + (" Required once this part is filled in." if f.required and optional_part else "")}
    if f.type == "mapping":
        spec |= {"widget": "object", "fields": [form_field(x, not required) for x in f.fields]}
    elif f.type == "list" and f.fields:
        spec |= {"widget": "list", "fields": [form_field(x) for x in f.fields]}
    elif f.choices:
        spec |= {"widget": "select", "options": list(f.choices), "multiple": f.type == "list"}
    elif f.type == "list":
        spec |= {"widget": "list"}
    elif f.type == "integer":
        spec |= {"widget": "number", "value_type": "int"}
    elif f.type == "boolean":
        spec |= {"widget": "boolean"}
    elif f.type == "date":
        spec |= {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False,
                 "picker_utc": True}
    elif f.type == "url":
        spec["pattern"] = list(WEB_ADDRESS)
    elif f.name in LONG_TEXTS:
        spec["widget"] = "text"
    if f.name in PATTERNS:
        spec["pattern"] = list(PATTERNS[f.name])
    return spec


def admin_policy(backend: dict) -> str:
    """The editor's Content-Security-Policy: the visitors' one opened for what Decap needs."""
    hosts = ("'self'", origin(backend.get("proxy_url") or backend.get("api_root") or BACKEND_HOSTS[backend["name"]]))
    return "; ".join((*ADMIN_POLICY, "connect-src " + " ".join(h for h in (*hosts, "blob:", "data:") if h)))


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def admin_page(config: SiteConfig, backend: dict, local: bool) -> str:
    stylesheet = config.assets.get("style.css")
    data = f' data-stylesheet="{config.base_path}{stylesheet.path}"' if stylesheet else ""
    data += f' data-status="{config.base_path}{STATUS_FILE}"' if local else ""
    return ADMIN_PAGE.format(language=config.language, policy=admin_policy(backend), name=config.name, data=data,
                             script=ADMIN_SCRIPT.name)


ADMIN_PAGE = """<!doctype html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<title>Edit the site: {name}</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
<script src="decap-cms.js"></script>
<script src="js-yaml.min.js"></script>
<script src="{script}"{data}></script>
</body>
</html>
"""


@contextlib.contextmanager
def local_proxy(site: Path):
    """Decap's local proxy saving into `site`, running while the block runs: yields its address
    (None when `cms:` is off or it cannot run) and the problems that kept it from running."""
    config, _ = load_config(site)
    if config is None or config.cms is None:
        yield None, []
        return
    server, node = find_up(site, DECAP_SERVER), shutil.which("node")
    if server is None or node is None:
        needed = "decap-server from npm: run `npm ci` in " + npm_folder(site) if node else "Node.js (nodejs.org)"
        yield None, [error(site / CONFIG_FILE, 0, f"the editor's local proxy needs {needed}")]
        return
    port = free_port()
    env = os.environ | {"PORT": str(port), "BIND_HOST": "127.0.0.1", "GIT_REPO_DIRECTORY": str(site.resolve()),
                        "MODE": "fs", "LOG_LEVEL": "error"}  # fs: saves in the working folder, no commits
    process = subprocess.Popen([node, str(server)], env=env, stdout=subprocess.DEVNULL)
    try:
        if listening(port, process):
            yield f"http://127.0.0.1:{port}/api/v1", []
        else:
            yield None, [error(site / CONFIG_FILE, 0, "the editor's local proxy (decap-server) did not start: "
                                                      "its own message is above")]
    finally:
        process.terminate()
        process.wait(10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port: int, process: subprocess.Popen, seconds: float = 15) -> bool:
    """Whether the proxy accepts connections within `seconds` (it takes a second or two to start)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
        time.sleep(0.1)
    return False
