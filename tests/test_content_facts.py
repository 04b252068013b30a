"""What a patient looks for is on the page they would look on: each fact of issue 15, checked in the
built default site's text (as a visitor reads it), and the medicines named on one page only."""

import lxml.html
import pytest

FACTS = {
    "": ["Thread veins are harmless", "Treatment is cosmetic", "it is your choice",
         "rarely available on the NHS", "pregnant or breastfeeding", "a blood clot in a deep vein (DVT)",
         "makes your blood clot too easily", "cannot walk", "a skin infection on your legs",
         "poor blood flow to your legs", "a scan of your leg veins"],
    "options/": ["Doing nothing", "Doing nothing is a safe choice", "Cover-up make-up", "skin camouflage",
                 "intense pulsed light (IPL)", "Fine injections", "it does not stop new thread veins"],
    "procedure/": ["sodium tetradecyl sulfate", "polidocanol", "prescription-only medicines",
                   "You get the patient leaflet that comes with that medicine"],
    "risks/": ["more than 1 in 10 people", "up to 1 in 10 people", "up to 1 in 100 people",
               "up to 1 in 1,000 people", "up to 1 in 10,000 people", "Dark marks usually fade over 6 to 12 months",
               "sometimes they never fully fade", "European guideline on sclerotherapy"],
    "aftercare/": ["compression stocking", "for up to 3 weeks", "strong sun and sunbeds", "high-factor sun cream",
                   "long journeys by car, coach, train or plane", "hot baths, saunas and hot tubs",
                   "Come back for a check 4 to 6 weeks after each session", "look worse before they look better"],
    "who-treats-you/": ["a doctor or a nurse treats you", "General Medical Council (GMC)",
                        "Nursing and Midwifery Council (NMC)", "registration for free on the GMC or NMC website",
                        "Who prescribes the medicine", "How to complain"],
    "price/": ["Your first consultation costs", "a deposit of", "we refund your deposit in full",
               "There is no obligation to go ahead"],
}
URGENT = ["Call 999 or go to A&E (accident and emergency) now", "a stroke",
          "Monday to Friday, 9am to 6pm", "At other times, call 111"]
THREAD_VEIN_SOURCES = ("doi.org/10.1177/0268355513483280", "doi.org/10.1177/02683555231151350", "medicines.org.uk/emc")


def page(out, url):
    return lxml.html.fromstring((out / url / "index.html").read_bytes())


def text(out, url) -> str:
    return " ".join(page(out, url).xpath("//main")[0].text_content().split())


@pytest.mark.parametrize("url", FACTS, ids=[u or "home" for u in FACTS])
def test_each_fact_is_on_the_page_a_patient_would_look_on(default_build, url):
    missing = [fact for fact in FACTS[url] if fact not in text(default_build, url)]
    assert not missing


def test_risks_aftercare_and_faq_show_the_one_urgent_box(default_build):
    boxes = [page(default_build, url).xpath("//main//section[@class='callout callout-urgent']")
             for url in ("risks/", "aftercare/", "faq/")]
    assert [len(found) for found in boxes] == [1, 1, 1]
    # The same words (a glossary link may sit on a word in one box and not another, used earlier on the page).
    words = {" ".join(found[0].text_content().split()) for found in boxes}
    assert len(words) == 1, "the three boxes differ"
    box = words.pop()
    assert all(fact in box for fact in URGENT)


def test_medicines_are_named_on_the_procedure_page_only(default_build):
    for path in default_build.rglob("*.html"):
        url = path.parent.relative_to(default_build).as_posix() + "/"
        named = [name for name in ("polidocanol", "tetradecyl") if name in path.read_text().lower()]
        assert not named or url == "procedure/", (url, named)


@pytest.mark.parametrize("url", [u for u in FACTS] + ["faq/", "glossary/"])
def test_every_medical_page_cites_a_thread_vein_source(default_build, url):
    sources = page(default_build, url).xpath("//section[@class='sources']//a/@href")
    assert any(wanted in href for href in sources for wanted in THREAD_VEIN_SOURCES), sources


def test_the_sample_banner_is_on_every_page(default_build):
    for path in default_build.rglob("*.html"):
        assert "This clinic, its clinician and its contact details are invented" in path.read_text(), path
