"""Where each block of a page's Markdown is written comes from the parser, not from searching the text."""

from pathlib import Path

from microsite.markup import render_markdown
from microsite.snippets import Snippet, Snippets

PAGE = """# Title

A paragraph with *emphasis* and
a [link](/aftercare/) on its second line.

- one item
- another **item**

| What | When |
|---|---|
| walk | daily |

Term
:   its meaning

A paragraph with *emphasis* and
the same first line.
"""


def test_each_block_has_the_line_and_column_it_is_written_at():
    rendered = render_markdown(PAGE)
    assert rendered.places == ((1, 3), (3, 1), (6, 3), (7, 3), (9, 3), (9, 10), (11, 3), (11, 10), (13, 1), (14, 5),
                               (16, 1))


def test_a_repeated_paragraph_is_placed_where_it_is_written_the_second_time():
    rendered = render_markdown("Same words.\n\nOther words.\n\nSame words.\n")
    assert rendered.places == ((1, 1), (3, 1), (5, 1))


def test_blocks_after_an_included_snippet_keep_their_own_lines():
    snippets = Snippets((Snippet("note", Path("content/_snippets/note.md"), "First.\n\nSecond.\n\nThird."),))
    rendered = render_markdown('Before.\n\n{% include "note" %}\n\nAfter.\n', snippets=snippets)
    # The snippet's blocks are placed in the snippet's own file (by the checks), not on the page's lines.
    assert rendered.places == ((1, 1), (0, 0), (0, 0), (0, 0), (5, 1))
