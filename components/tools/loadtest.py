"""Fill a database with synthetic extracted articles, for load tests of the store and the pages.

The records are what the extractor would produce (Article and Extraction dataclasses), made up
without the NLP pipeline: two years of articles from a few dozen outlets, ~300 actors
(mentioned with a long-tailed popularity), 50 places with coordinates, casualty figures of
incidents that several articles report with a rising toll, and negotiation storylines whose
milestones move from proposed to agreed or failed. Every item's sentence is in the article text
at its stated offsets, as the store expects.

Two ways to write them, with the same result:

- `save`: the store's own API, `Store.save(article, extraction)`, one transaction per article;
- `bulk`: the same rows written with SQLAlchemy core inserts in batches, then the store's own
  linking (`assign_incidents`, `assign_tracks`) over the new articles in the order they were
  inserted, as `save` would have run it. Much faster for 100,000 articles (see `fill`).
"""

from __future__ import annotations

import random
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from ..models import (
    Actor,
    Article,
    Casualty,
    Extraction,
    Figure,
    Milestone,
    Place,
    Quote,
    content_hash,
)
from ..store import Store
from ..store.linking import assign_incidents, assign_tracks
from ..store.schema import (
    ActorRow,
    ArticleActorRow,
    ArticlePlaceRow,
    ArticleRow,
    CasualtyRow,
    FigureRow,
    MilestoneRow,
    PlaceRow,
    QuoteRow,
)
from ..vocab import MILESTONE_STATUSES

EXTRACTOR_VERSION = "loadtest"
START = date(2024, 1, 1)
DAYS = 731  # two years

# name, country, lat, lon
PLACES: list[tuple[str, str, float, float]] = [
    ("Kyiv", "Ukraine", 50.45, 30.52), ("Kharkiv", "Ukraine", 49.99, 36.23), ("Odesa", "Ukraine", 46.48, 30.73),
    ("Dnipro", "Ukraine", 48.46, 35.05), ("Zaporizhzhia", "Ukraine", 47.84, 35.14), ("Kherson", "Ukraine", 46.64, 32.61),
    ("Sumy", "Ukraine", 50.91, 34.80), ("Mykolaiv", "Ukraine", 46.97, 32.00), ("Lviv", "Ukraine", 49.84, 24.03),
    ("Chernihiv", "Ukraine", 51.50, 31.29), ("Kramatorsk", "Ukraine", 48.72, 37.56), ("Sloviansk", "Ukraine", 48.85, 37.60),
    ("Pokrovsk", "Ukraine", 48.28, 37.18), ("Kostiantynivka", "Ukraine", 48.53, 37.71), ("Kryvyi Rih", "Ukraine", 47.91, 33.39),
    ("Poltava", "Ukraine", 49.59, 34.55), ("Nikopol", "Ukraine", 47.57, 34.39), ("Vinnytsia", "Ukraine", 49.23, 28.47),
    ("Belgorod", "Russia", 50.60, 36.59), ("Kursk", "Russia", 51.73, 36.19), ("Bryansk", "Russia", 53.24, 34.36),
    ("Moscow", "Russia", 55.76, 37.62), ("Rostov-on-Don", "Russia", 47.23, 39.72), ("Shebekino", "Russia", 50.41, 36.90),
    ("Gaza City", "Palestine", 31.50, 34.47), ("Khan Younis", "Palestine", 31.35, 34.31), ("Rafah", "Palestine", 31.30, 34.25),
    ("Jabalia", "Palestine", 31.53, 34.48), ("Deir al-Balah", "Palestine", 31.42, 34.35), ("Jenin", "Palestine", 32.46, 35.30),
    ("Tel Aviv", "Israel", 32.09, 34.78), ("Haifa", "Israel", 32.79, 34.99), ("Sderot", "Israel", 31.52, 34.60),
    ("Beirut", "Lebanon", 33.89, 35.50), ("Tyre", "Lebanon", 33.27, 35.20), ("Nabatieh", "Lebanon", 33.38, 35.48),
    ("Aleppo", "Syria", 36.20, 37.16), ("Idlib", "Syria", 35.93, 36.63), ("Damascus", "Syria", 33.51, 36.29),
    ("Khartoum", "Sudan", 15.50, 32.56), ("Omdurman", "Sudan", 15.64, 32.48), ("El Fasher", "Sudan", 13.63, 25.35),
    ("Nyala", "Sudan", 12.05, 24.88), ("Sanaa", "Yemen", 15.37, 44.19), ("Hodeidah", "Yemen", 14.80, 42.95),
    ("Goma", "Democratic Republic of the Congo", -1.68, 29.22), ("Bukavu", "Democratic Republic of the Congo", -2.51, 28.84),
    ("Mandalay", "Myanmar", 21.97, 96.08), ("Sittwe", "Myanmar", 20.15, 92.90), ("Mekelle", "Ethiopia", 13.50, 39.47),
]
# Who fights where: the sides of a theatre, by the countries its places lie in.
THEATRES: list[tuple[set[str], list[str]]] = [
    ({"Ukraine", "Russia"}, ["Russia", "Ukraine"]),
    ({"Palestine", "Israel"}, ["Israel", "Hamas"]),
    ({"Lebanon"}, ["Israel", "Hezbollah"]),
    ({"Syria"}, ["Syria", "Hayat Tahrir al-Sham"]),
    ({"Sudan"}, ["Sudanese Armed Forces", "Rapid Support Forces"]),
    ({"Yemen"}, ["Houthis", "Saudi Arabia"]),
    ({"Democratic Republic of the Congo"}, ["Democratic Republic of the Congo", "M23"]),
    ({"Myanmar"}, ["Myanmar", "Arakan Army"]),
    ({"Ethiopia"}, ["Ethiopia", "Tigray People's Liberation Front"]),
]
COUNTRIES = [
    "Russia", "Ukraine", "United States", "Turkey", "Qatar", "Egypt", "Israel", "Saudi Arabia", "United Arab Emirates", "China",
    "France", "Germany", "United Kingdom", "Poland", "India", "Brazil", "South Africa", "Iran", "Syria", "Lebanon", "Sudan",
    "Yemen", "Myanmar", "Ethiopia", "Democratic Republic of the Congo", "Rwanda", "Kenya", "Switzerland", "Norway", "Vatican",
]
ORGANIZATIONS = [
    ("United Nations", None), ("European Union", None), ("NATO", None), ("International Committee of the Red Cross", "Switzerland"),
    ("OSCE", None), ("African Union", None), ("Arab League", None), ("International Atomic Energy Agency", None),
    ("World Health Organization", None), ("UNICEF", None), ("UNHCR", None), ("World Food Programme", None),
    ("Amnesty International", None), ("Human Rights Watch", None), ("Medecins Sans Frontieres", None), ("IGAD", None),
    ("Russian Defence Ministry", "Russia"), ("Ukrainian General Staff", "Ukraine"), ("Israel Defense Forces", "Israel"),
    ("Gaza Health Ministry", "Palestine"), ("State Emergency Service", "Ukraine"), ("Kremlin", "Russia"),
]
ARMED_GROUPS = [
    ("Hamas", "Palestine"), ("Hezbollah", "Lebanon"), ("Houthis", "Yemen"), ("Rapid Support Forces", "Sudan"),
    ("Sudanese Armed Forces", "Sudan"), ("M23", "Democratic Republic of the Congo"), ("Arakan Army", "Myanmar"),
    ("Hayat Tahrir al-Sham", "Syria"), ("Tigray People's Liberation Front", "Ethiopia"), ("Wagner Group", "Russia"),
    ("Islamic Jihad", "Palestine"), ("Kachin Independence Army", "Myanmar"), ("Al-Shabaab", None), ("Islamic State", None),
]
FIRST = ["Olena", "Andrii", "Dmitry", "Sergei", "Maria", "Yusuf", "Amira", "Hakan", "Fatima", "Omar", "Ivan", "Natalia",
         "Ahmed", "Leila", "Pierre", "Anna", "Kofi", "Aung", "Mekonnen", "Rashid", "Tomasz", "Helen", "Jonas", "Layla"]
LAST = ["Kovalenko", "Petrov", "Shevchenko", "Haddad", "Demir", "Mansour", "Volkov", "Bondarenko", "Nasser", "Dubois",
        "Novak", "Abebe", "Khalil", "Ivanova", "Mensah", "Okafor", "Tun", "Said", "Lindqvist", "Moreau"]
JOB_TITLES = ["foreign minister", "defence minister", "spokesperson", "regional governor", "mayor", "envoy", "chief negotiator",
         "commander", "president", "prime minister", "aid coordinator", "military analyst"]
OUTLETS = ["Meridian Wire", "Harbour News Service", "Continental Press", "Northline Agency", "Eastern Desk", "Global Dispatch",
           "Frontline Monitor", "Riverside Herald", "Capital Tribune", "Atlas News", "Crescent Report", "Summit Daily",
           "Delta Times", "Westgate Journal", "Horizon Post", "Baltic Courier", "Levant Ledger", "Sahel Sentinel",
           "Nile Observer", "Pacific Bulletin", "Civic Record", "Open Wire", "Dispatch 24", "Field Notes", "The Ledger"]
VICTIMS = ["civilians", "people", "soldiers", "children", "aid workers", "police officers", None]
SINGULAR = {"civilians": "civilian", "people": "person", "soldiers": "soldier", "children": "child", "aid workers": "aid worker",
            "police officers": "police officer"}
STRIKES = ["missile strike", "drone attack", "shelling", "air strike", "artillery barrage", "glide-bomb attack", "rocket attack"]
MILESTONE_VERBS = {
    "proposed": "proposed", "planned": "were due to hold", "held": "held", "agreed": "agreed on",
    "completed": "completed", "rejected": "rejected", "failed": "saw the collapse of",
}
GENERATED_FIGURE_KINDS = ["displaced", "evacuated", "prisoners", "drones", "missiles", "aid"]


@dataclass(frozen=True)
class ActorSpec:
    name: str
    kind: str
    country: str | None
    role: str | None = None


def actor_roster(size: int = 300, seed: int = 0) -> list[ActorSpec]:
    """~300 actors: countries, organisations, armed groups and people, most famous first."""
    rng = random.Random(seed)
    roster = [ActorSpec(c, "country", c) for c in COUNTRIES]
    roster += [ActorSpec(n, "organization", c) for n, c in ORGANIZATIONS]
    roster += [ActorSpec(n, "armed_group", c) for n, c in ARMED_GROUPS]
    seen = {a.name for a in roster}
    names = [f"{f} {last}" for f in FIRST for last in LAST]
    rng.shuffle(names)
    for name in names:
        if len(roster) >= size:
            break
        if name not in seen:
            seen.add(name)
            roster.append(ActorSpec(name, "person", rng.choice(COUNTRIES[:12]), rng.choice(JOB_TITLES)))
    # A long tail: the big countries and a few people dominate, as in the news.
    head, tail = roster[:8], roster[8:]
    rng.shuffle(tail)
    return head + tail


@dataclass
class _Event:
    place: tuple[str, str, float, float]
    day: date
    killed: int
    wounded: int
    perpetrator: str
    strike: str
    victims: str | None


@dataclass
class _Storyline:
    kind: str
    parties: list[str]
    location: str
    step: int = 0


class _Writer:
    """Builds an article text sentence by sentence, knowing each sentence's offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, sentence: str) -> tuple[str, int, int]:
        if self.parts:
            self.parts.append(" ")
            self.length += 1
        start = self.length
        self.parts.append(sentence)
        self.length += len(sentence)
        return sentence, start, self.length

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _spans(text: str, name: str) -> list[tuple[int, int]]:
    spans, at = [], text.find(name)
    while at >= 0:
        spans.append((at, at + len(name)))
        at = text.find(name, at + len(name))
    return spans


MEDIATORS = ["Turkey", "Qatar", "Egypt", "United Nations", "Saudi Arabia", "Vatican", "Switzerland", "United States"]
VENUES = ["Istanbul", "Doha", "Cairo", "Geneva", "Riyadh", "Jeddah", "Abu Dhabi", "Vienna"]
COMMENTS = ["commented on the situation", "called for restraint", "did not respond to a request for comment",
            "said it was monitoring events"]
SAYINGS = ["We will not accept this", "The talks must continue", "Civilians are paying the price",
           "Our position has not changed", "Aid must reach everyone who needs it"]


@dataclass
class _World:
    """What persists from one synthetic article to the next: the actors, the storylines, recent incidents.

    Every draw comes from `rng`, in a fixed order, so the same seed gives the same articles.
    """

    rng: random.Random
    seed: int
    roster: list[ActorSpec]
    weights: list[float]
    by_name: dict[str, ActorSpec]
    storylines: list[_Storyline]
    story_weights: list[float]
    recent: deque[_Event] = field(default_factory=lambda: deque(maxlen=40))

    @classmethod
    def make(cls, seed: int) -> _World:
        rng = random.Random(seed)
        roster = actor_roster(seed=seed)
        weights = [1 / (rank + 1) ** 0.9 for rank in range(len(roster))]
        country_actors = [a.name for a in roster if a.kind == "country"]
        storylines: list[_Storyline] = []
        for _ in range(160):
            sides = rng.choice(THEATRES)[1]
            kind = rng.choice(list(MILESTONE_STATUSES))
            parties = list(sides) if rng.random() < 0.8 else [sides[0], rng.choice(country_actors)]
            if rng.random() < 0.2:
                parties.append(rng.choice(MEDIATORS))
            storylines.append(_Storyline(kind, sorted(set(parties)), rng.choice(VENUES)))
        story_weights = [1 / (i + 1) ** 0.7 for i in range(len(storylines))]
        return cls(rng, seed, roster, weights, {a.name: a for a in roster}, storylines, story_weights)


@dataclass
class _Draft:
    """One article being written: its text so far and the items found in it."""

    published: date
    dateline: str
    actors: dict[str, ActorSpec]
    places: dict[str, tuple[str, str, float, float]]
    w: _Writer = field(default_factory=_Writer)
    casualties: list[Casualty] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    headline: str | None = None


def _pick_event(world: _World, published: date, theatre: list[str]) -> _Event:
    """An incident: often one already reported elsewhere (its toll rising), else a new one."""
    rng = world.rng
    candidates = [e for e in world.recent if abs((published - e.day).days) <= 1]
    if candidates and rng.random() < 0.45:
        event = rng.choice(candidates)
        event.killed += rng.choice([0, 0, 1, 2, 3])  # the toll rises in later reports
        event.wounded += rng.choice([0, 1, 2, 5])
        return event
    where = rng.choice(PLACES)
    sides = next((s for countries, s in THEATRES if where[1] in countries), theatre)
    attacker = sides[1] if sides[0] == where[1] else sides[0]
    event = _Event(where, published - timedelta(days=rng.choice([0, 0, 1])), max(1, int(rng.paretovariate(1.4))),
                   int(rng.paretovariate(1.1) * 2), attacker, rng.choice(STRIKES), rng.choice(VICTIMS))
    world.recent.append(event)
    return event


def _write_incident(world: _World, d: _Draft, theatre: list[str]) -> None:
    rng = world.rng
    event = _pick_event(world, d.published, theatre)
    d.places[event.place[0]] = event.place
    victims = event.victims or "people"
    victims = victims if event.killed != 1 else SINGULAR.get(victims, victims)
    sentence, s0, _ = d.w.add(
        f"{d.dateline} — {'An' if event.strike[0] in 'aeiou' else 'A'} {event.strike} by {event.perpetrator} on {event.place[0]} killed {event.killed} {victims} "
        f"and wounded {event.wounded}, officials said on {event.day:%A}.")
    d.headline = f"{event.strike.capitalize()} on {event.place[0]} kills {event.killed}"
    for kind, number in (("killed", event.killed), ("wounded", event.wounded)):
        if number <= 0:
            continue
        token = f" {number} " if kind == "killed" else f"wounded {number}"
        at = sentence.find(token) + (1 if kind == "killed" else len("wounded "))
        low = number if rng.random() < 0.8 else max(1, number - rng.randint(1, 3))
        d.casualties.append(Casualty(
            kind=kind, count=number, low=low, high=number, qualifier="at least" if low < number else None,
            sentence=sentence, start=s0 + at, end=s0 + at + len(str(number)), victims=event.victims,
            perpetrator=event.perpetrator, location=event.place[0], country=event.place[1],
            date=event.day.isoformat(), incident=0, counted=True,
        ))
    if rng.random() < 0.15:
        total = event.killed * rng.randint(20, 300)
        sentence, s0, _ = d.w.add(f"In all, {total} people have been killed in the region since the fighting began.")
        at = sentence.find(str(total))
        d.casualties.append(Casualty(kind="killed", count=total, low=total, high=total, qualifier=None, sentence=sentence,
                                     start=s0 + at, end=s0 + at + len(str(total)), location=event.place[1],
                                     country=event.place[1], incident=-1, cumulative=True, counted=False))


def _write_milestone(world: _World, d: _Draft) -> None:
    """The next step of a storyline (sometimes out of order, sometimes a new round)."""
    rng = world.rng
    story = rng.choices(world.storylines, weights=world.story_weights)[0]
    statuses = MILESTONE_STATUSES[story.kind]
    if rng.random() < 0.3:
        story.step = min(story.step + 1, len(statuses) - 1)
    status = statuses[story.step] if rng.random() < 0.85 else rng.choice(statuses)
    if story.step == len(statuses) - 1 and rng.random() < 0.2:
        story.step = 0  # a new round begins
    for p in story.parties:
        if p in world.by_name:
            d.actors.setdefault(p, world.by_name[p])
    kind_words = story.kind.replace("_", " ")
    sentence, s0, s1 = d.w.add(
        f"{' and '.join(story.parties)} {MILESTONE_VERBS[status]} a {kind_words} in {story.location}, according to both delegations.")
    expected = (d.published + timedelta(days=rng.randint(3, 30))).isoformat() if status in ("proposed", "planned") else None
    d.milestones.append(Milestone(
        kind=story.kind, status=status, sentence=sentence, start=s0, end=s1, parties=list(story.parties),
        location=story.location, date=d.published.isoformat() if rng.random() < 0.6 else None,
        count=rng.randint(20, 400) if story.kind == "prisoner_exchange" else None, expected=expected,
        mediators=[m for m in MEDIATORS if m in sentence][:1],
    ))
    d.headline = d.headline or f"{' and '.join(story.parties)} {MILESTONE_VERBS[status]} {kind_words}"


def _write_figure(world: _World, d: _Draft) -> None:
    kind = world.rng.choice(GENERATED_FIGURE_KINDS)
    number = world.rng.randint(2, 5000)
    sentence, s0, _ = d.w.add(f"Officials counted {number} {kind} in the area over the past week.")
    at = sentence.find(str(number))
    d.figures.append(Figure(kind=kind, count=number, sentence=sentence, start=s0 + at, end=s0 + at + len(str(number))))


def _write_mentions(world: _World, d: _Draft) -> None:
    """A quote or a line for every actor the text does not name yet."""
    rng = world.rng
    for spec in list(d.actors.values()):
        if spec.name in d.w.text:
            continue
        if spec.kind == "person" and rng.random() < 0.5:
            said = rng.choice(SAYINGS)
            sentence, s0, _ = d.w.add(f"“{said},” {spec.role or 'an official'} {spec.name} said.")
            d.quotes.append(Quote(speaker=spec.name, text=said, start=s0 + 1, end=s0 + 1 + len(said)))
        else:
            d.w.add(f"{spec.name} {rng.choice(COMMENTS)}.")


def _finish(world: _World, d: _Draft, n: int) -> tuple[Article, Extraction]:
    d.w.add(f"(Synthetic load-test article {world.seed}-{n}.)")
    text = d.w.text
    extracted_actors = [
        Actor(name=a.name, kind=a.kind, country=a.country, role=a.role, mentions=max(1, len(spans)), canonical=a.name, spans=spans)
        for a in d.actors.values() for spans in [_spans(text, a.name)]
    ]
    extracted_places = [
        Place(name=p[0], kind="city", country=p[1], mentions=max(1, len(spans)), lat=p[2], lon=p[3], spans=spans)
        for p in d.places.values() for spans in [_spans(text, p[0])]
    ]
    totals: dict[str, int] = {}
    for c in d.casualties:
        if c.counted:
            totals[c.kind] = totals.get(c.kind, 0) + c.count
    title = d.headline or "Diplomatic round-up"
    article = Article(text=text, title=title, published=d.published, source=world.rng.choice(OUTLETS),
                      url=f"https://example.org/load/{world.seed}/{n}")
    return article, Extraction(
        id=content_hash(text), title=title, published=d.published.isoformat(), dateline=d.dateline, actors=extracted_actors,
        places=extracted_places, casualties=d.casualties, totals=totals, figures=d.figures, milestones=d.milestones,
        quotes=d.quotes, extractor_version=EXTRACTOR_VERSION, model="synthetic",
    )


def _synthetic_article(world: _World, n: int, published: date) -> tuple[Article, Extraction]:
    rng = world.rng
    place = rng.choice(PLACES)
    theatre = next((sides for countries, sides in THEATRES if place[1] in countries), ["Russia", "Ukraine"])
    actors = {name: world.by_name[name] for name in theatre if name in world.by_name}
    for spec in rng.choices(world.roster, weights=world.weights, k=rng.randint(2, 6)):
        actors.setdefault(spec.name, spec)
    d = _Draft(published, f"{place[0].upper()}, {place[1]}", actors, {place[0]: place})
    if rng.random() < 0.65:  # a violent incident, often one already reported elsewhere
        _write_incident(world, d, theatre)
    if rng.random() < 0.4 or d.headline is None:
        _write_milestone(world, d)
    if rng.random() < 0.25:
        _write_figure(world, d)
    _write_mentions(world, d)
    return _finish(world, d, n)


def synthetic_articles(count: int, seed: int = 0, start: date = START, days: int = DAYS) -> Iterator[tuple[Article, Extraction]]:
    """`count` plausible (Article, Extraction) pairs in publication order; the same seed gives the same articles."""
    world = _World.make(seed)
    days_of = sorted(world.rng.randrange(days) for _ in range(count))
    for n, offset in enumerate(days_of):
        yield _synthetic_article(world, n, start + timedelta(days=offset))


# -- writing --------------------------------------------------------------------------------------

@dataclass
class LoadReport:
    mode: str
    stored: int = 0
    duplicate: int = 0
    rows: int = 0
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def articles_per_second(self) -> float:
        return self.stored / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        phases = ", ".join(f"{k} {v:.1f} s" for k, v in self.phases.items())
        return (f"{self.stored:,} articles stored ({self.duplicate:,} already there) with {self.rows:,} rows in {self.seconds:.1f} s "
                f"[{self.mode}]: {self.rows_per_second:,.0f} rows/s, {self.articles_per_second:,.0f} articles/s"
                + (f" ({phases})" if phases else ""))


def _row_count(ex: Extraction) -> int:
    """The rows one article adds: itself and its items (incidents and tracks are counted apart)."""
    return 1 + len(ex.actors) + len(ex.places) + len(ex.casualties) + len(ex.figures) + len(ex.milestones) + len(ex.quotes)


def _linked_rows(store: Store, since_incident: int, since_track: int) -> int:
    from sqlalchemy import func

    from ..store.schema import IncidentRow, TrackRow

    with store.engine.connect() as conn:
        incidents = conn.scalar(select(func.count()).select_from(IncidentRow).where(IncidentRow.id > since_incident)) or 0
        tracks = conn.scalar(select(func.count()).select_from(TrackRow).where(TrackRow.id > since_track)) or 0
    return int(incidents) + int(tracks)


def _max_ids(store: Store) -> tuple[int, int]:
    from sqlalchemy import func

    from ..store.schema import IncidentRow, TrackRow

    with store.engine.connect() as conn:
        return int(conn.scalar(select(func.max(IncidentRow.id))) or 0), int(conn.scalar(select(func.max(TrackRow.id))) or 0)


def fill_with_save(store: Store, items: Iterator[tuple[Article, Extraction]], progress: Callable[[int], None] | None = None) -> LoadReport:
    """Through the store's API, one transaction per article, exactly as ingest writes."""
    report = LoadReport("save")
    began = time.perf_counter()
    incident0, track0 = _max_ids(store)
    for article, extraction in items:
        result = store.save(article, extraction)
        if result.status == "stored":
            report.stored += 1
            report.rows += _row_count(extraction)
        else:
            report.duplicate += 1
        if progress:
            progress(1)
    report.rows += _linked_rows(store, incident0, track0)
    report.seconds = time.perf_counter() - began
    return report


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _canonical_ids(s: Session, actors: Sequence[Actor], places: Sequence[Place]) -> tuple[dict[str, int], dict[tuple[str, str | None], int]]:
    """Ids of the canonical actors and places, inserting the missing ones as Store.save would."""
    names = {a.canonical or a.name: a for a in actors}
    actor_ids = dict(s.execute(select(ActorRow.name, ActorRow.id).where(ActorRow.name.in_(list(names)))).tuples().all())
    missing = [a for name, a in names.items() if name not in actor_ids]
    if missing:
        s.execute(insert(ActorRow), [{"name": a.canonical or a.name, "kind": a.kind, "country": a.country, "role": a.role} for a in missing])
        actor_ids = dict(s.execute(select(ActorRow.name, ActorRow.id).where(ActorRow.name.in_(list(names)))).tuples().all())
    # Store.save fills a canonical actor's missing country from a later article.
    for name, a in names.items():
        if a.country:
            s.execute(update(ActorRow).where(ActorRow.name == name, ActorRow.country.is_(None)).values(country=a.country))
    place_ids: dict[tuple[str, str | None], int] = {}
    wanted = {(p.name, p.country): p for p in places}
    for row in s.execute(select(PlaceRow.name, PlaceRow.country, PlaceRow.id).where(PlaceRow.name.in_([k[0] for k in wanted]))):
        place_ids.setdefault((row.name, row.country), row.id)
    missing_places = [p for key, p in wanted.items() if key not in place_ids]
    if missing_places:
        s.execute(insert(PlaceRow), [{"name": p.name, "country": p.country, "kind": p.kind, "lat": p.lat, "lon": p.lon} for p in missing_places])
        for row in s.execute(select(PlaceRow.name, PlaceRow.country, PlaceRow.id).where(PlaceRow.name.in_([k[0] for k in wanted]))):
            place_ids.setdefault((row.name, row.country), row.id)
    return actor_ids, place_ids


def _write_batch(s: Session, batch: list[tuple[Article, Extraction]]) -> tuple[list[int], int, int]:
    """Core inserts of one batch of new articles and their items; returns the new ids in order."""
    hashes = [a.id for a, _ in batch]
    present = set(s.scalars(select(ArticleRow.content_hash).where(ArticleRow.content_hash.in_(hashes))))
    fresh: list[tuple[Article, Extraction]] = []
    for article, extraction in batch:
        if article.id not in present:
            present.add(article.id)  # the same text twice in one batch is stored once
            fresh.append((article, extraction))
    duplicates = len(batch) - len(fresh)
    if not fresh:
        return [], duplicates, 0
    now = datetime.now(UTC).replace(tzinfo=None)
    result = s.execute(
        insert(ArticleRow).returning(ArticleRow.id, sort_by_parameter_order=True),
        [{"content_hash": a.id, "title": a.title or e.title, "published": a.published, "source": a.source, "url": a.url,
          "author": a.author, "path": a.path, "illustrative": a.illustrative, "text": a.text, "dateline": e.dateline,
          "language": "en", "status": "extracted", "status_reason": None, "extractor_version": e.extractor_version,
          "model": e.model, "ingested_at": now, "ingested_by": None} for a, e in fresh],
    )
    ids = [row[0] for row in result]
    actor_ids, place_ids = _canonical_ids(s, [x for _, e in fresh for x in e.actors], [x for _, e in fresh for x in e.places])
    rows: dict[Any, list[dict[str, Any]]] = {t: [] for t in (ArticleActorRow, ArticlePlaceRow, CasualtyRow, FigureRow, MilestoneRow, QuoteRow)}
    count = 0
    for article_id, (_, ex) in zip(ids, fresh, strict=True):
        count += _row_count(ex)
        seen: set[int] = set()
        for a in ex.actors:
            actor_id = actor_ids[a.canonical or a.name]
            if actor_id in seen:
                count -= 1
                continue
            seen.add(actor_id)
            rows[ArticleActorRow].append({"article_id": article_id, "actor_id": actor_id, "name": a.name, "kind": a.kind, "country": a.country,
                                          "role": a.role, "mentions": a.mentions, "aliases": list(a.aliases), "spans": [list(x) for x in a.spans]})
        for p in ex.places:
            rows[ArticlePlaceRow].append({"article_id": article_id, "place_id": place_ids[(p.name, p.country)], "kind": p.kind,
                                          "mentions": p.mentions, "spans": [list(x) for x in p.spans]})
        for c in ex.casualties:
            rows[CasualtyRow].append({"article_id": article_id, "kind": c.kind, "count": c.count, "low": c.low, "high": c.high,
                                      "qualifier": c.qualifier, "victims": c.victims, "perpetrator": c.perpetrator, "location": c.location,
                                      "country": c.country, "date": _date(c.date), "incident": c.incident, "cumulative": c.cumulative,
                                      "counted": c.counted, "sentence": c.sentence, "start": c.start, "end": c.end})
        for f in ex.figures:
            rows[FigureRow].append({"article_id": article_id, "kind": f.kind, "count": f.count, "low": f.low, "high": f.high,
                                    "qualifier": f.qualifier, "each_side": f.each_side, "sentence": f.sentence, "start": f.start, "end": f.end})
        for m in ex.milestones:
            rows[MilestoneRow].append({"article_id": article_id, "kind": m.kind, "status": m.status, "parties": list(m.parties),
                                       "mediators": list(m.mediators), "location": m.location, "date": _date(m.date), "condition": m.condition,
                                       "count": m.count, "expected": _date(m.expected), "sentence": m.sentence, "start": m.start, "end": m.end})
        for q in ex.quotes:
            rows[QuoteRow].append({"article_id": article_id, "speaker": q.speaker, "text": q.text, "start": q.start, "end": q.end})
    for table, values in rows.items():
        if values:
            s.execute(insert(table), values)
    return ids, duplicates, count


def fill_bulk(store: Store, items: Iterator[tuple[Article, Extraction]], batch_size: int = 2000,
              progress: Callable[[int], None] | None = None) -> LoadReport:
    """Core inserts in batches, then the store's own linking over each batch, article by article.

    One transaction per batch: a batch is stored with its links or not at all. The linking is
    `store.linking`'s, run in insertion order as `Store.save` runs it, so the incidents and
    tracks are the ones `save` would have made.
    """
    report = LoadReport("bulk", phases={"insert": 0.0, "link": 0.0})
    began = time.perf_counter()
    incident0, track0 = _max_ids(store)
    iterator = iter(items)
    with Session(store.engine) as s:
        while True:
            batch = [x for _, x in zip(range(batch_size), iterator, strict=False)]
            if not batch:
                break
            with s.begin():
                t0 = time.perf_counter()
                ids, duplicates, rows = _write_batch(s, batch)
                s.flush()
                t1 = time.perf_counter()
                articles = {row.id: row for row in s.scalars(select(ArticleRow).where(ArticleRow.id.in_(ids)))}
                for article_id in ids:
                    assign_incidents(s, articles[article_id])
                    assign_tracks(s, articles[article_id])
                    s.flush()
                t2 = time.perf_counter()
            s.expunge_all()
            report.phases["insert"] += t1 - t0
            report.phases["link"] += t2 - t1
            report.stored += len(ids)
            report.duplicate += duplicates
            report.rows += rows
            if progress:
                progress(len(batch))
    report.rows += _linked_rows(store, incident0, track0)
    report.seconds = time.perf_counter() - began
    return report


def has_corrections(store: Store) -> bool:
    """Analysts' corrections reshape what `save` writes (actor merges and renames): bulk does not apply them."""
    from sqlalchemy import inspect, text

    with store.engine.connect() as conn:
        if not inspect(conn).has_table("corrections"):
            return False
        return bool(conn.scalar(text("SELECT EXISTS (SELECT 1 FROM corrections)")))


SAVE_LIMIT = 5000  # above this many articles, `auto` takes the bulk path (save runs at ~10^2 articles/s)


def fill(url: str | None, articles: int, *, seed: int = 0, mode: str = "auto", batch_size: int = 2000,
         progress: bool = False) -> LoadReport:
    """Fill the database at `url` with `articles` synthetic articles; `mode` is save, bulk or auto."""
    if mode not in ("auto", "save", "bulk"):
        raise ValueError(f"unknown mode {mode!r}: save, bulk or auto")
    store = Store(url)
    bar = None
    try:
        corrected = has_corrections(store)
        if mode == "bulk" and corrected:
            raise ValueError("this database holds analysts' corrections, which only Store.save applies: use --mode save (or a new database)")
        chosen = mode if mode != "auto" else ("save" if articles <= SAVE_LIMIT or corrected else "bulk")
        items = synthetic_articles(articles, seed=seed)
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=articles, unit="article", desc=f"loadtest [{chosen}]")
        tick = bar.update if bar is not None else None
        if chosen == "save":
            return fill_with_save(store, items, tick)
        return fill_bulk(store, items, batch_size, tick)
    finally:
        if bar is not None:
            bar.close()
        store.engine.dispose()
