"""Small helpers over spaCy's dependency trees, shared by the rule stages."""

from __future__ import annotations

from spacy.tokens import Token


def governing_verb(tok: Token, max_steps: int = 8) -> Token | None:
    """The verb that governs a token (the token itself if it is a verb), or None."""
    cur = tok
    for _ in range(max_steps):
        if cur.pos_ in {"VERB", "AUX"}:
            return cur
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return None
