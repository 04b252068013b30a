"""Content checks: advertising rules, review dates, readability, privacy, links, accessibility."""
