"""Casualty tolls read from the dependency parse, grouped into incidents.

A toll is a trigger (killed, died, dead, wounded, death toll, lost their lives...) and the
count of its victims, found among the trigger's syntactic arguments ("killed nine
people", "nine people were killed", "two soldiers and three civilians were killed") or,
where the parse is elliptical ("and wounded five", "nine dead"), right next to it.

Within an article, figures of one event form an incident: a repeated or updated toll
replaces the earlier one; distinct victim groups ("12 soldiers ... 34 attackers") add up;
a generic toll ("killed five people") covers its parts ("among them two officers").
Background tolls ("a conflict that has killed 6,000", "since the war began") are kept but
flagged cumulative and never counted as an incident.

Steps, per sentence (`CasualtyExtractor._hits`), then per article (`extract`):

1. trigger: `_trigger_kind` (a toll noun goes to `_toll_kind`); no toll where the trigger is
   negated, hypothetical (`_is_irrealis`) or generic (`_is_generic`);
2. count: a toll's value (`_toll_hit` -> `_toll_count`), or the victim groups
   (`_victim_hit` -> `_victim_parts`: `_victim_nouns` with `_counted`, else `_nearby`). The
   victims are the trigger's arguments, or those of the verb above it (`_borrowed_args`:
   "was shot and killed", "were feared killed"); one person without a number counts 1
   (`_person_count`); a conjunct another trigger governs is not added
   (`_belongs_to_other_trigger`);
3. who: `_victims_label` (categories from VICTIM_CATEGORIES, in file order);
4. describe: `_describe_hits` (subset of a toll, background — `_is_background`,
   `_summary_toll` —, fresh incident, place);
5. article: `_incident_for` groups tolls into incidents, `_totals` / `_kind_total` add them up
   (named victims add up, tolls marked additive chain: `_chained_total`).

Word lists live in `data/lexicon/casualties.json`.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Span, Token

from ..models import Casualty, Figure
from .actors import ActorResult
from .budget import check
from .counting import count_of_noun, number_span, of_object
from .dates import find_date_expressions, resolve_expression
from .figures import extract_figures
from .knowledge import Knowledge
from .layout import Layout
from .lexicon import load_lexicon
from .numbers import Count
from .syntax import governing_verb

log = logging.getLogger(__name__)

LEX = load_lexicon("casualties")
KILLED_VERBS = LEX.words("KILLED_VERBS")
KILLED_WORDS = LEX.words("KILLED_WORDS")
WOUNDED_VERBS = LEX.words("WOUNDED_VERBS")
WOUNDED_WORDS = LEX.words("WOUNDED_WORDS")
INJURY_NOUNS = LEX.words("INJURY_NOUNS")
MISSING_WORDS = LEX.words("MISSING_WORDS")
ABDUCTED_VERBS = LEX.words("ABDUCTED_VERBS")
ARRESTED_VERBS = LEX.words("ARRESTED_VERBS")
LIFE_WORDS = LEX.words("LIFE_WORDS")
LIFE_TAKING_VERBS = LEX.words("LIFE_TAKING_VERBS")
NOT_LETHAL_TO_DEATH = LEX.words("NOT_LETHAL_TO_DEATH")
KILLING_NOUNS = LEX.words("KILLING_NOUNS")
FATAL_ADVERBS = LEX.words("FATAL_ADVERBS")
FATAL_WOUNDING_VERBS = LEX.words("FATAL_WOUNDING_VERBS")
REPORTING_VERBS = LEX.words("REPORTING_VERBS")
HEDGING_VERBS = LEX.words("HEDGING_VERBS")
IRREALIS_HEADS = LEX.words("IRREALIS_HEADS")
VIOLENCE_CUES = LEX.words("VIOLENCE_CUES")
EARLIER_MODIFIERS = LEX.words("EARLIER_MODIFIERS")
MOTIVE_WORDS = LEX.words("MOTIVE_WORDS")
ADDITIVE_WORDS = LEX.words("ADDITIVE_WORDS")
BODY_WORDS = LEX.words("BODY_WORDS")
BODY_FOUND_VERBS = LEX.words("BODY_FOUND_VERBS")
OF_OBJECT_TRIGGERS = LEX.words("OF_OBJECT_TRIGGERS")
TOLL_NOUNS = LEX.words("TOLL_NOUNS")
TOLL_DEATH_NOUNS = LEX.words("TOLL_DEATH_NOUNS")
TOLL_DEATH_MODIFIERS = LEX.words("TOLL_DEATH_MODIFIERS")
TOLL_VERBS = LEX.words("TOLL_VERBS")
TOLL_KILLED_WORDS = LEX.words("TOLL_KILLED_WORDS")
TOLL_WOUNDED_WORDS = LEX.words("TOLL_WOUNDED_WORDS")
TOLL_VALUE_CUES = LEX.words("TOLL_VALUE_CUES")
NEGATIVE_WORDS = LEX.words("NEGATIVE_WORDS")
# Tried in file order: the first category that names a noun wins.
VICTIM_CATEGORIES: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in LEX.mapping("VICTIM_CATEGORIES").items()}
GENERIC_NOUNS = LEX.words("GENERIC_NOUNS")
GENERIC_PEOPLE = LEX.words("GENERIC_PEOPLE")
PERSON_NOUNS = LEX.words("PERSON_NOUNS").union(*VICTIM_CATEGORIES.values(), GENERIC_NOUNS - {"another", "one", "other", "others"})
VAGUE_HEADS = LEX.words("VAGUE_HEADS")
NOT_VICTIMS = LEX.words("NOT_VICTIMS")
RELATIVE_PRONOUNS = LEX.words("RELATIVE_PRONOUNS")
COUNT_LEAD_WORDS = LEX.words("COUNT_LEAD_WORDS")
AFTER_COUNT_OK = LEX.words("AFTER_COUNT_OK")
BETWEEN_COUNT_AND_TRIGGER = LEX.words("BETWEEN_COUNT_AND_TRIGGER")
BACKGROUND_SUBJECTS = LEX.words("BACKGROUND_SUBJECTS")
ATTACK_NOUNS = LEX.words("ATTACK_NOUNS")
CUMULATIVE_CUES = re.compile(
    r"\b(since (?:the (?:war|conflict|invasion|start|beginning|outbreak|fighting|insurgency|uprising)|(?:early |late )?(?:19|20)\d\d|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|it began|then|russia's|the)"
    r"|so far this year|overall|cumulative|to date|over the (?:past|last) (?:\w+ )?(?:years|months|decades?)"
    r"|during the (?:war|conflict)|in the course of the (?:war|conflict)|throughout the (?:war|conflict)"
    r"|over (?:that|this|the same|the whole) period|in that (?:time|period)|since then"
    r"|in the (?:first|second) half of|this year|last year"
    r"|since (?!(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|last night|dawn|early|midnight|morning|died|been)\b)(?!\w+ed\b)\w+)",
    re.IGNORECASE,
)
NEW_INCIDENT_CUES = re.compile(
    r"\b(elsewhere|separately|separate|earlier|later in the day|another (?:attack|blast|bomb|strike|raid|incident|explosion)"
    r"|a second (?:attack|blast|bomb|strike|raid|explosion)|second blast|in neighbouring|in neighboring|meanwhile)\b",
    re.IGNORECASE,
)
SUBSET_CUES = re.compile(r"\b(including|among them|among whom|of whom|among the (?:dead|wounded|injured|victims))\b|[-\u2013\u2014]\s*$", re.IGNORECASE)
UPDATE_CUES = re.compile(r"\b(rose|risen|rising|climbed|increased|jumped|reached|now stands|updated|revised|grew|later put|has risen)\b", re.IGNORECASE)
@dataclass
class _Part:
    """One group of victims of a trigger: the number's tokens, its count, the noun it counts."""

    tokens: list[Token]
    count: Count
    victim: Token | None


@dataclass
class _Hit:
    kind: str
    count: Count
    victims: str | None
    tokens: list[Token]
    trigger: Token
    generic: bool = True
    background: bool = False
    fresh: bool = False
    subset: bool = False
    location: str | None = None
    country: str | None = None
    key: str | None = None  # a named victim ("person:madaki"): distinct names add up, a repeated one does not
    additive: bool = False  # "two more people", "another three", "17 others": adds to the toll before it


@dataclass
class _Incident:
    """Figures of one event in an article; `items` are its casualties with the hits they came from."""

    location: str | None
    items: list[tuple[Casualty, _Hit]] = field(default_factory=list)


@dataclass
class CasualtyResult:
    casualties: list[Casualty] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)


# -- triggers ---------------------------------------------------------------------------------
# Every word `_trigger_kind` may accept, by lower-case form or by lemma: tokens with neither
# are passed over without being read (most of an article).
_TRIGGER_FORMS = TOLL_NOUNS | LIFE_WORDS | BODY_WORDS | KILLED_WORDS | WOUNDED_WORDS | MISSING_WORDS | KILLING_NOUNS | {"death", "deaths"}
_TRIGGER_LEMMAS = KILLED_VERBS | WOUNDED_VERBS | ABDUCTED_VERBS | ARRESTED_VERBS | KILLING_NOUNS | FATAL_WOUNDING_VERBS | {"lose", "gun", "shoot"}


def trigger_candidates(doc: Doc) -> list[int]:
    """Indices of the tokens that may be triggers, in order, read from the Doc's arrays."""
    values = doc.to_array([LOWER, LEMMA])
    strings = doc.vocab.strings
    forms = {key for key in set(values[:, 0].tolist()) if strings[key] in _TRIGGER_FORMS}
    lemmas = {key for key in set(values[:, 1].tolist()) if strings[key].lower() in _TRIGGER_LEMMAS}
    return [i for i, (lower, lemma) in enumerate(values.tolist()) if lower in forms or lemma in lemmas]


def _trigger_kind(tok: Token) -> str | None:
    lemma, low = tok.lemma_.lower(), tok.lower_
    if tok.pos_ == "PROPN":
        return None
    if low in TOLL_NOUNS:
        return _toll_kind(tok)
    if low in LIFE_WORDS:
        return "killed" if tok.head.lemma_ in LIFE_TAKING_VERBS else None
    if low == "death" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ in TOLL_DEATH_NOUNS:
        return None  # "death toll": the toll is the trigger
    if low in {"death", "deaths"} and tok.dep_ == "pobj" and tok.head.lower_ == "to":
        # "hacked to death", "were put to death"; not "sentenced to death"
        verb = tok.head.head
        return "killed" if verb.pos_ in {"VERB", "NOUN"} and verb.lemma_.lower() not in NOT_LETHAL_TO_DEATH else None
    if tok.pos_ == "NOUN" and (low in KILLING_NOUNS or lemma in KILLING_NOUNS):
        return "killed" if of_object(tok) is not None else None  # "the murder of a priest"; not "charged with murder"
    if lemma == "lose" and tok.pos_ == "VERB":
        return "killed" if any(c.dep_ == "dobj" and c.lemma_.lower() not in LIFE_WORDS and _victim_like(c) and _counted(c, person_only=True)
                               for c in tok.children) else None
    if lemma == "gun" and any(c.lower_ == "down" for c in tok.children):
        return "killed"
    if lemma == "shoot" and any(c.lower_ == "dead" for c in tok.children):
        return "killed"
    if low in BODY_WORDS:
        verbs = {tok.head.lemma_.lower(), *(c.lemma_.lower() for c in tok.head.children if c.dep_ in {"conj", "xcomp"})}
        return "killed" if verbs & BODY_FOUND_VERBS else None
    if lemma in KILLED_VERBS or low in KILLED_WORDS:
        return "killed"
    if lemma in FATAL_WOUNDING_VERBS and any(c.lower_ in FATAL_ADVERBS for c in tok.children):
        return "killed"  # "fatally shot", "mortally wounded"
    if lemma in WOUNDED_VERBS or low in WOUNDED_WORDS:
        if low in INJURY_NOUNS and not (tok.dep_ == "pobj" and tok.head.lower_ in {"for", "with", "from"}):
            return None
        return "wounded"
    if low in MISSING_WORDS:
        return "missing"
    if lemma in ABDUCTED_VERBS:
        return "abducted"
    if lemma in ARRESTED_VERBS:
        return "arrested"
    return None


def _toll_kind(tok: Token) -> str | None:
    """'death toll', 'number of dead', 'the total killed', 'number of injured'."""
    doc = tok.doc
    prev = doc[tok.i - 1].lower_ if tok.i > 0 else ""
    if tok.lower_ in TOLL_DEATH_NOUNS and (prev in TOLL_DEATH_MODIFIERS or any(c.lower_ == "death" for c in tok.children)):
        return "killed"
    if tok.lower_ == "toll" and (tok.head.lemma_.lower() in TOLL_VERBS
                                 or re.search(r"\b(killed|died|dead|deaths?)\b", tok.sent.text, re.IGNORECASE)):
        return "killed"  # "put the toll at nine", "the toll rose to 14"
    obj = of_object(tok)
    words = {obj.lower_} if obj is not None else set()
    if obj is not None:
        words |= {c.lower_ for c in obj.children if c.dep_ in {"amod", "acl"}}
    nxt = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else ""
    words.add(nxt)
    if words & TOLL_KILLED_WORDS:
        return "killed"
    if words & TOLL_WOUNDED_WORDS:
        return "wounded"
    return None


def _is_person(noun: Token) -> bool:
    """A noun naming a person: a name, a role or trade ('the village chief'), 'a Palestinian'."""
    if noun.pos_ == "PROPN":
        return noun.ent_type_ == "PERSON"
    lemma = noun.lemma_.lower()
    if lemma in PERSON_NOUNS or noun.lower_ in PERSON_NOUNS:
        return True
    if lemma == "head" and of_object(noun) is not None:
        return True  # "the head of the village council"
    return noun.ent_type_ == "NORP" and noun.tag_ in {"NN", "NNP", "JJ"}


def _person_count(noun: Token) -> tuple[list[Token], Count] | None:
    """One person named or described without a number: 'the village chief', 'Mr Adu', 'a devotee'."""
    if noun.tag_ in {"NNS", "NNPS"} or not _is_person(noun):
        return None
    if any(c.dep_ == "det" and c.lower_ in {"every", "each", "any", "no", "which", "what", "whichever"} for c in noun.children):
        return None  # "for every individual killed": a rate, not a victim
    return [noun], Count(1, 1, 1, None)


def _implicit_single(found: tuple[list[Token], Count]) -> bool:
    """A count of one read from a determiner or pronoun ('a man', 'his son', 'him'), not a number."""
    return found[1].value == 1 and not any(t.like_num or t.lower_ in {"one", "single"} for t in found[0])


def _counted(noun: Token, person_only: bool = False) -> tuple[list[Token], Count] | None:
    """The count a victim noun gives: its number, else one person it names. With `person_only`,
    a count of one from a determiner needs a person noun ('a dead end', 'lost their job' are none)."""
    found = count_of_noun(noun)
    if found is None:
        return _person_count(noun)
    if person_only and _implicit_single(found) and not (_is_person(noun) or noun.pos_ == "PRON"):
        return None
    return found


def _victim_like(noun: Token) -> bool:
    lemma = noun.lemma_.lower()
    return lemma not in NOT_VICTIMS and noun.lower_ not in NOT_VICTIMS and noun.pos_ in {"NOUN", "PROPN", "NUM", "PRON", "ADJ", "DET"}


def _is_negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    return any(c.lower_ in NEGATIVE_WORDS and c.dep_ in {"nsubj", "nsubjpass", "det", "dobj"} for c in tok.children)


def _category(noun: Token | None) -> tuple[str | None, bool]:
    """(victim category, whether the noun is generic like 'people')."""
    if noun is None:
        return None, True
    lemma, low = noun.lemma_.lower(), noun.lower_
    if lemma in GENERIC_NOUNS or low in GENERIC_NOUNS or noun.like_num or noun.pos_ == "PRON":
        return None, True
    for category, words in VICTIM_CATEGORIES.items():
        if lemma in words or low in words:
            return category, False
    if noun.ent_type_ == "NORP":
        return noun.text, False
    return None, False


# -- arguments: who the victims are ---------------------------------------------------------------
def _victim_nouns(trigger: Token, floor: int = 0) -> list[Token]:
    """Nouns naming the victims; tokens before `floor` (the dateline) are never victims."""
    return _expand_victims(_victim_args(trigger), floor, trigger)


def _victim_args(trigger: Token) -> list[Token]:
    """The trigger's own arguments that may name victims, before conjuncts are followed."""
    low, lemma = trigger.lower_, trigger.lemma_.lower()
    if low in LIFE_WORDS:
        head = trigger.head
        args = [c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}] if head.lemma_ == "lose" else []
        if (obj := of_object(trigger)) is not None:
            args.append(obj)
        return args
    if low in {"death", "deaths"} and trigger.dep_ == "pobj" and trigger.head.lower_ == "to":
        return _to_death_victims(trigger.head.head)
    if low in INJURY_NOUNS:
        verb = trigger.head.head
        return [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if lemma == "lose":
        return [c for c in trigger.children if c.dep_ == "dobj"]
    return _direct_victim_args(trigger)


def _to_death_victims(verb: Token) -> list[Token]:
    """Who was '<verb> to death': its object, the subject of a passive or of a reporting verb above it."""
    args = [c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}]
    if not args and verb.pos_ == "NOUN" and (obj := of_object(verb)) is not None:
        args = [obj]  # "the hacking to death of a professor"
    if not args:
        args = _borrowed_args(verb)
    if not args and verb.pos_ == "VERB":
        args = [c for c in verb.children if c.dep_ == "nsubj"]  # "13 people starved to death"
    return args


def _is_passive(verb: Token) -> bool:
    """'was shot', and 'killed' in 'was shot and killed' (a participle joined to a passive)."""
    for _ in range(4):
        if any(c.dep_ == "auxpass" for c in verb.children):
            return True
        if not (verb.tag_ == "VBN" and verb.dep_ == "conj"):
            return False
        verb = verb.head
    return False


def _borrowed_args(trigger: Token) -> list[Token]:
    """Victims named on a verb above the trigger: 'was shot and killed', 'later died', 'were feared
    killed', 'are believed to have died', 'were found burned to death'."""
    cur = trigger
    for _ in range(3):
        head = cur.head
        if head.i == cur.i or head.pos_ not in {"VERB", "AUX"}:
            return []
        if cur.dep_ == "conj":
            own_subject = cur.lemma_.lower() in {"die", "perish", "succumb"} or _is_passive(cur)
            deps = {"nsubjpass", "dobj"} | ({"nsubj"} if own_subject else set())
        elif cur.dep_ in {"xcomp", "oprd", "advcl", "ccomp"} and head.lemma_.lower() in REPORTING_VERBS:
            deps = {"nsubjpass", "nsubj"} if head.lemma_.lower() in HEDGING_VERBS or _is_passive(head) else {"nsubjpass"}
        else:
            return []
        found = [c for c in head.children if c.dep_ in deps and c.i != cur.i]
        if found:
            return found
        cur = head
    return []


def _is_hedged(trigger: Token) -> bool:
    """'were feared killed', 'are believed to have died': a toll nobody has confirmed."""
    cur = trigger
    for _ in range(3):
        if cur.head.i == cur.i or cur.dep_ not in {"xcomp", "oprd", "advcl", "ccomp", "conj"}:
            return False
        cur = cur.head
        if cur.lemma_.lower() in HEDGING_VERBS:
            return True
    return False


def _direct_victim_args(trigger: Token) -> list[Token]:
    """Victims of a verb, adjective or noun trigger: its objects, its head, or a copula's other side."""
    low, lemma = trigger.lower_, trigger.lemma_.lower()
    intransitive = lemma in {"die", "perish"} or trigger.pos_ in {"ADJ", "NOUN"} or (
        trigger.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in trigger.children))
    deps = {"dobj", "nsubjpass", "attr", "oprd", "npadvmod", "nummod"} | ({"nsubj"} if intransitive else set())
    args = [c for c in trigger.children if c.dep_ in deps]
    if low in OF_OBJECT_TRIGGERS or (trigger.pos_ == "NOUN" and (low == "dead" or low in KILLING_NOUNS or lemma in KILLING_NOUNS)):
        if (obj := of_object(trigger)) is not None:
            args.append(obj)
    own = [a for a in args if a.lower_ not in RELATIVE_PRONOUNS]
    if trigger.dep_ in {"amod", "acl", "relcl"} and trigger.head.pos_ in {"NOUN", "PROPN", "NUM", "PRON"} and not own:
        args.append(trigger.head)
    if trigger.pos_ == "ADJ" and trigger.dep_ in {"oprd", "acomp", "xcomp", "ccomp", "advcl"}:
        # "left six inmates dead": the object; "were found dead": the subject. Not the cause
        # ("a battle left six inmates dead").
        objects = [c for c in trigger.head.children if c.dep_ == "dobj"]
        args.extend(objects or [c for c in trigger.head.children if c.dep_ in {"nsubj", "nsubjpass"}])
    if not args and trigger.dep_ == "nsubj" and trigger.head.lemma_ in {"include", "be"}:
        # "the dead included 12 soldiers and three militiamen"
        args = [c for c in trigger.head.children if c.dep_ in {"dobj", "attr"}]
    if not args and trigger.dep_ == "pobj" and trigger.head.lower_ == "among":
        # "14 officers were among the dead"
        verb = trigger.head.head
        args = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if not args and trigger.head.lemma_ == "be" and trigger.dep_ in {"csubj", "advcl", "ccomp", "nsubj", "acomp"}:
        # "Killed in the attack were four policemen and their driver"
        args = [c for c in trigger.head.children if c.dep_ in {"nsubj", "attr"} and c.i != trigger.i]
    if not args and trigger.pos_ == "VERB":
        args = _borrowed_args(trigger)
    return args


def _belongs_to_other_trigger(noun: Token, trigger: Token) -> bool:
    """'14 were killed and at least 23 injured', '58 dead and over 78 others injured': the
    conjunct is the victims of the next trigger, not more victims of this one."""
    doc = noun.doc
    after = noun.right_edge.i + 1
    clauses = {t.i for c in noun.children if c.dep_ == "relcl" for t in c.subtree}  # "pilgrims who mourned a death"
    near = [t for t in noun.subtree if t.i != noun.i and t.i not in clauses] + ([doc[after]] if after < len(doc) else [])
    return any(t.i != trigger.i and _trigger_kind(t) is not None for t in near if t.pos_ in {"VERB", "ADJ", "NOUN"})


def _companions(noun: Token) -> list[Token]:
    """'killed alongside his nephew', 'along with his bodyguards and driver': victims beside this one."""
    out = []
    for child in noun.children:
        if child.dep_ == "prep" and (child.lower_ == "alongside" or (child.lower_ == "with" and child.i > 0 and noun.doc[child.i - 1].lower_ in {"along", "together"})):
            out.extend(c for c in child.children if c.dep_ == "pobj")
    return out


def _expand_victims(args: list[Token], floor: int, trigger: Token | None = None) -> list[Token]:
    """The arguments and their conjuncts ("two soldiers and three civilians"), minus named parts."""
    expanded: list[Token] = []
    if trigger is not None and trigger.pos_ == "VERB":
        args = args + [c for a in [trigger] for c in _companions(a)]
    for a in args:
        if a.i < floor:
            continue  # "BAMAKO (AFP) -" parsed as a subject
        stack = [a]
        # Each token is pushed at most once per argument (a conjunct has one head): len(doc) bounds it.
        for _ in range(len(a.doc) + 1):
            if not stack:
                break
            n = stack.pop(0)
            if n in expanded:
                continue
            left = n.doc[max(n.left_edge.i - 3, floor) : n.left_edge.i].text
            among = any(c.dep_ == "prep" and c.lower_ in {"among", "including"} for c in n.children)
            if (n.i != a.i or expanded) and (SUBSET_CUES.search(left) or among):
                continue  # "23 people, among them four children": a part, not more victims
            if trigger is not None and _belongs_to_other_trigger(n, trigger):
                continue
            if n.dep_ == "conj" and n.pos_ == "PROPN" and not any(c.dep_ == "cc" for c in n.head.children):
                continue  # "the High Chief, Pa Moses Elutilo": one person named twice, no "and"
            expanded.append(n)
            stack.extend(c for c in n.children if c.dep_ == "conj")
            stack.extend(_companions(n))
            # "two of his men": the number heads the phrase, the people hang off "of".
            if n.like_num and (obj := of_object(n)) is not None:
                stack.extend(c for c in obj.children if c.dep_ == "conj")
    return expanded


def _nearby(trigger: Token, sent: Span, used: set[int]) -> _Part | None:
    """Elliptical tolls: 'wounded five', 'nine dead', 'killing at least 12', 'two of his comrades wounded'."""
    return _number_after(trigger, sent, used) or _number_before(trigger, sent, used)


def _number_after(trigger: Token, sent: Span, used: set[int]) -> _Part | None:
    """'wounded five', 'killing at least 12': a number a few words after the trigger."""
    doc = trigger.doc
    j = trigger.i + 1
    while j < sent.end and j <= trigger.i + 4 and doc[j].lower_ in COUNT_LEAD_WORDS:
        j += 1
    if j < sent.end and j not in used and (found := number_span(doc[j])):
        tokens, count = found
        nxt = doc[tokens[-1].i + 1] if tokens[-1].i + 1 < sent.end else None
        if nxt is None or nxt.lower_ in AFTER_COUNT_OK or not nxt.is_alpha or nxt.pos_ in {"CCONJ", "ADP", "PUNCT", "VERB", "ADV"} or _victim_like(nxt) and nxt.pos_ == "NOUN":
            return _Part(tokens, count, nxt if nxt is not None and nxt.pos_ == "NOUN" else None)
    return None


def _number_before(trigger: Token, sent: Span, used: set[int]) -> _Part | None:
    """'nine dead', 'two of his comrades wounded': the nearest number before, within the clause."""
    doc = trigger.doc
    i, steps = trigger.i - 1, 0
    while i >= sent.start and steps < 6:
        tok = doc[i]
        if i in used:
            break
        if (found := number_span(tok)):
            tokens, count = found
            after = doc[tokens[-1].i + 1 : trigger.i]
            words = [t for t in after if t.pos_ not in {"AUX", "ADV", "PART"} and t.lower_ not in BETWEEN_COUNT_AND_TRIGGER]
            noun = next((t for t in after if t.pos_ == "NOUN"), None)
            if all(t.pos_ in {"NOUN", "ADJ", "PROPN"} for t in words) and (noun is None or _victim_like(noun)):
                return _Part(tokens, count, noun)
            return None
        if (tok.pos_ == "VERB" and tok.lemma_ not in {"be", "have"}) or tok.text in {";", ":", ","}:
            break
        i -= 1
        steps += 1
    return None


def _toll_count(trigger: Token, sent: Span) -> tuple[list[Token], Count] | None:
    """'the death toll rose to 14', 'put the toll at nine', 'a toll of 12', 'had reached 47'."""
    doc = trigger.doc
    verb = trigger.head if trigger.dep_ in {"nsubj", "nsubjpass", "dobj"} else None
    if verb is not None:
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in {"to", "at"}:
                for pobj in child.children:
                    if (found := number_span(pobj) or (count_of_noun(pobj) if pobj.pos_ == "NOUN" else None)):
                        return found  # "put the toll at 32", "put the number killed at 32 people"
            if child.dep_ in {"dobj", "attr", "npadvmod"} and child.i != trigger.i:
                if (found := number_span(child) or count_of_noun(child)):
                    return found
    for child in trigger.children:
        if child.dep_ == "prep" and child.lower_ in {"of", "at"}:
            for pobj in child.children:
                if (found := number_span(pobj)):
                    return found
        if child.dep_ in {"prep"} and child.lower_ == "to":
            for pobj in child.children:
                if (found := number_span(pobj)):
                    return found
    for j in range(trigger.i + 1, min(sent.end, trigger.i + 8)):
        if doc[j].lower_ in TOLL_VALUE_CUES and j + 1 < sent.end and (found := number_span(doc[j + 1])):
            return found
    return None


def _clause_verb(tok: Token) -> Token:
    """The governing verb, or the top of the phrase when there is none."""
    verb = governing_verb(tok, max_steps=6)
    if verb is not None:
        return verb
    cur = tok
    for _ in range(len(tok.doc)):  # bounded: the root is its own head
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return cur


def _clause_text(verb: Token) -> str:
    """The words of a verb's own clause, leaving out clauses that hang off it."""
    skip: set[int] = set()
    for child in verb.children:
        if child.dep_ in {"ccomp", "advcl", "conj", "relcl", "parataxis"} and child.pos_ in {"VERB", "AUX"}:
            if any(m.dep_ == "mark" and m.lower_ == "since" for m in child.children):
                continue  # "have been killed since the war began" belongs to this clause
            if child.dep_ == "conj" and not any(c.dep_.startswith("nsubj") for c in child.children):
                continue  # "were killed and injured since then": the shared subject's clause goes on
            skip.update(t.i for t in child.subtree)
    for tok in verb.subtree:
        if tok.i != verb.i and tok.dep_ in {"relcl", "acl"} and tok.pos_ in {"VERB", "AUX"}:
            skip.update(t.i for t in tok.subtree)  # "in fighting that erupted last year": the fighting's time
    return " ".join(t.text for t in verb.subtree if t.i not in skip)


YEAR = re.compile(r"^(?:19|20)\d\d$")
AGO = re.compile(r"\b(?:weeks?|months?|years?|decades?) ago\b", re.IGNORECASE)
EARLIER_CUES = re.compile(r"\b(?:last (?:week|month|year|summer|winter|spring|autumn|fall)|ago|previous)\b", re.IGNORECASE)
TEMPORAL_PREPOSITIONS = {"after", "before", "since", "until", "till", "upon", "following"}


UNDATED = 10_000  # the reference "year" of an article without a date: every year it names is earlier


def reference_year(published: date | None) -> int:
    """The year the article reports from. An undated article has none: a year it names for a
    toll ('Roosevelt died on April 12, 1945', 'in 2011, a raid killed...') is what reporters
    write for past events, so it marks the toll as background."""
    return published.year if published is not None else UNDATED


def _names_earlier_year(tokens: list[Token] | Span, ref_year: int | None) -> bool:
    """'in 2004', 'on April 12, 1945': a year before the one the article reports from."""
    return ref_year is not None and any(t.ent_type_ == "DATE" and YEAR.match(t.text) and int(t.text) < ref_year for t in tokens)


def _is_irrealis(trigger: Token) -> bool:
    """'to kill an individual', 'could die', 'threatened to kill': no toll. 'are believed to have
    died', 'may have been killed' report one (the perfect)."""
    verb = trigger if trigger.pos_ == "VERB" else governing_verb(trigger, max_steps=3)
    for _ in range(3):
        if verb is None:
            return False
        auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
        if not any(a.lemma_ == "have" for a in auxes):
            if any(a.tag_ == "MD" for a in auxes):
                return True  # "could die", "will be killed"
            if any(a.lower_ == "to" for a in auxes) and _wanted_not_done(verb):
                return True  # "vowed to kill", "easier than to kill"; not "used machetes to kill 12"
        if verb.dep_ != "conj":
            return False
        verb = verb.head
    return False


def _wanted_not_done(infinitive: Token) -> bool:
    """An infinitive under a word of intention, ability or ease, or under another such infinitive;
    the first finite verb above ('used machetes to kill') makes it an act."""
    if any(c.dep_ == "mark" and c.lower_ == "than" for c in infinitive.children):
        return True  # "harder to win than to kill"
    cur = infinitive
    for _ in range(4):
        head = cur.head
        if head.i == cur.i:
            return False
        if head.lemma_.lower() in IRREALIS_HEADS or head.lemma_ == "be" or head.pos_ == "ADJ" or any(c.tag_ == "MD" for c in head.children):
            return True
        if head.tag_ in {"VBD", "VBZ", "VBP", "VBN"}:
            return False
        cur = head
    return False


def _is_generic(trigger: Token) -> bool:
    """Statements of what happens, not reports: 'seven people are murdered (every day)',
    'a fighter is wounded' (a caption), 'the operation involves decapitating the patient'."""
    if trigger.tag_ == "VBN" and any(c.dep_ == "auxpass" and c.tag_ in {"VBZ", "VBP"} for c in trigger.children):
        return True
    if trigger.tag_ == "VBG" and trigger.dep_ in {"xcomp", "dobj", "csubj"} and trigger.head.tag_ in {"VBZ", "VBP"}:
        return True
    if trigger.dep_ == "pobj" and trigger.head.lower_ in TEMPORAL_PREPOSITIONS and trigger.lower_ in {"death", "deaths"}:
        return True  # "leader until his death", "after her death": a time, not a toll
    return False


def _time_adjuncts(verb: Token) -> list[Token]:
    """Tokens within three steps of the verb ('in 2006', 'on April 12, 1945', 'in a 2004 bombing'),
    not a year deep in a phrase about something else ('jailed for acts during the 2011 revolt')."""
    near = []
    for tok in verb.subtree:
        cur = tok
        for _ in range(3):
            if cur.i == verb.i:
                break
            cur = cur.head
        if cur.i == verb.i:
            near.append(tok)
    return near


def _told_as_motive_or_memory(noun: Token) -> bool:
    """'an earlier killing of a herdsman', 'avenging the killing of one of their members', 'the
    anniversary of the death of an imam': an earlier death, told as the reason or the occasion."""
    if any(c.dep_ == "amod" and c.lower_ in EARLIER_MODIFIERS for c in noun.children):
        return True
    start = noun.left_edge.i
    if any(t.lemma_.lower() in MOTIVE_WORDS for t in noun.doc[max(start - 4, noun.sent.start) : start]):
        return True  # "in revenge for the killing of", "to avenge the death of"
    cur = noun
    for _ in range(3):
        cur = cur.head
        if cur.lemma_.lower() in MOTIVE_WORDS:
            return True
        if cur.pos_ == "VERB" and cur.lemma_.lower() not in MOTIVE_WORDS:
            return False
    return False


def _modified_phrase(noun: Token) -> Token:
    """The top of the noun phrase a relative clause hangs on: from 'post' in "a 2019 attack on a
    military post that killed 17" up to 'attack' (through 'of', 'on', 'at', 'in', 'near')."""
    cur = noun
    for _ in range(4):
        prep = cur.head
        if cur.dep_ != "pobj" or prep.dep_ != "prep" or prep.head.pos_ not in {"NOUN", "PROPN"}:
            break
        cur = prep.head
    return cur


def _is_background(trigger: Token, ref_year: int | None = None) -> bool:
    verb = _clause_verb(trigger)
    text = _clause_text(verb)
    if CUMULATIVE_CUES.search(text):
        return True
    if AGO.search(text) or _names_earlier_year(_time_adjuncts(verb), ref_year) or (ref_year == UNDATED and _names_earlier_year(trigger.sent, ref_year)):
        return True
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if any(s.lemma_.lower() in BACKGROUND_SUBJECTS for s in subjects):
        return True
    if trigger.pos_ == "NOUN" and _told_as_motive_or_memory(trigger):
        return True
    # "a week after an attack ... left 11 soldiers dead": an earlier event, told as background.
    for anc in [trigger, *trigger.ancestors]:
        if anc.lower_ in {"after", "before"} and anc.dep_ in {"prep", "mark"} and anc.i > 1:
            left = anc.doc[max(anc.i - 3, 0) : anc.i].text.lower()
            if re.search(r"\b(days?|weeks?|months?|years?)$", left):
                return True
    # "arrested 11 people over last month's blast that killed four": a relative clause in a
    # sentence that dates its event earlier describes an earlier event, not this report's news
    # ("claimed the bombing that killed 15" is the news).
    if verb.dep_ == "relcl":
        own = {t.i for t in verb.subtree}
        rest_of_sentence = " ".join(t.text for t in verb.sent if t.i not in own)
        phrase = [t for t in _modified_phrase(verb.head).subtree if t.i not in own]
        if EARLIER_CUES.search(rest_of_sentence) or _names_earlier_year(phrase, ref_year):
            return True
    return False


def _perpetrator(sent: Span, actors: ActorResult, k: Knowledge) -> str | None:
    for tok in sent:
        if tok.lemma_.lower() in ATTACK_NOUNS or tok.lower_ in ATTACK_NOUNS:
            for left in tok.doc[max(sent.start, tok.i - 4) : tok.i]:
                if left.ent_type_ in {"NORP", "GPE"}:
                    entry = k.lookup(left.text) or (k.countries.get(left.ent_id_) if left.ent_id_ else None)
                    if entry is not None:
                        return entry.name if entry.kind != "person" else entry.country
                if left.ent_type_ == "ORG":
                    m = next((m for m in actors.mentions if m.token_start <= left.i < m.token_end and m.what == "actor"), None)
                    if m:
                        return m.name
    m = re.search(r"\b(?:by|claimed by|blamed on|carried out by)\s+(?:the\s+)?([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,3})", sent.text)
    if m:
        mention = next((x for x in actors.mentions if x.what == "actor" and x.text.startswith(m.group(1).split()[0]) and sent.start_char <= x.start < sent.end_char), None)
        if mention:
            return mention.name
    return None


def _place_for(trigger: Token, sent: Span, actors: ActorResult, layout: Layout) -> tuple[str | None, str | None]:
    """The place in the trigger's own clause, else the first place in the sentence (not the dateline's)."""
    verb = _clause_verb(trigger)
    lo, hi = verb.left_edge.idx, verb.right_edge.idx + len(verb.right_edge.text)
    places = [m for m in actors.starting_in(sent.start_char, sent.end_char, "place") if not layout.is_excluded(m.start, m.end)]
    own = [m for m in places if lo <= m.start < hi]
    chosen = (own or places or [None])[0]
    if chosen is None:
        return None, None
    place = next((p for p in actors.places if p.name == chosen.name), None)
    return chosen.name, place.country if place else None


def _sentence_date(published: date | None, text_outside_quotes: str) -> str | None:
    if published is None:
        return None
    for _, _, expr in find_date_expressions(text_outside_quotes):
        resolved = resolve_expression(expr, published)
        if resolved is not None and resolved <= published:
            return resolved.isoformat()
    return published.isoformat()


def _outside_quotes(text: str) -> str:
    return re.sub(r"[\"\u201c][^\"\u201d]*[\"\u201d]", " ", text)


def _dateline_floor(sent: Span, layout: Layout) -> int:
    """The first token after the dateline when the sentence holds it, else the sentence start."""
    if layout.dateline_span and sent.start_char <= layout.dateline_span[0] < sent.end_char:
        return next((t.i for t in sent if t.idx >= layout.dateline_span[1]), sent.start)
    return sent.start


def _toll_hit(tok: Token, kind: str, sent: Span, used: set[int]) -> _Hit | None:
    """A toll noun ("the death toll rose to 14"): its value, not its arguments, is the count."""
    found = _toll_count(tok, sent)
    if not found or any(t.i in used for t in found[0]):
        return None
    used.update(t.i for t in found[0])
    return _Hit(kind, found[1], None, found[0], tok)


def _single_death_is_violent(trigger: Token, sent: Span) -> bool:
    """One person who 'died' or whose 'death' is told: a casualty only where the sentence tells of
    violence ('died of his wounds', 'died in the attack'); obituaries are not tolls."""
    if not (trigger.lemma_.lower() in {"die", "perish"} or trigger.lower_ in {"death", "died"}):
        return True
    if trigger.dep_ == "pobj" and trigger.head.lower_ == "to":
        return True  # "hacked to death" says how
    return any(t.lemma_.lower() in VIOLENCE_CUES or t.lower_ in VIOLENCE_CUES for t in sent)


def _victim_parts(tok: Token, sent: Span, floor: int, used: set[int]) -> list[_Part]:
    """The counted victim groups of a trigger, from its arguments or, failing that, next to it."""
    parts: list[_Part] = []
    for noun in _victim_nouns(tok, floor):
        if noun.i in used or not _victim_like(noun):
            continue
        target = of_object(noun) if (noun.like_num or noun.lower_ in VAGUE_HEADS) else None
        found = _counted(noun, person_only=tok.dep_ == "amod" or tok.lemma_ == "lose")
        if found is None or any(t.i in used for t in found[0]):
            continue
        if _implicit_single(found) and not _single_death_is_violent(tok, sent):
            continue  # "the death of a Nobel laureate", "Roosevelt died": not a casualty
        victim = target if target is not None and _victim_like(target) else noun
        if target is not None and not _victim_like(target):
            continue
        parts.append(_Part(found[0], found[1], victim))
    if not parts and (near := _nearby(tok, sent, used)):
        parts.append(near)
    return parts


def _victims_label(parts: list[_Part], sent: Span, previous: _Hit | None) -> tuple[str | None, bool]:
    """(who the victims are, whether the toll is generic) for the parts of one trigger."""
    cats = [_category(p.victim) for p in parts]
    specific = sorted({c for c, generic in cats if c and not generic})
    generic = all(g for _, g in cats)
    victims = ", ".join(specific) if specific else None
    if victims is None and generic:
        if any(t.lemma_ == "civilian" for t in sent):
            victims = "civilians"
        elif previous is not None:
            victims = previous.victims  # "killed nine people and wounded five"
        else:
            victims = "people" if any(p.victim is not None and p.victim.lemma_.lower() in GENERIC_PEOPLE for p in parts) else None
    return victims, generic


def _victim_hit(tok: Token, kind: str, sent: Span, floor: int, used: set[int], previous: _Hit | None) -> _Hit | None:
    """A verb, adjective or noun trigger with its victims; the groups of victims add up."""
    parts = _victim_parts(tok, sent, floor, used)
    if not parts:
        return None
    for part in parts:
        used.update(t.i for t in part.tokens)
    used.add(tok.i)
    victims, generic = _victims_label(parts, sent, previous)
    key = None
    if len(parts) == 1:
        count = parts[0].count
        victim = parts[0].victim
        if victim is not None and victim.pos_ == "PROPN" and _is_person(victim):
            key, generic = f"person:{victim.lower_}", False
        elif count.value == 1 and victim is not None and _implicit_single((parts[0].tokens, count)):
            key, generic = "?", False  # "a mayor", "the journalist", "he": one person, maybe the named one
    else:
        count = Count(sum(p.count.value for p in parts), sum(p.count.low for p in parts), sum(p.count.high for p in parts), None)
    if _is_hedged(tok) and count.qualifier is None:
        count = Count(count.value, count.low, count.high, "unconfirmed")
    also = any(c.dep_ == "advmod" and c.lower_ == "also" for c in tok.children)  # "his driver was also killed"
    return _Hit(kind, count, victims, [t for p in parts for t in p.tokens], tok, generic=generic, key=key,
                additive=also or _is_additive(parts))


def _is_additive(parts: list[_Part]) -> bool:
    """'two more people were killed', 'another three civilians', 'Seventeen others', 'an additional 41'."""
    for part in parts:
        words = [*part.tokens, *(c for t in part.tokens for c in t.children), *(part.victim.children if part.victim is not None else [])]
        if part.victim is not None:
            words.append(part.victim)
        first = part.tokens[0]
        words.extend(first.doc[max(first.i - 2, 0) : first.i])
        if any(w.lower_ in ADDITIVE_WORDS for w in words):
            return True
    return False


def _describe_hits(hits: list[_Hit], sent: Span, actors: ActorResult, layout: Layout, ref_year: int | None = None) -> None:
    """Mark each hit: part of a toll beside it, background, a fresh incident, a subset, where."""
    for toll in [h for h in hits if h.trigger.lower_ in TOLL_NOUNS]:
        # A toll in the sentence outranks the partial counts of its kind beside it.
        for h in hits:
            if h.trigger.i != toll.trigger.i and h.kind == toll.kind and h.count.value <= toll.count.value:
                h.subset = True
    previous_end = sent.start
    dated = bool(CURRENT_TIME.search(sent.text))
    placed = dated or bool(actors.starting_in(sent.start_char, sent.end_char, "place"))
    for h in hits:
        h.background = _is_background(h.trigger, ref_year) or _summary_toll(h, sent, dated, placed)
        between = sent.doc[previous_end : h.trigger.i].text
        h.fresh = bool(NEW_INCIDENT_CUES.search(between))
        lead = sent.doc[max(sent.start, min(t.i for t in h.tokens) - 4) : min(t.i for t in h.tokens)].text
        h.subset = h.subset or bool(SUBSET_CUES.search(lead)) or h.trigger.dep_ == "pobj" and h.trigger.head.lower_ == "among"
        h.location, h.country = _place_for(h.trigger, sent, actors, layout)
        previous_end = max(t.i for t in [*h.tokens, h.trigger]) + 1


CURRENT_TIME = re.compile(
    r"\b(?:today|tonight|yesterday|overnight|this (?:morning|afternoon|evening)|last night|(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    r"|\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}\b)",
    re.IGNORECASE,
)


def _summary_toll(hit: _Hit, sent: Span, dated: bool, placed: bool) -> bool:
    """A toll that sums up rather than reports: a vague amount of hundreds or thousands with no
    day of its own ('hundreds have been killed', 'thousands died'); or a toll with neither day
    nor place that goes on from a sentence summing up a period ('eight bombings this year. At
    least 140 people have been killed.')."""
    if not dated and hit.count.value >= 100 and not any(any(ch.isdigit() for ch in t.text) for t in hit.tokens):
        return True
    if placed or sent.start == 0:
        return False
    return bool(CUMULATIVE_CUES.search(sent.doc[sent.start - 1].sent.text))


def _kind_total(pairs: list[tuple[Casualty, _Hit]]) -> int:
    """One incident, one kind: distinct victim groups add up, a generic toll covers them; marks what is counted."""
    generic: Casualty | None = None
    groups: dict[str, Casualty] = {}
    extra = {n for n, (_, hit) in enumerate(pairs) if n and hit.additive and not hit.subset}
    for n, (item, hit) in enumerate(pairs):
        if n in extra:
            continue
        if hit.generic or hit.subset:
            if generic is None or item.count > generic.count or (UPDATE_CUES.search(item.sentence) and item.count != generic.count and not hit.subset):
                generic = item if not hit.subset or generic is None or item.count > generic.count else generic
        else:
            key = hit.key or item.victims or "?"
            if key not in groups or item.count > groups[key].count:
                groups[key] = item
    named = sum(i.count for k, i in groups.items() if k.startswith("person:"))
    unnamed = groups["?"].count if "?" in groups else 0
    specific_sum = sum(i.count for k, i in groups.items() if k != "?" and not k.startswith("person:")) + max(named, unnamed)
    chained = _chained_total(pairs)
    if generic is not None and generic.count >= specific_sum:
        base, counted = generic.count, [generic]
    else:
        base, counted = specific_sum, list(groups.values())
    if chained > base:
        base, counted = chained, [item for item, _ in pairs]
    for i in counted:
        i.counted = True
    return base


def _chained_total(pairs: list[tuple[Casualty, _Hit]]) -> int:
    """Tolls that add to the one before them: 'five were killed ... two more people were killed'
    is 7; '16 civilians died while six more were killed' is 22 (and a toll of 22 beside them is
    the same 22)."""
    best = running = 0
    for n, (item, hit) in enumerate(pairs):
        running = running + item.count if (n and hit.additive and not hit.subset) else item.count
        best = max(best, running)
    return best


class CasualtyExtractor:
    def __init__(self, knowledge: Knowledge):
        self.k = knowledge

    def _hits(self, sent: Span, actors: ActorResult, layout: Layout, candidates: list[int], ref_year: int | None = None) -> list[_Hit]:
        hits: list[_Hit] = []
        used: set[int] = set()  # token indices already read as a count or a trigger
        floor = _dateline_floor(sent, layout)
        for i in candidates[bisect_left(candidates, sent.start):bisect_left(candidates, sent.end)]:
            tok = sent.doc[i]
            if tok.i < floor:
                continue
            kind = _trigger_kind(tok)
            if kind is None or tok.i in used or _is_negated(tok) or _is_irrealis(tok) or _is_generic(tok):
                continue
            check()
            if tok.lower_ in TOLL_NOUNS:
                hit = _toll_hit(tok, kind, sent, used)
            else:
                hit = _victim_hit(tok, kind, sent, floor, used, hits[-1] if hits else None)
            if hit is not None:
                hits.append(hit)
        _describe_hits(hits, sent, actors, layout, ref_year)
        return hits

    def extract(self, doc: Doc, layout: Layout, actors: ActorResult, published: date | None) -> CasualtyResult:
        result = CasualtyResult()
        dateline_place = next((p for p in actors.places if layout.dateline and p.name.lower() == layout.dateline.split(",")[0].strip().lower()), None)
        incidents: list[_Incident] = []
        candidates = trigger_candidates(doc)
        ref_year = reference_year(published)
        for sent in doc.sents:
            check()
            if layout.in_title(sent.start_char) or layout.is_excluded(sent.start_char, sent.end_char):
                continue
            hits = self._hits(sent, actors, layout, candidates, ref_year)
            if not hits:
                continue
            outside = _outside_quotes(sent.text)
            perpetrator = _perpetrator(sent, actors, self.k)
            when = _sentence_date(published, outside)
            sentence_fresh = bool(re.match(r"^\W*(elsewhere|separately|meanwhile|in (?:a|another) separate)", outside, re.IGNORECASE))
            for hit in hits:
                if hit.count.value > 100_000 and not hit.background:
                    log.info("dropped implausible toll %s in %r", hit.count.value, sent.text[:80])
                    continue
                fresh = hit.fresh or sentence_fresh
                # The dateline's place stands in for an unplaced toll, unless the toll says it is elsewhere.
                location = hit.location or (None if fresh else (dateline_place.name if dateline_place else None))
                country = hit.country or (None if fresh else (dateline_place.country if dateline_place else None))
                spans = [*hit.tokens, hit.trigger]
                item = Casualty(
                    kind=hit.kind, count=hit.count.value, low=hit.count.low, high=hit.count.high, qualifier=hit.count.qualifier,
                    sentence=sent.text.strip(), start=min(t.idx for t in spans), end=max(t.idx + len(t.text) for t in spans),
                    victims=hit.victims, perpetrator=perpetrator, location=location, country=country, date=when,
                    cumulative=hit.background,
                )
                result.casualties.append(item)
                if hit.background:
                    item.incident = -1
                    continue
                item.incident = self._incident_for(incidents, hit.location, fresh)
                incidents[item.incident].items.append((item, hit))
        result.totals = self._totals(incidents)
        result.figures = extract_figures(doc, layout)
        return result

    @staticmethod
    def _incident_for(incidents: list[_Incident], location: str | None, fresh: bool) -> int:
        """The incident a toll belongs to: the one at its place, else the last one, else a new one."""
        if incidents and not fresh:
            if location is None:
                return len(incidents) - 1
            for n, inc in enumerate(incidents):
                if inc.location == location:
                    return n
            last = incidents[-1]
            if last.location is None:
                last.location = location
                return len(incidents) - 1
        incidents.append(_Incident(location))
        return len(incidents) - 1

    @staticmethod
    def _totals(incidents: list[_Incident]) -> dict[str, int]:
        """Per incident and kind: distinct victim groups add up, a generic toll covers them."""
        totals: dict[str, int] = {}
        for inc in incidents:
            by_kind: dict[str, list[tuple[Casualty, _Hit]]] = {}
            for item, hit in inc.items:
                by_kind.setdefault(item.kind, []).append((item, hit))
            for kind, pairs in by_kind.items():
                totals[kind] = totals.get(kind, 0) + _kind_total(pairs)
        return totals
