"""Write the benchmark corpus: N pages of patient-information prose, laid out for each generator.

    python bench/corpus.py N DIR

The same Markdown files (front matter with title, description, order, reviewed; about 600 words with
headings, lists, links to other pages and a table every few pages; in nested folders) go into
DIR/microsite, DIR/hugo, DIR/pelican, DIR/mkdocs, DIR/eleventy and DIR/floor, each with a minimal
configuration and one plain template. The output depends only on N.
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
# The content checks judge a clinic's real pages; the peers have none, so they are off here.
CHECKS = ("sections", "disclosures", "review", "readability", "glossary", "claims", "privacy", "links",
          "accessibility", "meta")
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


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def configs(root: Path) -> dict[str, str]:
    """Each generator's configuration and plain template, by path under `root`."""
    jinja = PLAIN.replace("{title}", "{{ page.meta.title }}").replace("{description}", "{{ page.meta.description }}")
    return {
        "microsite/site.yaml": "name: Bench Clinic\nbase_url: https://bench.example/\n"
                               "contact:\n  url: https://bench.example/contact/\n"
                               "checks:\n" + "".join(f"  {name}: {{level: 'off'}}\n" for name in CHECKS),
        "microsite/templates/base.html": jinja.replace("{content}", "{% block main %}{% endblock %}").replace(
            "<main>", '<nav>{% for item in nav %}<a href="{{ url(item.url) }}">{{ item.label }}</a>{% endfor %}'
                      "</nav><main>"),
        "microsite/templates/page.html": '{% extends "base.html" %}{% block main %}{{ content }}{% endblock %}\n',
        "microsite/templates/home.html": '{% extends "page.html" %}\n',
        "microsite/templates/404.html": "<!doctype html><title>Not found</title><h1>Not found</h1>\n",
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

TOOLS = ("microsite", "hugo", "pelican", "mkdocs", "eleventy", "floor")  # each reads TOOL/content/


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
