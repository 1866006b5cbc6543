"""Negotiation milestones (PLOVER-style kinds) with a status read from the clause.

Each trigger word (talks, meeting, truce, swap, sanctions...) is a mention. Its status
comes from the verbs that govern it, their particles, tense, modality and negation:
"held talks" -> held; "a meeting would be possible only after..." -> proposed; "called off
the summit" -> rejected; "did not result in a truce" -> no milestone. A trigger nested in
another ("an offer of talks", "an agreement to exchange prisoners") is read with it, not
on its own. Mentions of one kind and the same parties within an article are merged into
one milestone with the most advanced status, so a later "the swap" is a reference to the
agreed swap, not a new one.

Per sentence, `MilestoneExtractor.extract` (photo captions and questions skipped):

1. triggers: `_trigger` (`_noun_trigger` with `_qualified`, `_verb_trigger`), nested ones
   folded by `_candidates`;
2. skip a trigger inside a condition ("only after an agreement"), in the background
   (`_is_background`: "the 1994 memorandum") or not current news (`_not_current`: "the
   same deal", "last year after a truce broke down", "Kerry, who is trying to ...",
   "met dozens of times", a unit named after talks);
3. status: `decide_status` tries STATUS_STEPS in order; the first step that decides wins.
   A step returns a `Decision` (a status, or None for "not a milestone") or None to pass:
   violation, reference, no governing verb, failure or cancellation, frayed, rejection,
   negation, negated noun, hypothetical, opinion, broken, respect, sanctions, talks or
   meeting, proposal, declared ceasefire, in force, completed, exchange done, imminent,
   participle, pause done, subject reference, proposed, agreed, agreed chain, future,
   reached. A ceasefire or agreement becomes "failed" in: violation, failure or
   cancellation, frayed, broken, rejection (talks only), negation ("no longer honour");
   withdrawing from a treaty rejects it;
4. kind adjustments (`_adjust_kind`: an offer of talks is a proposal), then place,
   parties (`_PartyFinder`; people and bodies act for their states, the people kept as
   participants; "the talks" with nobody named take the sides named before), mediators;
5. the diplomacy gate (`milestone_gate.credible`): an official party (a state, body,
   international organisation, armed group or a person tied to a state, not a candidate),
   two sides for a meeting or talks unless the process is named ("peace talks", "the
   Geneva talks", "EU-mediated talks", a new round) or held at a named city; no business
   deal; then the date;
6. per article, `_merge` groups mentions and keeps the most advanced status; mentions whose
   parties each name someone the other lacks are separate events.

Word lists live in `data/lexicon/milestones.json`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from spacy.tokens import Doc, Span, Token

from ..models import Figure, Milestone
from .actors import ActorResult, Mention
from .budget import check
from .dates import find_date_expressions, relative_offset, resolve_expression
from .knowledge import load_knowledge
from .layout import Layout
from .lexicon import load_lexicon
from .milestone_gate import affiliations, candidates, credible, is_business, is_state_body, known_body, not_news_sentence, parent_body
from .syntax import governing_verb as _clause_verb

LEX = load_lexicon("milestones")
NOUN_TRIGGERS: dict[str, str] = LEX.mapping("NOUN_TRIGGERS")
VERB_TRIGGERS: dict[str, str] = LEX.mapping("VERB_TRIGGERS")
QUALIFIED_NOUNS = LEX.words("QUALIFIED_NOUNS")
NAME_TRIGGERS = LEX.words("NAME_TRIGGERS")
PEACE_PLANS = LEX.words("PEACE_PLANS")
PEACE_MODIFIERS = LEX.words("PEACE_MODIFIERS")
AGREED_TEXTS = LEX.words("AGREED_TEXTS")
AGREED_TEXT_MODIFIERS = LEX.words("AGREED_TEXT_MODIFIERS")
PAUSE_NOUNS = LEX.words("PAUSE_NOUNS")
PAUSE_MODIFIERS = LEX.words("PAUSE_MODIFIERS")
CALL_MODIFIERS = LEX.words("CALL_MODIFIERS")
EXCHANGE_NOUNS = LEX.words("EXCHANGE_NOUNS")
NON_PRISONER_EXCHANGES = LEX.words("NON_PRISONER_EXCHANGES")
NON_PEACE_TALKS = LEX.words("NON_PEACE_TALKS")
NON_PEACE_MEETINGS = LEX.words("NON_PEACE_MEETINGS")
NOT_MET_OBJECTS = LEX.words("NOT_MET_OBJECTS")
PRISONER_WORDS = re.compile(r"\b(prisoners?|POWs?|captives?|detainees?|hostages?|servicemen|bodies|war prisoners|abductees)\b", re.IGNORECASE)
HOSTILITY_WORDS = LEX.words("HOSTILITY_WORDS")
STATUS_RANK: dict[str, int] = LEX.mapping("STATUS_RANK")
SPECIFIC_KINDS = LEX.words("SPECIFIC_KINDS")

PARTICLES = LEX.words("PARTICLES")
FAIL_VERBS = LEX.words("FAIL_VERBS")
FAIL_PHRASES = LEX.pairs("FAIL_PHRASES")
VIOLATION_NOUNS = LEX.words("VIOLATION_NOUNS")
REJECT_VERBS = LEX.words("REJECT_VERBS")
REJECT_PHRASES = LEX.pairs("REJECT_PHRASES")
SPAN_NOUNS = LEX.words("SPAN_NOUNS")
ATTEND_VERBS = LEX.words("ATTEND_VERBS")
UPHOLD_VERBS = LEX.words("UPHOLD_VERBS")
MODALS = LEX.words("MODALS")
FUTURE_AUX = LEX.words("FUTURE_AUX")
PROPOSE_VERBS = LEX.words("PROPOSE_VERBS")
PROPOSE_ADJ = LEX.words("PROPOSE_ADJ")
PLANNED_CUES = LEX.words("PLANNED_CUES")
AGREE_VERBS = LEX.words("AGREE_VERBS")
COMPLETE_VERBS = LEX.words("COMPLETE_VERBS")
AGREEMENT_DONE_VERBS = LEX.words("AGREEMENT_DONE_VERBS")
IN_FORCE_VERBS = LEX.words("IN_FORCE_VERBS")
EFFECT_VERBS = LEX.words("EFFECT_VERBS")
SANCTION_DONE = LEX.words("SANCTION_DONE")
SANCTION_PROPOSE_VERBS = LEX.words("SANCTION_PROPOSE_VERBS")
SANCTION_PROPOSE_CHAIN = LEX.words("SANCTION_PROPOSE_CHAIN")
MEETING_START_VERBS = LEX.words("MEETING_START_VERBS")
MEETING_HELD_VERBS = LEX.words("MEETING_HELD_VERBS")
PREPARE_VERBS = LEX.words("PREPARE_VERBS")
REACH_VERBS = LEX.words("REACH_VERBS")
ACCEPT_VERBS = LEX.words("ACCEPT_VERBS")
TRUCE_WORDS = LEX.words("TRUCE_WORDS")
GENERIC_MODIFIERS = LEX.words("GENERIC_MODIFIERS")
CONDITION_OPENERS = tuple(sorted(LEX.words("CONDITION_OPENERS")))
HELD_PREPS = LEX.words("HELD_PREPS")
NEW_DEVELOPMENT = FAIL_VERBS | LEX.words("NEW_DEVELOPMENT_EXTRA")
CONDITION_RE = re.compile(
    r"\b(only after|only if|only when|only once|only as a result of|provided that|on condition that|as long as|unless|upon|if and when|once|if)\b[^.;,\"\u201d]*",
    re.IGNORECASE,
)
YEAR_RE = re.compile(r"^(19|20)\d\d$")
SPEECH_VERBS = LEX.words("SPEECH_VERBS")
TEMPORAL_PREPS = LEX.words("TEMPORAL_PREPS")
REFUSAL_NOUNS = LEX.words("REFUSAL_NOUNS")
READY_WORDS = LEX.words("READY_WORDS")
STOP_VERBS = LEX.words("STOP_VERBS")
HOSTILE_ACTS = LEX.words("HOSTILE_ACTS")
INVITE_VERBS = LEX.words("INVITE_VERBS")
MEDIATE_VERBS = LEX.words("MEDIATE_VERBS")
PROPOSER_NOUNS = LEX.words("PROPOSER_NOUNS")
WITHDRAW_VERBS = LEX.words("WITHDRAW_VERBS")
RESPECT_VERBS = LEX.words("RESPECT_VERBS")
IN_FORCE_MODIFIERS = LEX.words("IN_FORCE_MODIFIERS")
SANCTION_DONE_NOUNS = LEX.words("SANCTION_DONE_NOUNS")
NON_PEACE_AGREEMENTS = LEX.words("NON_PEACE_AGREEMENTS")
CAPABILITY_MODALS = LEX.words("CAPABILITY_MODALS")
DIALOGUE_MODIFIERS = LEX.words("DIALOGUE_MODIFIERS")
COMPARISON_WORDS = LEX.words("COMPARISON_WORDS")
HISTORY_MODIFIERS = LEX.words("HISTORY_MODIFIERS")
NAME_HEADS = LEX.words("NAME_HEADS")
PAST_PERIODS = LEX.words("PAST_PERIODS")
OFFICIAL_HEADS = LEX.words("OFFICIAL_HEADS")
MILITARY_MODIFIERS = LEX.words("MILITARY_MODIFIERS")
WELCOME_VERBS = LEX.words("WELCOME_VERBS")
DECIDE_VERBS = LEX.words("DECIDE_VERBS")
SIDELINE_NOUNS = LEX.words("SIDELINE_NOUNS")
ANNOUNCE_VERBS = LEX.words("ANNOUNCE_VERBS")
IMMINENT_CUES = LEX.words("IMMINENT_CUES")
PHONE_VERBS = LEX.words("PHONE_VERBS")
OFFER_VERBS = LEX.words("OFFER_VERBS")
BREAK_VERBS = LEX.words("BREAK_VERBS")
UNILATERAL_WORDS = LEX.words("UNILATERAL_WORDS")
EXCHANGE_CONTEXT = LEX.words("EXCHANGE_CONTEXT")
SUBJECT_STATUS_VERBS = FAIL_VERBS | IN_FORCE_VERBS | {v for v, _ in FAIL_PHRASES} | LEX.words("SUBJECT_STATUS_EXTRA")
STATUS_VERBS = (AGREE_VERBS | FAIL_VERBS | COMPLETE_VERBS | IN_FORCE_VERBS | REACH_VERBS | SANCTION_DONE | PROPOSE_VERBS
                | REJECT_VERBS | UPHOLD_VERBS | WITHDRAW_VERBS)
LONG_AGO_RE = re.compile(r"\b(\w+|\d+) (years|decades) (after|since|ago)\b|\b(years|decades) (after|ago)\b", re.IGNORECASE)


@dataclass
class _MilestoneMention:
    kind: str
    status: str | None
    trigger: Token
    sent: Span
    parties: list[str] = field(default_factory=list)
    location: str | None = None
    date: str | None = None
    condition: str | None = None
    count: int | None = None
    mediators: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)  # the people who meet or talk, for their states
    weak: bool = False  # status read only from a reference ("after the meeting"): never outranks an asserted one


@dataclass(frozen=True)
class _Named:
    """A mention's parties (canonical: states, bodies, groups) and the people taking part for them."""

    parties: list[str]
    participants: list[str]


@dataclass(frozen=True)
class Decision:
    """The status of a trigger and the step that decided it; status None: not a milestone."""

    status: str | None
    step: str


@dataclass(frozen=True)
class _Candidate:
    """A trigger of a sentence with its kind, after nested triggers were folded into it."""

    tok: Token
    kind: str


def _governors(tok: Token, limit: int = 4) -> list[Token]:
    """Verbs above a trigger, nearest first, through nouns and prepositions ("turned down an
    invitation to meet", "vetoed a resolution that would have imposed sanctions")."""
    out: list[Token] = []
    cur = tok
    for _ in range(12):
        if cur.head.i == cur.i:
            break
        if cur.dep_ in {"ccomp", "parataxis"} and out and cur.head.lemma_.lower() in SPEECH_VERBS:
            break  # reported speech: "Russia said it would..." keeps its own status
        cur = cur.head
        if cur.pos_ in {"VERB", "AUX"}:
            out.append(cur)
            if len(out) >= limit:
                break
    return out


def _through_verbs(low: Token, high: Token) -> bool:
    """`high` governs `low` as its complement, not through a noun ("urged a policy as a means of reaching a deal")."""
    for anc in list(low.ancestors)[:8]:
        if anc.i == high.i:
            return True
        if anc.pos_ in {"NOUN", "PROPN"}:
            return False
    return False


def _particle(verb: Token) -> str | None:
    for c in verb.children:
        if c.dep_ in {"prt", "prep", "advmod"} and c.lower_ in PARTICLES:
            return c.lower_
    return None


def _is_past(verb: Token) -> bool:
    if verb.tag_ == "VBG" and verb.dep_ in {"advcl", "xcomp", "conj"} and verb.head.i != verb.i and verb.head.pos_ in {"VERB", "AUX"}:
        return _is_past(verb.head)  # "completed the handover, fulfilling the accord"
    if verb.tag_ == "VBD":
        return not any(c.lower_ in {"would", "could", "might"} for c in verb.children)
    auxes = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    if verb.tag_ == "VBN" and auxes & {"has", "have", "had", "was", "were", "been", "'s"} and not auxes & {"would", "could", "might", "should", "will"}:
        return True
    return bool(verb.tag_ == "VBN" and verb.dep_ in {"acl", "amod"})


def _auxes(verb: Token) -> set[str]:
    return {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass", "neg"}}


def _negated(verb: Token) -> bool:
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    return any(c.lower_ in {"never"} or (c.lower_ == "longer" and c.i > 0 and c.doc[c.i - 1].lower_ == "no") for c in verb.children)


def _has_prisoner_context(sent: Span, has_swap: bool) -> bool:
    return bool(PRISONER_WORDS.search(sent.text) or has_swap or re.search(r"\d\s*for\s*\d", sent.text))


def _unilateral(sent: Span) -> bool:
    """A release with no other side: an amnesty or pardon, or no swap, deal, truce or hostages in the sentence."""
    words = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
    if words & UNILATERAL_WORDS:
        return True
    return not words & EXCHANGE_CONTEXT


def _hostile(obj: Token) -> bool:
    """An act of war: "attacks", "shelling"; a campaign only when military ("its air campaign")."""
    if obj.lower_ == "campaign":
        return any(c.lower_ in MILITARY_MODIFIERS for c in obj.children if c.dep_ in {"amod", "compound"})
    return obj.lower_ in HOSTILE_ACTS


def _outer_trigger(tok: Token, by_token: dict[int, str]) -> Token | None:
    """The trigger this one is nested in, within the same clause and not across a time phrase."""
    for a in tok.ancestors:
        if a.i in by_token:
            return a
        if a.tag_ in {"VBD", "VBZ", "VBP", "MD"}:
            return None  # a finite verb between them: separate clauses, separate milestones
        if a.dep_ == "prep" and a.lower_ in TEMPORAL_PREPS:
            return None  # "free hostages during a ceasefire": two milestones
    return None


# -- status: named steps tried in order --------------------------------------------------------
class _Clause:
    """What the status steps read about one trigger: its governing verbs, their tense and mood.

    Facts are computed on first use, so a step that decides early never pays for later ones.
    """

    def __init__(self, tok: Token, kind: str, sent: Span):
        self.tok, self.kind, self.sent = tok, kind, sent

    @cached_property
    def mods(self) -> set[str]:
        return {c.lemma_.lower() for c in self.tok.children if c.dep_ in {"amod", "compound", "nmod", "advmod"}}

    @cached_property
    def govs(self) -> list[Token]:
        return _governors(self.tok) if self.tok.pos_ != "VERB" else [self.tok, *_governors(self.tok, 3)]

    @property
    def verb(self) -> Token:
        return self.govs[0]

    @cached_property
    def lemma(self) -> str:
        return self.verb.lemma_.lower()

    @cached_property
    def aux(self) -> set[str]:
        return _auxes(self.verb)

    @cached_property
    def chain_lemmas(self) -> list[str]:
        return [v.lemma_.lower() for v in self.govs]

    @cached_property
    def counterfactual(self) -> bool:
        return "would" in self.aux and "have" in self.aux

    @cached_property
    def modal(self) -> bool:
        return bool(self.aux & MODALS) or self.counterfactual

    @cached_property
    def proposes(self) -> bool:
        ready = any(a.lemma_.lower() in READY_WORDS for a in list(self.tok.ancestors)[:5])
        chain = any(v.lemma_.lower() in PROPOSE_VERBS and _through_verbs(self.verb, v) for v in self.govs[1:3])
        return self.modal or ready or self.lemma in PROPOSE_VERBS or chain or bool(self.mods & PROPOSE_ADJ)

    @cached_property
    def to_infinitive(self) -> bool:
        return self.verb.tag_ == "VB" and any(c.lower_ == "to" for c in self.verb.children)

    @cached_property
    def future(self) -> bool:
        verb = self.verb
        return bool(self.aux & FUTURE_AUX) or self.lemma in PLANNED_CUES or any(v in PLANNED_CUES for v in self.chain_lemmas[1:3]) or (
            self.to_infinitive and any(c.lemma_ == "be" and c.dep_ in {"aux"} for c in verb.head.children))

    @cached_property
    def dated(self) -> bool:
        return bool(find_date_expressions(" ".join(t.text for t in self.verb.subtree)))

    @cached_property
    def past(self) -> bool:
        return _is_past(self.verb)

    @cached_property
    def present(self) -> bool:
        """Present tense, headlines too: "Ethiopia and the rebels sign a deal" (the small model often tags it VB)."""
        verb = self.verb
        headline = verb.tag_ == "VB" and verb.dep_ == "ROOT" and any(c.dep_ == "nsubj" for c in verb.children) and not any(
            c.dep_ in {"aux", "auxpass"} for c in verb.children)
        return (verb.tag_ in {"VBZ", "VBP"} or headline) and not self.modal

    @cached_property
    def agree_chain(self) -> bool:
        """An agreeing verb above the nearest one: "agreed to exchange", "signed a deal to halt"."""
        return any(v in AGREE_VERBS for v in self.chain_lemmas[1:3]) and any(v.tag_ in {"VBD", "VBN", "VBZ"} for v in self.govs[1:3])

    def pobj_of(self, *preps: str) -> bool:
        """The trigger is the object of one of these prepositions."""
        return self.tok.dep_ == "pobj" and self.tok.head.lower_ in preps


_Step = Callable[[_Clause], Decision | None]


def _violation(c: _Clause) -> Decision | None:
    """"a violation of the truce": the truce failed."""
    if c.tok.dep_ == "pobj" and c.tok.head.head.lemma_.lower() in VIOLATION_NOUNS:
        return Decision("failed" if c.kind in {"ceasefire", "agreement"} else None, "violation")
    return None


def _reference(c: _Clause) -> Decision | None:
    """A trigger named as a setting or a reference, not reported as news."""
    tok, kind = c.tok, c.kind
    if c.pobj_of("without"):
        return Decision(None, "reference")  # "ended without a truce"
    if kind in {"agreement", "ceasefire"} and c.pobj_of("under"):
        return Decision(None, "reference")  # "as promised under the deal": its terms, not news of it
    span = tok.head.head
    if c.pobj_of("of") and span.lemma_.lower() in SPAN_NOUNS and not (span.lower_ == "round" and span.dep_ in {"nsubj", "nsubjpass", "dobj"}):
        return Decision(None, "reference")  # "after ten days of talks"; "a new round of talks would begin on ..." is news
    if kind in {"talks", "meeting"}:
        if c.pobj_of("of") and tok.head.head.lemma_.lower() in SIDELINE_NOUNS:
            return Decision("held" if c.past else None, "reference")  # "discussed Syria on the sidelines of the summit": they met
        if kind == "meeting" and c.pobj_of("at") and any(_is_past(v) and v.lemma_.lower() in AGREE_VERBS | SPEECH_VERBS for v in c.govs[:2]):
            return Decision("held", "reference")  # "agreed to restore ties at a meeting in St Petersburg": they met
        if any(anc.dep_ == "prep" and anc.lower_ == "at" for anc in list(tok.ancestors)[:4]):
            return Decision(None, "reference")
        if tok.dep_ == "pobj" and tok.head.lower_ in HELD_PREPS:
            return Decision("held", "reference")  # "after talks in Moscow" (a weak mention, see extract)
        if c.pobj_of("at", "before", "ahead", "to") and tok.head.head.pos_ != "NOUN":
            return Decision(None, "reference")  # "at talks hosted by...": the setting of another event
    if any(ch.dep_ == "det" and ch.lower_ == "no" for ch in tok.children):
        return Decision(None, "reference")  # "no agreement was reached"
    return None


def _no_governing_verb(c: _Clause) -> Decision | None:
    """A verbless mention ("a possible summit") is proposed only if an adjective says so."""
    if not c.govs:
        return Decision("proposed" if c.mods & PROPOSE_ADJ else None, "no governing verb")
    return None


def _failure(c: _Clause) -> Decision | None:
    """"the truce collapsed", "called off the summit", "pulled out of the deal"."""
    kind = c.kind
    for v in c.govs[:2]:
        vl, vp = v.lemma_.lower(), _particle(v)
        if vl == "end" and kind in {"talks", "meeting"} and v.i == c.verb.i:
            return Decision("held", "failure or cancellation")  # "the summit ended without agreement": it was held
        failed = vl in FAIL_VERBS or (vl, vp) in FAIL_PHRASES or (vl, None) in FAIL_PHRASES
        if v.i == c.tok.i:
            break  # "Russia suspended its air campaign": the verb is the pause itself, not its failure
        if vl == "fail" and v.i != c.verb.i and c.lemma in AGREE_VERBS | REACH_VERBS:
            return Decision(None, "failure or cancellation")  # "failed to reach a truce": none was reached
        modal = _auxes(v) | (_auxes(v.head) if v.dep_ == "conj" else set())
        if failed and modal & MODALS and re.search(r"\bif\b", c.sent.text, re.IGNORECASE):
            return Decision(None, "failure or cancellation")  # "would tear up the deal if elected": a promise
        if failed and not _negated(v):
            if kind == "agreement" and vl in WITHDRAW_VERBS:
                return Decision("rejected", "failure or cancellation")  # a side withdrew from the treaty
            if kind in {"meeting", "proposal"}:
                return Decision("rejected", "failure or cancellation")
            if kind in {"sanctions", "prisoner_exchange"}:
                return Decision(None, "failure or cancellation")
            return Decision("failed", "failure or cancellation")
        if v.i != c.verb.i and not failed:
            break
    return None


def _frayed(c: _Clause) -> Decision | None:
    """"no sooner was the deal announced than it began to fray": a failure told of "it" in the next clause."""
    if c.kind not in {"agreement", "ceasefire"} or not c.govs:
        return None
    clauses = [*c.verb.children, *(g for a in c.tok.children if a.dep_ == "acl" for g in a.children)]
    for clause in clauses:
        if clause.dep_ not in {"advcl", "conj", "ccomp"} or clause.pos_ not in {"VERB", "AUX"}:
            continue
        if not any(ch.dep_ == "nsubj" and ch.lower_ in {"it", "which"} for ch in clause.children):
            continue
        chain = [clause, *(ch for ch in clause.children if ch.dep_ == "xcomp")]
        if any(v.lemma_.lower() in FAIL_VERBS or (v.lemma_.lower(), _particle(v)) in FAIL_PHRASES for v in chain):
            return Decision("failed", "frayed")
    return None


def _rejection(c: _Clause) -> Decision | None:
    """Rejected here or in a governing clause ("turned down an invitation to meet")."""
    govs = c.govs
    for n, v in enumerate(govs[:3]):
        if n > 0 and govs[n - 1].dep_ not in {"xcomp", "acl", "relcl", "pcomp", "dobj", "pobj"}:
            break
        vl, vp = v.lemma_.lower(), _particle(v)
        if vl in REJECT_VERBS or (vl, vp) in REJECT_PHRASES:
            if c.kind == "talks":
                return Decision("failed", "rejection")
            return Decision("rejected" if c.kind in {"meeting", "proposal", "agreement", "ceasefire", "sanctions"} else None, "rejection")
    return None


def _negation(c: _Clause) -> Decision | None:
    """A negated verb: "will not attend the summit" rejects it; "no longer honour the truce" fails it."""
    if not _negated(c.verb):
        return None
    if c.aux & CAPABILITY_MODALS:
        return Decision(None, "negation")  # "negotiations can not be held in this manner": no event
    if c.lemma in ATTEND_VERBS and c.kind in {"meeting", "talks"}:
        return Decision("rejected" if c.kind == "meeting" else "failed", "negation")
    if c.lemma in UPHOLD_VERBS and c.kind in {"agreement", "ceasefire"}:
        return Decision("failed", "negation")  # "would no longer take part in the arrangement"
    return Decision(None, "negation")


def _negated_noun(c: _Clause) -> Decision | None:
    if c.tok.pos_ != "VERB" and any(ch.dep_ == "neg" or ch.lower_ == "without" for ch in c.tok.children):
        return Decision(None, "negated noun")
    for anc in list(c.tok.ancestors)[:3]:
        if anc.pos_ == "NOUN" and any(ch.dep_ == "det" and ch.lower_ == "no" for ch in anc.children):
            return Decision(None, "negated noun")  # "no pressure to negotiate", "no plans for a summit"
    return None


def _hypothetical(c: _Clause) -> Decision | None:
    """"a meeting was possible only after...": hypothetical whatever the tense."""
    if c.lemma == "be" and any(ch.lemma_.lower() in PROPOSE_ADJ for ch in c.verb.children if ch.dep_ in {"acomp", "attr"}):
        return Decision("proposed", "hypothetical")
    return None


def _opinion(c: _Clause) -> Decision | None:
    """"34 percent of respondents said the U.S. should retaliate with sanctions": an opinion of nobody in office."""
    if "should" not in c.aux:
        return None
    for anc in list(c.verb.ancestors)[:4]:
        if anc.lemma_.lower() in SPEECH_VERBS:
            subject = [t for ch in anc.children if ch.dep_ == "nsubj" for t in ch.subtree]
            if subject and not any(t.pos_ == "PROPN" or t.ent_type_ in {"GPE", "ORG", "NORP", "PERSON"} for t in subject):
                return Decision(None, "opinion")
            return None
    return None


def _broken(c: _Clause) -> Decision | None:
    """"expired with both sides accusing each other of breaking it": a truce reported broken has failed."""
    if c.kind not in {"ceasefire", "agreement"} or not c.govs:
        return None
    for t in c.verb.subtree:
        if t.lemma_.lower() in BREAK_VERBS and not _negated(t) and any(
                ch.dep_ == "dobj" and (ch.lower_ in {"it", "them"} or ch.lower_ in TRUCE_WORDS) for ch in t.children):
            return Decision("failed", "broken")
    return None


def _respect(c: _Clause) -> Decision | None:
    """"urged both sides to respect the truce": news about an existing one only when it is done or broken."""
    if c.kind in {"agreement", "ceasefire"} and c.lemma in RESPECT_VERBS and not c.past and not _negated(c.verb) and not c.agree_chain:
        return Decision(None, "respect")
    return None


def _sanctions(c: _Clause) -> Decision | None:
    """Sanctions are threatened (proposed) or imposed (completed), nothing in between."""
    if c.kind != "sanctions":
        return None
    if c.pobj_of("under"):
        return Decision(None, "sanctions")  # "has been under sanctions for two years": a state, not an act
    if c.tok.dep_ == "pobj" and c.tok.head.lower_ == "of" and c.tok.head.head.lemma_.lower() in SANCTION_DONE_NOUNS:
        return Decision("completed" if not c.modal and not c.future else "proposed", "sanctions")  # "the lifting of the embargo"
    if c.aux & CAPABILITY_MODALS and c.lemma in {"lift", "ease", "remove"}:
        return Decision(None, "sanctions")  # "might lift sanctions": a musing, not a threat
    if c.lemma in SANCTION_PROPOSE_VERBS or c.modal or any(v in SANCTION_PROPOSE_CHAIN for v in c.chain_lemmas[1:3]):
        return Decision("proposed", "sanctions")
    if c.lemma in SANCTION_DONE or c.lemma == "be" and c.past:
        decided = len(c.govs) > 1 and c.govs[1].lemma_.lower() in DECIDE_VERBS and (_is_past(c.govs[1]) or c.govs[1].tag_ in {"VBZ", "VBP"})
        if decided and c.to_infinitive:
            return Decision("completed", "sanctions")  # "the Council voted to extend the embargo"
        if c.future or c.to_infinitive:
            return Decision("proposed", "sanctions")
        return Decision("completed" if (c.past or c.present) else None, "sanctions")
    return Decision(None, "sanctions")


def _talks_or_meeting(c: _Clause) -> Decision | None:
    """Talks and meetings are proposed, planned or held."""
    if c.kind not in {"talks", "meeting"}:
        return None
    lemma, aux = c.lemma, c.aux
    if c.modal and c.dated and lemma in MEETING_START_VERBS and not c.counterfactual and "could" not in aux and "might" not in aux:
        return Decision("planned", "talks or meeting")  # "talks would begin on Monday"
    if c.proposes and not (c.past and lemma not in PROPOSE_VERBS):
        return Decision("planned" if c.future and not c.modal else "proposed", "talks or meeting")
    if c.future or _meeting_ahead(c):
        return Decision("planned", "talks or meeting")
    if c.past or (c.present and lemma in MEETING_HELD_VERBS):
        return Decision("held", "talks or meeting")
    if c.verb.tag_ == "VBG" and any(ch.lower_ in {"is", "are", "were", "was"} for ch in c.verb.children):
        return Decision("held" if lemma not in PREPARE_VERBS else "planned", "talks or meeting")
    return Decision(None, "talks or meeting")


def _meeting_ahead(c: _Clause) -> bool:
    """"will travel to Geneva to meet with", "agreed to meet again in September": a meeting planned by the clause above."""
    if not c.to_infinitive or len(c.govs) < 2:
        return False
    above = c.govs[1]
    lemma = above.lemma_.lower()
    return bool(_auxes(above) & FUTURE_AUX) or (lemma in AGREE_VERBS | PLANNED_CUES and (_is_past(above) or above.tag_ in {"VBZ", "VBP"}))


def _proposal(c: _Clause) -> Decision | None:
    """A proposal is only ever proposed; the question is whether it is one at all."""
    if c.kind != "proposal":
        return None
    if c.past or c.present or c.verb.tag_ == "VBN":
        return Decision("proposed", "proposal")
    return Decision("proposed" if c.lemma in PROPOSE_VERBS else None, "proposal")


# The steps below read agreements, ceasefires and prisoner exchanges (the kinds left).
def _declared_ceasefire(c: _Clause) -> Decision | None:
    """"declared a ceasefire": agreed, or completed when it took effect at once."""
    if c.kind == "ceasefire" and c.lemma == "declare" and (c.past or c.present):
        in_force = re.search(r"\b(effective|immediately|in force|took effect|takes effect)\b", c.sent.text, re.IGNORECASE)
        return Decision("completed" if in_force else "agreed", "declared ceasefire")
    return None


def _in_force(c: _Clause) -> Decision | None:
    """"the truce took effect", "the ceasefire is holding", "the current truce": in force, so completed."""
    if c.kind == "ceasefire" and (c.mods & IN_FORCE_MODIFIERS or re.search(r"\bin (force|effect)\b", " ".join(t.lower_ for t in c.tok.subtree))):
        return Decision("completed", "in force")
    if c.kind == "agreement" and c.lemma in EFFECT_VERBS and (c.past or c.present) and not c.proposes and not c.future and re.search(
            r"\b(effect|force)\b", " ".join(t.lower_ for t in c.verb.subtree)):
        return Decision("completed", "in force")  # "the deal took effect in January"
    if c.kind == "ceasefire" and c.lemma in IN_FORCE_VERBS and (c.past or c.present or c.verb.tag_ == "VBG") and not c.proposes and not c.future:
        if c.lemma in EFFECT_VERBS and not re.search(r"\b(effect|force|hold)\b", " ".join(t.lower_ for t in c.verb.subtree)):
            return None  # "came days after the truce": these verbs mean in force only with effect/force/hold
        return Decision("completed", "in force")
    return None


def _completed(c: _Clause) -> Decision | None:
    """"exchanged prisoners", "implemented the agreement"."""
    if c.kind in {"prisoner_exchange", "agreement"} and c.lemma in COMPLETE_VERBS and c.past and not c.proposes:
        if c.kind == "agreement" and c.lemma not in AGREEMENT_DONE_VERBS:
            return None  # "returned to the agreement" does not complete it
        return Decision("completed", "completed")
    return None


def _exchange_done(c: _Clause) -> Decision | None:
    """A prisoner exchange told with its own verb in the past ("they swapped 300 prisoners")."""
    if c.kind == "prisoner_exchange" and c.tok.pos_ == "VERB" and (c.past or c.present) and not c.proposes:
        return Decision("completed", "exchange done")  # "Russia and Ukraine exchange 95 prisoners each"
    return None


def _imminent(c: _Clause) -> Decision | None:
    """"are expected to announce a deal on Friday": the deal is agreed, its announcement ahead."""
    if c.kind in {"agreement", "ceasefire"} and c.lemma in ANNOUNCE_VERBS and len(c.govs) > 1 and not _negated(c.verb):
        if c.govs[1].lemma_.lower() in IMMINENT_CUES and not _negated(c.govs[1]):
            return Decision("agreed", "imminent")
    return None


def _participle(c: _Clause) -> Decision | None:
    """"the ceasefire agreed in Minsk", "a deal brokered by Qatar": agreed; "welcomed the agreement": agreed."""
    if c.kind == "prisoner_exchange" and c.lemma in WELCOME_VERBS and (c.past or c.present) and c.tok.dep_ == "dobj":
        return Decision("completed", "participle")  # "welcomed the release of the hostages": they were freed
    if c.kind not in {"agreement", "ceasefire"}:
        return None
    if any(ch.dep_ == "acl" and ch.tag_ in {"VBN", "VBD"} and ch.lemma_.lower() in AGREE_VERBS | MEDIATE_VERBS for ch in c.tok.children):
        return Decision("agreed", "participle")
    if c.lemma in WELCOME_VERBS and (c.past or c.present) and c.tok.dep_ == "dobj":
        return Decision("agreed", "participle")
    return None


def _pause_done(c: _Clause) -> Decision | None:
    """"Russia suspended its air campaign": a side stopped fighting, the pause is in force."""
    if c.kind == "ceasefire" and c.tok.pos_ == "VERB" and c.verb.i == c.tok.i and c.past and not c.proposes:
        return Decision("completed", "pause done")
    return None


def _subject_reference(c: _Clause) -> Decision | None:
    """"the Iran deal will have a positive impact": the subject of a verb that says nothing of its status."""
    known = any(ch.dep_ in {"det", "poss"} and ch.lower_ not in {"a", "an", "any", "no"} for ch in c.tok.children)
    if c.kind in {"agreement", "ceasefire", "prisoner_exchange"} and c.tok.dep_ == "nsubj" and known and c.lemma not in SUBJECT_STATUS_VERBS:
        return Decision(None, "subject reference")  # "the deal will have an impact"; "a truce would have to ..." is a proposal
    neutral = c.lemma not in STATUS_VERBS or (c.lemma == "put" and not any(ch.lower_ == "forward" for ch in c.verb.children))
    if c.kind in {"agreement", "ceasefire"} and c.modal and neutral and any(
            ch.dep_ in {"det", "poss"} and ch.lower_ in {"the", "this", "that", "its", "their"} for ch in c.tok.children):
        return Decision(None, "subject reference")  # "would the repeal of this agreement...": a known deal's consequences
    return None


def _proposed(c: _Clause) -> Decision | None:
    if c.proposes and not (c.agree_chain and not c.modal):
        return Decision("proposed", "proposed")
    return None


def _agreed(c: _Clause) -> Decision | None:
    if c.lemma in AGREE_VERBS and (c.past or c.present):
        return Decision("agreed", "agreed")
    return None


def _agreed_chain(c: _Clause) -> Decision | None:
    return Decision("agreed", "agreed chain") if c.agree_chain else None


def _future(c: _Clause) -> Decision | None:
    """"will sign a deal": agreed if someone agreed to it, else proposed."""
    if c.future:
        return Decision("agreed" if "agree" in c.chain_lemmas else "proposed", "future")
    return None


def _reached(c: _Clause) -> Decision | None:
    """"an agreement was reached", "they have a deal"."""
    if c.kind == "agreement" and (c.past or c.present) and c.lemma in REACH_VERBS and c.tok.dep_ in {"nsubjpass", "dobj"}:
        return Decision("agreed", "reached")
    return None


STATUS_STEPS: tuple[tuple[str, _Step], ...] = (
    ("violation", _violation),
    ("reference", _reference),
    ("no governing verb", _no_governing_verb),
    ("failure or cancellation", _failure),
    ("frayed", _frayed),
    ("rejection", _rejection),
    ("negation", _negation),
    ("negated noun", _negated_noun),
    ("hypothetical", _hypothetical),
    ("opinion", _opinion),
    ("broken", _broken),
    ("respect", _respect),
    ("sanctions", _sanctions),
    ("talks or meeting", _talks_or_meeting),
    ("proposal", _proposal),
    ("declared ceasefire", _declared_ceasefire),
    ("in force", _in_force),
    ("completed", _completed),
    ("exchange done", _exchange_done),
    ("imminent", _imminent),
    ("participle", _participle),
    ("pause done", _pause_done),
    ("subject reference", _subject_reference),
    ("proposed", _proposed),
    ("agreed", _agreed),
    ("agreed chain", _agreed_chain),
    ("future", _future),
    ("reached", _reached),
)


def decide_status(tok: Token, kind: str, sent: Span) -> Decision:
    """The first step of STATUS_STEPS that decides; no step: no status."""
    clause = _Clause(tok, kind, sent)
    for _name, step in STATUS_STEPS:
        decision = step(clause)
        if decision is not None:
            return decision
    return Decision(None, "none")


class MilestoneExtractor:
    # -- triggers -------------------------------------------------------------------------------
    def _trigger(self, tok: Token, sent: Span, has_swap: bool) -> str | None:
        """The milestone kind a token names, or None."""
        if tok.lower_ == "fire" and tok.i > 1 and tok.doc[tok.i - 1].text in {"-", "\u2010", "\u2011"} and tok.doc[tok.i - 2].lower_ == "cease":
            return "ceasefire"  # "cease - fire", as tokenised copy writes it
        if tok.pos_ in {"NOUN", "PROPN", "ADJ"} and (tok.lower_ in NOUN_TRIGGERS or tok.lemma_.lower() in NOUN_TRIGGERS):
            return self._noun_trigger(tok, sent, has_swap)
        if tok.pos_ == "VERB":
            return self._verb_trigger(tok, sent, has_swap)
        return None

    def _noun_trigger(self, tok: Token, sent: Span, has_swap: bool) -> str | None:
        low, lemma = tok.lower_, tok.lemma_.lower()
        doc = tok.doc
        if tok.pos_ == "PROPN" and tok.ent_type_ != "" and low not in NAME_TRIGGERS:
            return None  # part of a name ("Peace Agreement Street", "Geneva Accords" handled as background)
        if tok.pos_ == "ADJ" and low not in NAME_TRIGGERS:
            return None
        kind = NOUN_TRIGGERS.get(low) or NOUN_TRIGGERS[lemma]
        mods = {c.lower_ for c in tok.children} | {doc[tok.i - 1].lower_ if tok.i else ""} | {doc[tok.i - 2].lower_ if tok.i > 1 else ""}
        if low in QUALIFIED_NOUNS or lemma in QUALIFIED_NOUNS:
            # the lemma: "calls", "plans" need their qualifier as "call", "plan" do
            if not self._qualified(tok, lemma if lemma in QUALIFIED_NOUNS else low, mods, sent, has_swap):
                return None
        if kind == "prisoner_exchange" and low == "swap" and not _has_prisoner_context(sent, has_swap):
            return None
        if kind == "talks" and any(c.lower_ in NON_PEACE_TALKS for c in tok.children):
            return None
        subject_matter = [*(c for c in tok.children if c.dep_ in {"compound", "amod", "nmod"}),
                          *(g for c in tok.children if c.dep_ == "prep" and c.lower_ in {"on", "over"} for g in c.children if g.dep_ == "pobj")]
        if kind == "agreement" and any(c.lemma_.lower() in NON_PEACE_AGREEMENTS for c in subject_matter):
            return None  # "the Paris climate accord", "a trade deal"
        if kind == "meeting" and any(c.lower_ in NON_PEACE_MEETINGS for c in tok.children):
            return None
        if kind == "sanctions" and re.search(r"\b(club|league|fifa|uefa|football|player|referee|athlete|olympic)\b", sent.text, re.IGNORECASE):
            return None
        return kind

    def _verb_trigger(self, tok: Token, sent: Span, has_swap: bool) -> str | None:
        lemma = tok.lemma_.lower()
        kind = VERB_TRIGGERS.get(lemma)
        if lemma in PHONE_VERBS and any(c.lower_ in CALL_MODIFIERS for c in tok.subtree if c.head.head.i == tok.i or c.head.i == tok.i) \
                and any(c.dep_ == "prep" and c.lower_ == "with" for c in tok.children):
            return "meeting"  # "spoke by phone with Putin": a call
        if lemma in STOP_VERBS and any(_hostile(c) for c in tok.children if c.dep_ in {"dobj", "xcomp"}):
            return "ceasefire"  # "agreed to stop targeting each other", "suspended its air campaign"
        if kind is None:
            return None
        if any(a.lemma_.lower() in REFUSAL_NOUNS for a in list(tok.ancestors)[:2]):
            return None
        objects = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"} or (c.dep_ == "npadvmod" and kind == "prisoner_exchange")]
        if kind == "prisoner_exchange":
            if not any(PRISONER_WORDS.search(tok.doc[o.left_edge.i : o.right_edge.i + 1].text) for o in objects):
                return None
            if lemma in {"release", "free"} and _unilateral(sent):
                return None  # an amnesty, a government freeing its own prisoners: no exchange
        if kind == "meeting" and not any(c.dep_ in {"nsubj", "dobj", "prep", "nsubjpass"} for c in tok.children):
            return None
        if kind == "meeting" and any(c.dep_ == "dobj" and c.lemma_.lower() in NOT_MET_OBJECTS for c in tok.children):
            return None
        if kind == "meeting" and any(c.dep_ == "auxpass" for c in tok.children):
            return None  # "they were met with fighter jets": an encounter
        if kind == "talks" and not any(c.dep_ in {"nsubj", "prep"} for c in tok.children):
            return None
        if kind == "talks" and any(c.dep_ == "dobj" for c in tok.children):
            return None  # "negotiated a narrow road", "negotiated a treaty" (read from the noun)
        if kind == "proposal":
            if not objects or any(self._trigger(t, sent, has_swap) for o in objects for t in o.subtree if t.i != tok.i):
                return None
        if kind == "sanctions" and not objects:
            return None
        return kind

    def _qualified(self, tok: Token, low: str, mods: set[str], sent: Span, has_swap: bool) -> bool:
        """Whether a noun that needs a qualifier ("a peace plan", "a phone call") has one."""
        doc = tok.doc
        sub = " ".join(t.lower_ for t in tok.subtree)
        if low in PEACE_PLANS:
            return bool(mods & PEACE_MODIFIERS
                        or re.search(r"\b(peace|end(ing)? the (war|conflict|fighting)|ceasefire|truce|talks|negotiations|settlement|normalis|normaliz|dialogue)\b", sub))
        if low in AGREED_TEXTS:
            gov = _clause_verb(tok)
            return bool(mods & AGREED_TEXT_MODIFIERS or (gov is not None and gov.lemma_.lower() in AGREE_VERBS | {"sign"})
                        or re.search(r"\b(peace|war|ceasefire|truce|hostilities)\b", sub))
        if low in PAUSE_NOUNS:
            return bool(set(sub.split()) & HOSTILITY_WORDS or mods & PAUSE_MODIFIERS)
        if low == "cessation":
            return "hostilities" in sub
        if low == "visit":
            return False
        if low == "dialogue":
            gov = _clause_verb(tok)
            offered = gov is not None and gov.lemma_.lower() in OFFER_VERBS and tok.dep_ == "dobj"
            return bool(offered or mods & DIALOGUE_MODIFIERS or any(c.dep_ == "prep" and c.lower_ in {"with", "between"} for c in tok.children))
        if low == "invitation":
            return bool(re.search(r"\b(to meet|to talks|for talks|summit|meeting)\b", sub))
        if low == "conference":
            return bool(mods & (CALL_MODIFIERS | PEACE_MODIFIERS))  # "a video conference", "a peace conference"
        if low == "call":
            prev = doc[tok.i - 1].lower_ if tok.i > 0 else ""
            return prev in CALL_MODIFIERS or bool(re.search(r"\b(phone|telephone|video)\b", sub))
        if low in EXCHANGE_NOUNS:
            if any(c.lower_ == "of" and any(g.lower_ in NON_PRISONER_EXCHANGES for g in c.children) for c in tok.children):
                return False
            return bool(PRISONER_WORDS.search(sub) or PRISONER_WORDS.search(sent.text) and low != "release" or has_swap and low == "exchange"
                        or (low == "exchange" and re.search(r"\d\s*for\s*\d", sent.text)))
        return True

    def _candidates(self, sent: Span, has_swap: bool) -> list[_Candidate]:
        """Triggers of a sentence, nested ones folded into the trigger they belong to."""
        found = [(tok, kind) for tok in sent if (kind := self._trigger(tok, sent, has_swap))]
        by_token = {tok.i: kind for tok, kind in found}
        dropped: set[int] = set()
        for tok, kind in found:
            outer = _outer_trigger(tok, by_token)
            if outer is None:
                continue
            outer_kind = by_token[outer.i]
            if outer_kind in {"agreement", "proposal"} and kind in SPECIFIC_KINDS:
                by_token[outer.i] = kind  # "an agreement to exchange prisoners" is a prisoner exchange
                dropped.add(tok.i)
            elif outer.pos_ == "VERB" and outer_kind == "proposal":
                dropped.add(outer.i)  # "proposed a truce": the truce, proposed
            else:
                dropped.add(tok.i)  # "an offer of talks", "met to discuss the treaty": read with the outer one
        return [_Candidate(tok, by_token[tok.i]) for tok, _ in found if tok.i not in dropped]

    # -- status ---------------------------------------------------------------------------------
    def _status(self, tok: Token, kind: str, sent: Span) -> str | None:
        """The status of one trigger; see STATUS_STEPS for the steps and their order."""
        return decide_status(tok, kind, sent).status

    # -- the article ----------------------------------------------------------------------------
    def extract(self, doc: Doc, layout: Layout, actors: ActorResult, figures: list[Figure], published: date | None) -> list[Milestone]:
        mentions: list[_MilestoneMention] = []
        has_swap = any(f.kind == "prisoners" for f in figures)
        for sent in doc.sents:
            check()
            if layout.in_title(sent.start_char) or layout.is_excluded(sent.start_char, sent.end_char) or not_news_sentence(sent):
                continue
            conditions = [(sent.start_char + m.start(), sent.start_char + m.end(), m.group(0)) for m in CONDITION_RE.finditer(sent.text)]
            for cand in self._candidates(sent, has_swap or any(m.kind == "prisoner_exchange" for m in mentions)):
                check()
                mention = self._mention(cand, sent, conditions, actors, figures, published, mentions)
                if mention is not None:
                    mentions.append(mention)
        return self._merge(mentions)

    def _mention(self, cand: _Candidate, sent: Span, conditions: list[tuple[int, int, str]], actors: ActorResult,
                 figures: list[Figure], published: date | None, earlier: list[_MilestoneMention]) -> _MilestoneMention | None:
        """One trigger read as a milestone mention, or None when it is a condition, background or generic."""
        tok, kind = cand.tok, cand.kind
        in_condition = any(s <= tok.idx < e for s, e, _ in conditions)
        if in_condition and kind not in SPECIFIC_KINDS:
            return None  # "only after an agreement": the condition of another milestone
        if self._is_background(tok, published) or _not_current(tok):
            return None
        decision = decide_status(tok, kind, sent)
        # in a condition a milestone is only proposed, unless it is in force now ("once the current truce ends")
        status = "proposed" if in_condition and decision.step != "in force" else decision.status
        kind, status = _adjust_kind(tok, kind, status, sent)
        if kind in {"talks", "meeting"} and any(c.lower_ in GENERIC_MODIFIERS for c in tok.children) and not find_date_expressions(sent.text):
            return None  # "in future negotiations", "before any meeting": generic, not a milestone
        mention = _MilestoneMention(kind, status, tok, sent)
        mention.weak = tok.dep_ == "pobj" and tok.head.lower_ in HELD_PREPS
        mention.condition = next((c.strip(" ,") for s, e, c in conditions if s > tok.idx and c.lower().startswith(CONDITION_OPENERS)), None)
        places = actors.starting_in(sent.start_char, sent.end_char, "place")
        mention.location = self._location(tok, places)
        named = self._parties(tok, sent, kind, actors, mention.location)
        mention.parties, mention.participants = named.parties, named.participants
        mention.mediators = self._mediators(sent, actors)
        mention.parties = [p for p in mention.parties if p not in mention.mediators] or mention.parties
        if not mention.parties:
            mention.parties = _antecedent_parties(tok, kind, earlier)
        venue = _venue_named(tok, actors.starting_in(sent.start_char, sent.end_char))  # a capital may be read as its state
        diplomacy = credible(kind, mention.parties, mention.location, tok, actors, affiliations(sent, actors), venue=venue)
        if not diplomacy.ok or (kind == "agreement" and is_business(tok, sent)):
            return None  # not diplomacy: a candidate's fundraisers, a company's takeover
        mention.date = self._date(tok, sent, published, status)
        if kind == "prisoner_exchange":
            counts = [f.count for f in figures if f.kind == "prisoners" and sent.start_char <= f.start < sent.end_char]
            mention.count = counts[0] if counts else None
        return mention

    def _is_background(self, tok: Token, published: date | None) -> bool:
        """'the 1994 memorandum', 'the Minsk agreements signed in 2015', 'thirty years after the accords'."""
        year = published.year if published else 10_000
        govs = _governors(tok, 2)
        if any(v.lemma_.lower() in NEW_DEVELOPMENT or (v.lemma_.lower(), _particle(v)) in FAIL_PHRASES for v in govs[:1]):
            return False  # "pulled out of the 2015 deal" is news about an old deal
        if tok.dep_ == "pobj" and tok.head.head.lemma_.lower() in VIOLATION_NOUNS:
            return False
        near = [*tok.children, *(tok.doc[i] for i in range(max(0, tok.i - 3), tok.i))]
        for c in near:
            if YEAR_RE.match(c.text) and int(c.text) < year:
                return True
            if c.dep_ == "prep" and c.lower_ in {"in", "of"} and any(YEAR_RE.match(g.text) and int(g.text) < year for g in _own_words(c)):
                return True
        verb = _clause_verb(tok)
        if verb is not None:
            for c in verb.children:
                if c.dep_ == "prep" and c.lower_ in {"in", "since"} and any(YEAR_RE.match(g.text) and int(g.text) < year for g in c.subtree):
                    return True
            for anc in [verb, *verb.ancestors]:
                for marker in [anc, *(c for c in anc.children if c.dep_ == "mark")]:
                    if marker.lower_ in {"after", "since"} and marker.dep_ in {"prep", "mark"}:
                        left = tok.doc[max(marker.i - 3, 0) : marker.i + 1].text
                        if LONG_AGO_RE.search(left):
                            return True
        for c in tok.children:
            if c.dep_ in {"relcl", "acl"} and LONG_AGO_RE.search(" ".join(t.text for t in c.subtree)):
                return True  # "negotiations that began more than three years ago"
        return False

    def _location(self, tok: Token, places: list[Mention]) -> str | None:
        if not places:
            return None
        doc = tok.doc
        locative = [p for p in places if p.token_start > 0 and doc[p.token_start - 1].lower_ in {"in", "at", "near"}]
        pool = locative or []
        if not pool:
            return None
        return min(pool, key=lambda p: abs(p.token_start - tok.i)).name

    def _mediators(self, sent: Span, actors: ActorResult) -> list[str]:
        out = []
        for m in re.finditer(r"\b(?:mediated|brokered|hosted|facilitated|organised|organized) by\s+(?:the\s+)?([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,3})", sent.text):
            start = sent.start_char + m.start(1)
            mention = next((x for x in actors.mentions if x.what == "actor" and x.start == start), None)
            if mention:
                actor = actors.by_name(mention.name)
                out.append(actor.country if actor and actor.kind == "person" and actor.country else mention.name)
        return out

    def _date(self, tok: Token, sent: Span, published: date | None, status: str | None) -> str | None:
        if published is None:
            return None
        text = sent.text
        rel = (tok.idx - sent.start_char)
        offset = relative_offset(text[:rel])
        exprs = [(s, e, x) for s, e, x in find_date_expressions(text)]
        future = status in {"planned", "proposed"}
        if offset is not None:
            anchor_exprs = [x for s, e, x in exprs if s < rel]
            anchor = resolve_expression(anchor_exprs[0], published) if anchor_exprs else published
            if anchor is None:
                anchor = published
            return (anchor - timedelta(days=offset)).isoformat()
        # Only a date written in the trigger's own clause dates it: in "The Kremlin on
        # Saturday said a meeting would be possible", Saturday dates the statement.
        clause = _clause_verb(tok)
        doc = tok.doc
        own = []
        for s, e, x in exprs:
            span = doc.char_span(sent.start_char + s, sent.start_char + e, alignment_mode="expand")
            if span is None:
                continue
            if clause is None or _clause_verb(span.root) in {clause, tok} or span.root.head.i == tok.i:
                own.append((s, e, x))
        if not own:
            return None
        nearest = min(own, key=lambda x: abs(x[0] - rel))
        resolved = resolve_expression(nearest[2], published, future=future)
        return resolved.isoformat() if resolved else None

    def _merge(self, mentions: list[_MilestoneMention]) -> list[Milestone]:
        out: list[Milestone] = []
        for g in _group_mentions(mentions):
            milestone = _milestone_of(g)
            if milestone is not None:
                out.append(milestone)
        return out

    def _parties(self, tok: Token, sent: Span, kind: str, actors: ActorResult, location: str | None) -> _Named:
        """The sides of a milestone, from the syntax around its trigger.

        "talks between X and Y" names the sides outright; otherwise the governing verb's
        subject, the trigger's possessor or adjective ("Pakistan's offer", "a U.S. offer"),
        and its partners ("with X", sanctions "on X"). Mediators, hosts, speakers, media and
        places ("in Gaza, Sudan and Qatar") are not parties.
        """
        finder = _PartyFinder(tok, sent, kind, actors)
        sides = finder.between_sides()
        if sides is not None:
            return self._normalise_parties(sides, kind, tok, sent, actors)
        finder.from_verb()
        finder.from_trigger()
        finder.from_proposer()
        if kind in {"talks", "meeting"} and len(finder.found) == 1:
            finder.speaker_of_partner()
        if not finder.found:
            finder.everyone_but(location)
        return self._normalise_parties(finder.found, kind, tok, sent, actors)

    def _normalise_parties(self, names: list[str], kind: str, tok: Token, sent: Span, actors: ActorResult) -> _Named:
        """Canonical parties: people and government bodies act for their states (the people stay as participants)."""
        persons = {a.name for a in actors.actors if a.kind == "person"}
        by_name = {a.name: a for a in actors.actors}
        out: list[str] = []
        running = candidates(tok.doc, actors)
        for n in names:
            actor = by_name.get(n)
            value = n
            if n in running:
                pass  # a candidate speaks for his campaign, not his state
            elif actor is not None:
                if actor.kind == "person" and actor.country:
                    value = actor.country
                elif actor.kind == "organization":
                    value = parent_body(actor.name) or (actor.country if actor.country and is_state_body(actor.name) else n)
            elif (entry := load_knowledge().lookup(n)) is not None and entry.kind == "person" and entry.country:
                value = entry.country  # a known leader the actors stage left unnamed
                persons.add(n)
            if value and value not in out:
                out.append(value)
        participants = [n for n in names if n in persons] if kind in {"meeting", "talks"} else []
        return _Named(out, participants)



def _antecedent_parties(tok: Token, kind: str, earlier: list[_MilestoneMention]) -> list[str]:
    """"The talks lasted two hours": the talks named earlier in the article, with their sides."""
    if not any(c.dep_ in {"det", "poss"} and c.lower_ in {"the", "this", "these", "those", "their"} for c in tok.children):
        return []
    for m in reversed(earlier):
        if m.kind == kind and len(m.parties) >= 2:
            return list(m.parties)
    return []


def _venue_named(tok: Token, places: list[Mention]) -> bool:
    """Talks "in Vienna", or a delegation that "will travel to Doha for talks": a city where the other side is."""
    k = load_knowledge()
    cities = {p.token_start for p in places if k.city(p.text) is not None and not k.countries.get(p.text)}
    verb = _clause_verb(tok)
    heads = [tok, *([verb] if verb is not None else [])]
    return any(c.dep_ == "prep" and c.lower_ in {"in", "to"} and any(g.i in cities for g in c.children) for h in heads for c in h.children)


def _own_words(head: Token) -> list[Token]:
    """The subtree of `head` less its relative clauses ("the Council, which has not met since 2014")."""
    out = []
    for g in head.subtree:
        between = [a for a in g.ancestors if a.i != head.i and head.i in {x.i for x in a.ancestors}]
        if g.dep_ != "relcl" and not any(a.dep_ == "relcl" for a in between):
            out.append(g)
    return out


def _not_current(tok: Token) -> bool:
    """Not an event of the news: a comparison, part of a unit's name, a past period, a description of someone."""
    if any(c.lower_ in COMPARISON_WORDS | HISTORY_MODIFIERS for c in tok.children if c.dep_ in {"amod", "det"}):
        return True  # "the same deal the administration gave Indonesia", "several ceasefires have failed"
    for c in tok.children:
        if c.dep_ == "acl" and c.tag_ == "VBN" and (any(YEAR_RE.match(g.text) for g in c.subtree) or re.search(
                r"\bWorld War\b", " ".join(g.text for g in c.subtree))):
            return True  # "the agreement, signed in 1994, ..."
    if tok.dep_ == "appos" and tok.head.pos_ == "PROPN":
        return True  # "the Geneva Conventions, a treaty ratified by 196 nations": what a named text is
    if tok.dep_ == "compound" and tok.head.lemma_.lower() in NAME_HEADS:
        return True  # "the negotiations affairs department", "ceasefire monitors"
    verb = _clause_verb(tok)
    chain = [verb, *list(verb.ancestors)[:3]] if verb is not None else []
    for v in chain:
        for c in v.children:
            if c.lemma_.lower() in PAST_PERIODS and any(g.lower_ == "last" for g in c.children):
                return True  # "last year after a ceasefire broke down"
            if c.dep_ == "prep" and c.lower_ == "in" and any(g.lower_ == "past" for g in c.children):
                return True  # "has boasted in the past of his meetings"
            if c.dep_ in {"npadvmod", "dobj"} and any(g.lower_ == "times" for g in c.subtree):
                return True  # "have met dozens of times": a habit, not an event
    for anc in [tok, *list(tok.ancestors)[:4]]:
        if anc.dep_ == "relcl" and any(c.lower_ in {"who", "whom"} for c in anc.children) and not find_date_expressions(
                " ".join(t.text for t in anc.subtree)):
            return True  # "Kerry, who is trying to negotiate a truce": a description of someone
    return False


def _adjust_kind(tok: Token, kind: str, status: str | None, sent: Span) -> tuple[str, str | None]:
    """Kinds the status reveals: an accepted proposal is an agreement, a failed deal beside a truce is the truce."""
    gov = _clause_verb(tok)
    if kind == "proposal" and gov is not None and gov.lemma_.lower() in ACCEPT_VERBS and _is_past(gov):
        kind, status = "agreement", "agreed"  # "agreed to the EU-backed plan"
    if kind == "agreement" and status == "failed" and any(t.lower_ in TRUCE_WORDS for t in sent):
        kind = "ceasefire"  # "a violation of the deal" where the deal is the truce
    if kind in {"talks", "meeting"} and status in {"proposed", "planned"} and any(v.lemma_.lower() in OFFER_VERBS for v in _governors(tok, 2)):
        kind, status = "proposal", "proposed"  # "offered Moscow a renewed dialogue", "offered to hold talks": one side's offer
    return kind, status


def _group_mentions(mentions: list[_MilestoneMention]) -> list[list[_MilestoneMention]]:
    """Mentions of one storyline: same kind, and parties that do not contradict."""
    groups: list[list[_MilestoneMention]] = []
    for m in mentions:
        home = None
        for g in groups:
            if g[0].kind != m.kind:
                continue
            ps = set().union(*(set(x.parties) for x in g))
            # One storyline per kind unless both sides name different parties; a bare
            # reference ("after the meeting") joins only a group that is itself unnamed.
            if m.weak and not m.parties and ps:
                continue
            if len(m.parties) < 2 or len(ps) < 2 or set(m.parties) <= ps or ps <= set(m.parties):
                home = g
                break
        if home is None:
            groups.append([m])
        else:
            home.append(m)
    return groups


def _milestone_of(g: list[_MilestoneMention]) -> Milestone | None:
    """One milestone from a group: the most advanced asserted status, details filled from the rest."""
    asserted = [m for m in g if m.status is not None and not m.weak] or [m for m in g if m.status is not None]
    if not asserted:
        return None
    best = max(asserted, key=lambda m: (STATUS_RANK[m.status or "proposed"], -m.trigger.i))
    parties: list[str] = []
    for m in [best] + g:
        for p in m.parties:
            if p not in parties:
                parties.append(p)
    if best.kind == "meeting":
        parties = [p for p in best.parties] or parties
    participants: list[str] = []
    for m in [best] + g:
        participants.extend(p for p in m.participants if p not in participants)
    sent = best.sent
    expected = None
    for m in g:
        if m.trigger.i != best.trigger.i and m.status in {"planned", "proposed"} and m.date and STATUS_RANK[best.status or "proposed"] > STATUS_RANK[m.status]:
            expected = m.date
    return Milestone(
        kind=best.kind, status=best.status or "proposed", sentence=sent.text.strip(),
        start=sent.start_char + (len(sent.text) - len(sent.text.lstrip())), end=sent.end_char,
        parties=parties,
        location=best.location or next((m.location for m in g if m.location), None),
        date=best.date if best.date else next((m.date for m in g if m.date and m.status == best.status), None),
        condition=best.condition or next((m.condition for m in g if m.condition), None),
        count=best.count or next((m.count for m in g if m.count), None),
        expected=expected,
        mediators=sorted({x for m in g for x in m.mediators}),
        participants=participants,
    )


class _PartyFinder:
    """The actors of a trigger's sentence that may be its parties, and the ones found so far (in order)."""

    def __init__(self, tok: Token, sent: Span, kind: str, actors: ActorResult):
        self.tok, self.sent, self.kind, self.doc, self.actors = tok, sent, kind, tok.doc, actors
        kinds = {a.name: a.kind for a in actors.actors}
        in_sent = [m for m in actors.starting_in(sent.start_char, sent.end_char, "actor") if not m.locative]
        person_starts = {m.token_start for m in in_sent if kinds.get(m.name) == "person"}
        # Media, a person's organisation ("AFP's John Smith") and places are not sides.
        self.in_sent = [m for m in in_sent if kinds.get(m.name) != "media"
                        and not (kinds.get(m.name) == "organization" and m.token_end in person_starts) and not self._locative(m)]
        self.spans = [(m.token_start, m.token_end) for m in self.in_sent]
        self.found: list[str] = []

    def _locative(self, m: Mention) -> bool:
        node = self.doc[m.token_start]
        for anc in list(node.ancestors)[:4]:
            if anc.dep_ == "prep" and anc.lower_ in {"in", "at", "near", "inside", "across", "throughout", "to", "from", "into", "toward", "towards"}:
                return True
            if anc.pos_ in {"VERB", "AUX"} or anc.i == self.tok.i:
                return False
        return False

    def add(self, names: list[str]) -> None:
        for n in names:
            if n not in self.found:
                self.found.append(n)

    def is_attribute(self, m: Mention) -> bool:
        """"two American doctors", "Russian oligarchs": people of a state, not the state."""
        root = self.doc[m.token_end - 1]
        head = root.head.lemma_.lower()
        return (m.token_end - m.token_start == 1 and root.dep_ == "amod" and root.head.i != self.tok.i
                and head not in OFFICIAL_HEADS and head not in NOUN_TRIGGERS)

    def names_in(self, tokens: Iterable[Token]) -> list[str]:
        """Actors named among the tokens, less possessors of a group and mediators of a deal."""
        doc = self.doc
        idx = {t.i for t in tokens}
        out: list[str] = []
        for m in self.in_sent:
            if not any(i in idx for i in range(m.token_start, m.token_end)) or m.name in out:
                continue
            root = doc[m.token_end - 1]
            if root.dep_ == "poss" and any(s <= root.head.i < e for s, e in self.spans if (s, e) != (m.token_start, m.token_end)):
                continue  # "Yemen's Houthis": the group is the party
            if self.is_attribute(m):
                continue
            after = doc[m.token_end : m.token_end + 2].text.lower()
            if re.match(r"^-?\s*(mediated|brokered|backed|hosted|sponsored|facilitated)", after):
                continue  # "a U.S.-mediated deal": the mediator is not a side
            out.append(m.name)
        return out

    def subject_names(self, v: Token) -> list[str]:
        """The subject of v, climbing infinitives and participles ("agreed to exchange")."""
        for _ in range(4):
            subj = [c for c in v.children if c.dep_ in {"nsubj", "nsubjpass", "agent"}]
            if subj:
                names = self.names_in(t for c in subj for t in c.subtree) or known_body(subj[0])
                if names:
                    return names
                if subj[0].lower_ in {"he", "she", "it", "they", "we", "i"}:
                    for anc in v.ancestors:
                        if anc.lemma_.lower() in SPEECH_VERBS:
                            return self.names_in(t for c in anc.children if c.dep_ == "nsubj" for t in c.subtree)
                    if subj[0].lower_ in {"he", "she"}:
                        return self.last_person()
                return []
            if v.dep_ in {"xcomp", "advcl", "acl", "conj", "relcl", "pcomp", "ccomp"} and v.head.i != v.i:
                v = v.head
                for _ in range(len(self.doc)):  # bounded: the root is its own head
                    if v.pos_ in {"VERB", "AUX"} or v.head.i == v.i:
                        break
                    v = v.head
            else:
                break
        return []

    def last_person(self) -> list[str]:
        """"He met with ...": the person last named before the sentence, who "he" most likely is."""
        kinds = {a.name: a.kind for a in self.actors.actors}
        before = [m for m in self.actors.starting_in(0, self.sent.start_char, "actor") if kinds.get(m.name) == "person"]
        return [before[-1].name] if before else []

    def between_sides(self) -> list[str] | None:
        """"talks between X and Y": the sides outright, when there are two or more."""
        for child in self.tok.children:
            if child.dep_ == "prep" and child.lower_ == "between":
                sides = self.names_in(child.subtree)
                if len(sides) >= 2:
                    return sides
        return None

    def from_verb(self) -> None:
        """The governing verb's subject and partners; the invited sides, not the host."""
        tok, kind = self.tok, self.kind
        verb = tok if tok.pos_ == "VERB" else _clause_verb(tok)
        if verb is None:
            return
        lemma = verb.lemma_.lower()
        if lemma in INVITE_VERBS and verb.i != tok.i and tok.head.i != verb.i:  # "called off the meeting" invites nobody
            self.add(self.names_in(t for c in verb.children if c.dep_ == "dobj" for t in c.subtree))
        elif lemma not in SPEECH_VERBS | MEDIATE_VERBS:
            self.add(self.subject_names(verb))
            for child in verb.children:
                if child.dep_ == "prep" and child.lower_ in {"with", "between"}:
                    self.add(self.names_in(child.subtree))
                if tok.pos_ == "VERB" and child.dep_ in {"dobj"} and kind == "meeting":
                    self.add(self.names_in(child.subtree))

    def from_trigger(self) -> None:
        """The trigger's possessor, adjective or compound ("Pakistan's offer"), and "with X" ("sanctions on X")."""
        preps = {"with", "among"} | ({"on", "against"} if self.kind == "sanctions" else set())
        for child in self.tok.children:
            if child.dep_ in {"poss", "amod", "compound", "nmod"}:
                self.add(self.names_in(child.subtree))
            if child.dep_ == "prep" and child.lower_ in preps:
                self.add(self.names_in(child.subtree))

    def speaker_of_partner(self) -> None:
        """"Kerry said the talks with Lavrov had...": the speaker is the other side of his talks "with" someone."""
        if not any(c.dep_ == "prep" and c.lower_ == "with" for c in self.tok.children):
            return
        for anc in list(self.tok.ancestors)[:6]:
            if anc.lemma_.lower() in SPEECH_VERBS:
                self.add(self.names_in(t for c in anc.children if c.dep_ == "nsubj" for t in c.subtree))
                return

    def from_proposer(self) -> None:
        """The proposer behind a bid, draft or measure: "rejected a U.S. bid to extend an embargo"."""
        for anc in list(self.tok.ancestors)[:4]:
            if anc.pos_ == "NOUN" and anc.lemma_.lower() in PROPOSER_NOUNS:
                for child in anc.children:
                    if child.dep_ in {"poss", "amod", "compound", "nmod"}:
                        self.add(self.names_in(child.subtree))

    def everyone_but(self, location: str | None) -> None:
        """Last resort: every actor of the sentence but the place and the speakers."""
        speakers = {n for t in self.sent if t.lemma_.lower() in SPEECH_VERBS for c in t.children if c.dep_ == "nsubj" for n in self.names_in(c.subtree)}
        self.add([m.name for m in self.in_sent if m.name != location and m.name not in speakers and not self.is_attribute(m)])
