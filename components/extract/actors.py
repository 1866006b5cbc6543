"""Actors and places: typed, merged into one entity each, tied to the state they act for.

Input is a parsed Doc whose entities come from the knowledge ruler and the statistical
NER. This stage repairs what the small model gets wrong (cities read as people, surnames
as organisations, photo credits, "Putin-Zelensky" compounds, title words such as
"Defence"), merges surnames into full names, and reads roles and affiliations from
appositions and possessives ("Russia's top negotiator, Vladimir Medinsky").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..models import Actor, Place
from .knowledge import Entry, Knowledge, normalise
from .layout import Layout

ROLE_WORDS = {
    "president", "vice", "prime", "minister", "ministry", "defence", "defense", "foreign",
    "interior", "affairs", "finance", "justice", "secretary", "state", "general", "spokesman",
    "spokeswoman", "spokesperson", "negotiator", "negotiators", "envoy", "ambassador", "top",
    "chief", "head", "deputy", "senior", "military", "intelligence", "commander", "leader",
    "governor", "mayor", "aide", "adviser", "advisor", "special", "army", "staff", "of",
    "chancellor", "king", "queen", "emir", "crown", "prince", "sheikh", "supreme", "speaker",
    "chairman", "chair", "director", "officer", "colonel", "major", "lieutenant", "gen.",
    "lt.", "col.", "maj.", "sgt.", "capt.", "admiral", "marshal", "national", "security",
    "council", "presidential", "kremlin", "white", "house", "former", "acting", "regional",
    "representative", "high", "commissioner", "counterpart", "delegation", "lead", "opposition",
    "rebel", "militia", "police", "spy", "agency", "service", "services", "armed", "forces",
    "health", "economy", "economic", "trade", "energy", "parliament", "parliamentary",
    "senator", "sen.", "rep.", "congressman", "lawmaker", "official", "officials", "ceo",
    "premier", "pm", "dr.", "mr.", "mrs.", "ms.", "gov.", "pres.", "sec.", "coordinator",
    "mediator", "negotiating", "team", "sergeant", "captain", "brigadier", "field",
}
# Words that are parts of titles, never actors on their own.
TITLE_FRAGMENTS = {
    "defence", "defense", "foreign", "interior", "ministry", "minister", "president",
    "presidency", "government", "parliament", "cabinet", "army", "police", "military",
    "state", "council", "office", "pool", "photo", "getty", "getty images", "epa", "ap photo",
}
HONORIFICS = {"mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "sgt", "capt", "president",
              "prime", "minister", "sheikh", "king", "prince", "emir", "sen", "rep", "gov"}
LOCATIVE_PREPS = {"in", "at", "near", "outside", "inside", "around", "across", "within", "throughout"}
REGION_WORDS = {"region", "oblast", "province", "district", "governorate", "state", "county",
                "prefecture", "territory", "area", "regions", "provinces"}
AGENCY_TAGS = {"afp", "reuters", "ap", "pool", "epa", "getty", "tass", "xinhua", "anadolu", "efe", "dpa", "ansa"}
# Platforms where statements are posted are not actors ("said on Telegram").
PLATFORMS = {"telegram", "facebook", "twitter", "x", "instagram", "youtube", "tiktok", "whatsapp", "truth social", "vkontakte", "vk"}


@dataclass
class Mention:
    """One reference in the text to an actor or a place."""

    start: int
    end: int
    text: str
    name: str  # canonical name of the actor or place within this article
    what: str  # "actor" or "place"
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
class ActorResult:
    actors: list[Actor]
    places: list[Place]
    mentions: list[Mention]

    def by_name(self, name: str) -> Actor | None:
        return next((a for a in self.actors if a.name == name), None)

    def mentions_in(self, start: int, end: int, what: str | None = None) -> list[Mention]:
        return [m for m in self.mentions if start <= m.start and m.end <= end and (what is None or m.what == what)]


def _clean(text: str) -> str:
    t = text.strip().replace("\u2019", "'")
    t = re.sub(r"^(?:the|The)\s+", "", t)
    t = re.sub(r"'s?$", "", t)
    return t.strip(" ,.;:-\"'")


def _is_name_like(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 4 and all(w[:1].isupper() for w in words if w.lower() not in {"al", "bin", "de", "von", "van", "der", "la", "el", "ibn"})


def _role_and_country(doc: Doc, span_start: int, span_end: int, k: Knowledge) -> tuple[list[str], list[str]]:
    """Titles and affiliation written around a name.

    Left: "Russian President Vladimir Putin", "Ukraine's top negotiator, Defence Minister
    Rustem Umerov", "The head of Ukraine's military intelligence Kirillo Budanov".
    Right: "Vladimir Medinsky, Russia's top negotiator," / "Peskov, the Kremlin spokesman".
    """
    roles: list[str] = []
    countries: list[str] = []
    current: list[str] = []
    commas = 0
    i = span_start - 1
    sent_start = doc[span_start].sent.start
    while i >= sent_start:
        tok = doc[i]
        low = tok.lower_
        nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        # A country counts only when it qualifies the title: "Ukraine's top negotiator",
        # "Russian President"; not "... in Turkey, spokesman Dmitry Peskov".
        qualifies = nxt in {"'s", "\u2019s", "'"} or nxt in ROLE_WORDS or tok.ent_type_ == "NORP"
        if tok.text in {",", "\u2013"} and commas == 0 and (current or i == span_start - 1):
            if current:
                roles.append(" ".join(reversed(current)))
            current = []
            commas += 1
        elif low in {"'s", "\u2019s", "'"}:
            pass
        elif tok.ent_type_ in {"GPE", "NORP", "ORG"} and (entry := k.lookup(tok.text)) and entry.kind == "country":
            if not qualifies:
                break
            countries.append(entry.name)
        elif low in ROLE_WORDS and not tok.ent_type_ == "PERSON":
            current.append(tok.text)
        elif low in {"the", "a"}:
            if current:
                break
        else:
            break
        i -= 1
    if current:
        roles.append(" ".join(reversed(current)))
    # Right-hand apposition: ", Russia's top negotiator," / ", the Kremlin spokesman".
    sent_end = doc[span_start].sent.end
    j = span_end
    if j < sent_end and doc[j].text == ",":
        j += 1
        right: list[str] = []
        right_countries: list[str] = []
        while j < sent_end:
            tok = doc[j]
            low = tok.lower_
            if low in {"the", "'s", "\u2019s"}:
                pass
            elif tok.ent_type_ in {"GPE", "NORP", "ORG"} and (entry := k.lookup(tok.text)) and entry.kind == "country":
                right_countries.append(entry.name)
            elif low in ROLE_WORDS:
                right.append(tok.text)
            else:
                break
            j += 1
        ended = j >= sent_end or doc[j].text in {",", ".", ";", "said", "told"} or doc[j].pos_ in {"VERB", "AUX"}
        if right and ended and any(w.lower() not in {"of", "state"} for w in right):
            roles.append(" ".join(right))
            countries.extend(right_countries)
    cleaned = []
    for r in roles:
        r = re.sub(r"^(?:of|the)\s+|\s+(?:of|the)$", "", r, flags=re.IGNORECASE).strip()
        if r and r.lower() not in {"of", "the", "state"}:
            cleaned.append(r[0].upper() + r[1:] if r.split()[0].lower() in {"president", "defence", "defense", "foreign", "prime"} else r)
    return cleaned, countries


class ActorExtractor:
    def __init__(self, knowledge: Knowledge):
        self.k = knowledge

    # -- classification of one entity span -------------------------------------------------
    def _is_locative(self, doc: Doc, span: Span) -> bool:
        i = span.start - 1
        while i >= 0 and doc[i].lower_ in {"the", "eastern", "western", "northern", "southern",
                                              "central", "north", "south", "east", "west",
                                              "northeastern", "northwestern", "southeastern",
                                              "southwestern", "capital", "city", "of", "port",
                                              "town", "village", "frontline", "occupied"}:
            if doc[i].lower_ == "of" and i > 0 and doc[i - 1].lower_ not in {"city", "town", "region", "outskirts", "centre", "center", "village", "province"}:
                break
            i -= 1
        if i >= 0 and doc[i].lower_ in LOCATIVE_PREPS:
            return True
        nxt = doc[span.end] if span.end < len(doc) else None
        return bool(nxt is not None and nxt.lower_ in REGION_WORDS)

    def _place_kind(self, doc: Doc, span: Span) -> str:
        nxt = doc[span.end] if span.end < len(doc) else None
        if nxt is not None and nxt.lower_ in REGION_WORDS:
            return "region"
        return "city"

    def extract(self, doc: Doc, layout: Layout) -> ActorResult:
        k = self.k
        persons: dict[str, _PersonDraft] = {}
        others: dict[str, dict] = {}
        places: dict[str, dict] = {}
        mentions: list[Mention] = []
        single_person_mentions: list[tuple[str, Span]] = []

        def add_place(name: str, kind: str, country: str | None, span_or: tuple[int, int, int, int], lat=None, lon=None) -> None:
            p = places.setdefault(name, {"kind": kind, "country": country, "spans": [], "lat": lat, "lon": lon})
            if kind == "region":
                p["kind"] = "region"
            s, e, ts, te = span_or
            p["spans"].append((s, e))
            mentions.append(Mention(s, e, doc.text[s:e], name, "place", ts, te))

        def add_other(name: str, kind: str, country: str | None, span: Span, alias: str, role: str | None = None) -> None:
            o = others.setdefault(name, {"kind": kind, "country": country, "spans": [], "aliases": set(), "role": role})
            o["spans"].append((span.start_char, span.end_char))
            if alias and alias != name:
                o["aliases"].add(alias)
            mentions.append(Mention(span.start_char, span.end_char, span.text, name, "actor", span.start, span.end))

        def add_person(full: str, entry: Entry | None, span: Span, alias: str) -> None:
            draft = persons.setdefault(full, _PersonDraft(full=full, entry=entry))
            draft.entry = draft.entry or entry
            draft.mentions.append(Mention(span.start_char, span.end_char, span.text, full, "actor", span.start, span.end))
            if alias != full:
                draft.aliases.add(alias)
            roles, countries = _role_and_country(doc, span.start, span.end, k)
            draft.roles.extend(r for r in roles if r not in draft.roles)
            draft.countries.extend(countries)

        # Dateline: "Kyiv, Ukraine" is where the story was filed, a place.
        if layout.dateline and layout.dateline_span:
            parts = [p.strip() for p in layout.dateline.split(",")]
            city = k.city(parts[0])
            country = None
            if len(parts) > 1:
                entry = k.lookup(parts[-1])
                country = entry.name if entry and entry.kind == "country" else None
            if city or country:
                s = layout.dateline_span[0]
                add_place(city.name if city else parts[0].title(), "city", country or (city.country if city else None),
                          (s, s + len(parts[0]), 0, 0), city.lat if city else None, city.lon if city else None)

        for ent in doc.ents:
            if layout.is_excluded(ent.start_char, ent.end_char):
                continue
            text = _clean(ent.text)
            if not text or text.lower() in AGENCY_TAGS or text.lower() in PLATFORMS:
                continue
            label = ent.label_
            entry = k.countries.get(ent.ent_id_) if ent.ent_id_ in k.countries else None
            if entry is None and ent.ent_id_:
                entry = k.names.get(normalise(ent.ent_id_))
            if entry is None:
                entry = k.names.get(normalise(text))

            if label == "PERSON" and re.search(r"\w[-\u2013]\w", text) and " " not in text:
                # "Putin-Zelensky": two people in a compound modifier.
                for part in re.split(r"[-\u2013]", text):
                    single_person_mentions.append((part, ent))
                continue
            if label in {"GPE", "NORP", "LOC"} or (entry is not None and entry.kind == "country"):
                if entry is not None and entry.kind == "country":
                    metonym = normalise(text) in k.metonyms and normalise(text) not in k.names
                    city = k.city(text) if metonym else None
                    locative = self._is_locative(doc, ent)
                    if metonym and locative:
                        add_place(city.name if city else text, "city", entry.name, (ent.start_char, ent.end_char, ent.start, ent.end),
                                  city.lat if city else None, city.lon if city else None)
                    else:
                        add_other(entry.name, "country", entry.name, ent, text)
                        if locative and label == "GPE":
                            mentions[-1].locative = True
                    continue
                if entry is not None and entry.kind != "country":
                    add_other(entry.name, entry.kind, entry.country, ent, text)
                    continue
                city = k.city(text)
                if city is not None:
                    add_place(city.name, self._place_kind(doc, ent), city.country, (ent.start_char, ent.end_char, ent.start, ent.end), city.lat, city.lon)
                elif label in {"GPE", "LOC"} and _is_name_like(text):
                    add_place(text, self._place_kind(doc, ent) if label == "GPE" else "other", None,
                              (ent.start_char, ent.end_char, ent.start, ent.end))
                continue
            if label == "PERSON" or (entry is not None and entry.kind == "person"):
                if entry is not None and entry.kind != "person":
                    add_other(entry.name, entry.kind, entry.country, ent, text)
                    continue
                if text.lower() in TITLE_FRAGMENTS or not _is_name_like(text):
                    continue
                if " " not in text:
                    city = k.city(text)
                    if city is not None and text.lower() not in k.surnames:
                        add_place(city.name, self._place_kind(doc, ent), city.country, (ent.start_char, ent.end_char, ent.start, ent.end), city.lat, city.lon)
                        continue
                    single_person_mentions.append((text, ent))
                    continue
                words = [w for w in text.split() if w.lower().rstrip(".") not in HONORIFICS]
                full = " ".join(words) if words else text
                if full.isupper() and len(full) > 4:
                    full = full.title()
                add_person(entry.name if entry and entry.name.split()[-1] != full.split()[-1] else full, entry, ent, text)
                continue
            if label == "ORG":
                if text.lower() in TITLE_FRAGMENTS:
                    continue
                if entry is not None:
                    if entry.kind == "person":
                        add_person(text if len(text.split()) > 1 else entry.name, entry, ent, text)
                    else:
                        add_other(entry.name, entry.kind, entry.country, ent, text)
                    continue
                # "military intelligence Kirillo Budanov": a name after a title, mislabelled ORG.
                prev = doc[ent.start - 1] if ent.start > 0 else None
                if prev is not None and prev.lower_ in ROLE_WORDS and len(text.split()) in (2, 3) and _is_name_like(text) and not any(
                    w.lower() in {"ministry", "council", "forces", "army", "agency", "group", "party", "news", "committee"} for w in text.split()
                ):
                    add_person(text, None, ent, text)
                    continue
                if _is_name_like(text) or text.isupper():
                    add_other(text, "organization", None, ent, text)
                continue

        # Surnames and compound parts: merge into the article's full names, or shipped ones.
        for part, ent in single_person_mentions:
            part = _clean(part)
            full = next((f for f in persons if f.split()[-1].lower() == part.lower()), None)
            if full is None:
                for e in k.surnames.get(part.lower(), []):
                    full = e.name
                    persons.setdefault(full, _PersonDraft(full=full, entry=e))
                    break
            if full is None:
                alias_entry = k.names.get(part.lower())
                if alias_entry and alias_entry.kind == "person":
                    full = alias_entry.name
                    persons.setdefault(full, _PersonDraft(full=full, entry=alias_entry))
            if full is None:
                if ent.text == part and ent.label_ == "PERSON" and part.lower() not in TITLE_FRAGMENTS:
                    full = part
                    persons.setdefault(full, _PersonDraft(full=full))
                else:
                    continue
            draft = persons[full]
            draft.mentions.append(Mention(ent.start_char, ent.end_char, ent.text, full, "actor", ent.start, ent.end))
            if part != full:
                draft.aliases.add(part)
            if ent.text == part:
                roles, countries = _role_and_country(doc, ent.start, ent.end, k)
                draft.roles.extend(r for r in roles if r not in draft.roles)
                draft.countries.extend(countries)

        # Same person under two drafts (a shipped alias spelled differently): merge by entry.
        by_entry: dict[str, str] = {}
        for full in list(persons):
            d = persons[full]
            if d.entry is not None:
                if d.entry.name in by_entry and by_entry[d.entry.name] != full:
                    keep = persons[by_entry[d.entry.name]]
                    keep.mentions.extend(d.mentions)
                    keep.roles.extend(r for r in d.roles if r not in keep.roles)
                    keep.countries.extend(d.countries)
                    keep.aliases |= d.aliases | {full}
                    del persons[full]
                else:
                    by_entry[d.entry.name] = full

        actors: list[Actor] = []
        for full, d in persons.items():
            if not d.mentions:
                continue
            country_votes = Counter(d.countries)
            country = country_votes.most_common(1)[0][0] if country_votes else (d.entry.country if d.entry else None)
            role = ", ".join(d.roles) if d.roles else None
            if d.entry and d.entry.role:
                # The article's own words win; shipped knowledge fills in or completes them
                # ("spokesman" in the text, "Kremlin spokesman" known).
                if role is None:
                    role = d.entry.role
                elif role.lower() != d.entry.role.lower() and role.lower() in d.entry.role.lower():
                    role = d.entry.role
            for m in d.mentions:
                m.name = full
            mentions.extend(d.mentions)
            actors.append(Actor(
                name=full, kind="person", country=country, role=role, mentions=len(d.mentions),
                aliases=sorted(d.aliases - {full}), canonical=d.entry.name if d.entry else None,
                spans=sorted((m.start, m.end) for m in d.mentions),
            ))
        for name, o in others.items():
            actors.append(Actor(
                name=name, kind=o["kind"], country=o["country"], role=o["role"], mentions=len(o["spans"]),
                aliases=sorted(o["aliases"]), canonical=name if (name in k.countries or normalise(name) in k.names) else None,
                spans=sorted(o["spans"]),
            ))
        actors.sort(key=lambda a: (-a.mentions, a.name))
        place_list = [
            Place(name=n, kind=p["kind"], country=p["country"], mentions=len(p["spans"]), lat=p["lat"], lon=p["lon"], spans=sorted(p["spans"]))
            for n, p in places.items()
        ]
        place_list.sort(key=lambda p: (-p.mentions, p.name))
        mentions.sort(key=lambda m: m.start)
        return ActorResult(actors=actors, places=place_list, mentions=mentions)


def token_actor(result: ActorResult, token: Token) -> Mention | None:
    """The actor or place mention covering `token`, if any."""
    for m in result.mentions:
        if m.token_start <= token.i < m.token_end:
            return m
    return None
