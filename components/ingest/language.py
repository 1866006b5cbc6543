"""Which language an article is in (py3langid), so non-English text is not mis-extracted.

The extractor's model reads English. Text too short to tell, or detected with little
confidence, is taken as English: a false "French" would lose an article, a false
"English" only gives a thin extraction.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

MIN_WORDS = 8  # shorter than this, n-gram statistics are a guess
MIN_CONFIDENCE = 0.9
SAMPLE_CHARS = 1200  # the opening paragraphs are enough, and keep detection well under a millisecond
# English function words that other languages written in Latin letters rarely use (no
# "in", "is", "a", "on", "at", "for": Dutch, Italian, French or Danish words too). In
# English news they are about a fifth of the words (5th percentile 0.10 on real reporting);
# in French, Spanish, German, Dutch or Danish news 0 to 0.03.
ENGLISH_MARKERS = frozenset({
    "the", "and", "of", "to", "that", "with", "said", "by", "from", "its", "this", "been", "which", "who",
    "their", "were", "are", "has", "have", "was", "it",
})
CLEARLY_ENGLISH = 0.08  # share of marker words above which the statistical model is not asked
_LOCK = threading.Lock()
_IDENTIFIER: Any = None


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1, e.g. "fr"
    name: str  # "French"
    confidence: float

    @property
    def is_english(self) -> bool:
        return self.code == "en"

    def skip_reason(self) -> str:
        return f"language is {self.name} ({self.code}); the extractor reads English"


def _identifier() -> Any:
    global _IDENTIFIER
    with _LOCK:
        if _IDENTIFIER is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _IDENTIFIER = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _IDENTIFIER


def language_name(code: str) -> str:
    import pycountry

    found = pycountry.languages.get(alpha_2=code)
    return found.name if found is not None else code


def english_share(sample: str) -> float:
    words = re.findall(r"[^\W\d_]+", sample.lower())
    return sum(1 for w in words if w in ENGLISH_MARKERS) / len(words) if words else 0.0


def detect_language(text: str) -> Language:
    """The article's language; English when the text is too short or the guess too weak.

    Text that is plainly English by its function words is taken as such without the
    statistical model (most of what is ingested; the model costs about 2 ms an article).
    """
    sample = text[:SAMPLE_CHARS]
    if len(sample.split()) < MIN_WORDS:
        return Language("en", "English", 0.0)
    if len(sample.split()) >= 3 * MIN_WORDS and english_share(sample) >= CLEARLY_ENGLISH:
        return Language("en", "English", 1.0)
    code, confidence = _identifier().classify(sample)
    confidence = float(confidence)
    if code != "en" and confidence < MIN_CONFIDENCE:
        return Language("en", "English", 1.0 - confidence)
    return Language(code, "English" if code == "en" else language_name(code), confidence)
