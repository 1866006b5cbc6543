"""Direct quotations and who said them.

Wire copy opens a quote mark at each paragraph of a long quotation without closing it;
a quote left open therefore ends at the end of its paragraph. Speakers are resolved to
canonical actors: a name, a pronoun (the last person quoted or named), or a description
("the Kremlin's spokesman", "the Ukrainian president") matched against the roles and
countries of the article's people.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from ..models import Actor, Quote
from .actors import ActorResult
from .knowledge import Knowledge
from .layout import Layout
from .lexicon import load_lexicon

LEX = load_lexicon("quotes")
SPEECH_VERBS = LEX.words("SPEECH_VERBS")
OPEN = LEX.words("OPEN")
CLOSE = LEX.words("CLOSE")
ROLE_WORDS = LEX.words("ROLE_WORDS")
MIN_WORDS = 4


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quoted text (inside the marks), paragraph by paragraph."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for para in text.split("\n"):
        start: int | None = None
        for i, ch in enumerate(para):
            if start is None and ch in OPEN:
                start = i + 1
            elif start is not None and ch in CLOSE:
                if i > start:
                    spans.append((offset + start, offset + i))
                start = None
        if start is not None and len(para) - start > 1:
            spans.append((offset + start, offset + len(para.rstrip())))
        offset += len(para) + 1
    return spans


class QuoteExtractor:
    def __init__(self, knowledge: Knowledge):
        self.k = knowledge

    def extract(self, doc: Doc, layout: Layout, actors: ActorResult) -> list[Quote]:
        quotes: list[Quote] = []
        text = doc.text  # built once: doc.text is assembled anew on every access
        self._text = text
        self._sents = list(doc.sents)
        self._starts = [sent.start_char for sent in self._sents]
        spans = [(s, e) for s, e in find_quote_spans(text) if not layout.is_excluded(s, e)]
        last_speaker: str | None = None
        for s, e in spans:
            body = text[s:e].strip()
            if len(body.split()) < MIN_WORDS:
                continue
            speaker = self._speaker(doc, s, e, spans, actors)
            if speaker == "__pronoun__":
                speaker = last_speaker or self._last_person_before(actors, s)
            if speaker:
                last_speaker = speaker
            lead = len(text[s:e]) - len(text[s:e].lstrip())
            quotes.append(Quote(speaker=speaker, text=body, start=s + lead, end=s + lead + len(body)))
        # A paragraph left open continues the quotation of the next paragraph, whose
        # attribution names the speaker of both.
        for i in range(len(quotes) - 2, -1, -1):
            between = text[quotes[i].end : quotes[i + 1].start]
            if quotes[i].speaker is None and between.count("\n") == 1 and not re.search(r"\w", between):
                quotes[i].speaker = quotes[i + 1].speaker
        return quotes

    def _sentences_for(self, doc: Doc, s: int, e: int) -> list[Span]:
        from bisect import bisect_right

        first = max(bisect_right(self._starts, s) - 1, 0)
        sents = []
        for sent in self._sents[first:]:
            if sent.start_char >= e:
                break
            if sent.end_char > s:
                sents.append(sent)
        if not sents:
            return []
        # The attribution may sit in the sentence after the quote within the paragraph.
        last = sents[-1]
        para_end = self._text.find("\n", last.end_char - 1)
        index = self._sents.index(last)
        nxt = [sent for sent in self._sents[index + 1 : index + 2] if para_end == -1 or sent.start_char < para_end]
        return sents + nxt[:1]

    def _speaker(self, doc: Doc, s: int, e: int, spans: list[tuple[int, int]], actors: ActorResult) -> str | None:
        def inside_quote(tok: Token) -> bool:
            return any(qs <= tok.idx < qe for qs, qe in spans)

        for sent in self._sentences_for(doc, s, e):
            for tok in sent:
                if inside_quote(tok) or tok.lemma_.lower() not in SPEECH_VERBS or tok.pos_ not in {"VERB", "AUX"}:
                    continue
                verb = tok
                subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and not inside_quote(c)), None)
                hops = 0
                while subj is None and verb.dep_ in {"advcl", "xcomp", "conj", "ccomp"} and hops < 3:
                    verb = verb.head
                    subj = next((c for c in verb.children if c.dep_ == "nsubj" and not inside_quote(c)), None)
                    hops += 1
                if subj is None:
                    continue
                resolved = self._resolve(subj, actors)
                if resolved:
                    return resolved
        return None

    def _resolve(self, subj: Token, actors: ActorResult) -> str | None:
        tokens = list(subj.subtree)
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        persons = actors.starting_in(start, end, "actor")
        person_names = {a.name for a in actors.actors if a.kind == "person"}
        for m in persons:
            if m.name in person_names:
                return m.name
        if subj.lower_ in {"he", "she"}:
            return "__pronoun__"
        words = {t.lower_ for t in tokens}
        role_words = words & ROLE_WORDS
        if role_words:
            country = None
            for m in persons:
                actor = actors.by_name(m.name)
                if actor is not None:
                    country = actor.country
            for t in tokens:
                c = self.k.country_of_adjective(t.text) or (self.k.metonyms.get(t.lower_).name if t.lower_ in self.k.metonyms else None)
                if c:
                    country = c
            best = self._match_role(actors.actors, role_words, country, subj.idx)
            if best:
                return best
        for m in persons:
            return m.name
        return None

    def _match_role(self, actors: list[Actor], role_words: set[str], country: str | None, position: int) -> str | None:
        candidates = []
        for a in actors:
            if a.kind != "person" or not a.role:
                continue
            role = a.role.lower()
            if not any(w in role for w in role_words):
                continue
            if country and a.country and a.country != country:
                continue
            before = [sp for sp in a.spans if sp[0] < position]
            candidates.append((0 if before else 1, -(before[-1][0] if before else -a.spans[0][0]), a.name))
        if not candidates:
            return None
        return sorted(candidates)[0][2]

    def _last_person_before(self, actors: ActorResult, position: int) -> str | None:
        persons = {a.name for a in actors.actors if a.kind == "person"}
        before = [m for m in actors.mentions if m.what == "actor" and m.name in persons and m.start < position]
        return before[-1].name if before else None


