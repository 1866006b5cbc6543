"""Actors and places: typed, merged into one entity each, tied to the state they act for.

Input is a parsed Doc whose entities come from the knowledge ruler and the statistical
NER. This stage repairs what the small model gets wrong before classifying anything:
- cities read as people ("Near Palmyra", "Davis" the town for Jeff Davis the spokesman),
  surnames as organisations, ships as people, weapons ("VBIED") as organisations;
- names the model missed after a title ("Special Advisor Knox Thames", "Gen. Coe") or
  after a locative clue ("near Al Shadaddi", "the town of Tel Tamer");
- photo credits and bylines (see layout.py), "Putin-Zelensky" compounds, title words
  such as "Defence", transcript labels ("QUESTION:");
then merges surnames and titled forms into full names, reads roles and affiliations from
appositions and possessives ("Russia's top negotiator, Vladimir Medinsky"), and names the
bodies of a state from their adjective ("U.S. forces" -> American armed forces, United
States; "the Iraqi government" counts toward Iraq as the Kremlin does toward Russia).

The Doc is left as the pipeline made it: other stages read its entity labels.

Steps of `ActorExtractor.extract`, in order (all state of one article is an `_Article`):

1. `_add_dateline`: the place the story was filed from.
2. `_candidates`: each entity of the model repaired by `_repair` (one method per case,
   `_not_an_actor` ... `_body_by_capitalised_head`), then people after titles
   (`_title_persons`), places after locative clues (`_gap_places`) and a state's forces,
   bodies and government (`_state_bodies`).
3. `_classify`, once per candidate: hinted candidates first (`_add_forces`, `_add_body`...),
   then by label: places are typed in `_add_place_or_state`, where a capital or seat
   becomes its state (`_add_state_or_seat`); people in `_add_person_entity`, bodies in
   `_add_organisation`. One-word names wait in `_Article.name_parts`.
4. `_merge_name_part`, once per one-word name: persons are merged into the article's full
   names (`_Article.new_person` merges full names), or become places, bodies, new people.
5. `_untagged_surnames`, `_descriptions` (appositions as aliases), `_descriptions_before_names`,
   `_office_holders` (an office named with no holder), `_resolve_coalitions`.
6. The forms an item is written in, kept as its aliases: `_qualified_places` ("Palmyra, Syria":
   the state after the comma is no item), `_place_head_phrases` ("the city of Mosul", "Idlib
   province"), `_group_descriptions` ("ISIL tactical units", "Coalition partners"),
   `_bodies_without_their_operation` ("CJTF-OIR" is also "CJTF"); `_held_places_and_sites`
   ("ISIL-held buildings": places named by description, mentions of kind "area").
7. `_Article.result`: the typed records become Actors, Places and Mentions; a place is shown
   under the name the article writes most (the gazetteer's kept as an alias), and a state
   named only by adjectives of things that do not act is left out.

The word lists are in `data/lexicon/actors.json`; the loops call `budget.check()` so the
time budget of an article can stop it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from ..models import Actor, Place
from . import budget
from .knowledge import BIG_CITY, Entry, Knowledge, PlaceEntry, ascii_name, normalise
from .layout import Layout
from .lexicon import load_lexicon

# The word lists are data: data/lexicon/actors.json says what each one is for.
LEX = load_lexicon("actors")
ROLE_WORDS = LEX.words("ROLE_WORDS")
TITLE_FRAGMENTS = LEX.words("TITLE_FRAGMENTS")
HONORIFICS = LEX.words("HONORIFICS")
TITLE_WORDS = LEX.words("TITLE_WORDS")
NAME_PARTICLES = LEX.words("NAME_PARTICLES")
NAME_SUFFIXES = LEX.words("NAME_SUFFIXES")
LOCATIVE_PREPS = LEX.words("LOCATIVE_PREPS")
LEADING_PREPS = LEX.words("LEADING_PREPS")
REGION_WORDS = LEX.words("REGION_WORDS")
SETTLEMENT_WORDS = LEX.words("SETTLEMENT_WORDS")
DIRECTIONS = LEX.words("DIRECTIONS")
FACILITY_HEADS = LEX.words("FACILITY_HEADS")
STRONG_FACILITY_HEADS = LEX.words("STRONG_FACILITY_HEADS")
NON_PLACE_HEADS = LEX.words("NON_PLACE_HEADS")
EVENT_HEADS = LEX.words("EVENT_HEADS")
ROLE_HEADS = LEX.words("ROLE_HEADS")
DOCUMENT_HEADS = LEX.words("DOCUMENT_HEADS")
BODY_HEADS = LEX.words("BODY_HEADS")
GENERIC_ORG_WORDS = LEX.words("GENERIC_ORG_WORDS")
FORCE_NOUNS = LEX.words("FORCE_NOUNS")
FORCE_PAIRS = LEX.pairs("FORCE_PAIRS")
STATE_NOUNS = LEX.words("STATE_NOUNS")
AGENCY_TAGS = LEX.words("AGENCY_TAGS")
PLATFORMS = LEX.words("PLATFORMS")
EQUIPMENT = LEX.words("EQUIPMENT")
SHIP_PREFIXES = LEX.words("SHIP_PREFIXES")
TRANSCRIPT_LABELS = LEX.words("TRANSCRIPT_LABELS")
MONTHS_DAYS = LEX.words("MONTHS_DAYS")
NAME_PREFIXES = tuple(sorted(LEX.words("NAME_PREFIXES")))  # for str.startswith
ORG_NAME_JOINERS = LEX.words("ORG_NAME_JOINERS")
NOT_NAME_WORDS = LEX.words("NOT_NAME_WORDS")
NAME_TOKEN_PREFIXES = tuple(sorted(LEX.words("NAME_TOKEN_PREFIXES")))  # for str.startswith
SERVICE_WORDS = LEX.words("SERVICE_WORDS")
CAPITALISED_ROLE_STARTS = LEX.words("CAPITALISED_ROLE_STARTS")
LOCATIVE_FILLERS = LEX.words("LOCATIVE_FILLERS")
LOCATIVE_OF_HEADS = LEX.words("LOCATIVE_OF_HEADS")
NON_ACTOR_LABELS = LEX.words("NON_ACTOR_LABELS")
LAW_HEADS = LEX.words("LAW_HEADS")
QUARTER_WORDS = LEX.words("QUARTER_WORDS")
LEADER_STATE_NOUNS = LEX.words("LEADER_STATE_NOUNS")
STATE_OF_NOUNS = LEX.words("STATE_OF_NOUNS")
GAP_CLUES = LEX.words("GAP_CLUES")
NEAR_CLUES = LEX.words("NEAR_CLUES")
TITLED_NAME_BLOCKERS = LEX.words("TITLED_NAME_BLOCKERS")
APPOSED_NAME_BLOCKERS = LEX.words("APPOSED_NAME_BLOCKERS")
COUNTRY_PREFIXED_ORG_STARTS = LEX.words("COUNTRY_PREFIXED_ORG_STARTS")
APPOSITION_STOPS = LEX.words("APPOSITION_STOPS")
APPOSITION_JOINERS = LEX.words("APPOSITION_JOINERS")
APPOSITION_EXTRA_WORDS = LEX.words("APPOSITION_EXTRA_WORDS")
APPOSITION_OPEN_ENDS = LEX.words("APPOSITION_OPEN_ENDS")
TITLE_QUALIFIERS = LEX.words("TITLE_QUALIFIERS")
NOT_APPOSED_TITLES = LEX.words("NOT_APPOSED_TITLES")
RIGHT_ROLE_NON_WORDS = LEX.words("RIGHT_ROLE_NON_WORDS")
BODY_NAME_JOINERS = LEX.words("BODY_NAME_JOINERS")
PLACE_HEAD_ADJECTIVES = LEX.words("PLACE_HEAD_ADJECTIVES")
GROUP_HEADS = LEX.words("GROUP_HEADS")
GROUP_MODIFIERS = LEX.words("GROUP_MODIFIERS")
PEOPLE_WORDS = LEX.words("PEOPLE_WORDS")
WATER_HEADS = LEX.words("WATER_HEADS")
HELD_PLACE_HEADS = LEX.words("HELD_PLACE_HEADS")
SITE_HEADS = LEX.words("SITE_HEADS")
UNIT_WORDS = LEX.words("UNIT_WORDS")
PORTFOLIO_WORDS = LEX.words("PORTFOLIO_WORDS")
AGENT_NOUNS = LEX.words("AGENT_NOUNS")
ATTACK_NOUNS = LEX.words("ATTACK_NOUNS")
PLURAL_PLACE_HEADS = LEX.words("PLURAL_PLACE_HEADS")
SHORT_BODY_HEADS = LEX.words("SHORT_BODY_HEADS")
STATE_GROUP_HEADS = LEX.words("STATE_GROUP_HEADS")

POSSESSIVES = frozenset({"'s", "\u2019s"})
POSSESSIVE_MARKS = POSSESSIVES | {"'"}
QUOTES = frozenset({"'", "\u2018", "\u2019", '"', "\u201c", "\u201d"})
# Names a state's armed forces may go by in the knowledge ("<adjective> <name>"): the first known wins.
FORCE_NAMES = ("armed forces", "military", "forces", "army")


@dataclass
class Mention:
    """One reference in the text to an actor or a place."""

    start: int
    end: int
    text: str
    name: str  # canonical name of the actor or place within this article
    what: str  # "actor", "place", or "area": a place named by description, not by a name ("northern
    # Iraq", "ISIL-held buildings"), too vague to locate an event (the casualty and milestone stages read "place")
    token_start: int
    token_end: int
    locative: bool = False  # "in Turkey": where something happened, not who acted


@dataclass
class _PersonDraft:
    full: str
    entry: Entry | None = None
    mentions: list[Mention] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)


@dataclass
class _Cand:
    """An entity after repair: token span, label, and what the repairs found out."""

    start: int
    end: int
    label: str
    ent_id: str = ""
    hint: str | None = None  # place, person, forces, state, other, coalition
    kind: str | None = None  # for places: city, region, other
    country: str | None = None
    name: str | None = None  # a canonical name fixed by the repair
    char_start: int | None = None  # for parts of one token ("U.S.-Iraq")
    char_end: int | None = None


@dataclass
class ActorResult:
    actors: list[Actor]
    places: list[Place]
    mentions: list[Mention]
    _order: list[int] = field(default_factory=list, repr=False, compare=False)
    _starts: list[int] | None = field(default=None, repr=False, compare=False)

    def by_name(self, name: str) -> Actor | None:
        return next((a for a in self.actors if a.name == name), None)

    def mentions_in(self, start: int, end: int, what: str | None = None) -> list[Mention]:
        return [m for m in self.starting_in(start, end, what) if m.end <= end]

    def starting_in(self, start: int, end: int, what: str | None = None) -> list[Mention]:
        """Mentions that start in [start, end), in their list order: a sentence's mentions.

        Found by bisection over the starts, so reading every sentence of a long article
        does not scan every mention each time.
        """
        if self._starts is None or len(self._order) != len(self.mentions):
            self._order = sorted(range(len(self.mentions)), key=lambda i: self.mentions[i].start)
            self._starts = [self.mentions[i].start for i in self._order]
        lo, hi = bisect_left(self._starts, start), bisect_left(self._starts, end)
        found = sorted(self._order[lo:hi])
        return [m for m in (self.mentions[i] for i in found) if what is None or m.what == what]


def _clean(text: str) -> str:
    t = text.strip().replace("\u2019", "'")
    t = re.sub(r"^(?:the|The|THE)\s+", "", t)
    t = re.sub(r"'s?$", "", t)
    return t.strip(" ,.;:-\"'")


def _is_name_like(text: str) -> bool:
    """Capitalised words (particles and unit numbers allowed): "Abu Bakr al-Baghdadi", "3rd Battalion"."""
    words = text.split()
    return 1 <= len(words) <= 5 and (words[0][:1].isupper() or words[0][:1].isdigit()) and all(
        w[:1].isupper() or re.fullmatch(r"\d{1,4}(?:st|nd|rd|th)?", w) or w.lower().startswith(NAME_PREFIXES)
        for w in words
        if w.lower() not in NAME_PARTICLES
    )


def _is_org_name_like(text: str) -> bool:
    """A body's name: capitalised words joined by small ones ("State Board of Antiquities and Heritage")."""
    words = text.split()
    small = ORG_NAME_JOINERS
    return (
        1 <= len(words) <= 9
        and words[0].lower() not in small
        and words[-1].lower() not in small
        and all(w[:1].isupper() or w[:1].isdigit() or w.lower() in small or w.lower().startswith(("al-", "el-")) for w in words)
    )


def _bare(word: str) -> str:
    return word.lower().rstrip(".")


def _is_title_token(tok: Token) -> bool:
    return _bare(tok.text) in TITLE_WORDS and (tok.text[:1].isupper() or tok.text.isupper())


def _name_token(tok: Token) -> bool:
    """A token that can be part of a person's name: capitalised, an initial, a particle."""
    t = tok.text
    if t.lower() in NAME_PARTICLES or t.lower().startswith(NAME_TOKEN_PREFIXES):
        return True
    if re.fullmatch(r"[A-Z]\.", t) or re.fullmatch(r"[A-Z]\.[A-Z]\.", t):
        return True
    return bool(t[:1].isupper() and any(c.isalpha() for c in t) and _bare(t) not in MONTHS_DAYS and t not in NOT_NAME_WORDS)


def person_name(words: list[str]) -> str:
    """A person's name as the article writes it, without titles, nicknames or possessive.

    "Gen. Joseph L. Votel" -> "Joseph L. Votel"; "Col. John 'J.D.' Dorrian" -> "John
    Dorrian"; "MIKHAIL KLIMENTYEV" -> "Mikhail Klimentyev".
    """
    text = " ".join(words)
    text = re.sub(r"\s*(['\"\u2018\u201c])[^'\"\u2018\u2019\u201c\u201d]{1,12}(['\"\u2019\u201d])\s*", " ", text)
    text = re.sub(r"['\u2019]s$", "", text.strip())
    out = text.split()
    while out and (_bare(out[0]) in TITLE_WORDS or _bare(out[0]) in HONORIFICS or out[0].lower() in SERVICE_WORDS):
        out = out[1:]
    name = " ".join(out)
    if name.isupper() and len(name) > 3:
        name = " ".join(w.capitalize() if len(w) > 2 or not w.endswith(".") else w for w in name.split())
    return name.strip(" ,.;:-")


def _surface_name(written: str, known: str) -> str:
    """A place's name as the article writes it ("Raqqa", not the gazetteer's "Ar Raqqah"):
    without "the" or a possessive; a dateline's capitals in the known case ("BAGHDAD")."""
    text = _clean(written)
    if not text:
        return known
    if text.isupper() and len(text) > 3:
        return known if known.lower() == text.lower() else text.title()
    return text


def _shown_place_names(places: dict[str, _PlaceDraft]) -> dict[str, str]:
    """Each place under the name the article uses most (the first written on a tie); the
    gazetteer's name where two places of the article would otherwise share one."""
    shown: dict[str, str] = {}
    taken: set[str] = set()
    for known, p in places.items():
        name = p.surfaces.most_common(1)[0][0] if p.surfaces else known
        if name in taken or (name != known and name in places):
            name = known
        shown[known] = name
        taken.add(name)
    return shown


def _merge_key(full: str) -> tuple[str, str]:
    words = [w for w in full.lower().split() if w not in NAME_SUFFIXES]
    return (words[0], words[-1]) if words else ("", "")


def _surname(full: str) -> str:
    words = [w for w in full.split() if w.lower() not in NAME_SUFFIXES]
    return words[-1].lower() if words else ""


def _sentence_bounds(doc: Doc, i: int) -> tuple[int, int]:
    """The sentence around token `i`; the whole Doc where no sentence boundaries are set."""
    if not doc.has_annotation("SENT_START"):
        return 0, len(doc)
    sent = doc[i].sent
    return sent.start, sent.end


def _role_and_country(doc: Doc, span_start: int, span_end: int, k: Knowledge) -> tuple[list[str], list[str]]:
    """Titles and affiliation written around a name.

    Left: "Russian President Vladimir Putin", "Ukraine's top negotiator, Defence Minister
    Rustem Umerov", "The head of Ukraine's military intelligence Kirillo Budanov".
    Right: "Vladimir Medinsky, Russia's top negotiator," / "Peskov, the Kremlin spokesman".
    """
    sent_start, sent_end = _sentence_bounds(doc, span_start)
    roles, countries = _roles_before(doc, span_start, sent_start, k)
    after = _role_after(doc, span_end, sent_end, k)
    if after is not None:
        roles.append(after[0])
        countries.extend(after[1])
    return _tidy_roles(roles), countries


def _roles_before(doc: Doc, span_start: int, sent_start: int, k: Knowledge) -> tuple[list[str], list[str]]:
    """Read leftwards from the name: title words, and the country the title belongs to."""
    roles: list[str] = []
    countries: list[str] = []
    current: list[str] = []
    commas = 0
    i = span_start - 1
    while i >= sent_start and span_start - i <= 12:
        tok = doc[i]
        low = tok.lower_
        nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        # A country counts only when it qualifies the title: "Ukraine's top negotiator",
        # "Russian President"; not "... in Turkey, spokesman Dmitry Peskov".
        qualifies = nxt in POSSESSIVE_MARKS or nxt in ROLE_WORDS or tok.ent_type_ == "NORP"
        if tok.text in {",", "\u2013"} and commas == 0 and (current or i == span_start - 1):
            if current:
                roles.append(" ".join(reversed(current)))
            current = []
            commas += 1
        elif low in POSSESSIVE_MARKS:
            pass
        elif tok.ent_type_ in {"GPE", "NORP", "ORG"} and (entry := k.lookup(tok.text)) and entry.kind == "country":
            if not qualifies:
                break
            countries.append(entry.name)
        elif (low in ROLE_WORDS or (low in PORTFOLIO_WORDS and tok.text[:1].isupper() and current)) and tok.ent_type_ != "PERSON":
            current.append(tok.text)  # "International Development Secretary": the portfolio is part of the role
        elif low == "for" and current and i > sent_start and doc[i - 1].lower_ in ROLE_WORDS:
            current.append(tok.text)  # "Minister for Defence Marise Payne"
        elif low in {"the", "a"}:
            if current:
                break
        else:
            break
        i -= 1
    if current:
        roles.append(" ".join(reversed(current)))
    return roles, countries


def _role_after(doc: Doc, span_end: int, sent_end: int, k: Knowledge) -> tuple[str, list[str]] | None:
    """Right-hand apposition: ", Russia's top negotiator," / ", the Kremlin spokesman"."""
    j = span_end
    if not (j < sent_end and doc[j].text == ","):
        return None
    j += 1
    right: list[str] = []
    right_countries: list[str] = []
    while j < sent_end and j - span_end <= 12:
        tok = doc[j]
        low = tok.lower_
        if low == "the" or low in POSSESSIVES:
            pass
        elif tok.ent_type_ in {"GPE", "NORP", "ORG"} and (entry := k.lookup(tok.text)) and entry.kind == "country":
            right_countries.append(entry.name)
        elif low in ROLE_WORDS:
            right.append(tok.text)
        else:
            break
        j += 1
    ended = j >= sent_end or doc[j].text in {",", ".", ";", "said", "told"} or doc[j].pos_ in {"VERB", "AUX"}
    if right and ended and any(w.lower() not in RIGHT_ROLE_NON_WORDS for w in right):
        return " ".join(right), right_countries
    return None


def _tidy_roles(roles: list[str]) -> list[str]:
    """Without a dangling "of"/"the", without roles made only of honorifics; "President" capitalised."""
    cleaned = []
    for r in roles:
        r = re.sub(r"^(?:of|the)\s+|\s+(?:of|the)$", "", r, flags=re.IGNORECASE).strip()
        if r and r.lower() not in {"of", "the", "state"} and not all(_bare(w) in HONORIFICS for w in r.split()):
            cleaned.append(r[0].upper() + r[1:] if r.split()[0].lower() in CAPITALISED_ROLE_STARTS else r)
    return cleaned

@dataclass(frozen=True)
class _CharSpan:
    """Where a candidate sits in the text, in characters, and its text as written."""

    start: int
    end: int
    text: str


@dataclass
class _OtherDraft:
    """A state, a body or a group the article names, gathered mention by mention."""

    kind: str
    country: str | None
    role: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)


@dataclass
class _PlaceDraft:
    """A place the article names, gathered mention by mention."""

    kind: str  # city, region, other
    country: str | None
    lat: float | None = None
    lon: float | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    surfaces: Counter[str] = field(default_factory=Counter)  # the names the article writes
    aliases: set[str] = field(default_factory=set)  # longer forms: "Palmyra, Syria", "the city of Mosul"


@dataclass(frozen=True)
class _NamePart:
    """A one-word name, kept until every full name of the article is known.

    `how` says where it came from: "single" (a PERSON of one word), "org" (a one-word ORG,
    often a surname: "Votel explained") or "compound" (a part of "Putin-Zelensky").
    """

    text: str
    cand: _Cand
    how: str


@dataclass(frozen=True)
class _Found:
    """A candidate as the classification reads it: where it is, its text, what it is known as."""

    cand: _Cand
    where: _CharSpan
    text: str  # cleaned: no leading "the", no possessive
    entry: Entry | None = None


@dataclass
class _Article:
    """What one article names, gathered candidate by candidate, then turned into the result.

    People merge here: a new full name joins an earlier one with the same first and last
    word ("Joseph Votel" and "Joseph L. Votel") or the same knowledge entry.
    """

    doc: Doc
    k: Knowledge
    text: str = ""  # doc.text is built anew on each access: read once per article
    persons: dict[str, _PersonDraft] = field(default_factory=dict)
    by_key: dict[tuple[str, str], str] = field(default_factory=dict)
    by_surname: dict[str, list[str]] = field(default_factory=dict)
    others: dict[str, _OtherDraft] = field(default_factory=dict)
    places: dict[str, _PlaceDraft] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)  # of others and places; people's come last
    name_parts: list[_NamePart] = field(default_factory=list)
    coalitions: list[_Cand] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.text = self.doc.text

    def span_of(self, c: _Cand) -> _CharSpan:
        if c.char_start is not None and c.char_end is not None:
            return _CharSpan(c.char_start, c.char_end, self.text[c.char_start : c.char_end])
        sp = self.doc[c.start : c.end]
        return _CharSpan(sp.start_char, sp.end_char, sp.text)

    def add_place(self, name: str, kind: str, country: str | None, where: tuple[int, int, int, int], located: PlaceEntry | None = None,
                  written: bool = True, what: str = "place") -> None:
        """A mention of a place; `where` is (char start, char end, token start, token end).
        `written`: the text there names the place itself (not "the White House" for Washington)."""
        p = self.places.setdefault(name, _PlaceDraft(kind, country, located.lat if located else None, located.lon if located else None))
        if kind == "region":
            p.kind = "region"
        p.country = p.country or country
        if p.lat is None and located is not None and located.lat is not None:
            p.lat, p.lon = located.lat, located.lon
        s, e, ts, te = where
        p.spans.append((s, e))
        shown = _surface_name(self.text[s:e], name) if written else name
        words = shown.split()
        if len(words) > 1 and words[-1].lower() in REGION_WORDS and name.split()[-1].lower() not in REGION_WORDS:
            # "Sumy region", "Idlib province": shown as "Sumy", the written form kept.
            p.aliases.add(shown)
            shown = " ".join(words[:-1])
        p.surfaces[shown] += 1
        self.mentions.append(Mention(s, e, self.text[s:e], name, what, ts, te))

    def add_other(self, name: str, kind: str, country: str | None, c: _Cand, alias: str) -> Mention:
        o = self.others.setdefault(name, _OtherDraft(kind, country))
        o.country = o.country or country
        at = self.span_of(c)
        o.spans.append((at.start, at.end))
        if alias and alias != name:
            o.aliases.add(alias)
        mention = Mention(at.start, at.end, at.text, name, "actor", c.start, c.end)
        self.mentions.append(mention)
        return mention

    def new_person(self, full: str, entry: Entry | None) -> _PersonDraft:
        """The person `full` names: one already met (same entry, same first and last word), or a new one."""
        key = _merge_key(full)
        if entry is not None:
            same = next((f for f, d in self.persons.items() if d.entry is not None and d.entry.name == entry.name), None)
            if same is not None:
                return self.persons[same]
        if key in self.by_key:
            draft = self.persons[self.by_key[key]]
            if full != draft.full:
                draft.aliases.add(full)
            return draft
        draft = self.persons.setdefault(full, _PersonDraft(full=full, entry=entry))
        self.by_key[key] = full
        self.by_surname.setdefault(_surname(full), []).append(full)
        return draft

    def add_person(self, full: str, entry: Entry | None, c: _Cand, alias: str) -> None:
        draft = self.new_person(full, entry)
        draft.entry = draft.entry or entry
        at = self.span_of(c)
        draft.mentions.append(Mention(at.start, at.end, at.text, draft.full, "actor", c.start, c.end))
        if alias != draft.full:
            draft.aliases.add(alias)
        self.add_roles(draft, c)

    def add_roles(self, draft: _PersonDraft, c: _Cand) -> None:
        roles, countries = _role_and_country(self.doc, c.start, c.end, self.k)
        draft.roles.extend(r for r in roles if r not in draft.roles)
        draft.countries.extend(countries)

    def result(self) -> ActorResult:
        mentions = list(self.mentions)
        actors: list[Actor] = []
        for full, d in self.persons.items():
            if not d.mentions:
                continue
            for m in d.mentions:
                m.name = full
            mentions.extend(d.mentions)
            actors.append(self._person_actor(full, d))
        actors.extend(self._other_actor(name, o) for name, o in self.others.items() if not self._named_only_by_adjective(name, o))
        actors.sort(key=lambda a: (-a.mentions, a.name))
        shown = _shown_place_names(self.places)
        for m in mentions:
            if m.what in {"place", "area"} and m.name in shown:
                m.name = shown[m.name]
        places = [
            Place(name=shown[n], kind=p.kind, country=p.country, mentions=len(p.spans), lat=p.lat, lon=p.lon, spans=sorted(p.spans),
                  aliases=sorted((set(p.surfaces) | p.aliases | {n}) - {shown[n]}))
            for n, p in self.places.items()
        ]
        places.sort(key=lambda p: (-p.mentions, p.name))
        mentions.sort(key=lambda m: m.start)
        return ActorResult(actors=actors, places=places, mentions=mentions)

    def _named_only_by_adjective(self, name: str, o: _OtherDraft) -> bool:
        """A state the article names only in nationality adjectives of things that do not act
        ("the Syrian civil war", "German companies", "a UK-based group") is no actor of it;
        "Russian air strikes", "US-backed forces" are the state acting (AGENT_NOUNS). Its
        mentions stay, so a toll or a talk still reads the state from them."""
        if o.kind != "country":
            return False
        doc, n = self.doc, len(self.doc)
        seen = 0
        for m in self.mentions:
            if m.name != name or m.what != "actor":
                continue
            seen += 1
            if normalise(m.text) not in self.k.adjectives or m.token_end >= n:
                return False
            nxt = m.token_end + 1 if doc[m.token_end].text == "-" and m.token_end + 1 < n else m.token_end
            follower = doc[nxt]
            if not follower.is_alpha or follower.pos_ in {"VERB", "AUX"} and nxt == m.token_end or follower.lower_ in AGENT_NOUNS | STATE_GROUP_HEADS:
                return False
        return seen > 0

    def _person_actor(self, full: str, d: _PersonDraft) -> Actor:
        country_votes = Counter(d.countries)
        country = country_votes.most_common(1)[0][0] if country_votes else (d.entry.country if d.entry else None)
        role = ", ".join(d.roles) if d.roles else None
        # The article's own words win; shipped knowledge fills in or completes them
        # ("spokesman" in the text, "Kremlin spokesman" known).
        known_role = d.entry.role if d.entry and d.entry.role else None
        if known_role and (role is None or (role.lower() != known_role.lower() and role.lower() in known_role.lower())):
            role = known_role
        return Actor(
            name=full, kind="person", country=country, role=role, mentions=len(d.mentions),
            aliases=sorted(d.aliases - {full}), canonical=d.entry.name if d.entry else None,
            spans=sorted((m.start, m.end) for m in d.mentions),
        )

    def _other_actor(self, name: str, o: _OtherDraft) -> Actor:
        known = name in self.k.countries or normalise(name) in self.k.names
        return Actor(
            name=name, kind=o.kind, country=o.country, role=o.role, mentions=len(o.spans),
            aliases=sorted(o.aliases), canonical=name if known else None, spans=sorted(o.spans),
        )


@dataclass(frozen=True)
class _Entity:
    """An entity of the model as the repairs read it (its end possibly cut short)."""

    start: int
    end: int
    label: str
    ent_id: str
    text: str
    start_char: int


def _cut_short_phrase(doc: Doc, ent: Span) -> _Entity | None:
    """ "the Government of" + "Iraq": the model cut a phrase short; the state rules read it,
    so the entity ends before its "(" or is dropped when it ends on "of", "the" ..."""
    start, end, text = ent.start, ent.end, ent.text
    if ent.label_ == "ORG" and not ent.ent_id_ and doc[end - 1].text == "(" and end - start > 1:
        end -= 1
        text = doc[start:end].text
    if ent.label_ == "ORG" and not ent.ent_id_ and doc[end - 1].lower_ in {"of", "the", "and", "for", "("}:
        return None
    return _Entity(start, end, ent.label_, ent.ent_id_, text, ent.start_char)


def _after_portfolio(doc: Doc, j: int) -> int:
    """ "Minister for Defence Marise Payne", "Minister for the Middle East Alistair Burt": the
    token after the portfolio a title names ("for" and its words, or a place), where the
    holder's name starts; `j` itself where no portfolio is written there."""
    n = len(doc)
    if not (j < n and doc[j].lower_ == "for" and j > 0 and doc[j - 1].text[:1].isupper()):
        return j
    k = j + 1
    while k < n and k - j <= 6 and (
        doc[k].lower_ in PORTFOLIO_WORDS or (doc[k].lower_ in {"and", "the", "&"} and k + 1 < n and doc[k + 1].text[:1].isupper())
        or (doc[k].ent_type_ in {"LOC", "GPE", "NORP"} and doc[k].text[:1].isupper())
    ):
        k += 1
    named = k < n and _name_token(doc[k]) and doc[k].text[:1].isupper() and doc[k].ent_type_ not in {"LOC", "GPE", "NORP", "ORG"}
    return k if k > j + 1 and named else j


def _name_after_title(doc: Doc, i: int) -> tuple[int, int]:
    """The name after the title at token `i`, as (start, end); empty where none follows.

    Further titles are skipped ("Lt. Gen."), a quoted nickname is kept ("John 'J.D.' Dorrian").
    """
    n = len(doc)
    j = i + 1
    if j < n and doc[j].text == ".":
        j += 1
    while j < n and _is_title_token(doc[j]):
        j += 1
    j = _after_portfolio(doc, j)
    start = j
    while j < n and j - start < 4 and _name_token(doc[j]) and not _is_title_token(doc[j]) and not doc[j].is_punct:
        j += 1
    if start < j < n - 3 and doc[j].text in {"'", "\u2018", '"', "\u201c"} and doc[j + 2].text in {"'", "\u2019", '"', "\u201d"}:
        j2 = j + 3
        while j2 < n and j2 - j < 6 and _name_token(doc[j2]) and not doc[j2].is_punct:
            j2 += 1
        j = j2 if j2 > j + 3 else j
    return start, j


def _armed_forces_after(doc: Doc, c: _Cand, state: Entry, e: int, taken: set[int]) -> _Cand | None:
    """ "U.S. forces", "Iraqi security forces", "Russia's army": the state's armed forces."""
    nxt = doc[e].lower_ if e < len(doc) else ""
    nxt2 = doc[e + 1].lower_ if e + 1 < len(doc) else ""
    if (nxt, nxt2) in FORCE_PAIRS and e + 1 not in taken and e not in taken:
        return _Cand(c.start, e + 2, "ORG", hint="forces", country=state.name)
    if nxt in FORCE_NOUNS and e not in taken:
        return _Cand(c.start, e + 1, "ORG", hint="forces", country=state.name)
    return None


def _opposition_of(doc: Doc, c: _Cand, state: Entry, e: int, taken: set[int]) -> _Cand | None:
    """ "the Syrian opposition": those who oppose that state's government, not the state."""
    if e < len(doc) and doc[e].lower_ == "opposition" and e not in taken and c.label == "NORP":
        return _Cand(c.start, e + 1, "ORG", hint="opposition", country=state.name)
    return None


def _state_body_after(doc: Doc, c: _Cand, state: Entry, e: int, taken: set[int]) -> _Cand | None:
    """ "the Iraqi Ministry of Culture", "Ukraine's National Guard": a body of that state."""
    if not (e < len(doc) and doc[e].text[:1].isupper() and e not in taken and c.label in {"NORP", "GPE"}):
        return None
    j = e
    while j < len(doc) and j - e < 7 and j not in taken and (doc[j].text[:1].isupper() or (doc[j].lower_ in BODY_NAME_JOINERS and j + 1 < len(doc) and doc[j + 1].text[:1].isupper())):
        j += 1
    while j > e and doc[j - 1].lower_ in BODY_NAME_JOINERS:
        j -= 1
    if any(doc[x].lower_ in BODY_HEADS for x in range(e, j)) and not any(doc[x].ent_type_ in {"PERSON", "DATE"} for x in range(e, j)):
        return _Cand(c.start, j, "ORG", hint="body", country=state.name)
    return None


def _state_itself_around(doc: Doc, c: _Cand, state: Entry, e: int, taken: set[int]) -> _Cand | None:
    """ "the Iraqi government", "the Syrian people", "the government of Iraq": the state."""
    nxt = doc[e].lower_ if e < len(doc) else ""
    if nxt in STATE_NOUNS and e not in taken and (nxt != "people" or c.label == "NORP"):
        return _Cand(c.start, e + 1, c.label, c.ent_id, hint="state", country=state.name)
    # "Turkey's democratically elected government": lower-case modifiers between.
    j = e
    while j < len(doc) and j - e < 3 and doc[j].pos_ in {"ADV", "ADJ", "VERB"} and doc[j].text.islower() and j not in taken:
        j += 1
    if j > e and j < len(doc) and doc[j].lower_ in {"government", "leadership", "authorities"} and j not in taken and e > c.end:
        return _Cand(c.start, j + 1, c.label, c.ent_id, hint="state", country=state.name)
    if c.start >= 2 and doc[c.start - 1].lower_ == "of" and doc[c.start - 2].lower_ in STATE_OF_NOUNS and c.start - 2 not in taken:
        return _Cand(c.start - 2, c.end, c.label, c.ent_id, hint="state", country=state.name)
    return None


def _name_run(doc: Doc, k: int) -> int:
    """The end of the capitalised name starting at token `k` (at most four words)."""
    j = k
    while j < len(doc) and j - k < 4 and _name_token(doc[j]) and doc[j].text[:1].isupper() and not doc[j].is_punct:
        j += 1
    return j


def _listed_after_plural_head(doc: Doc, taken: set[int]) -> list[_Cand]:
    """ "the towns of Madaya and Zabadani", "the villages of A, B and C": every name of the
    list is a place, not only the first the model tagged."""
    out: list[_Cand] = []
    for p in range(len(doc) - 3):
        if not (doc[p].lower_ in PLURAL_PLACE_HEADS and doc[p + 1].lower_ == "of" and doc[p + 2].text[:1].isupper()):
            continue
        k = _name_run(doc, p + 2)
        for _ in range(6):
            j = k
            if j < len(doc) and doc[j].text == ",":
                j += 1
            if j < len(doc) and doc[j].lower_ == "and":
                j += 1
            if j == k or j >= len(doc) or not doc[j].text[:1].isupper():
                break
            end = _name_run(doc, j)
            if end == j:
                break
            if not any(x in taken for x in range(j, end)):
                out.append(_Cand(j, end, "GPE", hint="place"))
            k = end
    return out


def _target_of_attack(doc: Doc, start: int) -> bool:
    """ "air strikes on Sanaa", "a missile towards Riyadh", "the advance into Kyiv": the city
    struck or reached, not its government ("sanctions on Moscow" stays the government)."""
    i = start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    if i >= 0 and doc[i].lower_ in {"towards", "toward", "into"}:
        return True
    return i >= 1 and doc[i].lower_ in {"on", "against", "at"} and doc[i - 1].lower_ in ATTACK_NOUNS


def _part_of_state(doc: Doc, c: _Cand) -> bool:
    """ "northern Iraq", "northwestern Syria's": a direction written in lower case before a state."""
    if c.start == 0 or c.char_start is not None:
        return False
    d = doc[c.start - 1]
    return d.lower_ in DIRECTIONS and d.text.islower() and d.lower_ not in {"north", "south", "east", "west"}


def _locative_clue(doc: Doc, i: int) -> str | None:
    """ "near"/"outside"/"around" (an unknown name after it may be a place), "in"/"at"...
    (only a known one), "the town of"/"north of" (as "near"); None if token `i` is no clue."""
    low = doc[i].lower_
    if low in GAP_CLUES:
        return "near" if low in NEAR_CLUES else "in"
    if low == "of" and i > 0 and (doc[i - 1].lower_ in SETTLEMENT_WORDS or doc[i - 1].lower_ in DIRECTIONS):
        return "near"
    return None

def _qualifies(art: _Article, m: Mention, nxt: Mention, after: Mention | None) -> bool:
    """`nxt` locates the place `m` ("Cibolo, Texas", "Rome, Italy"): only a comma parts them,
    `nxt` is a state or a place, and no list goes on after it ("Aleppo, Idlib and Hama")."""
    if after is not None and re.fullmatch(r"\s?(?:,|,? and|,? or)\s*", art.text[nxt.end : after.start]):
        return False
    if m.what != "place" or m.token_end == 0 or m.name not in art.places or not re.fullmatch(r"\s?,\s*", art.text[m.end : nxt.start]):
        return False
    if not ((nxt.what == "place" and nxt.name in art.places) or (nxt.name in art.others and art.others[nxt.name].kind == "country")):
        return False
    return not re.match(r"\s*(?:and|or|&)\b", art.text[nxt.end : nxt.end + 8])


def _qualified_places(art: _Article) -> None:
    """ "Palmyra, Syria", "Vermillion, South Dakota": one place, known also by the qualified
    form; the state or region after the comma only locates it and is no item of its own."""
    ordered = sorted(art.mentions, key=lambda m: m.start)
    dropped: list[Mention] = []
    for i, (m, nxt) in enumerate(zip(ordered, ordered[1:], strict=False)):
        if (m.start, m.end) in {(d.start, d.end) for d in dropped} or not _qualifies(art, m, nxt, ordered[i + 2] if i + 2 < len(ordered) else None):
            continue
        place = art.places[m.name]
        place.aliases.add(_clean(art.text[m.start : nxt.end]))
        place.country = place.country or (nxt.name if nxt.what == "actor" else art.places[nxt.name].country)
        dropped.append(nxt)
    for q in dropped:
        draft: _PlaceDraft | _OtherDraft | None = art.places.get(q.name) if q.what == "place" else art.others.get(q.name)
        if draft is None:
            continue
        if (q.start, q.end) in draft.spans:
            draft.spans.remove((q.start, q.end))
        if not draft.spans:
            art.places.pop(q.name, None) if q.what == "place" else art.others.pop(q.name, None)
    gone = {(q.start, q.end, q.what) for q in dropped}
    art.mentions = [m for m in art.mentions if (m.start, m.end, m.what) not in gone]


def _place_head_phrases(art: _Article) -> None:
    """The longer forms a place is written in, kept as its aliases: "the Iraqi city of Mosul",
    "the port city of Tartus", "the vicinity of Ayn Issa", "Hasaka Province", "Al-Sinek neighborhood"."""
    doc = art.doc
    n = len(doc)
    for m in art.mentions:
        if m.what != "place" or m.token_end == 0 or m.name not in art.places:
            continue
        start, end = m.token_start, m.token_end
        if start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in SETTLEMENT_WORDS:
            start -= 2
            while start > 0 and m.token_start - start < 5 and (
                doc[start - 1].lower_ in DIRECTIONS | SETTLEMENT_WORDS | PLACE_HEAD_ADJECTIVES or doc[start - 1].ent_type_ == "NORP"
            ):
                start -= 1
        if end < n and doc[end].lower_ in REGION_WORDS | QUARTER_WORDS and doc[end - 1].lower_ not in REGION_WORDS:
            end += 1
        if (start, end) != (m.token_start, m.token_end):
            art.places[m.name].aliases.add(_clean(doc[start:end].text))
        if start < m.token_start - 2:  # "the Iraqi city of Mosul" is also "city of Mosul"
            art.places[m.name].aliases.add(doc[m.token_start - 2 : m.token_end].text)


def _description_before(doc: Doc, start: int) -> tuple[int, int] | None:
    """ "The CJTF-OIR commanding general, Lt. Gen. Stephen J. Townsend": the description
    written before a titled name and its comma, as token bounds; None where there is none."""
    i = start - 1
    while i >= 0 and start - i <= 4 and (_is_title_token(doc[i]) or doc[i].text == "." or doc[i].lower_ in SERVICE_WORDS):
        i -= 1
    if i == start - 1 or i < 1 or doc[i].text != ",":
        return None
    end = i
    j = end - 1
    while j >= 0 and end - j <= 8 and not doc[j].is_punct and doc[j].lower_ not in {"the", "a", "an", "its", "their"} and doc[j].ent_type_ != "PERSON":
        if doc[j].pos_ in {"VERB", "AUX", "ADP"} and doc[j].lower_ not in {"of", "for"}:
            return None
        j -= 1
    begin = j + 1
    words = doc[begin:end]
    if not len(words) or words[-1].lower_ not in ROLE_HEADS or not (j < 0 or doc[j].lower_ in {"the", "a", "an", "its", "their"} or doc[j].is_punct):
        return None
    return begin, end


def _descriptions_before_names(art: _Article) -> None:
    """A description before a titled name is one of the person's aliases (the apposition
    after a name already is: `_descriptions`)."""
    for d in art.persons.values():
        for m in d.mentions:
            found = _description_before(art.doc, m.token_start)
            if found is not None:
                d.aliases.add(art.doc[found[0] : found[1]].text)


def _office_phrase(doc: Doc, i: int) -> int | None:
    """ "the UN High Commissioner for Refugees", "its Senior Advisor for MEK Resettlement":
    the end of an office named by its capitalised title after the determiner at `i`, when no
    name follows it; None otherwise."""
    n = len(doc)
    j = i + 1
    head = None
    while j < n and j - i <= 10:
        tok = doc[j]
        if tok.text[:1].isupper() and not tok.is_punct and tok.ent_type_ != "PERSON":
            if head is None and tok.lower_ in ROLE_HEADS:
                head = j
            j += 1
        elif head is not None and tok.lower_ in {"of", "for", "to"} and j + 1 < n and doc[j + 1].text[:1].isupper():
            j += 1
        else:
            break
    if head is None or head == i + 1 and doc[head].lower_ not in {"secretary", "commissioner", "envoy"}:
        return None
    first_clause = next((x for x in range(i + 1, j) if doc[x].lower_ in {"of", "for", "to"}), j)
    if doc[first_clause - 1].lower_ not in ROLE_HEADS or (j < n and (doc[j].ent_type_ == "PERSON" or doc[j].lower_ in POSSESSIVES)):
        return None
    return j


def _office_holders(art: _Article) -> None:
    """An office the article names with no holder ("The Secretary of State has authorized a
    reward"): a person known by the office, one per office; where one of the article's
    people holds it, `_descriptions` has already made it their alias."""
    doc = art.doc
    known = {_clean(a).lower() for d in art.persons.values() for a in [*d.aliases, *d.roles, d.entry.role if d.entry and d.entry.role else ""]}
    for i, tok in enumerate(doc):
        if tok.lower_ not in {"the", "its", "their"}:
            continue
        end = _office_phrase(doc, i)
        if end is None or (end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].ent_type_ == "PERSON"):
            continue  # "the UN Special Envoy for Syria, Staffan de Mistura": the holder is named
        office = doc[i + 1 : end]
        bare = re.sub(r"^(?:U\.S\.|US|UN|U\.N\.|American) ", "", office.text)
        if office.text.lower() in known or bare.lower() in known or any(_clean(office.text) == f for f in art.persons):
            continue
        holder = next((d for d in art.persons.values() if d.entry is None and not d.roles[1:] and bare in {d.full, *d.aliases}), None)
        draft = holder or art.new_person(bare, None)
        draft.mentions.append(Mention(office.start_char, office.end_char, office.text, draft.full, "actor", office.start, office.end))
        draft.roles = draft.roles or [bare]
        if office.text != draft.full:
            draft.aliases.add(office.text)


def _site_at(doc: Doc, i: int) -> tuple[int, int] | None:
    """ "ISIL-held buildings" (a group's name, "-held", a head of HELD_PLACE_HEADS) and "a
    VBIED storage facility" (equipment, up to two lower-case words, a head of SITE_HEADS):
    the bounds of a site named at token `i`; None where none starts there."""
    n = len(doc)
    if i + 3 < n and doc[i + 1].text == "-" and doc[i + 2].lower_ == "held" and doc[i].text[:1].isupper():
        j = i + 3
        if j + 1 < n and doc[j].text.islower() and doc[j].lower_ not in HELD_PLACE_HEADS and doc[j + 1].lower_ in HELD_PLACE_HEADS:
            j += 1
        return (i, j + 1) if doc[j].lower_ in HELD_PLACE_HEADS else None
    if doc[i].lower_ in EQUIPMENT and doc[i].text.isupper():
        j = i + 1
        while j < n and j - i <= 3 and doc[j].text.islower() and doc[j].is_alpha:
            if doc[j].lower_ in SITE_HEADS:
                return i, j + 1
            j += 1
    return None


def _held_places_and_sites(art: _Article) -> None:
    """Places named by what they are rather than by a name: "ISIL-held buildings", "ISIL-held
    terrain", "a VBIED factory", "UAV launch sites" (kind "other", one per form)."""
    doc = art.doc
    for i in range(len(doc)):
        found = _site_at(doc, i)
        if found is None:
            continue
        span = doc[found[0] : found[1]]
        key = re.sub(r"(?<=[a-z])(?:ies)$", "y", span.text)
        key = key[:-1] if key.endswith("s") and not key.endswith("ss") and key == span.text else key
        art.add_place(key, "other", None, (span.start_char, span.end_char, span.start, span.end), what="area")


def _group_head_after(doc: Doc, end: int) -> int | None:
    """The head noun of a group's description after its name: "ISIL [tactical] units",
    "Coalition [military] forces", "ISIL terrorist group", "ANG Airmen"; None where none follows."""
    j = end
    head = None
    while j < len(doc) and j - end <= 4:
        tok = doc[j]
        low = tok.lower_
        hyphen = tok.text == "-" and j > end and j + 1 < len(doc) and doc[j - 1].text.islower() and doc[j + 1].text.islower()
        if low in GROUP_HEADS and (tok.text.islower() or tok.text.istitle()):
            head = j
        elif head is not None or not (hyphen or (tok.text.islower() and (low in GROUP_MODIFIERS or tok.pos_ in {"ADJ", "NOUN"}))):
            break
        j += 1
    return head


def _body_named_before(art: _Article, head: str, at: int) -> str | None:
    """The body of the article whose name has the word `head` ("Council") and that was named
    last before character `at`; None where none was."""
    best: tuple[int, str] | None = None
    for name, o in art.others.items():
        if o.kind not in {"organization", "armed_group"} or name.lower() == head or head not in name.lower().split():
            continue
        before = [s for s, _ in o.spans if s < at]
        if before and (best is None or max(before) > best[0]):
            best = (max(before), name)
    return best[1] if best else None


def _short_body_names(art: _Article) -> None:
    """ "The Council adopted ...", "the Commission said": a body named earlier in full, later
    by its head word alone (tagged by the model as a body of its own, or not at all)."""
    doc = art.doc
    for short in [n for n in art.others if n.lower() in SHORT_BODY_HEADS]:
        first = min(s for s, _ in art.others[short].spans)
        full = _body_named_before(art, short.lower(), first)
        if full is not None:
            _merge_other(art, full, short)
    covered = {i for m in art.mentions for i in range(m.token_start, m.token_end)}
    covered |= {i for d in art.persons.values() for m in d.mentions for i in range(m.token_start, m.token_end)}
    for i, tok in enumerate(doc):
        if i == 0 or tok.lower_ not in SHORT_BODY_HEADS or not tok.text.istitle() or i in covered or doc[i - 1].lower_ != "the":
            continue
        if i + 1 < len(doc) and (doc[i + 1].text[:1].isupper() or doc[i + 1].lower_ in {"of", "for", "on"}):
            continue  # "the Council of Europe", "the Commission for ...": a longer name
        full = _body_named_before(art, tok.lower_, tok.idx)
        if full is not None:
            art.others[full].spans.append((tok.idx, tok.idx + len(tok)))
            art.others[full].aliases.add(tok.text)
            art.mentions.append(Mention(tok.idx, tok.idx + len(tok), tok.text, full, "actor", i, i + 1))


def _merge_other(art: _Article, into: str, gone: str) -> None:
    """Two drafts of the article that name one body: `gone`'s mentions and aliases join `into`."""
    keep, drop = art.others[into], art.others.pop(gone)
    keep.spans.extend(drop.spans)
    keep.aliases |= drop.aliases | {gone}
    keep.country = keep.country or drop.country
    for m in art.mentions:
        if m.name == gone and m.what == "actor":
            m.name = into


def _acronyms_in_brackets(art: _Article) -> None:
    """ "The Department for International Development (DFID)": the acronym in brackets after
    a body's name is that body (unless the knowledge knows it as another)."""
    ordered = sorted((m for m in art.mentions if m.what == "actor" and m.name in art.others), key=lambda m: m.start)
    for m, nxt in zip(ordered, ordered[1:], strict=False):
        if m.name == nxt.name or m.name not in art.others or nxt.name not in art.others:
            continue
        if not (re.fullmatch(r"\s*\(\s*", art.text[m.end : nxt.start]) and art.text[nxt.end : nxt.end + 2].lstrip().startswith(")")):
            continue
        body, short = art.others[m.name], art.others[nxt.name]
        if not nxt.text.isupper() or body.kind == "country" or short.kind == "country" or normalise(nxt.name) in art.k.names:
            continue
        _merge_other(art, m.name, nxt.name)


def _bodies_without_their_operation(art: _Article) -> None:
    """ "Combined Joint Task Force - Operation Inherent Resolve", "CJTF-OIR": the body is
    also written without its operation ("Combined Joint Task Force", "the CJTF"); a bare
    "CJTF" of the same article is the same body."""
    for name, o in list(art.others.items()):
        if o.kind != "organization" or name not in art.others:
            continue
        for written in [name, *o.aliases]:
            cut = re.match(r"(.+?)\s+[-–]\s+Operation\s", written)
            acronym = re.fullmatch(r"([A-Z]{2,})-[A-Z]{2,}", written)
            short = cut.group(1) if cut else acronym.group(1) if acronym else None
            if not short or short == name:
                continue
            o.aliases.add(short)
            same = art.others.get(short)
            if same is not None and same.kind == "organization":
                _merge_other(art, name, short)


def _group_descriptions(art: _Article) -> None:
    """Descriptions that name a group by one of its actors, kept as that actor's aliases:
    "ISIL tactical units", "Coalition military forces", "SDF forces", "the Kurdish YPG",
    "ISIL's War Committee" (a body named with the group that owns it)."""
    doc = art.doc
    for m in art.mentions:
        o = art.others.get(m.name)
        if m.what != "actor" or o is None or m.token_end == 0:
            continue
        head = _group_head_after(doc, m.token_end)
        if head is not None and o.kind == "country" and doc[head].lower_ not in STATE_GROUP_HEADS:
            head = None  # "Syrian civilians" are no part of the Syrian state; "Turkish allies" are
        if head is None and doc[m.token_end - 1].lower_ in STATE_GROUP_HEADS:
            head = m.token_end - 1  # "Iraqi officials", already the state's mention
        if head is not None:
            o.aliases.add(_clean(doc[m.token_start : head + 1].text))
            if m.token_start > 0 and doc[m.token_start - 1].lower_ in GROUP_MODIFIERS:
                o.aliases.add(doc[m.token_start - 1 : head + 1].text)  # "senior Iraqi officials"
        if o.kind == "country":
            continue
        before = doc[m.token_start - 1] if m.token_start > 0 else None
        if before is not None and before.lower_ in PEOPLE_WORDS and before.text[:1].isupper():
            o.aliases.add(_clean(doc[m.token_start - 1 : m.token_end].text))
        if m.token_start >= 2 and before is not None and before.lower_ in POSSESSIVES and o.kind == "organization":
            owner = next((x for x in art.mentions if x.token_end == m.token_start - 1 and x.what == "actor" and x.token_end > 0), None)
            if owner is not None and art.others.get(owner.name) is not None and art.others[owner.name].kind != "country":
                o.aliases.add(_clean(doc[owner.token_start : m.token_end].text))


def _outside_excluded(art: _Article, layout: Layout, cands: list[_Cand]) -> list[_Cand]:
    """The candidates outside bylines, photo credits and other text the layout excludes."""
    kept = []
    for c in cands:
        at = art.span_of(c)
        if not layout.is_excluded(at.start, at.end):
            kept.append(c)
    return kept


class ActorExtractor:
    def __init__(self, knowledge: Knowledge):
        self.k = knowledge

    # -- context -----------------------------------------------------------------------------
    def _is_locative(self, doc: Doc, span: Span | _Cand) -> bool:
        i = span.start - 1
        while i >= 0 and doc[i].lower_ in LOCATIVE_FILLERS:
            if doc[i].lower_ == "of" and i > 0 and doc[i - 1].lower_ not in LOCATIVE_OF_HEADS:
                break
            i -= 1
        if i >= 0 and doc[i].lower_ in LOCATIVE_PREPS:
            return True
        nxt = doc[span.end] if span.end < len(doc) else None
        return bool(nxt is not None and nxt.lower_ in REGION_WORDS)

    def _place_kind(self, doc: Doc, span: Span | _Cand, entry: PlaceEntry | None = None) -> str:
        nxt = doc[span.end] if span.end < len(doc) else None
        if nxt is not None and nxt.lower_ in REGION_WORDS:
            return "region"
        if entry is not None and entry.kind == "region":
            return "region"
        return "city"

    def _titled(self, doc: Doc, start: int) -> bool:
        """A title or rank right before token `start`: "President Obama", "Gen. Coe"."""
        return start > 0 and _is_title_token(doc[start - 1])

    # -- repairs -----------------------------------------------------------------------------
    def _ship_names(self, doc: Doc) -> set[str]:
        names: set[str] = set()
        for i, tok in enumerate(doc[:-1]):
            if tok.text in SHIP_PREFIXES and doc[i + 1].text[:1].isupper():
                j = i + 1
                while j < len(doc) and j - i <= 4 and doc[j].text[:1].isupper() and doc[j].text not in {"(", ","}:
                    names.add(doc[j].text)
                    j += 1
        return names

    def _repair(self, doc: Doc, ent: Span, ships: set[str]) -> list[_Cand]:
        """What an entity of the model really is: dropped, cut, split, relabelled or kept."""
        if self._not_an_actor(doc, ent, ships):
            return []
        if doc[ent.start].text in LEADING_PREPS and len(ent) > 1:
            return self._after_leading_prep(doc, ent)
        parts = self._country_compound(ent)
        if parts is not None:
            return parts
        span = _cut_short_phrase(doc, ent)
        if span is None or self._not_a_named_actor(doc, span):
            return []
        for step in (self._person_named_like_a_place, self._water_body_of, self._sub_body_of_known, self._body_cut_at_its_ends, self._place_of_settlement_word, self._named_operation, self._facility,
                     self._place_before_settlement_word, self._event_named_after_place,
                     self._person_with_rest_of_name, self._body_by_capitalised_head):
            out = step(doc, span)
            if out is not None:
                return out
        return [_Cand(span.start, span.end, span.label, span.ent_id)]

    def _not_an_actor(self, doc: Doc, ent: Span, ships: set[str]) -> bool:
        """Dates, numbers, weapons, aircraft and ships: never an actor or a place."""
        start, end = ent.start, ent.end
        if ent.label_ in NON_ACTOR_LABELS:
            return True
        if _clean(ent.text).lower() in EQUIPMENT or (re.fullmatch(r"[A-Z]{2,4}-?\d{1,4}", ent.text) and ent.label_ != "GPE"):
            return True
        # "Air Force F-16 Fighting Falcons": aircraft and weapon designations.
        if not ent.ent_id_ and any(re.fullmatch(r"[A-Z]{1,3}-\d{1,3}[A-Z]?s?", t.text) for t in ent):
            return True
        # Ships: "USS Mahan", "FS Forbin", later "Forbin".
        if doc[start].text in SHIP_PREFIXES or (start > 0 and doc[start - 1].text in SHIP_PREFIXES):
            return True
        return end - start == 1 and doc[start].text in ships and not ent.ent_id_

    def _after_leading_prep(self, doc: Doc, ent: Span) -> list[_Cand]:
        """ "Near Palmyra", "In Kherson": a place the model read as a person or a body."""
        rest = doc[ent.start + 1 : ent.end]
        if _is_name_like(_clean(rest.text)):
            return [_Cand(ent.start + 1, ent.end, "GPE", hint="place")]
        return []

    def _country_compound(self, ent: Span) -> list[_Cand] | None:
        """ "U.S.-Iraq partnership": one token naming two countries, split in characters."""
        if len(ent) != 1 or ent.label_ == "PERSON" or not re.search(r"\S[-\u2013/]\S", ent.text):
            return None
        parts = re.split(r"[-\u2013/]", ent.text)
        entries = [self.k.lookup(p) for p in parts]
        if len(parts) != 2 or not all(e is not None and e.kind == "country" for e in entries):
            return None
        out = []
        offset = ent.start_char
        for p, entry in zip(parts, entries, strict=True):
            out.append(_Cand(ent.start, ent.end, "GPE", ent_id=entry.name, char_start=offset, char_end=offset + len(p)))  # type: ignore[union-attr]
            offset += len(p) + 1
        return out

    def _not_a_named_actor(self, doc: Doc, span: _Entity) -> bool:
        """Documents, days, bare titles and nisbas: named, but no actor."""
        start, label = span.start, span.label
        words = _clean(span.text).split()
        if not span.ent_id and words and label in {"ORG", "GPE", "LOC", "EVENT", "NORP", "FAC"}:
            # "Geneva Communique", "Thanksgiving Day", "Navy Capt", "Navy Special Warfare".
            if words[-1].lower() in DOCUMENT_HEADS or label == "EVENT" or (
                len(words) > 2 and words[1] == "of" and words[0].lower() in DOCUMENT_HEADS | LAW_HEADS
            ):
                return True
            while words and _bare(words[-1]) in TITLE_WORDS:
                words = words[:-1]
            if label == "ORG" and all(w.lower() in GENERIC_ORG_WORDS or w.lower() in ROLE_WORDS for w in words):
                return True
        if not span.ent_id and label in {"ORG", "GPE", "LOC", "FAC", "NORP"} and " ".join(words).lower() in PEOPLE_WORDS:
            return True  # "the Kurdish", "Sunni": a people or a religion, not a body or a place
        if label == "ORG" and not span.ent_id and words and all(w.lower() in PORTFOLIO_WORDS for w in words) \
                and span.end < len(doc) and _is_title_token(doc[span.end]):
            return True  # "International Development Secretary Priti Patel": a portfolio, part of a title
        # "Abu Jandal al-Kuwaiti": a nisba is part of the name, not a nationality.
        return label in {"NORP", "GPE"} and start > 0 and (
            doc[start - 1].lower_ in {"al-", "el-"} or (start > 1 and doc[start - 1].text == "-" and doc[start - 2].lower_ in {"al", "el"})
        )

    def _person_named_like_a_place(self, doc: Doc, span: _Entity) -> list[_Cand] | None:
        """ "her Afghan counterpart, Salahuddin Rabbani": a region's or a town's name followed by
        one untagged capitalised name is a person's first name, unless a place is expected there."""
        e = span.end
        if span.label not in {"GPE", "LOC"} or span.end - span.start != 1 or span.ent_id in self.k.countries or e + 1 > len(doc) - 1:
            return None
        nxt, after = doc[e], doc[e + 1]
        if nxt.ent_type_ or not (nxt.pos_ == "PROPN" and nxt.is_alpha and nxt.text.istitle()) or _is_title_token(nxt) or self.k.lookup(nxt.text) \
                or self.k.place(nxt.text) or nxt.lower_ in SETTLEMENT_WORDS | REGION_WORDS | FACILITY_HEADS | NON_PLACE_HEADS | BODY_HEADS:
            return None
        if after.text[:1].isupper() or (span.start > 0 and (doc[span.start - 1].lower_ in LOCATIVE_PREPS | GAP_CLUES | {"of", "to", "into"})):
            return None
        return [_Cand(span.start, e + 1, "PERSON", hint="person")]

    def _sub_body_of_known(self, doc: Doc, span: _Entity) -> list[_Cand] | None:
        """ "the U.S. Army Special Operations Command Public Affairs Office": a known body the
        model ended early, followed by capitalised words ending in a body's head, is the longer body."""
        if span.label != "ORG" or not span.ent_id:
            return None
        j = span.end
        while j < len(doc) and j - span.end < 8 and doc[j].text[:1].isupper() and not doc[j].ent_type_ and not _is_title_token(doc[j]) and doc[j].is_alpha:
            j += 1
        if j == span.end or doc[j - 1].lower_ not in BODY_HEADS:
            return None
        parent = self.k.names.get(normalise(span.ent_id))
        return [_Cand(span.start, j, "ORG", country=parent.country if parent else None)]

    def _body_cut_at_its_ends(self, doc: Doc, span: _Entity) -> list[_Cand] | None:
        """ "Combined" + "Joint Forces Land Component Command", "Mobile Unit" + "Two": words of a
        body's name the model left out, before it (capitalised words of a service's name) or
        after it (the number word of a unit)."""
        if span.label != "ORG" or span.ent_id:
            return None
        start, end = span.start, span.end
        while start > 0 and span.start - start < 2 and doc[start - 1].text.istitle() and doc[start - 1].lower_ in GENERIC_ORG_WORDS and not doc[start - 1].is_sent_start:
            start -= 1
        if end < len(doc) and doc[end - 1].lower_ in UNIT_WORDS and doc[end].text.istitle() and doc[end].like_num:
            end += 1
        return [_Cand(start, end, "ORG")] if (start, end) != (span.start, span.end) else None

    def _water_body_of(self, doc: Doc, span: _Entity) -> list[_Cand] | None:
        """ "Gulf of Oman", "Sea of Azov": a sea named after a state or a place is a place."""
        start = span.start
        if start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].text.lower() in WATER_HEADS and doc[start - 2].text[:1].isupper():
            return [_Cand(start - 2, span.end, "LOC", hint="place", kind="other")]
        return None

    def _place_of_settlement_word(self, doc: Doc, span: _Entity) -> list[_Cand] | None:
        """ "the town of Tel Tamer", "the vicinity of Ayn Issa": a place whatever the label."""
        start = span.start
        if start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in SETTLEMENT_WORDS and span.label in {"PERSON", "ORG", "GPE", "LOC"} and not span.ent_id:
            return [_Cand(span.start, span.end, span.label, span.ent_id, hint="place")]
        return None

    def _named_operation(self, doc: Doc, span: _Entity) -> list[_Cand] | None:
        """ "Operation Inherent Resolve" (when not known): a named operation."""
        if doc[span.start].text == "Operation" and span.end - span.start > 1 and not span.ent_id:
            return [_Cand(span.start, span.end, "ORG", span.ent_id, hint="other")]
        return None

    def _facility(self, doc: Doc, span: _Entity) -> list[_Cand] | None:
        """Facilities: "Tabqa Dam", "Incirlik Air Base", "The Ishtar Gate", "Camp Hurriya"."""
        start, end, label = span.start, span.end, span.label
        if span.ent_id and label not in {"GPE", "LOC", "FAC"}:
            return None
        nxt = doc[end] if end < len(doc) else None
        last = doc[end - 1]
        if last.lower_ in FACILITY_HEADS and last.text[:1].isupper() and end - start > 1 and (label != "ORG" or last.lower_ in STRONG_FACILITY_HEADS):
            return [_Cand(start, end, "FAC", hint="place", kind="other")]
        if nxt is not None and nxt.lower_ in FACILITY_HEADS and nxt.text[:1].isupper() and label not in {"NORP"} and not (span.ent_id and label == "ORG"):
            stop = end + 1
            if stop < len(doc) and doc[stop].text[:1].isupper() and doc[stop].lower_ in FACILITY_HEADS | {"west", "east", "north", "south"}:
                stop += 1
            return [_Cand(start, stop, "FAC", hint="place", kind="other")]
        if doc[start].text == "Camp" and end - start > 1:
            return [_Cand(start, end, "FAC", hint="place", kind="other")]
        return None

    def _place_before_settlement_word(self, doc: Doc, span: _Entity) -> list[_Cand] | None:
        """ "Al-Sinek neighborhood", "Tel Tamer village"."""
        nxt = doc[span.end] if span.end < len(doc) else None
        if nxt is None or nxt.lower_ not in SETTLEMENT_WORDS or span.label not in {"ORG", "PERSON", "GPE", "LOC", "FAC"} or span.ent_id:
            return None
        kind = "region" if nxt.lower_ in REGION_WORDS else "other" if nxt.lower_ in QUARTER_WORDS else "city"
        return [_Cand(span.start, span.end, span.label, span.ent_id, hint="place", kind=kind)]

    def _event_named_after_place(self, doc: Doc, span: _Entity) -> list[_Cand] | None:
        """ "Manama Dialogue", "Minsk Agreements": an event or a document named after a place."""
        nxt = doc[span.end] if span.end < len(doc) else None
        if span.label in {"GPE", "LOC"} and nxt is not None and nxt.lower_ in EVENT_HEADS | DOCUMENT_HEADS and nxt.text[:1].isupper():
            return []
        return None

    def _person_with_rest_of_name(self, doc: Doc, span: _Entity) -> list[_Cand] | None:
        """ "Abu Jandal al-Kuwaiti": the nisba after a name belongs to it; so does a surname
        the model left out ("Dr. Ahmed Kamil" + "Murad")."""
        if span.label != "PERSON":
            return None
        end = e = span.end
        cut_nisba = doc[e - 1].lower_ in {"al-", "el-"} or (e - span.start > 1 and doc[e - 1].text == "-" and doc[e - 2].lower_ in {"al", "el"})
        if e < len(doc) and cut_nisba and not doc[e - 1].whitespace_ and doc[e].text[:1].isupper():
            return [_Cand(span.start, e + 1, "PERSON")]  # "Abu Jandal al-" + "Kuwaiti"
        if e < len(doc) and not doc[e].ent_type_ and _name_token(doc[e]) and not _is_title_token(doc[e]) and doc[e].text[:1].isupper() \
                and not doc[e].is_sent_start and doc[e].pos_ == "PROPN" and not self.k.lookup(doc[e].text) and doc[end - 1].whitespace_:
            e += 1
        while e + 2 < len(doc) + 1 and e < len(doc) and doc[e].lower_ in {"al", "el"} and e + 2 < len(doc) and doc[e + 1].text == "-" and doc[e + 2].text[:1].isupper():
            e += 3
        return [_Cand(span.start, e, "PERSON")] if e != end else None

    def _body_by_capitalised_head(self, doc: Doc, span: _Entity) -> list[_Cand] | None:
        """ "Coalition military forces": a body named by its capitalised head only."""
        text = span.text
        if span.label != "ORG" or span.ent_id or _is_org_name_like(_clean(text)):
            return None
        words = _clean(text).split()
        head = 0
        while head < len(words) and words[head][:1].isupper():
            head += 1
        lead = len(text) - len(text.lstrip()) + (4 if text.lower().startswith("the ") else 0)
        if head:
            sub = doc.char_span(span.start_char + lead, span.start_char + lead + len(" ".join(words[:head])), alignment_mode="expand")
            if sub is not None and sub.start >= span.start and sub.end <= span.end and sub.end - sub.start < span.end - span.start:
                return [_Cand(sub.start, sub.end, "ORG")]
        return None

    def _title_persons(self, doc: Doc, cands: list[_Cand]) -> list[_Cand]:
        """People the model missed or mislabelled after a title: "Special Advisor Knox Thames"."""
        covered: dict[int, _Cand] = {i: c for c in cands for i in range(c.start, c.end)}
        added: list[_Cand] = []
        drop: set[int] = set()
        i = 0
        while i < len(doc):
            if not _is_title_token(doc[i]) or (i in covered and covered[i].label != "PERSON"):
                i += 1
                continue
            budget.check()
            start, j = _name_after_title(doc, i)
            if j == start:
                i = max(i + 1, j)
                continue
            existing = {id(covered[x]): covered[x] for x in range(start, j) if x in covered}
            if self._titled_name_is_new_person(doc, start, j, list(existing.values())):
                drop.update(existing)
                added.append(_Cand(start, j, "PERSON", hint="person"))
            i = j
        if not added:
            return cands
        return sorted([c for c in cands if id(c) not in drop] + added, key=lambda c: (c.start, c.end))

    def _titled_name_is_new_person(self, doc: Doc, start: int, end: int, existing: list[_Cand]) -> bool:
        """The words after a title name a person no PERSON entity already has: not a known
        place, state or body, not a number, not one all-capital word unless a known person's."""
        k = self.k
        words = [t.text for t in doc[start:end] if t.text not in QUOTES]
        joined = " ".join(words)
        entry = k.lookup(joined)
        known_person = bool(k.surnames.get(joined.lower())) or getattr(k.names.get(joined.lower()), "kind", None) == "person"
        # A PERSON of the model inside the titled name is a part of it ("Richard" of 'Richard "Tex" Coe').
        partial = all(start <= c.start and c.end <= end and c.end - c.start < end - start for c in existing if c.label == "PERSON")
        if not partial or (len(words) == 1 and words[0].isupper() and not known_person):
            return False
        if entry is not None and entry.kind != "person":
            return False
        if any((c.ent_id and (k.lookup(c.ent_id) or k.countries.get(c.ent_id))) or any(ch.isdigit() for ch in doc[c.start : c.end].text) for c in existing):
            return False
        return not (len(words) == 1 and (k.lookup(words[0]) or k.region(words[0])) and not (entry and entry.kind == "person"))

    def _state_bodies(self, doc: Doc, cands: list[_Cand]) -> list[_Cand]:
        """ "U.S. forces", "Iraqi troops" -> armed forces; "the Iraqi government",
        "government of Iraq", "the Syrian people" -> the state itself."""
        taken = {i for c in cands for i in range(c.start, c.end)}
        return [self._as_state_or_body(doc, c, taken) for c in cands]

    def _as_state_or_body(self, doc: Doc, c: _Cand, taken: set[int]) -> _Cand:
        entry = self._country_entry(c, doc)
        if entry is None and c.label in {"PERSON", "NORP", "ORG"}:
            led = self._state_led_by(doc, c, taken)
            if led is not None:
                return led
        if entry is None or c.char_start is not None or c.label not in {"NORP", "GPE", "ORG"}:
            return c
        e = c.end
        if e < len(doc) and doc[e].lower_ in POSSESSIVES:
            e += 1
        return (
            _armed_forces_after(doc, c, entry, e, taken)
            or _opposition_of(doc, c, entry, e, taken)
            or _state_body_after(doc, c, entry, e, taken)
            or _state_itself_around(doc, c, entry, e, taken)
            or c
        )

    def _state_led_by(self, doc: Doc, c: _Cand, taken: set[int]) -> _Cand | None:
        """ "the Assad regime", "the Trump administration": the state that person leads."""
        k = self.k
        if not (c.end < len(doc) and doc[c.end].lower_ in LEADER_STATE_NOUNS):
            return None
        person = k.names.get(normalise(doc[c.start : c.end].text))
        if person is None:
            surnamed = k.surnames.get(doc[c.start : c.end].text.lower(), [])
            person = surnamed[0] if len(surnamed) == 1 else None
        if person is not None and person.kind == "person" and person.country and c.end not in taken:
            return _Cand(c.start, c.end + 1, "GPE", person.country, hint="state", country=person.country)
        return None

    def _country_entry(self, c: _Cand, doc: Doc) -> Entry | None:
        k = self.k
        if c.ent_id and c.ent_id in k.countries:
            return k.countries[c.ent_id]
        entry = k.lookup(doc[c.start : c.end].text)
        return entry if entry is not None and entry.kind == "country" else None

    def _gap_places(self, doc: Doc, cands: list[_Cand]) -> list[_Cand]:
        """Places the model missed after a locative clue: "near Al Shadaddi", "the town of Tel Tamer"."""
        taken = {i for c in cands for i in range(c.start, c.end)}
        added: list[_Cand] = []
        i = 0
        while i < len(doc) - 1:
            clue = _locative_clue(doc, i)
            if clue is None or i + 1 in taken:
                i += 1
                continue
            budget.check()
            i, found = self._place_after_clue(doc, i, clue, taken)
            if found is not None:
                added.append(found)
        added.extend(_listed_after_plural_head(doc, taken | {x for c in added for x in range(c.start, c.end)}))
        for i, tok in enumerate(doc[:-2]):
            if tok.lower_ in WATER_HEADS and tok.text[:1].isupper() and doc[i + 1].lower_ == "of" and doc[i + 2].text[:1].isupper() and not taken & {i, i + 1, i + 2}:
                added.append(_Cand(i, i + 3, "LOC", hint="place", kind="other"))  # "Gulf of Aden"
        # "Coalition" on its own, capitalised: some coalition the article names or implies.
        for i, tok in enumerate(doc):
            if tok.text in {"Coalition", "COALITION"} and i not in taken and not any(c.start <= i < c.end for c in added):
                added.append(_Cand(i, i + 1, "ORG", hint="coalition"))
        if not added:
            return cands
        return sorted(cands + added, key=lambda c: (c.start, c.end))

    def _place_after_clue(self, doc: Doc, i: int, clue: str, taken: set[int]) -> tuple[int, _Cand | None]:
        """The place named after the clue at token `i`, if any, and where to read on."""
        k = self.k
        j = i + 1
        while j < len(doc) and j - i <= 4 and j not in taken and _name_token(doc[j]) and not _is_title_token(doc[j]) and not doc[j].is_punct:
            j += 1
        if j == i + 1 or not doc[i + 1].text[:1].isupper():
            return i + 1, None
        found = self._longest_known_place(doc, i + 1, j)
        if found is not None:
            stop, place = found
            return stop, _Cand(i + 1, stop, "GPE", hint="place", name=place.name)
        text = doc[i + 1 : j].text
        if clue == "near" and _is_name_like(text) and not k.lookup(text) and _bare(doc[i + 1].text) not in DIRECTIONS:
            return j, _Cand(i + 1, j, "GPE", hint="place")
        return j, None

    def _longest_known_place(self, doc: Doc, start: int, end: int) -> tuple[int, PlaceEntry] | None:
        """Longest known place first: "Tal Afar" before "Tal"; none if the words name an actor."""
        for stop in range(end, start, -1):
            text = doc[start:stop].text
            if self.k.lookup(text):
                return None
            place = self.k.place(text)
            if place is not None and stop < end and normalise(ascii_name(place.name)) != normalise(text):
                # "Dayr" of "Near Dayr Az Zayr" is some town's other name (Dyer): the longer
                # name the text gives is the place, unknown to the gazetteer.
                return None
            if place is not None:
                return stop, place
        return None

    # -- the stage -----------------------------------------------------------------------------
    def extract(self, doc: Doc, layout: Layout) -> ActorResult:
        art = _Article(doc, self.k)
        self._add_dateline(art, layout)
        cands = self._candidates(art, layout)
        for c in cands:
            budget.check()
            self._classify(art, c)
        for part in art.name_parts:
            budget.check()
            self._merge_name_part(art, part)
        self._untagged_surnames(art, cands, layout)
        self._descriptions(doc, art.persons)
        _descriptions_before_names(art)
        _office_holders(art)
        self._resolve_coalitions(art)
        _short_body_names(art)
        _qualified_places(art)
        _place_head_phrases(art)
        _group_descriptions(art)
        _bodies_without_their_operation(art)
        _acronyms_in_brackets(art)
        _held_places_and_sites(art)
        return art.result()

    def _add_dateline(self, art: _Article, layout: Layout) -> None:
        """ "Kyiv, Ukraine" at the top is where the story was filed, a place."""
        if not (layout.dateline and layout.dateline_span):
            return
        k = self.k
        parts = [p.strip() for p in layout.dateline.split(",")]
        city = k.city(parts[0]) or k.place(parts[0])
        country = None
        if len(parts) > 1:
            entry = k.lookup(parts[-1])
            country = entry.name if entry and entry.kind == "country" else None
        if city or country:
            s = layout.dateline_span[0]
            art.add_place(city.name if city else parts[0].title(), "city", country or (city.country if city else None),
                          (s, s + len(parts[0]), 0, 0), city)

    def _candidates(self, art: _Article, layout: Layout) -> list[_Cand]:
        """The Doc's entities repaired, plus the people and places the model missed."""
        doc = art.doc
        ships = self._ship_names(doc)
        cands: list[_Cand] = []
        for ent in doc.ents:
            budget.check()
            if layout.is_excluded(ent.start_char, ent.end_char):
                continue
            cands.extend(self._repair(doc, ent, ships))
        cands = self._title_persons(doc, cands)
        cands = self._gap_places(doc, _outside_excluded(art, layout, cands))
        cands = _outside_excluded(art, layout, cands)
        return self._state_bodies(doc, cands)

    # -- classifying one candidate -------------------------------------------------------------
    def _classify(self, art: _Article, c: _Cand) -> None:
        """Make one candidate a person, another actor or a place (or nothing)."""
        where = art.span_of(c)
        text = _clean(where.text)
        if not text or text.lower() in AGENCY_TAGS or text.lower() in PLATFORMS:
            return
        found = _Found(c, where, text)
        if c.hint == "coalition":
            art.coalitions.append(c)  # named once the article's other actors are known
            return
        by_hint = {"forces": self._add_forces, "body": self._add_body, "state": self._add_state,
                   "other": self._add_named_other, "place": self._add_hinted_place, "opposition": self._add_opposition}
        if c.hint in by_hint:
            by_hint[c.hint](art, found)
            return
        self._classify_by_label(art, replace(found, entry=self._known_entry(c, text)))

    def _classify_by_label(self, art: _Article, f: _Found) -> None:
        c, text, entry = f.cand, f.text, f.entry
        if c.label == "PERSON" and re.search(r"\w[-\u2013]\w", text) and " " not in text and entry is None:
            # "Putin-Zelensky": two people in a compound modifier.
            art.name_parts.extend(_NamePart(part, c, "compound") for part in re.split(r"[-\u2013]", text))
        elif c.ent_id and self.k.region(c.ent_id) is not None and (entry is None or entry.kind != "country"):
            self._add_place_for(art, c, text)
        elif c.label in {"GPE", "NORP", "LOC", "FAC"} or (entry is not None and entry.kind == "country"):
            self._add_place_or_state(art, f)
        elif c.label == "PERSON" or (entry is not None and entry.kind == "person"):
            self._add_person_entity(art, f)
        elif c.label in {"ORG", "EVENT"}:
            self._add_organisation(art, f)

    def _known_entry(self, c: _Cand, text: str) -> Entry | None:
        k = self.k
        entry = k.countries.get(c.ent_id) if c.ent_id in k.countries else None
        if entry is None and c.ent_id:
            entry = k.names.get(normalise(c.ent_id))
        if entry is None:
            entry = k.names.get(normalise(text))
        if entry is None and text.isupper() and c.label in {"PERSON", "ORG"}:
            known = k.names.get(normalise(text))
            entry = known if known is not None and known.kind == "person" else None
        return entry

    def _add_forces(self, art: _Article, f: _Found) -> None:
        """ "U.S. forces": the state's armed forces, by the name the knowledge gives them if any."""
        k = self.k
        country = f.cand.country or ""
        adjective = k.adjective_of.get(country, country)
        named = [k.names.get(normalise(f"{adjective} {w}")) for w in FORCE_NAMES]
        known = next((x for x in named if x is not None and x.country == country), None)
        name = known.name if known else f"{adjective} armed forces"
        art.add_other(name, "organization", country, f.cand, f.text)

    def _add_body(self, art: _Article, f: _Found) -> None:
        """ "the Iraqi Ministry of Culture": a body of a state, named with the state's adjective."""
        k, doc, c = self.k, art.doc, f.cand
        known = k.names.get(normalise(f.text))
        if known is not None:
            art.add_other(known.name, known.kind, known.country, c, f.text)
            return
        country = c.country or ""
        adj = doc[c.start].text if self._country_entry(_Cand(c.start, c.start + 1, "NORP"), doc) else k.adjective_of.get(country, country)
        body = doc[c.start + 1 : c.end].text if doc[c.start + 1].lower_ not in POSSESSIVES else doc[c.start + 2 : c.end].text
        adj = k.adjective_of.get(country, adj)
        art.add_other(f"{adj} {body}", "organization", c.country, c, f.text)

    def _add_opposition(self, art: _Article, f: _Found) -> None:
        country = f.cand.country or ""
        art.add_other(f"{self.k.adjective_of.get(country, country)} opposition", "organization", country, f.cand, f.text)

    def _add_state(self, art: _Article, f: _Found) -> None:
        art.add_other(f.cand.country or f.text, "country", f.cand.country, f.cand, f.text)

    def _add_named_other(self, art: _Article, f: _Found) -> None:
        entry = self.k.names.get(normalise(f.text))
        if entry is not None:
            art.add_other(entry.name, entry.kind, entry.country, f.cand, f.text)
        else:
            art.add_other(f.text, "other", None, f.cand, f.text)

    def _add_hinted_place(self, art: _Article, f: _Found) -> None:
        self._add_place_for(art, f.cand, f.text)

    def _add_place_for(self, art: _Article, c: _Cand, text: str, kind: str | None = None) -> None:
        """A place, by the gazetteer's name and coordinates where it knows it."""
        k = self.k
        entry = k.place(text) if c.name is None else (k.place(c.name) or k.place(text))
        if entry is None and c.ent_id:
            entry = k.region(c.ent_id) or k.city(c.ent_id)
        name = entry.name if entry else (c.name or text)
        kind = kind or c.kind or self._place_kind(art.doc, c, entry)
        at = art.span_of(c)
        art.add_place(name, kind, entry.country if entry else None, (at.start, at.end, c.start, c.end), entry)

    # -- places and states ---------------------------------------------------------------------
    def _add_place_or_state(self, art: _Article, f: _Found) -> None:
        """Where places are typed: a state, a known actor, or a place of the gazetteer or the text."""
        c, text, entry, doc = f.cand, f.text, f.entry, art.doc
        if entry is not None and entry.kind == "country":
            self._add_state_or_seat(art, f, entry)
            return
        if entry is not None:
            art.add_other(entry.name, entry.kind, entry.country, c, text)
            return
        if c.label == "NORP":
            return
        # "the West": the Western states as one actor, not a place.
        if text in {"West", "Western"} and c.start > 0 and doc[c.start - 1].lower_ == "the":
            art.add_other("the West", "other", None, c, f.where.text)
            return
        words = text.split()
        if words and (words[-1].lower() in NON_PLACE_HEADS or _bare(words[0]) in TITLE_WORDS):
            return
        if len(words) == 1 and text.lower() in DIRECTIONS:
            return
        if self.k.place(text) is not None:
            self._add_place_for(art, c, text, "other" if c.label == "FAC" else None)
        elif c.label in {"GPE", "LOC", "FAC"} and _is_name_like(text):
            kind = "other" if c.label in {"LOC", "FAC"} else self._place_kind(doc, c)
            art.add_place(text, kind, None, (f.where.start, f.where.end, c.start, c.end))

    def _add_state_or_seat(self, art: _Article, f: _Found, state: Entry) -> None:
        """Where a capital becomes its state: "Moscow said", "the Kremlin" act as Russia, while
        "at the White House" or "in Moscow" is where something happened (the seat's city)."""
        k, c, text = self.k, f.cand, f.text
        if _part_of_state(art.doc, c) and normalise(text) in k.names:
            # "in northern Iraq": a part of the state, a place; not the state acting.
            d = art.doc[c.start - 1]
            art.add_place(f"{d.lower_} {state.name}", "region", state.name, (d.idx, f.where.end, c.start - 1, c.end), what="area")
            return
        metonym = normalise(text) in k.metonyms and normalise(text) not in k.names
        city = None
        if metonym:
            own = k.city(text)
            capital = k.capital_of.get(state.name)
            city = own if own is not None and own.country == state.name else (k.city(capital) if capital else None)
        after = art.doc[c.end].lower_ if c.end < len(art.doc) else ""
        locative = self._is_locative(art.doc, c) or self._qualified_by_own_state(art.doc, c, state) or after in QUARTER_WORDS \
            or _target_of_attack(art.doc, c.start)
        if metonym and locative:
            own_name = city is not None and normalise(city.name) == normalise(text)
            art.add_place(city.name if city else text, "city", state.name, (f.where.start, f.where.end, c.start, c.end), city,
                          written=own_name or city is None)
            return
        mention = art.add_other(state.name, "country", state.name, c, text)
        if locative and c.label == "GPE":
            mention.locative = True

    def _qualified_by_own_state(self, doc: Doc, c: _Cand, state: Entry) -> bool:
        """ "Berlin, Germany": a capital written with its own state is the city."""
        e = c.end
        if e >= len(doc) or doc[e].text != ",":
            return False
        for stop in range(e + 2, min(e + 5, len(doc)) + 1):
            entry = self.k.names.get(normalise(doc[e + 1 : stop].text))
            if entry is not None:
                return entry.name == state.name
        return False

    # -- people and organisations --------------------------------------------------------------
    def _add_person_entity(self, art: _Article, f: _Found) -> None:
        """A PERSON (or a known person): its full name, or a one-word name to merge later."""
        c, text, entry = f.cand, f.text, f.entry
        if entry is not None and entry.kind != "person":
            art.add_other(entry.name, entry.kind, entry.country, c, text)
            return
        raw = f.where.text
        full = person_name(raw.split())
        if not full or full.lower() in TITLE_FRAGMENTS or not _is_name_like(full):
            return
        if re.search(r"\d", full) or full.split()[-1].lower() in NON_PLACE_HEADS:
            # "CTF 50 will lead ...", "in Abel Battery": a unit, not a person.
            art.add_other(text, "organization", None, c, text)
            return
        if " " not in full:
            art.name_parts.append(_NamePart(full, c, "single"))
            return
        full_entry = entry or self.k.names.get(normalise(full))
        if full_entry is not None and full_entry.kind != "person":
            full_entry = None
        name = full
        if full_entry is not None and _surname(full_entry.name) != _surname(full):
            name = full_entry.name
        art.add_person(name, full_entry, c, raw.strip() if raw.strip() != name else full)

    def _add_organisation(self, art: _Article, f: _Found) -> None:
        """An ORG or EVENT: a known actor, a person the model mislabelled, a surname, or a body."""
        c, text, entry, doc = f.cand, f.text, f.entry, art.doc
        if text.lower() in TITLE_FRAGMENTS:
            return
        if entry is not None:
            if entry.kind != "person":
                art.add_other(entry.name, entry.kind, entry.country, c, text)
            elif len(text.split()) > 1:
                art.add_person(text, entry, c, text)
            else:
                art.name_parts.append(_NamePart(text, c, "single"))
            return
        if self._is_name_after_role(doc, c, text):
            art.add_person(text, None, c, text)
            return
        if self._apposed_title(doc, c) and _is_name_like(text) and len(text.split()) in (2, 3) and not any(
            w.lower() in NON_PLACE_HEADS | APPOSED_NAME_BLOCKERS for w in text.split()
        ):
            art.add_person(person_name(f.where.text.split()), None, c, text)
            return
        if " " not in text and not text.isupper():
            # A surname the model took for a body ("Votel explained ..."), or a city.
            art.name_parts.append(_NamePart(text, c, "org"))
            return
        if _is_org_name_like(text) or text.isupper():
            if text.isupper() and len(text) > 5 and " " not in text and text.lower() in TRANSCRIPT_LABELS:
                return
            country = self._org_country(doc, c) or c.country
            name = text
            if country and text.split()[0].lower() in COUNTRY_PREFIXED_ORG_STARTS:
                name = f"{self.k.adjective_of.get(country, country)} {text}"
            art.add_other(name, "organization", country, c, text)

    def _is_name_after_role(self, doc: Doc, c: _Cand, text: str) -> bool:
        """ "military intelligence Kirillo Budanov": a name after a title, mislabelled ORG."""
        prev = doc[c.start - 1] if c.start > 0 else None
        return (
            prev is not None and prev.lower_ in ROLE_WORDS - {"of", "state", "the"} and len(text.split()) in (2, 3)
            and _is_name_like(text) and not re.search(r"\d", text) and not any(w.lower() in TITLED_NAME_BLOCKERS for w in text.split())
        )

    # -- one-word names ------------------------------------------------------------------------
    def _merge_name_part(self, art: _Article, p: _NamePart) -> None:
        """Where persons are merged: a surname or a part of a compound joins the article's full
        name, or a shipped one; failing that it may be a place, a body or a new person."""
        part = _clean(p.text)
        if not part:
            return
        c = p.cand
        where = art.span_of(c)
        full = self._full_name_for(art, part, where.start)
        if full is None and p.how != "compound":
            full = self._unmatched_name_part(art, p, part)
        if full is None:
            return
        draft = art.persons[full]
        draft.mentions.append(Mention(where.start, where.end, where.text, full, "actor", c.start, c.end))
        if part != full:
            draft.aliases.add(part)
        if p.how != "compound":
            art.add_roles(draft, c)

    def _full_name_for(self, art: _Article, part: str, start: int) -> str | None:
        """The full name a one-word name stands for: the article's, else the knowledge's."""
        low = part.lower()
        candidates = art.by_surname.get(low, [])
        if candidates:
            # The most recent person of that surname named before this mention.
            before = [f for f in candidates if any(m.start < start for m in art.persons[f].mentions)]
            return (before or candidates)[-1]
        for entry in self.k.surnames.get(low, []):
            return art.new_person(entry.name, entry).full
        alias_entry = self.k.names.get(low)
        if alias_entry and alias_entry.kind == "person":
            return art.new_person(alias_entry.name, alias_entry).full
        return None

    def _unmatched_name_part(self, art: _Article, p: _NamePart, part: str) -> str | None:
        """A one-word name nobody of the article or the knowledge has: a place, a body, nothing,
        or a new person (whose full name is returned)."""
        doc, c, low = art.doc, p.cand, part.lower()
        place = self.k.place(part)
        titled = self._titled(doc, c.start)
        if place is not None and not titled and (self._is_locative(doc, c) or place.population >= BIG_CITY or place.kind == "region" or p.how == "org"):
            self._add_place_for(art, c, part)
            return None
        if place is None and not titled and p.how == "single" and c.label == "PERSON" and self._is_locative(doc, c) and not part.isupper():
            # "at the Panmunjom truce village": a place the gazetteer does not know.
            self._add_place_for(art, c, part)
            return None
        if p.how == "org":
            if _is_name_like(part) and low not in TITLE_FRAGMENTS and low not in EQUIPMENT:
                art.add_other(part, "organization", self._org_country(doc, c), c, part)
            return None
        if (part.isupper() and not titled) or low in TITLE_FRAGMENTS or low in TRANSCRIPT_LABELS or _bare(part) in TITLE_WORDS:
            return None
        return art.new_person(part.title() if part.isupper() else part, None).full

    def _untagged_surnames(self, art: _Article, cands: list[_Cand], layout: Layout) -> None:
        """Surnames of the article's people that the model left untagged ("Votel met ...")."""
        doc = art.doc
        covered = {i for c in cands for i in range(c.start, c.end)}
        multiword = {_surname(f): f for f, d in art.persons.items() if " " in f and d.mentions}
        for tok in doc:
            if tok.i in covered or not tok.text[:1].isupper() or tok.text.isupper() or len(tok.text) < 3:
                continue
            full = multiword.get(tok.text.lower())
            if full is None or layout.is_excluded(tok.idx, tok.idx + len(tok)):
                continue
            if tok.i + 1 < len(doc) and doc[tok.i + 1].text[:1].isupper() and not doc[tok.i + 1].is_punct:
                continue  # "Votel Street", another name
            art.persons[full].mentions.append(Mention(tok.idx, tok.idx + len(tok), tok.text, full, "actor", tok.i, tok.i + 1))
            art.persons[full].aliases.add(tok.text)

    def _resolve_coalitions(self, art: _Article) -> None:
        """ "Coalition": the coalition the article names, else the one its war implies."""
        if not art.coalitions:
            return
        named: Counter[str] = Counter()
        for name, o in art.others.items():
            if "coalition" in name.lower() or any("coalition" in a.lower() for a in o.aliases):
                named[name] += len(o.spans)
        if named:
            target = named.most_common(1)[0][0]
        elif any(n in art.others for n in ("Islamic State", "al-Qaeda")):
            target = "Global Coalition to Defeat ISIS"
        else:
            target = "Coalition"
        entry = self.k.names.get(normalise(target))
        for c in art.coalitions:
            art.add_other(target, entry.kind if entry else "organization", entry.country if entry else None, c, "Coalition")

    def _descriptions(self, doc: Doc, persons: dict[str, _PersonDraft]) -> None:
        """Descriptions that refer to a named person, kept among their aliases (and as the
        role where the text gives none): the apposition in "Gen. Joseph Votel, commander of
        U.S. Central Command, said", and "the Deputy Secretary" where one person of the
        article holds that role."""
        for d in persons.values():
            for m in list(d.mentions):
                desc = self._apposition(doc, m.token_end)
                if desc:
                    d.aliases.add(desc)
                    if not d.roles:
                        d.roles.append(re.sub(r"^(?:the|a|an) ", "", desc))
        roles_of = {
            full: [r.lower() for r in [*d.roles, d.entry.role if d.entry and d.entry.role else ""] if r]
            for full, d in persons.items()
            if d.mentions
        }
        n = len(doc)
        for i, tok in enumerate(doc):
            if tok.lower_ != "the" or i + 1 >= n or not doc[i + 1].text[:1].isupper():
                continue
            j = i + 1
            while j < n and j - i <= 6 and (doc[j].text[:1].isupper() or (doc[j].lower_ == "of" and j + 1 < n and doc[j + 1].text[:1].isupper())):
                j += 1
            words = [t.text for t in doc[i + 1 : j]]
            heads = [w for w in words if w.lower() in ROLE_HEADS]
            if not heads or doc[j - 1].ent_type_ == "PERSON" or (j < n and doc[j].ent_type_ == "PERSON") or any(t.ent_type_ == "PERSON" for t in doc[i + 1 : j]):
                continue
            phrase = " ".join(words).lower()
            phrase = re.sub(r"^(?:u\.s\.|us|american) ", "", phrase)
            holders = [full for full, roles in roles_of.items() if any(r == phrase or r.startswith(phrase + " ") or r.endswith(" " + phrase) for r in roles)]
            if len(holders) == 1:
                persons[holders[0]].aliases.add(doc[i:j].text)

    def _apposition(self, doc: Doc, end: int) -> str | None:
        """ "…, commander of U.S. Central Command," right after a name: the description."""
        n = len(doc)
        if end >= n or doc[end].text != ",":
            return None
        start = j = end + 1
        while j < n and j - start < 12:
            tok = doc[j]
            low = tok.lower_
            if tok.text in {",", ".", ";", ":", "(", ")"} or tok.text in {'"', "\u201c", "\u201d", "'"} or tok.is_space:
                break
            if (tok.pos_ in {"VERB", "AUX"} and not tok.text[:1].isupper()) or low in APPOSITION_STOPS:
                break
            if not (low in APPOSITION_JOINERS or tok.text[:1].isupper() or tok.ent_type_
                    or low in ROLE_WORDS or low in ROLE_HEADS or low in TITLE_WORDS or tok.like_num or re.fullmatch(r"\d+(st|nd|rd|th)", low)
                    or low in APPOSITION_EXTRA_WORDS):
                return None
            j += 1
        words = doc[start:j]
        if not len(words) or not any(t.lower_ in ROLE_HEADS for t in words) or words[-1].lower_ in APPOSITION_OPEN_ENDS:
            return None
        if j < n and doc[j].text not in {",", ".", ";", '"', "\u201d", "\u201c"} and doc[j].pos_ not in {"VERB", "AUX"} and doc[j].lower_ not in {"said", "says", "told"}:
            return None
        if any(t.ent_type_ == "PERSON" for t in words):
            return None
        return words.text

    def _apposed_title(self, doc: Doc, c: _Cand) -> bool:
        """ "Knox Thames, the Special Advisor to ...": a title in apposition after the name."""
        j = c.end
        if j >= len(doc) or doc[j].text != ",":
            return False
        j += 1
        seen = 0
        while j < len(doc) and seen < 4:
            tok = doc[j]
            if tok.lower_ in {"the", "a", "an"} or tok.ent_type_ in {"NORP", "GPE"} or tok.lower_ in {"'s", "\u2019s"} | TITLE_QUALIFIERS:
                j += 1
                seen += 1
                continue
            return _bare(tok.text) in TITLE_WORDS - NOT_APPOSED_TITLES
        return False

    def _org_country(self, doc: Doc, c: _Cand) -> str | None:
        """The state an unknown body belongs to, from the adjective or possessive before it
        ("the Iraqi Ministry of Culture", "Turkey's parliament") or "of Iraq" after it."""
        k = self.k
        i = c.start - 1
        if i >= 0 and doc[i].lower_ in {"'s", "\u2019s"}:
            i -= 1
        if i >= 0 and doc[i].ent_type_ in {"NORP", "GPE"}:
            entry = k.lookup(doc[i].text) or (k.countries.get(doc[i].ent_id_) if doc[i].ent_id_ else None)
            if entry is not None and entry.kind == "country":
                return entry.name
        text = doc[c.start : c.end].text
        m = re.search(r"\bof (?:the )?([A-Z][\w .'-]+)$", text)
        if m:
            entry = k.lookup(m.group(1))
            if entry is not None and entry.kind == "country":
                return entry.name
        return None


def token_actor(result: ActorResult, token: Token) -> Mention | None:
    """The actor or place mention covering `token`, if any."""
    for m in result.mentions:
        if m.token_start <= token.i < m.token_end:
            return m
    return None
