"""Word lists of the rule stages, kept as data beside the knowledge.

Each stage has one JSON file in `components/extract/data/lexicon/` (`actors.json`,
`casualties.json`, `milestones.json`...). A file maps a NAME in capitals to:

- a list of strings: a set of words (`lex.words("FAIL_VERBS")`);
- a list of pairs: a set of tuples, `null` for "no second word" (`lex.pairs("FAIL_PHRASES")`);
- an object: a mapping (`lex.mapping("NOUN_TRIGGERS")`).

Keys starting with `_` are notes for the reader ("_about", "_FAIL_VERBS": why the list is
what it is). The files are part of the knowledge: a change to them changes what is
extracted, so bump `data/VERSION` with it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

LEXICON_DIR = Path(__file__).parent / "data" / "lexicon"


class LexiconError(ValueError):
    """A lexicon file or entry that is missing or not of the expected shape."""


class Lexicon:
    """The word lists of one stage, read once from its JSON file."""

    def __init__(self, name: str, entries: dict[str, Any], path: Path | None = None):
        self.name = name
        self.path = path
        self._entries = {k: v for k, v in entries.items() if not k.startswith("_")}

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def names(self) -> list[str]:
        return sorted(self._entries)

    def _get(self, key: str, kind: type) -> Any:
        if key not in self._entries:
            raise LexiconError(f"lexicon {self.name!r} has no entry {key!r} ({self.path})")
        value = self._entries[key]
        if not isinstance(value, kind):
            raise LexiconError(f"lexicon {self.name!r} entry {key!r} is a {type(value).__name__}, not a {kind.__name__}")
        return value

    def words(self, key: str) -> frozenset[str]:
        value = self._get(key, list)
        if not all(isinstance(w, str) for w in value):
            raise LexiconError(f"lexicon {self.name!r} entry {key!r} must list strings only")
        return frozenset(value)

    def pairs(self, key: str) -> frozenset[tuple[str, str | None]]:
        value = self._get(key, list)
        if not all(isinstance(p, list) and len(p) == 2 for p in value):
            raise LexiconError(f"lexicon {self.name!r} entry {key!r} must list pairs [word, word-or-null]")
        return frozenset((p[0], p[1]) for p in value)

    def mapping(self, key: str) -> dict[str, Any]:
        return dict(self._get(key, dict))


@cache
def load_lexicon(stage: str, directory: Path | None = None) -> Lexicon:
    """The lexicon of `stage` (`data/lexicon/<stage>.json`), read once per process."""
    path = (directory or LEXICON_DIR) / f"{stage}.json"
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LexiconError(f"no lexicon file for stage {stage!r}: {path}") from None
    except json.JSONDecodeError as exc:
        raise LexiconError(f"lexicon file {path} is not valid JSON: {exc}") from None
    if not isinstance(entries, dict):
        raise LexiconError(f"lexicon file {path} must hold one JSON object")
    return Lexicon(stage, entries, path)
