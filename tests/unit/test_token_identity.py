"""spaCy builds a new Token object on every access, so `a is b` between Tokens is never true.

A walk up the tree that stops when a token's head *is* the token never stops, and a
test that a token *is not* the trigger is always true. These tests reproduce the walks on hand-built Docs with
no governing verb, and a guard reads the project's source so the class of bug cannot return.
"""

from __future__ import annotations

import ast
import threading
from datetime import date
from pathlib import Path

from components.extract.actors import ActorExtractor
from components.extract.casualties import CasualtyExtractor, _clause_verb
from components.extract.knowledge import load_knowledge
from components.extract.layout import Layout
from components.extract.milestones import MilestoneExtractor, decide_status
from components.extract.syntax import governing_verb
from tests.conftest import make_doc

PROJECT = Path(__file__).resolve().parents[2]
K = load_knowledge()

# "At least 35 dead and 32 wounded people": a verbless fragment, as in a headline or a
# lead whose toll the parser reads as a noun phrase with no governing verb.
VERBLESS = [
    ("At", "ADP", "IN", "advmod", 1, "at"), ("least", "ADJ", "JJS", "advmod", 2, "least"),
    ("35", "NUM", "CD", "nummod", 3, "35"), ("dead", "ADJ", "JJ", "ROOT", 3, "dead"),
    ("and", "CCONJ", "CC", "cc", 3, "and"), ("32", "NUM", "CD", "nummod", 6, "32"),
    ("wounded", "ADJ", "JJ", "amod", 7, "wounded"), ("people", "NOUN", "NNS", "conj", 3, "people"),
]


def _within(seconds: float, fn, *args):
    """Run fn in a thread; fail (rather than hang the suite) if it has not returned in time."""
    out: list = []
    worker = threading.Thread(target=lambda: out.append(fn(*args)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"{getattr(fn, '__name__', fn)} did not return: a walk up the tree that never ends"
    return out[0]


def test_clause_verb_stops_at_the_root_when_no_verb_governs(blank_vocab):
    doc = make_doc(blank_vocab, VERBLESS)
    top = _within(5, _clause_verb, doc[6])
    assert top.i == 3  # the root of the fragment: "dead"


def test_governing_verb_is_none_without_a_verb(blank_vocab):
    doc = make_doc(blank_vocab, VERBLESS)
    assert _within(5, governing_verb, doc[2]) is None


def test_the_verbless_toll_is_read_and_returns(blank_vocab):
    doc = make_doc(blank_vocab, VERBLESS)
    layout = Layout()

    def run():
        actors = ActorExtractor(K).extract(doc, layout)
        result = CasualtyExtractor(K).extract(doc, layout, actors, date(2016, 12, 6))
        milestones = MilestoneExtractor().extract(doc, layout, actors, result.figures, date(2016, 12, 6))
        return result, milestones

    result, milestones = _within(10, run)
    assert result.totals.get("killed") == 35
    assert milestones == []


def test_a_clause_that_ends_talks_is_read_from_its_own_verb(blank_vocab):
    # "The summit ended without agreement." -> the summit was held (the verb that ends it is
    # the trigger's own governing verb; an identity test made this never match).
    doc = make_doc(blank_vocab, [
        ("The", "DET", "DT", "det", 1, "the"), ("summit", "NOUN", "NN", "nsubj", 2, "summit"),
        ("ended", "VERB", "VBD", "ROOT", 2, "end"), ("without", "ADP", "IN", "prep", 2, "without"),
        ("agreement", "NOUN", "NN", "pobj", 3, "agreement"), (".", "PUNCT", ".", "punct", 2, "."),
    ])
    # The status alone: a summit with nobody named is no milestone of the article (the sides must be named).
    decision = _within(10, decide_status, doc[1], "meeting", next(iter(doc.sents)))
    assert decision.status == "held"


# -- the guard ---------------------------------------------------------------------------------

TOKEN_ATTRS = {"head", "root", "left_edge", "right_edge", "sent"}


def _identity_comparisons(tree: ast.AST) -> list[ast.Compare]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        for op, left, right in zip(node.ops, operands[:-1], operands[1:], strict=True):
            if isinstance(op, ast.Is | ast.IsNot) and not any(isinstance(x, ast.Constant) for x in (left, right)):
                found.append(node)
    return found


def _looks_like_token(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Attribute) and n.attr in TOKEN_ATTRS for n in ast.walk(node))


def test_no_identity_comparison_between_tokens_in_the_rule_stages():
    """In the extraction layer, `is` compares only with constants (None, True, False)."""
    offenders = []
    for path in sorted((PROJECT / "components" / "extract").rglob("*.py")):
        for node in _identity_comparisons(ast.parse(path.read_text(encoding="utf-8"))):
            offenders.append(f"{path.relative_to(PROJECT)}:{node.lineno}: {ast.unparse(node)}")
    assert not offenders, "compare Tokens with == or by .i, never with `is`:\n" + "\n".join(offenders)


def test_no_identity_comparison_of_tree_attributes_anywhere():
    offenders = []
    for top in ("components", "tests", "app.py"):
        paths = [PROJECT / top] if top.endswith(".py") else sorted((PROJECT / top).rglob("*.py"))
        for path in paths:
            for node in _identity_comparisons(ast.parse(path.read_text(encoding="utf-8"))):
                if _looks_like_token(node):
                    offenders.append(f"{path.relative_to(PROJECT)}:{node.lineno}: {ast.unparse(node)}")
    assert not offenders, "\n".join(offenders)


def test_the_guard_catches_the_pattern_it_exists_for():
    walk_up = "while cur.head " + "is not cur:"  # written in two parts so text searches do not flag this file
    bad = ast.parse(walk_up + "\n    cur = cur.head\nok = x is None\n")
    hits = _identity_comparisons(bad)
    assert len(hits) == 1 and _looks_like_token(hits[0])
