"""Language detection: non-English text is recognised; short or uncertain text counts as English."""

import pytest

from components.ingest.language import detect_language
from tests.fixtures.ingest.builders import FRENCH, STRIKE


@pytest.mark.parametrize(("text", "code", "name"), [
    (FRENCH, "fr", "French"),
    ("Die Delegationen trafen sich am Dienstag in Genf zu einer neuen Verhandlungsrunde, teilte das Aussenministerium mit.", "de", "German"),
    ("Делегації зустрілися у вівторок у Женеві для нового раунду переговорів, повідомило міністерство закордонних справ.", "uk", "Ukrainian"),
    ("Las delegaciones se reunieron el martes en Ginebra para una nueva ronda de negociaciones, informó el ministerio.", "es", "Spanish"),
])
def test_other_languages_are_named(text, code, name):
    lang = detect_language(text)
    assert (lang.code, lang.name, lang.is_english) == (code, name, False)
    assert lang.skip_reason() == f"language is {name} ({code}); the extractor reads English"


@pytest.mark.parametrize("text", [
    STRIKE,
    "Talks were held in Doha.",  # too short to tell
    "Shelling killed three civilians in Kherson on Monday.",
    "KYIV — Zelensky met Erdogan in Ankara; Kyiv and Moscow agreed a 1,000-for-1,000 prisoner swap.",
])
def test_english_and_too_short_to_tell(text):
    assert detect_language(text).is_english


def test_plain_english_is_recognised_without_the_statistical_model(monkeypatch):
    from components.ingest import language

    monkeypatch.setattr(language, "_identifier", lambda: pytest.fail("the model should not be needed"))
    text = ("Negotiators from both sides met in Geneva on Tuesday and said that the talks, which have been stalled "
            "for months, would resume next week with a draft of the agreement on the table.")
    assert language.detect_language(text).code == "en"


@pytest.mark.parametrize("text", [
    "Le gouvernement a annoncé mardi que les négociations avec les rebelles reprendraient la semaine prochaine à Genève, "
    "selon un communiqué publié par le ministère des Affaires étrangères.",
    "De regering heeft dinsdag bekendgemaakt dat de onderhandelingen met de rebellen volgende week in Genève worden hervat. "
    "Het was een moeilijke week, en de minister is in gesprek met de partijen die in het noorden actief zijn.",
    "Die Regierung hat am Dienstag mitgeteilt, dass die Verhandlungen mit den Rebellen in der kommenden Woche in Genf "
    "fortgesetzt werden, was als Fortschritt gilt.",
])
def test_other_languages_never_take_the_english_shortcut(text):
    from components.ingest.language import CLEARLY_ENGLISH, detect_language, english_share

    assert english_share(text) < CLEARLY_ENGLISH
    assert detect_language(text).code != "en"
