"""Casualty tolls and other counted figures, read from the dependency parse.

A toll is a trigger (killed, died, dead, wounded, death toll...) and the count of its
victims, found among the trigger's syntactic arguments ("killed nine people", "nine
people were killed", "two soldiers and three civilians were killed"), or, where the
parse is elliptical ("and wounded five", "nine dead"), right next to it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span, Token

from ..models import Casualty, Figure
from .actors import ActorResult
from .dates import find_date_expressions, resolve_expression
from .knowledge import Knowledge
from .layout import Layout
from .numbers import QUALIFIERS, VAGUE, Count, is_number_word, parse_count, parse_number_words

log = logging.getLogger(__name__)

KILLED_VERBS = {"kill", "slay", "execute", "massacre", "murder", "behead", "assassinate", "slaughter", "die", "perish", "lynch"}
KILLED_WORDS = {"dead", "death", "deaths", "fatality", "fatalities", "toll", "body", "bodies", "killed", "died", "slain", "life", "lives", "corpse", "corpses"}
WOUNDED_VERBS = {"wound", "injure", "hurt", "maim"}
WOUNDED_WORDS = {"wounded", "injured", "hurt", "injuries", "injury", "maimed", "wounds"}
MISSING_WORDS = {"missing", "unaccounted"}
ABDUCTED_VERBS = {"abduct", "kidnap"}
ARRESTED_VERBS = {"arrest", "detain"}

VICTIM_CATEGORIES = {
    "civilians": {"civilian", "resident", "villager", "passenger", "worshipper", "worshiper", "pilgrim", "shopper",
                  "farmer", "worker", "student", "pedestrian", "bystander", "motorist", "family", "relative",
                  "evacuee", "refugee", "woman", "man", "person", "people", "patient", "teacher", "driver"},
    "children": {"child", "children", "kid", "boy", "girl", "toddler", "baby", "infant", "teenager", "minor", "schoolchild", "pupil"},
    "soldiers": {"soldier", "serviceman", "servicemen", "troop", "troops", "marine", "paratrooper", "conscript", "sailor", "airman", "guardsman", "reservist"},
    "police": {"policeman", "policemen", "police", "policewoman", "officer", "gendarme", "constable", "cop"},
    "militants": {"militant", "fighter", "insurgent", "rebel", "jihadist", "gunman", "attacker", "terrorist", "extremist", "bomber", "assailant"},
    "aid workers": {"medic", "paramedic", "nurse", "doctor", "rescuer", "firefighter", "volunteer"},
    "journalists": {"journalist", "reporter", "photographer", "cameraman"},
    "protesters": {"protester", "protestor", "demonstrator"},
    "officials": {"official", "mayor", "governor", "lawmaker", "politician", "minister", "judge", "diplomat"},
}
PERSON_NOUNS = set().union(*VICTIM_CATEGORIES.values()) | {
    "member", "guard", "staff", "crew", "migrant", "prisoner", "detainee", "hostage", "inmate",
    "men", "women", "civilians", "people", "persons", "individual", "victim", "casualty", "national",
    "citizen", "youth", "adult", "husband", "wife", "son", "daughter", "brother", "sister", "father", "mother",
    "mourner", "guest", "employee", "contractor", "tourist", "other", "others",
}
FIGURE_NOUNS = {
    "prisoner": "prisoners", "pow": "prisoners", "pows": "prisoners", "captive": "prisoners",
    "detainee": "prisoners", "hostage": "prisoners", "prisoners": "prisoners",
    "refugee": "refugees", "evacuee": "evacuated", "troop": "troops", "troops": "troops",
    "drone": "drones", "missile": "missiles", "rocket": "missiles", "shell": "missiles",
}
NON_PERSON_UNITS = {
    "year", "years", "month", "months", "day", "days", "hour", "hours", "minute", "minutes", "week", "weeks",
    "km", "kilometre", "kilometer", "kilometres", "kilometers", "mile", "miles", "metre", "meter", "metres",
    "meters", "percent", "%", "dollar", "dollars", "euro", "euros", "pound", "tonne", "tonnes", "ton", "tons",
    "house", "houses", "home", "homes", "building", "buildings", "village", "villages", "vehicle", "vehicles",
    "car", "cars", "tank", "tanks", "round", "rounds", "point", "points", "vote", "votes", "seat", "seats",
    "a.m.", "p.m.", "am", "pm", "gmt", "o'clock", "time", "times", "page", "pages", "district", "districts",
    "brigade", "battalion", "division", "regiment", "km2", "square", "hectare", "hectares", "bln", "mln",
}
CUMULATIVE_CUES = re.compile(
    r"\b(since (?:the (?:war|conflict|invasion|start|beginning|outbreak|fighting)|(?:early |late )?(?:19|20)\d\d|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|it began|then)"
    r"|so far this year|in total|overall|cumulative|to date|over the past (?:\w+ )?(?:years|months|decades)"
    r"|during the (?:war|conflict)|in the course of the war|throughout the war|since the start"
    r"|over (?:that|this|the same|the whole) period|in that (?:time|period)|since then|at least \d[\d,]* (?:people|civilians) have (?:been killed|died))",
    re.IGNORECASE,
)
NEW_INCIDENT_CUES = re.compile(r"^\W*(elsewhere|separately|in (?:a|another) separate|in another (?:attack|incident|strike)|meanwhile)\b", re.IGNORECASE)
UPDATE_CUES = re.compile(r"\b(rose|risen|rising|climbed|increased|jumped|reached|now stands|updated|revised|grew)\b", re.IGNORECASE)
ATTACK_NOUNS = {"attack", "strike", "strikes", "airstrike", "drone", "missile", "shelling", "bombing", "raid",
                "offensive", "assault", "bombardment", "fire", "forces", "troops", "army", "barrage", "ambush", "rocket", "artillery"}
QUALIFIER_TEXT = sorted(QUALIFIERS, key=len, reverse=True)


@dataclass
class _Hit:
    kind: str
    count: Count
    victims: str | None
    tokens: list[Token]
    trigger: Token
    parts: int = 1


@dataclass
class CasualtyResult:
    casualties: list[Casualty] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)


def _trigger_kind(tok: Token) -> str | None:
    lemma, low = tok.lemma_.lower(), tok.lower_
    if tok.pos_ in {"PROPN"}:
        return None
    if lemma in KILLED_VERBS or low in KILLED_WORDS:
        if low in {"life", "lives"} and not (tok.head.lemma_ in {"lose", "claim", "take"} or any(c.lemma_ in {"lose", "claim"} for c in tok.children)):
            return None
        if low in {"body", "bodies"}:
            return "killed" if tok.head.lemma_ in {"find", "recover", "discover", "retrieve", "pull", "exhume"} or any(c.lemma_ in {"find", "recover", "discover"} for c in tok.children) else None
        if low == "toll":
            before = tok.doc[tok.i - 1].lower_ if tok.i > 0 else ""
            return "killed" if before in {"death", "casualty"} or any(c.lower_ in {"death", "casualty"} for c in tok.children) else None
        if low == "death" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "toll":
            return None
        return "killed"
    if lemma in WOUNDED_VERBS or low in WOUNDED_WORDS:
        return "wounded"
    if low in MISSING_WORDS:
        return "missing"
    if lemma in ABDUCTED_VERBS:
        return "abducted"
    if lemma in ARRESTED_VERBS:
        return "arrested"
    if lemma == "shoot" and any(c.lower_ == "dead" for c in tok.children):
        return "killed"
    return None


def _is_negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    return any(c.lower_ in {"no", "none", "nobody", "noone"} and c.dep_ in {"nsubj", "nsubjpass", "det"} for c in tok.children)


def _victim_category(noun: Token | None, sent: Span) -> str | None:
    if noun is None:
        return None
    lemma = noun.lemma_.lower()
    for category, words in VICTIM_CATEGORIES.items():
        if category == "civilians":
            continue
        if lemma in words or noun.lower_ in words:
            return category
    if lemma in VICTIM_CATEGORIES["civilians"] or noun.lower_ in VICTIM_CATEGORIES["civilians"]:
        if lemma in {"people", "person", "man", "woman"}:
            # Generic nouns take the category the sentence gives ("a minibus carrying civilians").
            for tok in sent:
                l = tok.lemma_.lower()
                if l in {"civilian"}:
                    return "civilians"
                if l in VICTIM_CATEGORIES["children"]:
                    continue
                if l in {"soldier", "serviceman", "troop"} and tok.i != noun.i:
                    return None
            return "people"
        return "civilians"
    if noun.ent_type_ == "NORP":
        return noun.text
    return None


def _qualifier_before(doc: Doc, start: int) -> str | None:
    left = doc[max(0, start - 3) : start].text.lower()
    for q in QUALIFIER_TEXT:
        if left.endswith(q):
            return QUALIFIERS[q]
    return None


def _number_span(tok: Token) -> tuple[list[Token], Count] | None:
    """The count expressed by a number token and its compound neighbours."""
    doc = tok.doc
    if not (tok.like_num or is_number_word(tok.text) or tok.lower_ in {"dozen", "dozens", "scores", "hundreds", "thousands", "several"}):
        return None
    if tok.i > 0 and doc[tok.i - 1].lower_ in {"no", "not", "none"}:
        return None  # "no one was hurt"
    i, j = tok.i, tok.i + 1
    while i > 0 and (doc[i - 1].like_num or is_number_word(doc[i - 1].text) or doc[i - 1].text == "-" or doc[i - 1].lower_ in {"a", "and"} and i - 2 >= 0 and is_number_word(doc[i - 2].text)):
        if doc[i - 1].lower_ == "a" and doc[i].lower_ not in {"dozen", "hundred", "thousand", "million"}:
            break
        i -= 1
    while j < len(doc) and (is_number_word(doc[j].text) or (doc[j].text == "-" and j + 1 < len(doc) and is_number_word(doc[j + 1].text))):
        j += 1
    tokens = list(doc[i:j])
    if tokens and tokens[0].lower_ == "and":
        tokens = tokens[1:]
    text = " ".join(t.text for t in tokens).replace(" - ", "-")
    # Ranges: "between 10 and 15", "10 to 15".
    if j + 1 < len(doc) and doc[j].lower_ in {"to", "or"} and (doc[j + 1].like_num or is_number_word(doc[j + 1].text)):
        upper = parse_number_words(doc[j + 1].text)
        lower = parse_number_words(text)
        if upper is not None and lower is not None and lower < upper:
            tokens = tokens + [doc[j], doc[j + 1]]
            return tokens, Count(lower, lower, upper, "range")
    if i >= 2 and doc[i - 1].lower_ == "and" and doc[i - 3].lower_ == "between" if i >= 3 else False:
        return None  # the upper end of a range is read with its lower end
    count = parse_count(text)
    if count is None:
        return None
    if re.fullmatch(r"(19|20)\d\d", text) and not (tokens[-1].i + 1 < len(doc) and doc[tokens[-1].i + 1].lemma_.lower() in PERSON_NOUNS):
        return None  # a year
    qualifier = _qualifier_before(doc, tokens[0].i)
    if qualifier and not count.qualifier:
        count = Count(count.value, 0 if qualifier == "up to" else count.low, count.high, qualifier)
    return tokens, count


def _count_for_noun(noun: Token) -> tuple[list[Token], Count] | None:
    """Count of a victim noun: "nine people", "a man", "dozens of civilians"."""
    for child in noun.children:
        if child.dep_ in {"nummod", "quantmod"} or (child.dep_ in {"amod", "compound"} and (child.like_num or is_number_word(child.text))):
            found = _number_span(child)
            if found:
                return found
    lemma = noun.lemma_.lower()
    # "nine" as the noun itself ("killed nine", "five were wounded").
    found = _number_span(noun)
    if found:
        # "dozens of people": the quantity word heads a prepositional phrase.
        return found
    if lemma in PERSON_NOUNS and noun.tag_ in {"NN", "NNP"}:
        dets = [c for c in noun.children if c.dep_ in {"det", "poss"}]
        if any(d.lower_ in {"a", "an", "one", "another"} for d in dets):
            return [dets[0], noun], Count(1, 1, 1, None)
    return None


def _of_noun(tok: Token) -> Token | None:
    """'dozens of civilians' / 'the deaths of 12 people' -> the noun after 'of'."""
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def _victim_nouns(trigger: Token) -> list[Token]:
    """The arguments of a trigger that name its victims."""
    lemma = trigger.lemma_.lower()
    intransitive = lemma in {"die", "perish"} or trigger.pos_ in {"ADJ", "NOUN"} or trigger.tag_ == "VBN" and any(
        c.dep_ == "auxpass" for c in trigger.children
    )
    deps = {"dobj", "nsubjpass", "attr", "oprd", "npadvmod", "nummod", "appos"}
    if intransitive:
        deps |= {"nsubj"}
    args = [c for c in trigger.children if c.dep_ in deps]
    if trigger.dep_ in {"amod", "acl", "relcl"} and trigger.head.pos_ in {"NOUN", "PROPN", "NUM", "PRON"}:
        args.append(trigger.head)
    if trigger.dep_ in {"oprd", "acomp", "xcomp", "ccomp"} and trigger.pos_ == "ADJ":
        # "left nine dead": the object of the governing verb.
        args.extend(c for c in trigger.head.children if c.dep_ in {"dobj", "nsubj", "nsubjpass"})
    if trigger.dep_ == "conj" and not any(c.dep_ in {"nsubjpass", "nsubj", "dobj"} for c in trigger.children):
        # "nine people were killed and five wounded": shares the first verb's subject only if it has no own argument.
        pass
    expanded: list[Token] = []
    for a in args:
        expanded.append(a)
        stack = [c for c in a.children if c.dep_ == "conj"]
        while stack:
            c = stack.pop()
            expanded.append(c)
            stack.extend(cc for cc in c.children if cc.dep_ == "conj")
    return expanded


def _nearby_count(trigger: Token, sent: Span, used: set[int]) -> tuple[list[Token], Count, Token | None] | None:
    """Elliptical tolls: 'wounded five', 'nine dead', 'killing at least 12'."""
    doc = trigger.doc
    # After the trigger: "wounded five", "killing at least 12 people".
    j = trigger.i + 1
    while j < sent.end and j <= trigger.i + 4 and (doc[j].lower_ in {"at", "least", "more", "than", "about", "around", "some", "nearly", "almost", "up", "to", "over", "as", "many", "an", "estimated", "another", "a", "further", "additional"}):
        j += 1
    if j < sent.end and j not in used:
        found = _number_span(doc[j])
        if found:
            tokens, count = found
            nxt = doc[tokens[-1].i + 1] if tokens[-1].i + 1 < sent.end else None
            if nxt is None or nxt.lemma_.lower() in PERSON_NOUNS or not nxt.is_alpha or nxt.pos_ in {"CCONJ", "ADP", "PUNCT", "VERB", "ADV"}:
                return tokens, count, nxt if nxt is not None and nxt.lemma_.lower() in PERSON_NOUNS else None
    # Before the trigger: "nine dead", "12 people killed".
    i = trigger.i - 1
    steps = 0
    while i >= sent.start and steps < 5:
        tok = doc[i]
        if i in used:
            break
        found = _number_span(tok)
        if found:
            tokens, count = found
            noun = doc[tokens[-1].i + 1] if tokens[-1].i + 1 < trigger.i else None
            if noun is None or noun.lemma_.lower() in PERSON_NOUNS:
                return tokens, count, noun
            return None
        if tok.pos_ in {"VERB"} and tok.lemma_ not in {"be", "have"} or tok.text in {";", ":"}:
            break
        i -= 1
        steps += 1
    return None


def _toll_count(trigger: Token, sent: Span) -> tuple[list[Token], Count] | None:
    """'the death toll rose to 14', 'a toll of 12', 'the toll stands at 9', 'reached 20'."""
    doc = trigger.doc
    verb = trigger.head if trigger.dep_ in {"nsubj", "nsubjpass"} else None
    if verb is not None:
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in {"to", "at"}:
                for pobj in child.children:
                    found = _number_span(pobj)
                    if found:
                        return found
            if child.dep_ in {"dobj", "attr"}:
                found = _number_span(child) or _count_for_noun(child)
                if found:
                    return found
    for child in trigger.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                found = _number_span(pobj) or _count_for_noun(pobj)
                if found:
                    return found
    for j in range(trigger.i + 1, min(sent.end, trigger.i + 6)):
        if doc[j].lower_ in {"from"}:
            # "rose from nine to 14": the figure after "to" is the current one.
            continue
        found = _number_span(doc[j])
        if found:
            if j > 0 and doc[j - 1].lower_ == "from":
                continue
            return found
    return None


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


def _location(sent: Span, actors: ActorResult) -> tuple[str | None, str | None]:
    places = [m for m in actors.mentions if m.what == "place" and sent.start_char <= m.start < sent.end_char]
    if places:
        place = next((p for p in actors.places if p.name == places[0].name), None)
        return places[0].name, place.country if place else None
    return None, None


def _sentence_date(sent: Span, published: date | None, text_outside_quotes: str) -> str | None:
    if published is None:
        return None
    for _, _, expr in find_date_expressions(text_outside_quotes):
        resolved = resolve_expression(expr, published)
        if resolved is not None:
            return resolved.isoformat()
    return published.isoformat()


def _outside_quotes(text: str) -> str:
    return re.sub(r"[\"\u201c][^\"\u201d]*[\"\u201d]", " ", text)


class CasualtyExtractor:
    def __init__(self, knowledge: Knowledge):
        self.k = knowledge

    def _hits(self, sent: Span) -> list[_Hit]:
        hits: list[_Hit] = []
        used: set[int] = set()
        for tok in sent:
            kind = _trigger_kind(tok)
            if kind is None or _is_negated(tok) or tok.i in used:
                continue
            if tok.lower_ == "toll":
                found = _toll_count(tok, sent)
                if found and not any(t.i in used for t in found[0]):
                    tokens, count = found
                    used.update(t.i for t in tokens)
                    hits.append(_Hit(kind, count, None, tokens, tok))
                continue
            parts: list[tuple[list[Token], Count, Token | None]] = []
            for noun in _victim_nouns(tok):
                if noun.i in used:
                    continue
                target = _of_noun(noun) if noun.lower_ in {"dozens", "scores", "hundreds", "thousands", "deaths", "bodies", "lives"} else None
                found = _count_for_noun(noun)
                victim_noun = target or (noun if noun.lemma_.lower() in PERSON_NOUNS else None)
                if found is None and target is not None:
                    found = _count_for_noun(target)
                if found is None:
                    continue
                head_noun = noun if not noun.like_num else None
                if head_noun is not None and head_noun.lemma_.lower() in NON_PERSON_UNITS | set(FIGURE_NOUNS):
                    continue
                if head_noun is not None and head_noun.lemma_.lower() not in PERSON_NOUNS and head_noun.ent_type_ != "NORP" and target is None and not is_number_word(head_noun.text):
                    continue
                if any(t.i in used for t in found[0]):
                    continue
                parts.append((found[0], found[1], victim_noun))
            if tok.lower_ in {"deaths", "bodies", "lives"} and not parts:
                found = _count_for_noun(tok)
                if found:
                    parts.append((found[0], found[1], _of_noun(tok)))
                elif (target := _of_noun(tok)) is not None and (found := _count_for_noun(target)):
                    parts.append((found[0], found[1], target))
            if not parts:
                near = _nearby_count(tok, sent, used)
                if near:
                    tokens, count, noun = near
                    nxt = tokens[-1].i + 1
                    if nxt < len(sent.doc) and sent.doc[nxt].lemma_.lower() in NON_PERSON_UNITS | set(FIGURE_NOUNS):
                        continue
                    parts.append((tokens, count, noun))
            if not parts:
                continue
            for tokens, _, _ in parts:
                used.update(t.i for t in tokens)
            used.add(tok.i)
            if len(parts) == 1:
                tokens, count, noun = parts[0]
                victims = _victim_category(noun, sent)
                if victims is None and hits:
                    victims = hits[-1].victims  # "killed nine people and wounded five"
                hits.append(_Hit(kind, count, victims, tokens, tok))
            else:
                # Several victim groups of one trigger add up: "two soldiers and three civilians".
                value = sum(c.value for _, c, _ in parts)
                low = sum(c.low for _, c, _ in parts)
                high = sum(c.high for _, c, _ in parts)
                cats = {_victim_category(n, sent) for _, _, n in parts} - {None}
                victims = ", ".join(sorted(c for c in cats if c)) if cats else None
                all_tokens = [t for toks, _, _ in parts for t in toks]
                hits.append(_Hit(kind, Count(value, low, high, None), victims, all_tokens, tok, parts=len(parts)))
        tolls = [h for h in hits if h.trigger.lower_ == "toll"]
        if tolls:
            hits = [h for h in hits if h in tolls or h.kind != tolls[0].kind]
        return hits

    def extract(self, doc: Doc, layout: Layout, actors: ActorResult, published: date | None) -> CasualtyResult:
        result = CasualtyResult()
        dateline_place = next((p for p in actors.places if layout.dateline and p.name.lower() == layout.dateline.split(",")[0].strip().lower()), None)
        # incident key -> index; per incident and kind the latest/highest figure.
        incidents: list[dict[str, Casualty]] = []
        incident_places: list[str | None] = []
        for sent in doc.sents:
            if layout.in_title(sent.start_char) or layout.is_excluded(sent.start_char, sent.end_char):
                continue
            hits = self._hits(sent)
            if not hits:
                continue
            outside = _outside_quotes(sent.text)
            cumulative = bool(CUMULATIVE_CUES.search(outside))
            fresh = bool(NEW_INCIDENT_CUES.search(outside))
            location, country = _location(sent, actors)
            perpetrator = _perpetrator(sent, actors, self.k)
            when = _sentence_date(sent, published, outside)
            for hit in hits:
                if hit.count.value > 100_000 and not cumulative:
                    log.info("dropped implausible toll %s in %r", hit.count.value, sent.text[:80])
                    continue
                start = min(t.idx for t in hit.tokens + [hit.trigger])
                end = max(t.idx + len(t.text) for t in hit.tokens + [hit.trigger])
                item = Casualty(
                    kind=hit.kind, count=hit.count.value, low=hit.count.low, high=hit.count.high,
                    qualifier=hit.count.qualifier, sentence=sent.text.strip(), start=start, end=end,
                    victims=hit.victims, perpetrator=perpetrator,
                    location=location or (dateline_place.name if dateline_place else None),
                    country=country or (dateline_place.country if dateline_place else None),
                    date=when, cumulative=cumulative,
                )
                if fresh and location is None:
                    item.location = item.country = None  # not the dateline's event
                if cumulative:
                    item.incident = -1
                    result.casualties.append(item)
                    continue
                # Which incident: the same place (or no place given) as an earlier one,
                # unless the sentence announces another event ("Elsewhere, ...").
                index = None
                for n, place in enumerate(incident_places if not fresh else []):
                    if location is None or place is None or place == location:
                        index = n
                        if location is not None and place == location:
                            break
                if index is None:
                    incidents.append({})
                    incident_places.append(location)
                    index = len(incidents) - 1
                elif incident_places[index] is None and location is not None:
                    incident_places[index] = location
                item.incident = index
                previous = incidents[index].get(hit.kind)
                if previous is not None and previous.count == item.count:
                    continue  # the same toll repeated
                if previous is None or item.count >= previous.count or UPDATE_CUES.search(outside):
                    incidents[index][hit.kind] = item
                result.casualties.append(item)
        totals: dict[str, int] = {}
        for figures in incidents:
            for kind, item in figures.items():
                item.counted = True
                totals[kind] = totals.get(kind, 0) + item.count
        result.totals = totals
        result.figures = self._figures(doc, layout)
        return result

    # -- other figures: prisoners, displaced, drones... ---------------------------------------
    def _figures(self, doc: Doc, layout: Layout) -> list[Figure]:
        figures: list[Figure] = []
        seen: set[tuple[str, int]] = set()
        for sent in doc.sents:
            if layout.in_title(sent.start_char) or layout.is_excluded(sent.start_char, sent.end_char):
                continue
            text = sent.text
            # "a 1,000 for 1,000 swap", "1,000-for-1,000 exchange"
            for m in re.finditer(r"(\d[\d,]*)[\s-]+for[\s-]+(\d[\d,]*)\s+(?:prisoner\s+)?(?:swap|exchange)", text, re.IGNORECASE):
                a, b = parse_number_words(m.group(1)), parse_number_words(m.group(2))
                if a and a == b and ("prisoners", a) not in seen:
                    seen.add(("prisoners", a))
                    figures.append(Figure("prisoners", a, text.strip(), sent.start_char + m.start(), sent.start_char + m.end(), a, a, None, True))
            for tok in sent:
                found = _number_span(tok) if (tok.like_num or is_number_word(tok.text)) else None
                if not found:
                    continue
                tokens, count = found
                if tokens[0].i != tok.i:
                    continue
                nxt_i = tokens[-1].i + 1
                noun = None
                for j in range(nxt_i, min(nxt_i + 3, sent.end)):
                    if doc[j].pos_ in {"NOUN", "PROPN"} or doc[j].lower_ in FIGURE_NOUNS:
                        noun = doc[j]
                        break
                    if doc[j].pos_ not in {"ADJ"}:
                        break
                kind = None
                if noun is not None:
                    kind = FIGURE_NOUNS.get(noun.lower_) or FIGURE_NOUNS.get(noun.lemma_.lower())
                    if kind is None and noun.lemma_.lower() in PERSON_NOUNS:
                        after = doc[noun.i + 1 : min(noun.i + 5, sent.end)].text.lower()
                        if re.search(r"\b(displaced|fled|forced from|homeless)\b", after):
                            kind = "displaced"
                        elif re.search(r"\bevacuated\b", after):
                            kind = "evacuated"
                if kind is None:
                    continue
                if kind == "troops" and re.search(r"\b(kill|dead|die|wound|injur)", sent.text, re.IGNORECASE):
                    continue
                key = (kind, count.value)
                if key in seen:
                    continue
                seen.add(key)
                tail = doc[tokens[-1].i + 1 : min(tokens[-1].i + 8, sent.end)].text.lower()
                each = bool(re.search(r"\beach(?: side)?\b|\bfrom each\b|\bper side\b", tail))
                start = tokens[0].idx
                end = (noun.idx + len(noun.text)) if noun is not None else tokens[-1].idx + len(tokens[-1].text)
                if each:
                    m = re.search(r"\beach(?: side)?\b", doc.text[end : end + 40])
                    if m:
                        end = end + m.end()
                figures.append(Figure(kind, count.value, text.strip(), start, end, count.low, count.high, count.qualifier, each))
        return figures
