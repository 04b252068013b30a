"""Write the benchmark corpus: N pages of patient-information prose, laid out for each generator.

    python bench/corpus.py N DIR

The same Markdown files (front matter with title, description, order, reviewed; about 600 words with
headings, lists, links to other pages and a table every few pages; in nested folders) go into
DIR/microsite, DIR/hugo, DIR/pelican, DIR/mkdocs, DIR/eleventy and DIR/floor, each with a minimal
configuration and one plain template. DIR/microsite-checks is the same site with every content check
on, and DIR/leaflet a site whose one page is about 1 MB of prose (`leaflet`). The output depends only
on N.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

AREAS, TOPICS = 10, 10
WORDS = ("vein veins thread leg legs skin treatment injection injections solution clinic clinician patient "
         "patients bruising stockings walking swelling week weeks session sessions result results fade "
         "colour small visible common mild rare consultation examination history medicine blood vessel "
         "vessels wall walls heal healing pressure support exercise daily advice risk risks benefit "
         "benefits appointment recovery comfort sunlight pigmentation area areas usually often may "
         "should most some after before during between around several few many").split()
SUBJECTS = ("Aftercare", "Bruising", "Compression stockings", "Consultation", "Costs", "Exercise", "Results",
            "Side effects", "Suitability", "Travel")
CHECKS = ("sections", "disclosures", "review", "readability", "glossary", "claims", "privacy", "links",
          "accessibility", "meta")
# The peers have no content checks, so microsite/ has them off. microsite-checks/ and leaflet/ run every
# check as a clinic's site does, at level warning: generated prose is not a clinic's site (no privacy
# page, no registration numbers), and an error would stop the build before it writes. A finding costs
# the same at either level. The `links` setting is the default site's own.
CHECKS_OFF = "".join(f"  {name}: {{level: 'off'}}\n" for name in CHECKS)
CHECKS_ON = "".join(f"  {name}: {{level: warning}}\n" for name in CHECKS if name != "links") + \
    "  links: {level: warning, elsewhere: [/contact/]}\n"
LEAFLET_BYTES = 1 << 20
PLAIN = ('<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
         '<meta name="description" content="{description}"></head>\n<body><main><h1>{title}</h1>\n{content}\n'
         '</main></body></html>\n')


def page_path(i: int) -> str:
    return f"area-{i % AREAS}/topic-{i // AREAS % TOPICS}/page-{i}"


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 18))
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 5)))


def body(i: int, n: int, rng: random.Random) -> str:
    parts = [paragraph(rng)]
    for section in range(4):
        parts.append(f"## {rng.choice(SUBJECTS)} {section + 1}")
        parts.append(paragraph(rng))
        if section == 1:
            parts.append("\n".join(f"- {sentence(rng)}" for _ in range(4)))
        if section == 2:
            other = rng.randrange(n)
            parts.append(f"{sentence(rng)} Read more about [page {other}](/{page_path(other)}/) "
                         f"and **{rng.choice(SUBJECTS).lower()}**.")
        if section == 3 and i % 5 == 0:
            rows = "\n".join(f"| {rng.choice(SUBJECTS)} | {rng.randint(1, 12)} weeks | {rng.randint(50, 400)} |"
                             for _ in range(4))
            parts.append("| Topic | Time | Cost (GBP) |\n|---|---|---|\n" + rows)
        parts.append(paragraph(rng))
    return "\n\n".join(parts) + "\n"


def page(i: int, n: int) -> str:
    rng = random.Random(i)
    subject = SUBJECTS[i % len(SUBJECTS)]
    menu = "main" if i < AREAS else "none"
    return (f"---\ntitle: \"{subject}: question {i}\"\n"
            f"description: \"What patients ask about {subject.lower()} after microsclerotherapy ({i}).\"\n"
            f"order: {i}\nmenu: {menu}\n"
            f"reviewed:\n  by: Dr Ada Example\n  role: Consultant vascular surgeon\n  date: 2026-03-{1 + i % 28:02d}\n"
            f"---\n\n{body(i, n, rng)}")


def leaflet() -> str:
    """About 1 MB of ordinary prose: each paragraph has a link, some emphasis and a long sentence. Like
    a real leaflet it comes back to the same advice, so the long sentences are a few, each said often."""
    rng = random.Random(1)
    advice = []
    for _ in range(12):
        words = rng.choices(WORDS, k=rng.randint(35, 50))
        words[10] = f"*{words[10]}*"  # the emphasis and the link inside the long sentence, as people write
        words[25] = f"[{words[25]} advice](/)"
        advice.append(" ".join(words).capitalize() + ".")
    parts = ["---\ntitle: A long leaflet\ndescription: \"Everything about thread vein treatment, in one page.\"\n"
             "order: 1\n---"]
    size = len(parts[0])
    while size < LEAFLET_BYTES:
        if len(parts) % 20 == 1:
            parts.append(f"## {rng.choice(SUBJECTS)} {len(parts) // 20 + 1}")
        parts.append(f"{sentence(rng)} {rng.choice(advice)} Most {rng.choice(WORDS)} is **{rng.choice(WORDS)}**; "
                     f"see [the NHS page](https://www.nhs.uk/conditions/varicose-veins/).")
        size += len(parts[-1]) + 2
    return "\n\n".join(parts) + "\n"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def configs(root: Path) -> dict[str, str]:
    """Each generator's configuration and plain template, by path under `root`."""
    jinja = PLAIN.replace("{title}", "{{ page.meta.title }}").replace("{description}", "{{ page.meta.description }}")
    site = "name: Bench Clinic\nbase_url: https://bench.example/\ncontact:\n  url: https://bench.example/contact/\nchecks:\n"
    templates = {
        "templates/base.html": jinja.replace("{content}", "{% block main %}{% endblock %}").replace(
            "<main>", '<nav>{% for item in nav %}<a href="{{ url(item.url) }}">{{ item.label }}</a>{% endfor %}'
                      "</nav><main>"),
        "templates/page.html": '{% extends "base.html" %}{% block main %}{{ content }}{% endblock %}\n',
        "templates/home.html": '{% extends "page.html" %}\n',
        "templates/404.html": "<!doctype html><title>Not found</title><h1>Not found</h1>\n",
    }
    return {
        "microsite/site.yaml": site + CHECKS_OFF,
        **{f"microsite/{path}": text for path, text in templates.items()},
        "microsite-checks/site.yaml": site + CHECKS_ON,
        **{f"microsite-checks/{path}": text for path, text in templates.items()},
        "leaflet/site.yaml": site + CHECKS_ON,
        **{f"leaflet/{path}": text for path, text in templates.items()},
        "leaflet/content/index.md": "---\ntitle: Bench Clinic\ndescription: \"A clinic with one long leaflet.\"\n---\n\n"
                                    "Read [the leaflet](/leaflet/).\n",
        "leaflet/content/leaflet.md": leaflet(),
        "hugo/hugo.toml": 'baseURL = "https://bench.example/"\ntitle = "Bench"\n'
                          'disableKinds = ["home", "section", "taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
                          '[markup.goldmark.renderer]\nunsafe = true\n',
        "hugo/layouts/_default/single.html": PLAIN.format(title="{{ .Title }}", description="{{ .Description }}",
                                                          content="{{ .Content }}"),
        "pelican/pelicanconf.py": PELICAN_CONF,
        "pelican/theme/templates/article.html": PLAIN.replace("{title}", "{{ article.title }}").replace(
            "{description}", "{{ article.description }}").replace("{content}", "{{ article.content }}"),
        "mkdocs/mkdocs.yml": "site_name: Bench\ndocs_dir: content\nsite_dir: out\nplugins: []\n"
                             "theme:\n  name: null\n  custom_dir: theme\n"
                             "markdown_extensions: [tables, toc, attr_list, def_list, abbr, sane_lists, smarty]\n",
        "mkdocs/theme/main.html": PLAIN.format(title="{{ page.title }}", description="{{ page.meta.description }}",
                                               content="{{ page.content }}"),
        "eleventy/eleventy.config.js": "module.exports = function (config) {\n"
                                       "  config.addGlobalData('layout', 'page.njk');\n"
                                       "  return { dir: { input: 'content', output: 'out' }, markdownTemplateEngine: false };\n};\n",
        "eleventy/content/_includes/page.njk": PLAIN.format(title="{{ title }}", description="{{ description }}",
                                                            content="{{ content | safe }}"),
        "floor/template.html": jinja.replace("page.meta.", "meta.").replace("{content}", "{{ content }}"),
    }


PELICAN_CONF = """AUTHOR = "Bench"
SITENAME = "Bench"
PATH = "content"
THEME = "theme"
TIMEZONE = "UTC"
DEFAULT_DATE = (2026, 1, 1)
DEFAULT_LANG = "en"
PATH_METADATA = r"(?P<path_no_ext>.*)\\.md"
ARTICLE_URL = ARTICLE_SAVE_AS = "{path_no_ext}/index.html"
DIRECT_TEMPLATES = []
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = TAG_SAVE_AS = TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ARCHIVES_SAVE_AS = ""
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
MARKDOWN = {"extensions": ["meta", "tables", "toc", "attr_list", "def_list", "abbr", "sane_lists", "smarty"],
            "output_format": "html5"}
"""

TOOLS = ("microsite", "microsite-checks", "hugo", "pelican", "mkdocs", "eleventy", "floor")  # each reads TOOL/content/


def main(argv: list[str]) -> None:
    n, root = int(argv[1]), Path(argv[2])
    for name, text in configs(root).items():
        write(root / name, text)
    for i in range(n):
        text = page(i, n)
        for tool in TOOLS:
            write(root / tool / "content" / f"{page_path(i)}.md", text)


if __name__ == "__main__":
    main(sys.argv)
