"""`python -m components bench ingest`: how fast a batch ingests, against bare spaCy.

Generates N synthetic wire-style articles (templated here from a few sentence patterns
with varied places, parties and numbers; invented, not copied from anywhere), writes them
as one JSONL batch in a temporary folder, then measures in one run:

  (a) the bare spaCy pipeline: `spacy.load(<the same model>)` and `nlp.pipe` over the texts;
  (a') the same split among N forked processes: the most N processes can give here;
  (b) our full ingest (reading the batch, language check, extraction, near-duplicate
      grouping, storage) into a temporary SQLite database, one process;
  (c) the same with several processes (worker processes each running `Extractor.pipe`;
      with --spacy-workers also spaCy's own `Extractor.pipe(n_process=N)`, for comparison);

and prints articles/s and words/s of each, the ratios, and peak memory. The user's
database is never opened.
"""

from __future__ import annotations

import json
import os
import random
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

PLACES = [
    ("Kharkiv", "Ukraine"), ("Sumy", "Ukraine"), ("Kherson", "Ukraine"), ("Zaporizhzhia", "Ukraine"), ("Odesa", "Ukraine"),
    ("Dnipro", "Ukraine"), ("Belgorod", "Russia"), ("Kursk", "Russia"), ("Khartoum", "Sudan"), ("El Fasher", "Sudan"),
    ("Goma", "Congo"), ("Aleppo", "Syria"), ("Idlib", "Syria"), ("Mogadishu", "Somalia"), ("Gao", "Mali"),
    ("Marib", "Yemen"), ("Hodeidah", "Yemen"), ("Tripoli", "Libya"), ("Mekelle", "Ethiopia"), ("Maiduguri", "Nigeria"),
]
VENUES = ["Istanbul", "Doha", "Geneva", "Riyadh", "Cairo", "Addis Ababa", "Jeddah", "Vienna", "Muscat", "Nairobi"]
MEDIATORS = ["Turkey", "Qatar", "the United Nations", "Saudi Arabia", "Egypt", "the African Union", "Oman", "Switzerland"]
OFFICIALS = ["the regional governor", "the mayor", "the health ministry", "the emergency service", "a local official",
             "the interior ministry", "the civil defence agency", "a police spokesman"]
OUTLETS = ["Desk Wire", "Northern Dispatch", "Field Report", "Continental News", "Morning Ledger"]
WEAPONS = ["a missile strike", "a drone attack", "artillery shelling", "an air strike", "a rocket attack", "a car bomb"]
TARGETS = ["a residential building", "a market", "a bus station", "an apartment block", "a hospital courtyard",
           "a power substation", "a school gym used as a shelter", "a grain warehouse"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

LEADS = [
    "{weapon} on {target} in {city} killed {killed} people and wounded {wounded} on {day}, {official} said.",
    "At least {killed} people were killed and {wounded} injured when {weapon} hit {target} in {city} on {day}, according to {official}.",
    "{Official} said {killed} civilians died and {wounded} more were hurt after {weapon} struck {target} in {city} overnight.",
]
BODY = [
    "Rescue teams worked through the night to clear the rubble, and {missing} people were still missing by morning.",
    "Among the dead were {children} children, {official} said in a statement posted online.",
    "The attack was the deadliest in {city} since {month}, when {earlier} people were killed in a similar strike.",
    "Delegations from both sides met in {venue} on {day2} for talks mediated by {mediator}, the first such meeting in {weeks} weeks.",
    "The two sides agreed to exchange {prisoners} prisoners each, {mediator} said after the talks in {venue}.",
    "A proposed ceasefire along the front line near {city} was rejected by the defence ministry, which called it a ploy to regroup.",
    "Officials said a second round of negotiations was planned for next week in {venue}, though no date had been set.",
    "Aid agencies said about {displaced} people had fled the area in the past month, many of them to {venue}.",
    "\"We will not negotiate while our cities are being bombed,\" the foreign minister told reporters in {venue}.",
    "Power was cut to {homes} homes after the strike, and repair crews were waiting for the shelling to stop.",
    "The United Nations called for an independent investigation and urged all parties to protect civilians.",
    "Residents described hearing {blasts} explosions shortly after midnight, followed by the sound of sirens.",
    "The military said its air defences shot down {drones} of {launched} drones launched overnight.",
    "Foreign ministers are due to discuss new sanctions at a meeting in {venue} on {day2}, diplomats said.",
    "{Mediator} offered to host a summit between the two leaders, but neither side has accepted the invitation.",
    "Local hospitals said they were treating {wounded2} patients, {serious} of them in serious condition.",
    "The governor declared {mourning} days of mourning and ordered flags lowered across the region.",
    "Analysts said the latest escalation made a durable ceasefire less likely before the end of {month2}.",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


def synthetic_articles(n: int, seed: int = 7) -> list[dict]:
    """N invented wire-style articles, different from each other, as {"title","text","date","source"}."""
    rng = random.Random(seed)
    start = date(2025, 1, 1)
    out = []
    for i in range(n):
        city, country = rng.choice(PLACES)
        values = {
            "weapon": rng.choice(WEAPONS), "target": rng.choice(TARGETS), "city": city, "killed": rng.randint(2, 60),
            "wounded": rng.randint(3, 120), "day": rng.choice(WEEKDAYS), "day2": rng.choice(WEEKDAYS), "official": rng.choice(OFFICIALS),
            "missing": rng.randint(1, 30), "children": rng.randint(2, 9), "month": rng.choice(MONTHS), "month2": rng.choice(MONTHS),
            "earlier": rng.randint(5, 90), "venue": rng.choice(VENUES), "mediator": rng.choice(MEDIATORS), "weeks": rng.randint(2, 30),
            "prisoners": rng.choice([50, 84, 100, 150, 250, 300, 390, 500, 1000]), "displaced": f"{rng.randint(2, 95) * 1000:,}",
            "homes": f"{rng.randint(1, 80) * 1000:,}", "blasts": rng.choice(["two", "three", "four", "several", "at least five"]),
            "drones": rng.randint(10, 90), "wounded2": rng.randint(5, 140), "serious": rng.randint(1, 20), "mourning": rng.choice(["two", "three"]),
        }
        values["launched"] = values["drones"] + rng.randint(0, 40)
        values["Official"] = values["official"][0].upper() + values["official"][1:]
        values["Mediator"] = values["mediator"][0].upper() + values["mediator"][1:]
        lead = rng.choice(LEADS).format(**values)
        lead = lead[0].upper() + lead[1:]
        body = [s.format(**values) for s in rng.sample(BODY, rng.randint(9, 14))]
        dateline = f"{city.upper()}, {country} —"
        published = start + timedelta(days=rng.randint(0, 364))
        title = f"{values['killed']} killed in {values['weapon'].split(' ', 1)[1]} on {city}"
        out.append({"title": title, "text": "\n".join([f"{dateline} {lead}", *body]), "date": published.isoformat(),
                    "source": rng.choice(OUTLETS), "url": f"https://example.org/bench/{seed}/{i}"})
    return out


@dataclass
class Timing:
    label: str
    seconds: float
    articles: int
    words: int
    cpu: float = 0.0  # CPU seconds of this process and its workers

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds else float("inf")

    @property
    def word_rate(self) -> float:
        return self.words / self.seconds if self.seconds else float("inf")

    def line(self) -> str:
        return (f"  {self.label:<40} {self.rate:7.1f} articles/s {self.word_rate:9,.0f} words/s"
                f"   ({self.seconds:.1f} s, {self.cpu:.1f} s CPU, {self.cpu / self.articles * 1000:.1f} ms CPU/article)")


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_mib() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def _bare_forked(nlp, texts: list[str], processes: int, batch_size: int) -> None:  # type: ignore[no-untyped-def]
    """The bare pipeline over the texts split among `processes` forked copies of this process."""
    pids = []
    for k in range(processes):
        pid = os.fork()
        if pid == 0:  # the child: parse its share, leave at once (no atexit, no buffers flushed twice)
            code = 0
            try:
                for _doc in nlp.pipe(texts[k::processes], batch_size=batch_size):
                    pass
            except BaseException:  # noqa: BLE001 - reported through the exit status
                code = 1
            os._exit(code)
        pids.append(pid)
    failed = [pid for pid in pids if os.waitpid(pid, 0)[1] != 0]
    if failed:
        raise RuntimeError(f"{len(failed)} of the bare spaCy processes failed")


def _ingest(batch: Path, db: Path, extractor, processes: int, batch_size: int, parallel: str = "pool"):  # type: ignore[no-untyped-def]
    from ..services.ingest import ingest_paths
    from ..store import Store

    store = Store(f"sqlite:///{db}")
    c0, t0 = _cpu(), time.perf_counter()
    report = ingest_paths([batch], store, extractor, progress=False, processes=processes, batch_size=batch_size, parallel=parallel)
    return time.perf_counter() - t0, _cpu() - c0, report


def run_ingest_bench(n: int = 2000, processes: int = 2, batch_size: int = 32, model: str | None = None, out=sys.stdout,  # type: ignore[no-untyped-def]
                     spacy_workers: bool = False) -> int:
    import spacy

    from ..extract import Extractor
    from ..extract.nlp import resolve_model_name

    def say(text: str = "") -> None:
        print(text, file=out, flush=True)

    articles = synthetic_articles(n)
    texts = [a["text"] for a in articles]
    words = sum(len(t.split()) for t in texts)
    name = resolve_model_name(model)
    say(f"bench ingest: {n} synthetic articles, {words:,} words ({words / n:.0f} per article); model {name}; batch size {batch_size}")
    say(f"  {os.cpu_count()} cores; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (other work on the machine slows every figure)")
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        folder = Path(tmp)
        batch = folder / "articles.jsonl"
        with batch.open("w", encoding="utf-8") as f:
            for a in articles:
                f.write(json.dumps(a, ensure_ascii=False) + "\n")
        del articles

        t0 = time.perf_counter()
        bare = spacy.blank("en") if name == "blank" else spacy.load(name)
        extractor = Extractor(model=model)
        say(f"  models loaded in {time.perf_counter() - t0:.1f} s (not counted)")
        warm = texts[: min(20, n)]
        list(bare.pipe(warm, batch_size=batch_size))
        list(extractor.pipe(_warm_articles(warm), batch_size=batch_size))
        from ..ingest.language import detect_language
        from ..services import ingest as _ingest_service  # noqa: F401 - its imports (the store, minhash) are start-up, not throughput
        from ..store import dedupe

        detect_language(texts[0])  # loads the language model, as spaCy's was loaded above
        dedupe.signature(texts[0])

        c0, t0 = _cpu(), time.perf_counter()
        for _doc in bare.pipe(texts, batch_size=batch_size):
            pass
        spacy_timing = Timing("(a) bare spaCy nlp.pipe, 1 process", time.perf_counter() - t0, n, words, _cpu() - c0)
        say(spacy_timing.line())
        c0, t0 = _cpu(), time.perf_counter()
        _bare_forked(bare, texts, processes, batch_size)
        ceiling = Timing(f"(a') bare spaCy, {processes} forked processes", time.perf_counter() - t0, n, words, _cpu() - c0)
        say(ceiling.line())
        del bare

        seconds, cpu, report1 = _ingest(batch, folder / "one.db", extractor, 1, batch_size)
        one = Timing("(b) full ingest, 1 process", seconds, n, words, cpu)
        say(one.line() + f"   [{report1.summary().splitlines()[0]}]")

        seconds, cpu, report2 = _ingest(batch, folder / "many.db", extractor, processes, batch_size)
        many = Timing(f"(c) full ingest, {processes} processes", seconds, n, words, cpu)
        say(many.line() + f"   [{report2.summary().splitlines()[0]}]")
        if spacy_workers:
            seconds, cpu, report3 = _ingest(batch, folder / "spacy.db", extractor, processes, batch_size, parallel="spacy")
            spacy_way = Timing(f"(c') the same, spaCy's n_process={processes}", seconds, n, words, cpu)
            say(spacy_way.line() + f"   [{report3.summary().splitlines()[0]}]")

    own, children = _peak_mib()
    say(f"  load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    say("")
    say(f"  full ingest / bare spaCy, 1 process:            {one.rate / spacy_timing.rate:.2f}x   (target >= 0.9x)")
    say(f"  full ingest, {processes} processes / bare spaCy, 1 process: {many.rate / spacy_timing.rate:.2f}x   (target >= 1.7x)")
    say(f"  speed-up of full ingest with {processes} processes:      {many.rate / one.rate:.2f}x")
    say(f"  bare spaCy with {processes} processes / 1 process:       {ceiling.rate / spacy_timing.rate:.2f}x   (the ceiling of the line above)")
    say(f"  full ingest / bare spaCy, {processes} processes each:    {many.rate / ceiling.rate:.2f}x")
    say(f"  peak memory: {own:,.0f} MiB this process, {children:,.0f} MiB largest worker (ru_maxrss)")
    return 0


def _warm_articles(texts: list[str]):  # type: ignore[no-untyped-def]
    from ..models import Article

    return [Article(text=t) for t in texts]


def run_extract_bench(n: int = 2000, batch_size: int = 32, model: str | None = None, out=sys.stdout) -> int:  # type: ignore[no-untyped-def]
    """What the extraction rules add to the spaCy pipeline's own time, in one run on the same texts.

    (a) the pipeline (model, sentence breaks, knowledge ruler) over every text; (b) our rule
    stages over the Docs it made. The target: (b) is at most 25% of (a).
    """
    from ..extract import Extractor
    from ..extract.components import RULE_STAGES

    def say(text: str = "") -> None:
        print(text, file=out, flush=True)

    texts = [a["text"] for a in synthetic_articles(n)]
    extractor = Extractor(model=model)
    model_only = list(RULE_STAGES)
    stages = [proc for name, proc in extractor.nlp.pipeline if name in RULE_STAGES]
    list(extractor.nlp.pipe([extractor.make_doc(t) for t in texts[:20]], batch_size=batch_size, disable=model_only))  # warm up
    made = [extractor.make_doc(t) for t in texts]
    t0 = time.perf_counter()
    docs = list(extractor.nlp.pipe(made, batch_size=batch_size, disable=model_only))
    pipeline = time.perf_counter() - t0
    t0 = time.perf_counter()
    for doc in docs:
        for stage in stages:
            doc = stage(doc)
        extractor.read(doc)
    rules = time.perf_counter() - t0
    say(f"bench extract: {n} synthetic articles; model {extractor.model}")
    say(f"  (a) spaCy pipeline:   {pipeline:7.2f} s  ({n / pipeline:6.1f} articles/s)")
    say(f"  (b) extraction rules: {rules:7.2f} s  ({n / rules:6.1f} articles/s)")
    say(f"  rules / pipeline: {rules / pipeline:.2f}   (target <= 0.25)")
    return 0
