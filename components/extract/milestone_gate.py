"""Whether a milestone mention is diplomacy at all: who its parties are and who they act for.

A negotiation milestone is an event between the sides of a dispute or between states: a
meeting of a candidate with his fundraisers, a takeover by an oil company, a senator's talk
with a White House adviser are not. The gate reads the actors stage's output only:

1. `side_of`: the state (or body, armed group) a party acts for, and whether it is
   official (a state, a government body, an international organisation, an armed group,
   or a person the text or the shipped knowledge ties to a state);
2. `credible`: a mention passes when some party is official and, for meetings and talks,
   the parties stand for at least two different sides (the host city's state counts as a
   side: "talks in Moscow"), unless the trigger names the process ("peace talks").

Sentence filters live here too: photo captions ("Putin (L) meets ...") and questions are
not reports of news.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from .actors import ActorResult
from .knowledge import load_knowledge
from .lexicon import load_lexicon

LEX = load_lexicon("milestones")
PARENT_BODIES: dict[str, str] = LEX.mapping("PARENT_BODIES")
PROCESS_MODIFIERS = LEX.words("PROCESS_MODIFIERS")
BUSINESS_WORDS = LEX.words("BUSINESS_WORDS")
MEDIATED_WORDS = LEX.words("MEDIATED_WORDS")
CANDIDATE_WORDS = LEX.words("CANDIDATE_WORDS")
CANDIDATES_KEY = "conflict_milestone_candidates"
STATE_BODY_WORDS = re.compile(r"\b(ministry|department|treasury|senate|congress|parliament|government|cabinet|office|presidency|"
                              r"police|state department|white house|kremlin|intelligence|security service|mossad|cia|fsb|sbu|gur|treasury)\b", re.IGNORECASE)
LEGISLATURE_WORDS = re.compile(r"\b(senate|congress|parliament|house of representatives|house of commons|assembly|knesset|duma|legislature)\b",
                               re.IGNORECASE)
CAPTION_RE = re.compile(r"\(\s*(?:L|R|C|left|right|centre|center|front|back)\s*\)", re.IGNORECASE)


def parent_body(name: str) -> str | None:
    return PARENT_BODIES.get(name.lower())


def is_state_body(name: str) -> bool:
    """A government body acts for its state: "U.S. Treasury" is the United States as a party."""
    return bool(STATE_BODY_WORDS.search(name))


@dataclass(frozen=True)
class Side:
    """What one party stands for: a state, body or group; official: it can negotiate for one."""

    name: str
    official: bool


@dataclass(frozen=True)
class Credibility:
    """Whether a mention is diplomacy, and why not when it is not."""

    ok: bool
    reason: str


def affiliations(sent: Span, actors: ActorResult) -> dict[str, str]:
    """People of a sentence named right after their body or state: "Mossad chief Yossi Cohen" -> Mossad."""
    mentions = actors.starting_in(sent.start_char, sent.end_char, "actor")
    kinds = {a.name: a.kind for a in actors.actors}
    out: dict[str, str] = {}
    doc = sent.doc
    for person in (m for m in mentions if kinds.get(m.name) == "person"):
        for body in mentions:
            gap = doc[body.token_end : person.token_start]
            if body.name != person.name and 0 <= len(gap) <= 3 and kinds.get(body.name) in {"organization", "country"} \
                    and all(t.is_alpha and t.pos_ in {"NOUN", "PROPN", "ADJ"} for t in gap):
                out.setdefault(person.name, body.name)
    return out


def candidates(doc: Doc, actors: ActorResult) -> set[str]:
    """People the article calls candidates or nominees ("Republican presidential candidate Donald Trump"): not in office."""
    cached = doc.user_data.get(CANDIDATES_KEY)
    if cached is not None and cached[0] == len(actors.mentions):
        return set(cached[1])  # once per article: every mention of a long article asks
    kinds = {a.name: a.kind for a in actors.actors}
    out: set[str] = set()
    for m in actors.mentions:
        if m.what != "actor" or kinds.get(m.name) != "person":
            continue
        before = doc[max(m.token_start - 4, 0) : m.token_start]
        after = doc[m.token_end : min(m.token_end + 5, len(doc))]
        appositive = after[:1].text == "," and any(t.lemma_.lower() in CANDIDATE_WORDS for t in after)
        if any(t.lemma_.lower() in CANDIDATE_WORDS for t in before) or appositive:
            out.add(m.name)
    doc.user_data[CANDIDATES_KEY] = [len(actors.mentions), sorted(out)]  # plain lists: a Doc may cross processes
    return out


def side_of(name: str, actors: ActorResult, affiliation: dict[str, str] | None = None) -> Side:
    """The side a party acts for; a company, a private person or the media are not official."""
    if affiliation and name in affiliation:
        actor = actors.by_name(name)
        if actor is not None and actor.kind == "person" and not actor.country:
            return side_of(affiliation[name], actors)
    actor = actors.by_name(name)
    entry = load_knowledge().lookup(name)
    kind = actor.kind if actor is not None else (entry.kind if entry is not None else None)
    country = (actor.country if actor is not None else None) or (entry.country if entry is not None else None)
    if kind == "country":
        return Side(country or name, True)
    if kind == "armed_group":
        return Side(name, True)
    if kind == "organization" and LEGISLATURE_WORDS.search(name) and not parent_body(name):
        return Side(country or name, False)  # a legislature's deal or session is domestic politics
    if kind == "organization":
        parent = parent_body(name)
        if parent or entry is not None or is_state_body(name):
            return Side(parent or country or name, True)
        return Side(name, False)
    if kind == "person" and country:
        return Side(country, True)
    return Side(name, False)


def known_body(head: Token) -> list[str]:
    """A subject the actors stage left unnamed that the shipped knowledge knows ("The White House" -> United States, "Trump")."""
    if head.pos_ != "PROPN" and not (head.pos_ == "NOUN" and head.text[:1].isupper()):
        return []  # a capitalised noun inside the sentence is a name the tagger missed ("Trump met ...")
    words = [t.text for t in head.subtree if t.dep_ == "compound" and t.head.i == head.i] + [head.text]
    entry = load_knowledge().lookup(" ".join(words))
    return [entry.name] if entry is not None and entry.kind in {"country", "organization", "armed_group", "person"} else []


def host_state(location: str | None) -> str | None:
    """The state whose capital or seat the milestone took place in ("talks in Moscow")."""
    if not location:
        return None
    k = load_knowledge()
    entry = k.lookup(location)
    if entry is not None and entry.kind == "country":
        return entry.country or entry.name
    return None


def _venue(tok: Token) -> bool:
    """A city naming talks ("the Geneva talks"), not a state ("the Iran talks" are about Iran)."""
    k = load_knowledge()
    entry = k.lookup(tok.text)
    return tok.ent_type_ in {"GPE", "LOC"} and k.city(tok.text) is not None and (entry is None or entry.name != tok.text)


def _named_process(tok: Token) -> bool:
    """"the peace talks", "ceasefire talks", "the Geneva talks", "EU-mediated talks": the process is named, one side is enough."""
    prev = tok.doc[tok.i - 1] if tok.i > 0 else tok
    if prev.i != tok.i and prev.lemma_.lower() in PROCESS_MODIFIERS:
        return True
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lower_ in {"round", "rounds"}:
        return True  # "a new round of talks": a process under way
    for c in tok.children:
        if c.lemma_.lower() in PROCESS_MODIFIERS or (c.dep_ == "compound" and _venue(c)):
            return True
        if c.lemma_.lower() in MEDIATED_WORDS or any(g.lemma_.lower() in MEDIATED_WORDS for g in c.children if g.dep_ in {"amod", "npadvmod"}):
            return True
    return False


def credible(kind: str, parties: list[str], location: str | None, tok: Token, actors: ActorResult,
             affiliation: dict[str, str] | None = None, venue: bool = False) -> Credibility:
    """Step 'diplomacy': an official party, and two sides for a meeting or talks (talks at a named venue need one)."""
    # "the peace talks", "the Geneva talks": a process named by its aim or its place needs one side named
    process = _named_process(tok)
    if not parties:
        if kind in {"meeting", "talks"} and not process:
            return Credibility(False, "nobody meets")  # a meeting is between named sides
        return Credibility(True, "no party named")  # "the truce took effect": its sides are named elsewhere, if anywhere
    running = candidates(tok.doc, actors)
    sides = [Side(p, False) if p in running else side_of(p, actors, affiliation) for p in parties]
    official = {s.name for s in sides if s.official}
    if not official:
        return Credibility(False, "no official party")
    if kind not in {"meeting", "talks"}:
        return Credibility(True, "official party")
    names = set(official)
    host = host_state(location)
    if host:
        names.add(host)
    if len(names) >= 2:
        return Credibility(True, "two sides")
    if process:
        return Credibility(True, "a named process")
    if kind == "talks" and venue:
        return Credibility(True, "talks at a venue")  # "travelled to Doha for talks": the other side is there  # "the peace talks": one side named is enough
    return Credibility(False, "one side")


def is_business(tok: Token, sent: Span) -> bool:
    """A deal told with words of business ("takeover", "merger", "contract") in its clause: not diplomacy."""
    clause = next((a for a in tok.ancestors if a.pos_ in {"VERB", "AUX"}), None)
    words = {t.lemma_.lower() for t in (clause.subtree if clause is not None else sent)}
    return bool(words & BUSINESS_WORDS)


def not_news_sentence(sent: Span) -> bool:
    """A photo caption ("Putin (L) meets ...") or a question is not a report of news."""
    text = sent.text.strip().strip("\"'\u201d\u201c ")
    return bool(CAPTION_RE.search(sent.text)) or text.endswith("?")
