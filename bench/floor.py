"""The floor: the shortest loop that does a static site generator's work, to compare against.

    python bench/floor.py SITE OUT

Read each Markdown file, split off its front matter with PyYAML's C loader, render the body with
Python-Markdown (the extensions microsite uses) and one Jinja2 template, write OUT/<path>/index.html.
"""

import os
import sys

import jinja2
import markdown
import yaml

EXTENSIONS = ["tables", "attr_list", "def_list", "abbr", "sane_lists", "smarty", "toc"]


def main(site: str, out: str) -> None:
    template = jinja2.Environment(autoescape=True).from_string(open(os.path.join(site, "template.html")).read())
    converter = markdown.Markdown(extensions=EXTENSIONS)
    content = os.path.join(site, "content")
    for folder, _, names in os.walk(content):
        for name in names:
            text = open(os.path.join(folder, name), encoding="utf-8").read()
            _, front, body = text.split("---\n", 2)
            meta = yaml.load(front, Loader=yaml.CSafeLoader)
            html = converter.reset().convert(body)
            target = os.path.join(out, os.path.relpath(folder, content), name[:-3])
            os.makedirs(target, exist_ok=True)
            with open(os.path.join(target, "index.html"), "w", encoding="utf-8") as file:
                file.write(template.render(meta=meta, content=jinja2.filters.Markup(html)))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
