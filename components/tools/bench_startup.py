"""`python -m components.tools.bench_startup`: how long until a process is ready to extract.

Each measurement is a fresh interpreter doing what a CLI command or a worker does before
its first article: import spaCy and our package, load the knowledge, load the model, add
our components (the EntityRuler of the knowledge and the rule stages), make the Extractor.
It runs with an empty knowledge cache (cold: the knowledge is built and saved) and then
with the cache it left (warm: the knowledge is read back), alternating, `--repeat` times
each, in a temporary cache folder (the user's own cache is not touched). It prints the
median wall and CPU time of each step and the cold/warm ratio: compare within one run, as
other work on the machine moves the absolute figures.

`--cli FILE` also times the whole `python -m components extract FILE` (warm cache).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The child: what Extractor() does (load_pipeline), step by step, each timed (wall, CPU), as
# JSON on stdout; the parent times the whole process, exit included.
CHILD = r"""
import json, sys, time
steps = []
t, c = time.perf_counter(), time.process_time()
def step(name):
    global t, c
    t2, c2 = time.perf_counter(), time.process_time()
    steps.append((name, t2 - t, c2 - c))
    t, c = t2, c2
import spacy
step("import spacy")
from components.extract import Extractor
from components.extract import knowledge, nlp as pipeline
step("import components.extract")
knowledge.load_knowledge()
step("load_knowledge")
add_components = pipeline.add_components
def timed_add_components(nlp):
    step("spacy.load model")
    return add_components(nlp)
pipeline.add_components = timed_add_components
nlp = pipeline.load_pipeline(sys.argv[1] or None)
step("add_components (ruler, stages)")
Extractor(nlp=nlp)
step("Extractor()")
print(json.dumps(steps))
"""

def _run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall and CPU seconds (user + system, the child's) of one command, and its stdout."""
    start = time.perf_counter()
    before = os.times()
    proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    after = os.times()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])}... failed:\n{proc.stderr[-2000:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, proc.stdout


def measure(repeat: int = 3, model: str | None = None, cli_file: str | None = None) -> dict[str, list[dict[str, float]]]:
    """Runs per scenario: {"total": (wall, cpu), step name: (wall, cpu), ...} each."""
    runs: dict[str, list[dict[str, float]]] = {"cold": [], "warm": [], "cli": []}
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        for n in range(repeat):
            folder = Path(tmp) / f"cache{n}"
            env["CONFLICT_MONITOR_CACHE"] = str(folder)
            for scenario in ("cold", "warm"):  # cold builds the cache the warm run then reads
                wall, cpu, out = _run([sys.executable, "-c", CHILD, model or ""], env)
                row = {"total wall": wall, "total cpu": cpu}
                for name, w, c in json.loads(out.strip().splitlines()[-1]):
                    row[f"{name} wall"], row[f"{name} cpu"] = w, c
                runs[scenario].append(row)
            if cli_file:
                if model:
                    env["SPACY_MODEL"] = model
                wall, cpu, _ = _run([sys.executable, "-m", "components", "extract", cli_file, "--compact"], env)
                runs["cli"].append({"total wall": wall, "total cpu": cpu})
    return runs


def report(runs: dict[str, list[dict[str, float]]]) -> str:
    def med(scenario: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[scenario]) if runs[scenario] else float("nan")

    keys = [k[: -len(" wall")] for k in runs["cold"][0] if k.endswith(" wall") and k != "total wall"] + ["total"]
    lines = [f"start-up until ready to extract, median of {len(runs['cold'])} fresh processes each (seconds)",
             f"{'step':34} {'cold wall':>10} {'cold cpu':>9} {'warm wall':>10} {'warm cpu':>9}"]
    for key in keys:
        lines.append(f"{key:34} {med('cold', key + ' wall'):10.2f} {med('cold', key + ' cpu'):9.2f}"
                     f" {med('warm', key + ' wall'):10.2f} {med('warm', key + ' cpu'):9.2f}")
    lines.append(f"cold/warm: wall x{med('cold', 'total wall') / med('warm', 'total wall'):.2f},"
                 f" cpu x{med('cold', 'total cpu') / med('warm', 'total cpu'):.2f}"
                 " (the total's CPU is the whole process: user + system)")
    if runs["cli"]:
        lines.append(f"python -m components extract FILE, warm: wall {med('cli', 'total wall'):.2f}, cpu {med('cli', 'total cpu'):.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m components.tools.bench_startup", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per scenario (default 3)")
    parser.add_argument("--model", help="spaCy model (default: SPACY_MODEL or the installed default; 'blank' for none)")
    parser.add_argument("--cli", metavar="FILE", help="also time `python -m components extract FILE`")
    args = parser.parse_args(argv)
    print(report(measure(max(1, args.repeat), args.model, args.cli)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
