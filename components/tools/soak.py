"""Soak the extractor: every real and sample text, and hostile copies of them, must pass.

    python -m components [--budget 20] soak [PATHS] [--top 15] [--max-seconds 2]

Runs the extractor over every text under PATHS (default: `../shared/corpus/` beside the
project and `data/samples/articles/`): `.txt`/`.md` files are one article each, `.jsonl`
files one article per line's `text`. Each text is also extracted in transformed copies
(all capitals, no punctuation, no line breaks, odd Unicode), and one article of 200,000
characters is made of many. Prints the slowest articles with their times and every
exception, and exits non-zero unless the run is clean: no exception, none over the time
budget, and every article but the long one under `--max-seconds`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
DEFAULT_PATHS = (PROJECT.parent / "shared" / "corpus", PROJECT / "data" / "samples" / "articles")
LONG_CHARS = 200_000

ZERO_WIDTH = "\u200b"
DIRECTION_MARKS = ("\u200f", "\u200e", "\u202b", "\u202c")
EMOJI = ("\U0001f525", "\U0001f1fa\U0001f1e6", "\u2764\ufe0f", "\U0001f4a5", "\U0001f64f\U0001f3fd")
OTHER_SCRIPTS = ("\u0645\u0631\u062d\u0628\u0627", "\u041a\u0438\u0457\u0432", "\u4e2d\u56fd", "\u05e9\u05dc\u05d5\u05dd", "\u0926\u093f\u0932\u094d\u0932\u0940")
# Latin letters and the Cyrillic letters that look the same: mixed-script words.
HOMOGLYPHS = str.maketrans({"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441"})


@dataclass(frozen=True)
class SoakText:
    label: str  # where it comes from, and which copy: "caps: dev/x.jsonl:17"
    text: str


@dataclass
class SoakResult:
    label: str
    chars: int
    seconds: float
    error: str | None = None  # an exception, with its traceback's last line
    over_budget: bool = False


@dataclass
class SoakReport:
    results: list[SoakResult] = field(default_factory=list)
    long_label: str | None = None

    @property
    def exceptions(self) -> list[SoakResult]:
        return [r for r in self.results if r.error and not r.over_budget]

    @property
    def over_budget(self) -> list[SoakResult]:
        return [r for r in self.results if r.over_budget]

    def slowest(self, n: int, *, include_long: bool = True) -> list[SoakResult]:
        pool = [r for r in self.results if include_long or r.label != self.long_label]
        return sorted(pool, key=lambda r: -r.seconds)[:n]

    def clean(self, max_seconds: float) -> bool:
        slow = self.slowest(1, include_long=False)
        return not self.exceptions and not self.over_budget and (not slow or slow[0].seconds < max_seconds)


# -- what is read ------------------------------------------------------------------------------

def read_texts(paths: list[Path]) -> Iterator[SoakText]:
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            name = str(path.relative_to(root.parent)) if root.is_dir() else path.name
            if path.suffix in {".txt", ".md"} and path.name != "README.md":
                yield SoakText(name, path.read_text(encoding="utf-8", errors="replace"))
            elif path.suffix == ".jsonl":
                for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                    text = _jsonl_text(line)
                    if text:
                        yield SoakText(f"{name}:{n}", text)


def _jsonl_text(line: str) -> str | None:
    try:
        row = json.loads(line)
    except json.JSONDecodeError:
        return None
    text = row.get("text") if isinstance(row, dict) else None
    return text if isinstance(text, str) and text.strip() else None


# -- hostile copies ----------------------------------------------------------------------------

def no_punctuation(text: str) -> str:
    return re.sub(r"[^\w\s]", "", text)


def one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text)


def odd_unicode(text: str, seed: int = 0) -> str:
    """Zero-width spaces inside words, direction marks after names, emoji, other scripts."""
    rng = random.Random(seed)
    out: list[str] = []
    for word in re.split(r"(\s+)", text):
        if not word.strip():
            out.append(word)
            continue
        roll = rng.random()
        if roll < 0.08 and len(word) > 3:
            cut = rng.randrange(1, len(word) - 1)
            word = word[:cut] + ZERO_WIDTH + word[cut:]
        elif roll < 0.14 and word[:1].isupper():
            word += rng.choice(DIRECTION_MARKS)
        elif roll < 0.18:
            word = word.translate(HOMOGLYPHS)
        elif roll < 0.21:
            word += " " + rng.choice(OTHER_SCRIPTS)
        if word.endswith(".") and rng.random() < 0.3:
            word += " " + rng.choice(EMOJI)
        out.append(word)
    return "".join(out)


TRANSFORMS: dict[str, Callable[[str], str]] = {
    "caps": str.upper,
    "no punctuation": no_punctuation,
    "one line": one_line,
    "unicode": odd_unicode,
}


def soak_texts(texts: list[SoakText], transforms: dict[str, Callable[[str], str]] = TRANSFORMS,
               long_chars: int = LONG_CHARS) -> Iterator[SoakText]:
    """Each text as it is and in every transformed copy, then one long article made of many."""
    for t in texts:
        yield t
        for name, transform in transforms.items():
            yield SoakText(f"{name}: {t.label}", transform(t.text))
    if long_chars and texts:
        yield long_article(texts, long_chars)


def long_article(texts: list[SoakText], chars: int) -> SoakText:
    parts: list[str] = []
    size = 0
    while size < chars:
        for t in texts:
            parts.append(t.text)
            size += len(t.text) + 2
            if size >= chars:
                break
    body = "\n\n".join(parts)[:chars]
    return SoakText(f"long: {len(body):,} characters made of {len(parts)} texts", body)


# -- the run -----------------------------------------------------------------------------------

def run_soak(extract: Callable[[str], object], texts: Iterator[SoakText], *,
             on_result: Callable[[SoakResult], None] | None = None) -> SoakReport:
    """Extract every text, timing each; an exception is recorded, never raised."""
    from ..extract.budget import ExtractionTimeout
    from ..extract.extractor import ExtractionError

    report = SoakReport()
    for t in texts:
        if t.label.startswith("long: "):
            report.long_label = t.label
        started = time.perf_counter()
        result = SoakResult(t.label, len(t.text), 0.0)
        try:
            extract(t.text)
        except (ExtractionError, ExtractionTimeout) as exc:
            result.error = str(exc)
            result.over_budget = "took longer than" in str(exc)
        except Exception as exc:  # noqa: BLE001 - the soak reports every exception
            last = traceback.format_exception(exc)[-2].strip().splitlines()[0] if exc.__traceback__ else ""
            result.error = f"{type(exc).__name__}: {exc} ({last})"
        result.seconds = time.perf_counter() - started
        report.results.append(result)
        if on_result is not None:
            on_result(result)
    return report


def format_report(report: SoakReport, top: int, max_seconds: float, budget: float) -> str:
    n = len(report.results)
    chars = sum(r.chars for r in report.results)
    total = sum(r.seconds for r in report.results)
    lines = [f"soak: {n:,} articles, {chars:,} characters in {total:.1f} s; budget {budget:g} s per article", "slowest:"]
    lines += [f"  {r.seconds:7.3f} s  {r.chars:>8,} chars  {r.label}" for r in report.slowest(top)]
    lines.append(f"exceptions: {len(report.exceptions) or 'none'}")
    lines += [f"  {r.label}: {r.error}" for r in report.exceptions]
    lines.append(f"over the budget: {len(report.over_budget) or 'none'}")
    lines += [f"  {r.label}: {r.error}" for r in report.over_budget]
    slow = report.slowest(1, include_long=False)
    if slow:
        lines.append(f"slowest article apart from the long one: {slow[0].seconds:.3f} s (limit {max_seconds:g} s)")
    lines.append("clean" if report.clean(max_seconds) else "NOT CLEAN")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m components.tools.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget", type=float, default=None, help="the per-article time budget in seconds (default: the extractor's)")
    add_arguments(parser)
    return run(parser.parse_args(argv))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: ../shared/corpus and the samples)")
    parser.add_argument("--top", type=int, default=15, help="how many of the slowest articles to list")
    parser.add_argument("--max-seconds", type=float, default=2.0, help="the slowest article (the long one apart) must be under this")
    parser.add_argument("--no-transforms", action="store_true", help="only the texts as they are, and the long article")


def run(args: argparse.Namespace) -> int:
    from ..extract.budget import default_budget
    from ..extract.extractor import Extractor

    paths = args.paths or [p for p in DEFAULT_PATHS if p.exists()]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"soak: no such file or folder: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    budget = default_budget() if getattr(args, "budget", None) is None else args.budget
    extractor = Extractor(model=getattr(args, "model", None), budget_s=budget)
    texts = list(read_texts(paths))
    if not texts:
        print("soak: no texts found in " + ", ".join(map(str, paths)), file=sys.stderr)
        return 2
    print(f"soak: {len(texts):,} texts from {', '.join(map(str, paths))}", file=sys.stderr)
    done = itertools.count(1)

    def progress(result: SoakResult) -> None:
        if (n := next(done)) % 500 == 0:
            print(f"  {n:,} articles", file=sys.stderr, flush=True)

    report = run_soak(extractor.extract, soak_texts(texts, {} if args.no_transforms else TRANSFORMS), on_result=progress)
    print(format_report(report, args.top, args.max_seconds, budget))
    return 0 if report.clean(args.max_seconds) else 1


if __name__ == "__main__":
    sys.exit(main())
