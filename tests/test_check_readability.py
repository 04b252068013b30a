"""readability: reading grade, long sentences and long paragraphs, over the Markdown's text only."""

import pytest

from checking import findings, messages
from conftest import make_site
from microsite.checks.readability import flesch_kincaid_grade, sentences_of, syllables


def aftercare(body: str) -> dict:
    return {"content/aftercare.md": "---\ntitle: Aftercare\ndescription: Care.\nkind: aftercare\n"
                                    "checks:\n  review: off\n---\n" + body}


LONG = ("After each session you should walk for a few minutes several times a day and raise your legs whenever "
        "you sit down, because this helps the treated veins close.")
HARD = ("Sclerotherapy necessitates comprehensive understanding regarding contraindications, particularly "
        "thrombophilia, anticoagulation and pregnancy.")


@pytest.mark.parametrize("word, count", [("the", 1), ("vein", 1), ("treatment", 2), ("bruising", 2),
                                          ("consultation", 4), ("hyperpigmentation", 6), ("2", 1)])
def test_syllables(word, count):
    assert syllables(word) == count


def test_flesch_kincaid_grade_formula():
    # 0.39 × (20 words / 2 sentences) + 11.8 × (30 syllables / 20 words) − 15.59
    assert flesch_kincaid_grade(20, 2, 30) == pytest.approx(0.39 * 10 + 11.8 * 1.5 - 15.59)


def test_sentences_end_at_full_stops_and_leave_addresses_out():
    found = sentences_of("Walk daily. Raise your legs! See https://www.nhs.uk/ for more.", "")
    assert [(s.text, s.words) for s in found] == [("Walk daily.", 2), ("Raise your legs!", 3), ("See for more.", 3)]


def test_plain_pages_pass(tmp_path):
    assert findings(make_site(tmp_path, fixture="clinic"), "readability") == []


def test_a_long_sentence_is_a_warning_at_its_line(tmp_path):
    site = make_site(tmp_path, aftercare(f"## Each day\n\nWalk every day.\n{LONG}\n"), fixture="clinic")
    assert findings(site, "readability") == [("content/aftercare.md", 11, 1, "warning")]
    assert messages(site, "readability")[0].startswith("sentence of 29 words (over 25): \"After each session")


def test_a_long_paragraph_is_a_warning_at_its_start(tmp_path):
    site = make_site(tmp_path, aftercare("Walk. Rest.\nRaise your legs. Wear stockings. Call us.\n"), fixture="clinic")
    assert findings(site, "readability") == [("content/aftercare.md", 8, 1, "warning")]
    assert "paragraph of 5 sentences (over 4)" in messages(site, "readability")[0]


def test_a_hard_page_names_its_grade_and_hardest_sentences(tmp_path):
    site = make_site(tmp_path, aftercare(f"Walk daily.\n\n{HARD}\n\nAnaesthetic considerations notwithstanding, "
                                         "practitioners individualise management.\n"), fixture="clinic")
    assert findings(site, "readability") == [("content/aftercare.md", 12, 1, "warning")]  # the hardest sentence
    message = messages(site, "readability")[0]
    assert message.startswith("reading grade ")
    assert message.index("line 12 (grade") < message.index("line 10 (grade") < message.index("line 8 (grade")


def test_code_is_not_prose(tmp_path):
    site = make_site(tmp_path, aftercare(f"Walk daily.\n\n```\n{LONG}\n```\n\nUse `{LONG}` here.\n"), fixture="clinic")
    assert findings(site, "readability") == []


def test_the_grade_limit_is_a_site_setting(tmp_path):
    site = make_site(tmp_path, {"site.yaml": "name: Test Vein Clinic\nbase_url: https://clinic.example/\n"
                                             "contact:\n  url: mailto:hello@clinic.example\n"
                                             "checks:\n  readability:\n    grade: 1\n"}, fixture="clinic")
    assert ("content/benefits.md", 17, 46, "warning") in findings(site, "readability")
