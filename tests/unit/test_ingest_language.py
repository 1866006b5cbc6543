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
