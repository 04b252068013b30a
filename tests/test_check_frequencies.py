"""frequencies: the risks page says how often its side effects happen."""

from checking import findings, messages
from conftest import make_site

FRONT = "---\ntitle: Risks\ndescription: Side effects.\nkind: risks\nchecks:\n  review: off\n---\n"


def risks(body: str) -> dict:
    return {"content/risks.md": f"{FRONT}See the [benefits](/benefits/).\n\n{body}"}


def test_a_risks_page_without_frequencies_is_a_warning_at_its_first_line_of_text(tmp_path):
    site = make_site(tmp_path, risks("## Side effects\n\n- bruising\n- dark marks on the skin\n"), fixture="clinic")
    assert findings(site, "frequencies") == [("content/risks.md", 8, 1, "warning")]
    assert messages(site, "frequencies")[0].startswith(
        "the risks page does not say how often its side effects happen: give each one a frequency")
    assert messages(site, "frequencies")[0].endswith("EU SmPC guideline 4.8)")


def test_frequency_words_or_numbers_anywhere_on_the_page_are_enough(tmp_path):
    for said in ("Bruising is very common.", "Dark marks happen to about 1 in 10 people.", "A clot is rare.",
                 "About 5% of people get dark marks."):
        site = make_site(tmp_path / str(hash(said)), risks(f"## Side effects\n\n{said}\n"), fixture="clinic")
        assert findings(site, "frequencies") == [], said


def test_other_pages_are_not_asked_for_frequencies(tmp_path):
    site = make_site(tmp_path, {"content/aftercare.md": "---\ntitle: Aftercare\ndescription: After.\nkind: aftercare\n"
                                                        "checks:\n  review: off\n---\nWalk every day.\n"},
                     fixture="clinic")
    assert findings(site, "frequencies") == []
