"""Negotiation milestones (PLOVER-style kinds) with a status read from the clause.

Each trigger word (talks, meeting, truce, swap, sanctions...) is a mention. Its status
comes from the verbs that govern it, their particles, tense, modality and negation:
"held talks" -> held; "a meeting would be possible only after..." -> proposed; "called off
the summit" -> rejected; "did not result in a truce" -> no milestone. A trigger nested in
another ("an offer of talks", "an agreement to exchange prisoners") is read with it, not
on its own. Mentions of one kind and the same parties within an article are merged into
one milestone with the most advanced status, so a later "the swap" is a reference to the
agreed swap, not a new one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from spacy.tokens import Doc, Span, Token

from ..models import Figure, Milestone
from .actors import ActorResult, Mention
from .dates import find_date_expressions, relative_offset, resolve_expression
from .layout import Layout
from .syntax import governing_verb as _clause_verb

NOUN_TRIGGERS = {
    "talks": "talks", "negotiations": "talks", "negotiation": "talks",
    "meeting": "meeting", "summit": "meeting", "call": "meeting", "meetings": "meeting", "invitation": "meeting", "visit": "meeting",
    "proposal": "proposal", "plan": "proposal", "offer": "proposal", "initiative": "proposal", "roadmap": "proposal",
    "blueprint": "proposal", "proposals": "proposal",
    "agreement": "agreement", "deal": "agreement", "accord": "agreement", "accords": "agreement", "memorandum": "agreement",
    "treaty": "agreement", "pact": "agreement", "declaration": "agreement", "framework": "agreement", "agreements": "agreement",
    "arrangement": "agreement",
    "ceasefire": "ceasefire", "cease-fire": "ceasefire", "truce": "ceasefire", "armistice": "ceasefire", "ceasefires": "ceasefire",
    "truces": "ceasefire", "cessation": "ceasefire", "halt": "ceasefire", "pause": "ceasefire", "moratorium": "ceasefire",
    "swap": "prisoner_exchange", "exchange": "prisoner_exchange", "release": "prisoner_exchange", "handover": "prisoner_exchange",
    "sanctions": "sanctions", "embargo": "sanctions", "sanction": "sanctions",
}
VERB_TRIGGERS = {
    "negotiate": "talks", "meet": "meeting", "swap": "prisoner_exchange", "exchange": "prisoner_exchange",
    "release": "prisoner_exchange", "free": "prisoner_exchange", "sanction": "sanctions", "propose": "proposal",
}
# Nouns that need a qualifier to mean a milestone: "a peace plan", not "a plan to build a road".
QUALIFIED_NOUNS = {"plan", "offer", "initiative", "framework", "declaration", "roadmap", "blueprint", "arrangement", "halt",
                   "pause", "moratorium", "visit", "invitation", "exchange", "release", "handover", "call", "proposals"}
PRISONER_WORDS = re.compile(r"\b(prisoners?|POWs?|captives?|detainees?|hostages?|servicemen|bodies|war prisoners|abductees)\b", re.IGNORECASE)
HOSTILITY_WORDS = {"hostilities", "fighting", "strikes", "attacks", "shelling", "bombing", "fire", "offensive", "operations", "combat", "war"}
STATUS_RANK = {"proposed": 0, "planned": 1, "held": 2, "rejected": 3, "agreed": 3, "failed": 4, "completed": 4}
SPECIFIC_KINDS = {"ceasefire", "prisoner_exchange", "sanctions"}

FAIL_VERBS = {"collapse", "fail", "stall", "violate", "breach", "founder", "falter", "unravel", "derail", "scuttle", "abandon",
              "suspend", "torpedo", "cancel", "scrap", "quit", "exit", "terminate", "renounce", "boycott", "jeopardize", "jeopardise"}
FAIL_PHRASES = {("call", "off"), ("pull", "out"), ("walk", "out"), ("break", "down"), ("fall", "apart"), ("fall", "through"),
                ("tear", "up"), ("back", "out"), ("break", "off"), ("withdraw", None), ("end", "without")}
REJECT_VERBS = {"reject", "refuse", "dismiss", "rebuff", "decline", "spurn", "veto", "block", "snub", "repudiate"}
REJECT_PHRASES = {("turn", "down"), ("rule", "out"), ("vote", "down"), ("vote", "against"), ("shoot", "down")}
PROPOSE_VERBS = {"propose", "offer", "call", "urge", "suggest", "seek", "push", "want", "hope", "demand", "press", "invite",
                 "consider", "float", "pitch", "ask", "request", "favour", "favor", "envisage", "plan", "prepare", "present",
                 "threaten", "mull", "weigh", "explore", "table", "submit", "draft", "put", "unveil", "outline", "advocate",
                 "insist", "need", "aim", "intend", "try", "attempt", "discuss", "work", "negotiate"}
PROPOSE_ADJ = {"possible", "potential", "proposed", "future", "hypothetical", "draft", "drafted", "prospective", "mooted", "ready", "willing", "open"}
PLANNED_CUES = {"schedule", "set", "due", "slate", "expect", "arrange", "plan"}
AGREE_VERBS = {"agree", "sign", "reach", "strike", "seal", "broker", "clinch", "conclude", "accept", "approve", "finalize",
               "finalise", "result", "produce", "yield", "secure", "declare", "initial", "ink", "endorse", "ratify", "adopt", "forge"}
COMPLETE_VERBS = {"exchange", "swap", "release", "free", "return", "complete", "carry", "implement", "hand", "repatriate",
                  "fulfil", "fulfill", "execute", "finish", "conduct", "take"}
IN_FORCE_VERBS = {"take", "come", "go", "enter", "hold", "begin", "start", "kick", "remain", "last"}
SANCTION_DONE = {"impose", "adopt", "approve", "announce", "introduce", "extend", "slap", "levy", "lift", "ease", "unveil",
                 "expand", "tighten", "renew", "agree", "hit", "target", "reimpose", "restore", "blacklist", "sanction", "roll", "add"}
HELD_PREPS = {"after", "following", "during", "since"}
NEW_DEVELOPMENT = FAIL_VERBS | {"withdraw", "pull", "revive", "resume", "implement", "complete", "extend", "renew", "violate",
                                "breach", "restore", "reinstate", "honour", "honor", "respect", "fulfil", "fulfill", "uphold", "revisit", "renegotiate"}
CONDITION_RE = re.compile(
    r"\b(only after|only if|only when|only once|only as a result of|provided that|on condition that|as long as|unless|upon|if and when|once|if)\b[^.;,\"\u201d]*",
    re.IGNORECASE,
)
YEAR_RE = re.compile(r"^(19|20)\d\d$")
SPEECH_VERBS = {"say", "tell", "announce", "add", "report", "state", "claim", "write", "confirm", "note", "insist", "warn", "believe", "think", "accuse"}
TEMPORAL_PREPS = {"during", "after", "before", "amid", "under", "following", "despite", "since", "until", "ahead"}
REFUSAL_NOUNS = {"refusal", "reluctance", "unwillingness", "rejection"}
READY_WORDS = {"ready", "willing", "prepared", "open", "eager", "keen"}
STOP_VERBS = {"stop", "halt", "cease", "end", "suspend"}
HOSTILE_ACTS = {"targeting", "attacking", "fighting", "firing", "shelling", "attacks", "hostilities", "strikes", "offensive", "bombing", "bombardment"}
LONG_AGO_RE = re.compile(r"\b(\w+|\d+) (years|decades) (after|since|ago)\b|\b(years|decades) (after|ago)\b", re.IGNORECASE)


STATE_BODY_WORDS = re.compile(r"\b(ministry|department|treasury|senate|congress|parliament|government|cabinet|office|presidency|"
                              r"police|state department|white house|kremlin|intelligence|security service|mossad|cia|fsb|sbu|gur|treasury)\b", re.IGNORECASE)
PARENT_BODIES = {
    "european commission": "European Union", "european council": "European Union", "council of the european union": "European Union",
    "european parliament": "European Union", "un security council": "United Nations", "united nations security council": "United Nations",
    "un general assembly": "United Nations", "united nations general assembly": "United Nations",
}


def parent_body(name: str) -> str | None:
    return PARENT_BODIES.get(name.lower())


def is_state_body(name: str) -> bool:
    """A government body acts for its state: "U.S. Treasury" is the United States as a party."""
    return bool(STATE_BODY_WORDS.search(name))


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
    weak: bool = False  # status read only from a reference ("after the meeting"): never outranks an asserted one


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


def _particle(verb: Token) -> str | None:
    for c in verb.children:
        if c.dep_ in {"prt", "prep", "advmod"} and c.lower_ in {"off", "out", "down", "up", "apart", "through", "against", "without"}:
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


class MilestoneExtractor:
    def _trigger(self, tok: Token, sent: Span, has_swap: bool) -> str | None:
        low, lemma = tok.lower_, tok.lemma_.lower()
        doc = tok.doc
        if tok.pos_ in {"NOUN", "PROPN", "ADJ"} and (low in NOUN_TRIGGERS or lemma in NOUN_TRIGGERS):
            if tok.pos_ == "PROPN" and tok.ent_type_ != "" and low not in {"ceasefire", "truce"}:
                return None  # part of a name ("Peace Agreement Street", "Geneva Accords" handled as background)
            if tok.pos_ == "ADJ" and low not in {"ceasefire", "truce"}:
                return None
            kind = NOUN_TRIGGERS.get(low) or NOUN_TRIGGERS[lemma]
            mods = {c.lower_ for c in tok.children} | {doc[tok.i - 1].lower_ if tok.i else ""} | {doc[tok.i - 2].lower_ if tok.i > 1 else ""}
            if low in QUALIFIED_NOUNS or lemma in QUALIFIED_NOUNS:
                if not self._qualified(tok, low, mods, sent, has_swap):
                    return None
            if kind == "prisoner_exchange" and low in {"swap"} and not (PRISONER_WORDS.search(sent.text) or has_swap or re.search(r"\d\s*for\s*\d", sent.text)):
                return None
            if kind == "talks" and any(c.lower_ in {"trade", "budget", "wage", "contract", "coalition", "salary", "merger"} for c in tok.children):
                return None
            if kind == "meeting" and any(c.lower_ in {"board", "shareholders", "farmers", "council", "committee", "club", "party", "cabinet", "general"} for c in tok.children):
                return None
            if kind == "sanctions" and re.search(r"\b(club|league|fifa|uefa|football|player|referee|athlete|olympic)\b", sent.text, re.IGNORECASE):
                return None
            return kind
        if tok.pos_ == "VERB":
            kind = VERB_TRIGGERS.get(lemma)
            if lemma in STOP_VERBS and any(c.lower_ in HOSTILE_ACTS for c in tok.children if c.dep_ in {"dobj", "xcomp"}):
                return "ceasefire"  # "agreed to stop targeting each other"
            if kind is None:
                return None
            if any(a.lemma_.lower() in REFUSAL_NOUNS for a in list(tok.ancestors)[:2]):
                return None
            objects = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}]
            if kind == "prisoner_exchange":
                if not any(PRISONER_WORDS.search(doc[o.left_edge.i : o.right_edge.i + 1].text) for o in objects):
                    return None
            if kind == "meeting" and not any(c.dep_ in {"nsubj", "dobj", "prep", "nsubjpass"} for c in tok.children):
                return None
            if kind == "meeting" and any(c.dep_ == "dobj" and c.lemma_.lower() in {"demand", "need", "target", "standard", "requirement", "deadline", "expectation", "criterion"} for c in tok.children):
                return None
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
        return None

    def _qualified(self, tok: Token, low: str, mods: set[str], sent: Span, has_swap: bool) -> bool:
        doc = tok.doc
        sub = " ".join(t.lower_ for t in tok.subtree)
        if low in {"plan", "offer", "initiative", "framework", "roadmap", "blueprint", "proposals"}:
            return bool(mods & {"peace", "ceasefire", "truce", "settlement", "point", "20-point", "12-point", "10-point", "joint", "political", "normalisation", "normalization"}
                        or re.search(r"\b(peace|end(ing)? the (war|conflict|fighting)|ceasefire|truce|talks|negotiations|settlement|normalis|normaliz|dialogue)\b", sub))
        if low in {"declaration", "arrangement"}:
            gov = _clause_verb(tok)
            return bool(mods & {"joint", "peace", "ceasefire"} or (gov is not None and gov.lemma_.lower() in AGREE_VERBS | {"sign"})
                        or re.search(r"\b(peace|war|ceasefire|truce|hostilities)\b", sub))
        if low in {"halt", "pause", "moratorium"}:
            return bool(set(sub.split()) & HOSTILITY_WORDS or mods & {"humanitarian"})
        if low == "cessation":
            return "hostilities" in sub
        if low in {"visit"}:
            return False
        if low == "invitation":
            return bool(re.search(r"\b(to meet|to talks|for talks|summit|meeting)\b", sub))
        if low == "call":
            prev = doc[tok.i - 1].lower_ if tok.i > 0 else ""
            return prev in {"phone", "telephone", "video"} or bool(re.search(r"\b(phone|telephone|video)\b", sub))
        if low in {"exchange", "release", "handover"}:
            if any(c.lower_ == "of" and any(g.lower_ in {"fire", "views", "letters", "gunfire", "blows", "information", "ideas"} for g in c.children) for c in tok.children):
                return False
            return bool(PRISONER_WORDS.search(sub) or PRISONER_WORDS.search(sent.text) and low != "release" or has_swap and low == "exchange"
                        or (low == "exchange" and re.search(r"\d\s*for\s*\d", sent.text)))
        return True

    def _status(self, tok: Token, kind: str, sent: Span) -> str | None:
        mods = {c.lemma_.lower() for c in tok.children if c.dep_ in {"amod", "compound", "nmod", "advmod"}}
        govs = _governors(tok) if tok.pos_ != "VERB" else [tok, *_governors(tok, 3)]
        if tok.dep_ == "pobj" and tok.head.head.lemma_.lower() in {"violation", "violations", "breach", "breaches"}:
            return "failed" if kind in {"ceasefire", "agreement"} else None
        if tok.dep_ == "pobj" and tok.head.lower_ == "without":
            return None  # "ended without a truce"
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in {"day", "week", "month", "year", "round", "decade", "hour"}:
            return None  # "after ten days of talks", "the next round of talks": a reference, not news
        for anc in list(tok.ancestors)[:4]:
            if anc.dep_ == "prep" and anc.lower_ == "at" and kind in {"talks", "meeting"}:
                return None
        if tok.dep_ == "pobj" and tok.head.lower_ in HELD_PREPS and kind in {"talks", "meeting"}:
            return "held"  # "after talks in Moscow", "during the summit" (a weak mention, see extract)
        if tok.dep_ == "pobj" and tok.head.lower_ in {"at", "before", "ahead", "to"} and kind in {"talks", "meeting"} and tok.head.head.pos_ != "NOUN":
            return None  # "at talks hosted by...": the setting of another event
        if any(c.dep_ == "det" and c.lower_ in {"no"} for c in tok.children):
            return None  # "no agreement was reached"
        if not govs:
            return "proposed" if mods & PROPOSE_ADJ else None
        verb = govs[0]
        lemma = verb.lemma_.lower()
        _particle(verb)
        aux = _auxes(verb)
        # Failure and cancellation.
        for v in govs[:2]:
            vl, vp = v.lemma_.lower(), _particle(v)
            if vl == "end" and kind in {"talks", "meeting"} and v.i == verb.i:
                return "held"  # "the summit ended without agreement": it was held
            failed = vl in FAIL_VERBS or (vl, vp) in FAIL_PHRASES or (vl, None) in FAIL_PHRASES
            if failed and not _negated(v):
                if kind == "meeting" or kind == "proposal":
                    return "rejected"
                if kind == "sanctions":
                    return None
                return "failed" if kind != "prisoner_exchange" else None
            if v.i != verb.i and not failed:
                break
        # Rejection, here or in a governing clause ("turned down an invitation to meet").
        for n, v in enumerate(govs[:3]):
            if n > 0 and govs[n - 1].dep_ not in {"xcomp", "acl", "relcl", "pcomp", "dobj", "pobj"}:
                break
            vl, vp = v.lemma_.lower(), _particle(v)
            if vl in REJECT_VERBS or (vl, vp) in REJECT_PHRASES:
                if kind == "talks":
                    return "failed"
                return "rejected" if kind in {"meeting", "proposal", "agreement", "ceasefire", "sanctions"} else None
        if _negated(verb):
            if lemma in {"attend", "join", "meet", "participate", "take", "go", "travel", "come", "hold"} and kind in {"meeting", "talks"}:
                return "rejected" if kind == "meeting" else "failed"
            if lemma in {"take", "participate", "abide", "honour", "honor", "respect", "observe", "implement", "extend", "renew"} and kind in {"agreement", "ceasefire"}:
                return "failed"  # "would no longer take part in the arrangement"
            return None
        if tok.pos_ != "VERB" and any(c.dep_ == "neg" or c.lower_ == "without" for c in tok.children):
            return None
        if tok.dep_ == "pobj" and tok.head.lower_ == "without":
            return None
        counterfactual = "would" in aux and "have" in aux
        modal = bool(aux & {"would", "could", "might", "may", "should", "can"}) or counterfactual
        chain_lemmas = [v.lemma_.lower() for v in govs]
        ready = any(a.lemma_.lower() in READY_WORDS for a in list(tok.ancestors)[:5])
        proposes = modal or ready or lemma in PROPOSE_VERBS or any(v in PROPOSE_VERBS for v in chain_lemmas[1:3]) or bool(mods & PROPOSE_ADJ)
        if lemma == "be" and any(c.lemma_.lower() in PROPOSE_ADJ for c in verb.children if c.dep_ in {"acomp", "attr"}):
            return "proposed"  # "a meeting was possible only after...": hypothetical whatever the tense
        future = bool(aux & {"will", "shall", "'ll"}) or lemma in PLANNED_CUES or any(v in PLANNED_CUES for v in chain_lemmas[1:3]) or (
            verb.tag_ == "VB" and any(c.lower_ == "to" for c in verb.children) and any(c.lemma_ == "be" and c.dep_ in {"aux"} for c in verb.head.children))
        dated = bool(find_date_expressions(" ".join(t.text for t in verb.subtree)))
        past = _is_past(verb)
        present = verb.tag_ in {"VBZ", "VBP"} and not modal
        agree_chain = any(v in AGREE_VERBS for v in chain_lemmas[1:3]) and any(v.tag_ in {"VBD", "VBN", "VBZ"} for v in govs[1:3])
        if kind == "sanctions":
            if lemma in {"threaten", "consider", "mull", "prepare", "propose", "weigh", "warn", "call", "urge", "seek", "push", "want", "demand"} or modal or any(v in {"threaten", "propose", "warn", "prepare", "consider", "call", "urge"} for v in chain_lemmas[1:3]):
                return "proposed" if not counterfactual else "proposed"
            if lemma in SANCTION_DONE or lemma == "be" and past:
                if future or (verb.tag_ == "VB" and any(c.lower_ == "to" for c in verb.children)):
                    return "proposed"
                return "completed" if (past or present) else None
            return None
        if kind in {"talks", "meeting"}:
            if modal and dated and lemma in {"open", "begin", "start", "take", "be", "hold", "meet", "resume", "convene"} and not counterfactual and "could" not in aux and "might" not in aux:
                return "planned"
            if proposes and not (past and lemma not in PROPOSE_VERBS):
                return "planned" if future and not modal else "proposed"
            if future:
                return "planned"
            if past or (present and lemma in {"begin", "start", "open", "resume", "continue", "hold", "meet"}):
                return "held"
            if verb.tag_ == "VBG" and any(c.lower_ in {"is", "are", "were", "was"} for c in verb.children):
                return "held" if lemma not in {"plan", "prepare", "schedule"} else "planned"
            return None
        if kind == "proposal":
            if past or present or (verb.tag_ == "VBN"):
                return "proposed"
            return "proposed" if lemma in PROPOSE_VERBS else None
        # agreement, ceasefire, prisoner_exchange
        if kind == "ceasefire" and lemma == "declare" and (past or present):
            return "completed" if re.search(r"\b(effective|immediately|in force|took effect|takes effect)\b", sent.text, re.IGNORECASE) else "agreed"
        if kind == "ceasefire" and lemma in IN_FORCE_VERBS and (past or present or verb.tag_ == "VBG") and not proposes and not future:
            if lemma in {"take", "come", "go", "enter"} and not re.search(r"\b(effect|force|hold)\b", " ".join(t.lower_ for t in verb.subtree)):
                pass
            else:
                return "completed"
        if kind in {"prisoner_exchange", "agreement"} and lemma in COMPLETE_VERBS and past and not proposes:
            if kind == "agreement" and lemma not in {"implement", "complete", "fulfil", "fulfill", "carry", "execute", "finish"}:
                pass
            else:
                return "completed"
        if kind == "prisoner_exchange" and tok.pos_ == "VERB" and past and not proposes:
            return "completed"
        if proposes and not (agree_chain and not modal):
            return "proposed"
        if lemma in AGREE_VERBS and (past or present):
            return "agreed"
        if agree_chain:
            return "agreed"
        if future:
            return "agreed" if any(v == "agree" for v in chain_lemmas) else "proposed"
        if kind == "agreement" and (past or present) and lemma in {"reach", "be", "have"} and tok.dep_ in {"nsubjpass", "dobj"}:
            return "agreed"
        return None

    def _is_background(self, tok: Token, published: date | None) -> bool:
        """'the 1994 memorandum', 'the Minsk agreements signed in 2015', 'thirty years after the accords'."""
        year = published.year if published else 10_000
        govs = _governors(tok, 2)
        if any(v.lemma_.lower() in NEW_DEVELOPMENT or (v.lemma_.lower(), _particle(v)) in FAIL_PHRASES for v in govs[:1]):
            return False  # "pulled out of the 2015 deal" is news about an old deal
        if tok.dep_ == "pobj" and tok.head.head.lemma_.lower() in {"violation", "violations", "breach", "breaches"}:
            return False
        near = [*tok.children, *(tok.doc[i] for i in range(max(0, tok.i - 3), tok.i))]
        for c in near:
            if YEAR_RE.match(c.text) and int(c.text) < year:
                return True
            if c.dep_ == "prep" and c.lower_ in {"in", "of"} and any(YEAR_RE.match(g.text) and int(g.text) < year for g in c.subtree):
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

    def _parties(self, tok: Token, sent: Span, kind: str, actors: ActorResult, location: str | None) -> list[str]:
        """The sides of a milestone, from the syntax around its trigger.

        "talks between X and Y" names the sides outright; otherwise the governing verb's
        subject, the trigger's possessor or adjective ("Pakistan's offer", "a U.S. offer"),
        and its partners ("with X", sanctions "on X"). Mediators, hosts, speakers, media and
        places ("in Gaza, Sudan and Qatar") are not parties.
        """
        kinds = {a.name: a.kind for a in actors.actors}
        in_sent = [m for m in actors.mentions if m.what == "actor" and not m.locative and sent.start_char <= m.start < sent.end_char]
        person_starts = {m.token_start for m in in_sent if kinds.get(m.name) == "person"}
        doc = tok.doc

        def locative(m: Mention) -> bool:
            node = doc[m.token_start]
            for anc in list(node.ancestors)[:4]:
                if anc.dep_ == "prep" and anc.lower_ in {"in", "at", "near", "inside", "across", "throughout", "to", "from"}:
                    return True
                if anc.pos_ in {"VERB", "AUX"} or anc.i == tok.i:
                    return False
            return False

        in_sent = [m for m in in_sent if kinds.get(m.name) != "media" and not (kinds.get(m.name) == "organization" and m.token_end in person_starts) and not locative(m)]

        spans = [(m.token_start, m.token_end) for m in in_sent]

        def names_in(tokens) -> list[str]:  # type: ignore[no-untyped-def]
            idx = {t.i for t in tokens}
            out: list[str] = []
            for m in in_sent:
                if not any(i in idx for i in range(m.token_start, m.token_end)) or m.name in out:
                    continue
                root = doc[m.token_end - 1]
                if root.dep_ == "poss" and any(s <= root.head.i < e for s, e in spans if (s, e) != (m.token_start, m.token_end)):
                    continue  # "Yemen's Houthis": the group is the party
                after = doc[m.token_end : m.token_end + 2].text.lower()
                if re.match(r"^-?\s*(mediated|brokered|backed|hosted|sponsored|facilitated)", after):
                    continue  # "a U.S.-mediated deal": the mediator is not a side
                out.append(m.name)
            return out

        def subject_names(v: Token) -> list[str]:
            """The subject of v, climbing infinitives and participles ("agreed to exchange")."""
            for _ in range(4):
                subj = [c for c in v.children if c.dep_ in {"nsubj", "nsubjpass", "agent"}]
                if subj:
                    names = names_in(t for c in subj for t in c.subtree)
                    if names:
                        return names
                    if subj[0].lower_ in {"he", "she", "it", "they", "we", "i"}:
                        for anc in v.ancestors:
                            if anc.lemma_.lower() in SPEECH_VERBS:
                                return names_in(t for c in anc.children if c.dep_ == "nsubj" for t in c.subtree)
                    return []
                if v.dep_ in {"xcomp", "advcl", "acl", "conj", "relcl", "pcomp", "ccomp"} and v.head.i != v.i:
                    v = v.head
                    while v.pos_ not in {"VERB", "AUX"} and v.head.i != v.i:
                        v = v.head
                else:
                    break
            return []

        found: list[str] = []

        def add(names: list[str]) -> None:
            for n in names:
                if n not in found:
                    found.append(n)

        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "between":
                sides = names_in(child.subtree)
                if len(sides) >= 2:
                    return self._normalise_parties(sides, kind, tok, sent, actors)
        verb = tok if tok.pos_ == "VERB" else _clause_verb(tok)
        if verb is not None and verb.lemma_.lower() in {"invite", "urge", "press", "call", "ask", "summon", "bring"} and verb.i != tok.i:
            add(names_in(t for c in verb.children if c.dep_ == "dobj" for t in c.subtree))  # the invited sides, not the host
        elif verb is not None and verb.lemma_.lower() not in SPEECH_VERBS | {"mediate", "broker", "host", "facilitate"}:
            add(subject_names(verb))
            for child in verb.children:
                if child.dep_ == "prep" and child.lower_ in {"with", "between"}:
                    add(names_in(child.subtree))
                if tok.pos_ == "VERB" and child.dep_ in {"dobj"} and kind == "meeting":
                    add(names_in(child.subtree))
        for child in tok.children:
            if child.dep_ in {"poss", "amod", "compound", "nmod"}:
                add(names_in(child.subtree))
            if child.dep_ == "prep" and child.lower_ in {"with", "among"} | ({"on", "against"} if kind == "sanctions" else set()):
                add(names_in(child.subtree))
        # The proposer behind a bid, draft or measure: "rejected a U.S. bid to extend an embargo".
        for anc in list(tok.ancestors)[:4]:
            if anc.pos_ == "NOUN" and anc.lemma_.lower() in {"bid", "resolution", "measure", "draft", "motion", "proposal", "plan", "offer", "request"}:
                for child in anc.children:
                    if child.dep_ in {"poss", "amod", "compound", "nmod"}:
                        add(names_in(child.subtree))
        if not found:
            speakers = {n for t in sent if t.lemma_.lower() in SPEECH_VERBS for c in t.children if c.dep_ == "nsubj" for n in names_in(c.subtree)}
            add([m.name for m in in_sent if m.name != location and m.name not in speakers])
        return self._normalise_parties(found, kind, tok, sent, actors)

    def _normalise_parties(self, names: list[str], kind: str, tok: Token, sent: Span, actors: ActorResult) -> list[str]:
        persons = {a.name for a in actors.actors if a.kind == "person"}
        by_name = {a.name: a for a in actors.actors}
        out: list[str] = []
        for n in names:
            actor = by_name.get(n)
            value = n
            if kind != "meeting" and actor is not None:
                if actor.kind == "person" and actor.country:
                    value = actor.country
                elif actor.kind == "organization":
                    value = parent_body(actor.name) or (actor.country if actor.country and is_state_body(actor.name) else n)
            if value and value not in out:
                out.append(value)
        if kind == "meeting" and any(n in persons for n in out):
            out = [n for n in out if n in persons]
        return out

    def _candidates(self, sent: Span, has_swap: bool) -> list[tuple[Token, str]]:
        """Triggers of a sentence, nested ones folded into the trigger they belong to."""
        found = [(tok, kind) for tok in sent if (kind := self._trigger(tok, sent, has_swap))]
        by_token = {tok.i: kind for tok, kind in found}
        out: list[tuple[Token, str]] = []
        dropped: set[int] = set()
        for tok, kind in found:
            outer = None
            for a in tok.ancestors:
                if a.i in by_token:
                    outer = a
                    break
                if a.tag_ in {"VBD", "VBZ", "VBP", "MD"}:
                    break  # a finite verb between them: separate clauses, separate milestones
                if a.dep_ == "prep" and a.lower_ in TEMPORAL_PREPS:
                    break  # "free hostages during a ceasefire": two milestones
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
        for tok, _ in found:
            if tok.i not in dropped:
                out.append((tok, by_token[tok.i]))
        return out

    def extract(self, doc: Doc, layout: Layout, actors: ActorResult, figures: list[Figure], published: date | None) -> list[Milestone]:
        mentions: list[_MilestoneMention] = []
        has_swap = any(f.kind == "prisoners" for f in figures)
        for sent in doc.sents:
            if layout.in_title(sent.start_char) or layout.is_excluded(sent.start_char, sent.end_char):
                continue
            conditions = [(sent.start_char + m.start(), sent.start_char + m.end(), m.group(0)) for m in CONDITION_RE.finditer(sent.text)]
            for tok, kind in self._candidates(sent, has_swap or any(m.kind == "prisoner_exchange" for m in mentions)):
                in_condition = any(s <= tok.idx < e for s, e, _ in conditions)
                if in_condition and kind not in SPECIFIC_KINDS:
                    continue  # "only after an agreement": the condition of another milestone
                if self._is_background(tok, published):
                    continue
                status = "proposed" if in_condition else self._status(tok, kind, sent)
                gov = _clause_verb(tok)
                if kind == "proposal" and gov is not None and gov.lemma_.lower() in {"agree", "accept", "endorse", "sign", "approve"} and _is_past(gov):
                    kind, status = "agreement", "agreed"  # "agreed to the EU-backed plan"
                if kind == "agreement" and status == "failed" and any(t.lower_ in {"truce", "ceasefire", "cease-fire", "armistice"} for t in sent):
                    kind = "ceasefire"  # "a violation of the deal" where the deal is the truce
                if kind in {"talks", "meeting"} and any(c.lower_ in {"future", "any", "further"} for c in tok.children) and not find_date_expressions(sent.text):
                    continue  # "in future negotiations", "before any meeting": generic, not a milestone
                mention = _MilestoneMention(kind, status, tok, sent)
                mention.weak = tok.dep_ == "pobj" and tok.head.lower_ in HELD_PREPS
                mention.condition = next((c.strip(" ,") for s, e, c in conditions if s > tok.idx and c.lower().startswith(("only", "provided", "on condition", "as long", "unless", "upon"))), None)
                places = [m for m in actors.mentions if m.what == "place" and sent.start_char <= m.start < sent.end_char]
                mention.location = self._location(tok, places)
                mention.parties = self._parties(tok, sent, kind, actors, mention.location)
                mention.mediators = self._mediators(sent, actors)
                mention.parties = [p for p in mention.parties if p not in mention.mediators] or mention.parties
                mention.date = self._date(tok, sent, published, status)
                if kind == "prisoner_exchange":
                    counts = [f.count for f in figures if f.kind == "prisoners" and sent.start_char <= f.start < sent.end_char]
                    mention.count = counts[0] if counts else None
                mentions.append(mention)
        return self._merge(mentions)

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
                if len(m.parties) < 2 or len(ps) < 2 or set(m.parties) & ps:
                    home = g
                    break
            if home is None:
                groups.append([m])
            else:
                home.append(m)
        out: list[Milestone] = []
        for g in groups:
            asserted = [m for m in g if m.status is not None and not m.weak] or [m for m in g if m.status is not None]
            if not asserted:
                continue
            best = max(asserted, key=lambda m: (STATUS_RANK[m.status or "proposed"], -m.trigger.i))
            parties: list[str] = []
            for m in [best] + g:
                for p in m.parties:
                    if p not in parties:
                        parties.append(p)
            if best.kind == "meeting":
                parties = [p for p in best.parties] or parties
            sent = best.sent
            expected = None
            for m in g:
                if m.trigger.i != best.trigger.i and m.status in {"planned", "proposed"} and m.date and STATUS_RANK[best.status or "proposed"] > STATUS_RANK[m.status]:
                    expected = m.date
            out.append(Milestone(
                kind=best.kind, status=best.status or "proposed", sentence=sent.text.strip(),
                start=sent.start_char + (len(sent.text) - len(sent.text.lstrip())), end=sent.end_char,
                parties=parties,
                location=best.location or next((m.location for m in g if m.location), None),
                date=best.date if best.date else next((m.date for m in g if m.date and m.status == best.status), None),
                condition=best.condition or next((m.condition for m in g if m.condition), None),
                count=best.count or next((m.count for m in g if m.count), None),
                expected=expected,
                mediators=sorted({x for m in g for x in m.mediators}),
            ))
        return out
