"""Negotiation milestones (PLOVER-style kinds) with a status read from the clause.

Each trigger word (talks, meeting, truce, swap, sanctions...) is a mention. Its status
comes from the verb that governs it and that verb's tense, modality and negation:
"held talks" -> held; "a meeting would be possible only after..." -> proposed;
"did not result in a truce" -> no milestone. Mentions of one kind and the same parties
within an article are merged into one milestone with the most advanced status, so a
later "the swap" is a reference to the agreed swap, not a new one.
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

NOUN_TRIGGERS = {
    "talks": "talks", "negotiations": "talks", "negotiation": "talks", "peace talks": "talks",
    "meeting": "meeting", "summit": "meeting", "call": "meeting", "phone call": "meeting", "meetings": "meeting",
    "proposal": "proposal", "plan": "proposal", "offer": "proposal", "initiative": "proposal", "roadmap": "proposal", "blueprint": "proposal",
    "agreement": "agreement", "deal": "agreement", "accord": "agreement", "accords": "agreement", "memorandum": "agreement",
    "treaty": "agreement", "pact": "agreement", "declaration": "agreement", "framework": "agreement",
    "ceasefire": "ceasefire", "cease-fire": "ceasefire", "truce": "ceasefire", "armistice": "ceasefire", "ceasefires": "ceasefire",
    "truces": "ceasefire", "cessation": "ceasefire",
    "swap": "prisoner_exchange", "exchange": "prisoner_exchange", "release": "prisoner_exchange",
    "sanctions": "sanctions", "embargo": "sanctions", "sanction": "sanctions",
}
VERB_TRIGGERS = {
    "negotiate": "talks", "meet": "meeting", "swap": "prisoner_exchange", "exchange": "prisoner_exchange",
    "release": "prisoner_exchange", "free": "prisoner_exchange", "sanction": "sanctions", "propose": "proposal",
}
PRISONER_WORDS = re.compile(r"\b(prisoners?|POWs?|captives?|detainees?|hostages?|servicemen|soldiers|bodies|civilians held|war prisoners)\b", re.IGNORECASE)
STATUS_RANK = {"proposed": 0, "planned": 1, "held": 2, "rejected": 3, "agreed": 3, "failed": 4, "completed": 4}

FAIL_VERBS = {"collapse", "fail", "stall", "violate", "breach", "break", "founder", "falter", "unravel", "derail", "scuttle", "end", "abandon", "suspend", "torpedo"}
REJECT_VERBS = {"reject", "refuse", "dismiss", "rebuff", "decline", "spurn", "turn", "rule", "deny", "veto"}
PROPOSE_CUES = {"propose", "offer", "call", "urge", "suggest", "seek", "push", "want", "hope", "demand", "press", "invite",
                "consider", "float", "pitch", "ask", "request", "favour", "favor", "support", "back", "welcome", "discuss",
                "explore", "envisage", "plan", "prepare", "vision", "idea", "possible", "potential", "possibility", "future",
                "proposed", "prospect", "would", "could", "might", "may", "should", "ready", "willing", "open", "mull", "threaten", "need"}
FUTURE_CUES = {"will", "shall", "schedule", "due", "set", "expect", "upcoming", "next", "planned", "slate", "arrange", "to"}
AGREE_VERBS = {"agree", "sign", "reach", "strike", "seal", "broker", "clinch", "conclude", "accept", "approve", "finalize",
               "finalise", "result", "produce", "yield", "secure", "declare", "announce", "initial", "ink"}
COMPLETE_VERBS = {"exchange", "swap", "release", "free", "return", "complete", "carry", "implement", "hand", "repatriate", "take", "come", "go", "enter", "hold"}
SANCTION_DONE = {"impose", "adopt", "approve", "announce", "introduce", "extend", "slap", "levy", "lift", "ease", "unveil", "expand", "tighten", "renew", "roll", "agree"}
HELD_VERBS = {"hold", "meet", "take", "begin", "start", "open", "end", "conclude", "wrap", "resume", "convene", "speak", "talk", "host", "attend", "discuss", "negotiate", "result", "produce", "yield", "continue"}
CONDITION_RE = re.compile(
    r"\b(only after|only if|only when|only once|only as a result of|provided that|on condition that|as long as|unless|upon|if and when|once)\b[^.;,\"\u201d]*",
    re.IGNORECASE,
)
YEAR_RE = re.compile(r"^(19|20)\d\d$")


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


def _clause_verb(tok: Token) -> Token | None:
    """The verb that governs a trigger noun (itself if it is a verb)."""
    cur = tok
    for _ in range(6):
        if cur.pos_ in {"VERB", "AUX"}:
            return cur
        if cur.head is cur:
            return None
        cur = cur.head
    return None


def _verb_chain(verb: Token) -> list[Token]:
    chain = [verb]
    cur = verb
    for _ in range(3):
        if cur.dep_ in {"xcomp", "ccomp", "advcl", "conj", "acl", "relcl", "pcomp"} and cur.head is not cur:
            cur = cur.head
            if cur.pos_ in {"VERB", "AUX", "NOUN", "ADJ"}:
                chain.append(cur)
        else:
            break
    return chain


def _is_past(verb: Token) -> bool:
    if verb.tag_ == "VBD":
        return True
    auxes = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    if verb.tag_ == "VBN" and auxes & {"has", "have", "had", "was", "were", "been"}:
        return True
    return bool(verb.tag_ == "VBN" and verb.dep_ in {"acl", "amod"})


def _modality(verb: Token) -> set[str]:
    words = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass", "acomp", "advmod", "neg", "prep", "xcomp", "attr"}}
    words |= {c.lemma_.lower() for c in verb.children if c.dep_ in {"acomp", "attr", "oprd"}}
    return words


class MilestoneExtractor:
    def _trigger(self, tok: Token, sent: Span, has_swap: bool) -> str | None:
        low, lemma = tok.lower_, tok.lemma_.lower()
        if tok.pos_ in {"NOUN", "PROPN"} or (tok.pos_ == "ADJ" and low in {"ceasefire", "truce"}):
            kind = NOUN_TRIGGERS.get(low) or NOUN_TRIGGERS.get(lemma)
            if kind is None:
                return None
            if low == "call" and not re.search(r"\b(phone|telephone|video)\b", sent.text[: tok.idx - sent.start_char + 5], re.IGNORECASE):
                # "a call for talks" is a proposal; a plain "call" with a leader is a phone call.
                prev = tok.doc[tok.i - 1].lower_ if tok.i > 0 else ""
                if not (prev in {"phone", "telephone", "video"} or any(c.lower_ == "with" for c in tok.children)):
                    return None
            if low in {"plan", "offer", "initiative", "framework", "declaration", "roadmap", "blueprint"}:
                mods = {c.lower_ for c in tok.children} | {tok.doc[tok.i - 1].lower_ if tok.i else ""}
                if not mods & {"peace", "ceasefire", "truce", "settlement", "point", "20-point", "12-point", "10-point", "new", "joint"}:
                    return None
            if kind == "prisoner_exchange":
                window = sent.text
                if not (PRISONER_WORDS.search(window) or has_swap or re.search(r"\d\s*for\s*\d", window)):
                    return None
                if low == "exchange" and any(c.lower_ == "of" and any(g.lower_ in {"fire", "views", "letters", "gunfire", "blows"} for g in c.children) for c in tok.children):
                    return None
                if low == "release" and not PRISONER_WORDS.search(window):
                    return None
            if kind == "talks" and low in {"negotiation", "negotiations"} and any(c.lower_ in {"trade", "budget", "wage", "contract", "coalition"} for c in tok.children):
                return None
            if kind == "cessation" and "hostilities" not in sent.text.lower():
                return None
            return kind
        if tok.pos_ == "VERB":
            kind = VERB_TRIGGERS.get(lemma)
            if kind == "prisoner_exchange":
                objs = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}]
                if not any(PRISONER_WORDS.search(o.subtree.__iter__().__next__().doc[o.left_edge.i : o.right_edge.i + 1].text) for o in objs):
                    return None
            if kind == "meeting":
                if not any(c.dep_ in {"nsubj", "dobj", "prep"} for c in tok.children):
                    return None
            if kind == "proposal":
                objs = [c for c in tok.children if c.dep_ == "dobj"]
                if any((NOUN_TRIGGERS.get(o.lower_) or "") not in {"", "proposal"} for o in objs):
                    return None  # "proposed a truce" is a proposed ceasefire, read from the noun
                if not objs:
                    return None
            if kind == "talks" and not any(c.dep_ in {"nsubj", "prep"} for c in tok.children):
                return None
            return kind
        return None

    def _status(self, tok: Token, kind: str, sent: Span) -> str | None:
        # Noun modifiers first: "a possible future ceasefire", "the proposed swap".
        mods = {c.lemma_.lower() for c in tok.children if c.dep_ in {"amod", "compound", "nmod"}}
        verb = _clause_verb(tok)
        negated = any(c.dep_ == "neg" or c.lower_ in {"no", "without"} for c in tok.children)
        prep_head = tok.head if tok.dep_ == "pobj" else None
        if prep_head is not None and prep_head.lower_ in {"without"}:
            negated = True
        if verb is None:
            if mods & {"possible", "proposed", "potential", "future"}:
                return "proposed"
            return None
        chain = _verb_chain(verb)
        lemma = verb.lemma_.lower()
        verb_neg = any(c.dep_ == "neg" for c in verb.children)
        modal = _modality(verb)
        chain_lemmas = {v.lemma_.lower() for v in chain[1:]}
        if tok.dep_ in {"pobj"} and tok.head.lower_ in {"after", "before", "since", "during", "ahead", "following"}:
            return None  # "the morning after the talks": a reference in time
        if lemma in FAIL_VERBS and not verb_neg and kind in {"talks", "agreement", "ceasefire", "meeting", "prisoner_exchange"}:
            if lemma == "end" and not re.search(r"\bend(ed|s)? without\b", sent.text):
                return "held" if kind in {"talks", "meeting"} else None
            if lemma in {"take", "hold"}:
                pass
            else:
                return "failed" if kind != "meeting" else None
        if lemma in REJECT_VERBS or chain_lemmas & REJECT_VERBS:
            if lemma in {"turn"} and not any(c.lower_ == "down" for c in verb.children):
                pass
            elif lemma == "rule" and not any(c.lower_ == "out" for c in verb.children):
                pass
            else:
                return "rejected" if kind in {"meeting", "proposal", "agreement", "ceasefire", "sanctions"} else ("failed" if kind == "talks" else None)
        if negated or verb_neg:
            return None
        if mods & {"possible", "proposed", "potential", "future", "hypothetical"}:
            return "proposed"
        modal_words = modal | {c.lower_ for c in chain[0].children if c.dep_ == "aux"}
        proposes = (modal_words & {"would", "could", "might", "may", "should", "possible", "ready", "willing"}) or (
            chain_lemmas & PROPOSE_CUES) or lemma in PROPOSE_CUES - {"need"}
        if lemma in {"be"} and modal & {"possible"}:
            return "proposed"
        future = bool(modal_words & {"will", "shall"}) or lemma in {"schedule", "plan", "set", "slate", "arrange", "expect", "due"} or chain_lemmas & {"schedule", "plan", "set", "slate", "arrange", "expect", "due", "agree"}
        past = _is_past(verb)
        if kind == "sanctions":
            if lemma in {"threaten", "consider", "mull", "prepare", "propose", "weigh", "warn", "call", "urge"} or chain_lemmas & {"threaten", "consider", "mull", "prepare", "propose", "weigh", "warn"}:
                return "proposed"
            if lemma in SANCTION_DONE and not proposes:
                return "completed" if past or verb.tag_ in {"VBZ", "VBP"} else ("proposed" if future else None)
            if lemma in SANCTION_DONE and proposes:
                return "proposed"
            return None
        if proposes and not (past and lemma in AGREE_VERBS | HELD_VERBS and not modal_words & {"would", "could", "might", "may"}):
            if kind in {"talks", "meeting"} and future and not (modal_words & {"would", "could", "might", "may"}):
                return "planned"
            return "proposed"
        if kind in {"talks", "meeting"}:
            if past or lemma in {"take"} and past:
                return "held"
            if future or verb.tag_ == "VBG" and any(c.lower_ in {"is", "are"} for c in verb.children):
                return "planned"
            if verb.tag_ in {"VBZ", "VBP"} and lemma in {"begin", "start", "open", "resume", "continue"}:
                return "held"
            return "proposed" if kind == "talks" and lemma in {"call", "want"} else None
        if kind in {"agreement", "ceasefire", "prisoner_exchange"}:
            if kind == "prisoner_exchange" and lemma in COMPLETE_VERBS and past:
                return "completed"
            if kind == "ceasefire" and (lemma in {"take", "come", "go", "enter", "hold", "begin", "start"} and (past or verb.tag_ in {"VBZ", "VBP", "VBG"})):
                return "completed"
            if lemma in AGREE_VERBS and (past or verb.tag_ in {"VBZ", "VBP"}):
                return "agreed"
            if chain_lemmas & {"agree", "sign", "reach"} and any(v.tag_ in {"VBD", "VBN", "VBZ"} for v in chain[1:]):
                return "agreed"
            if future:
                return "agreed" if chain_lemmas & {"agree"} else "proposed"
            if kind == "prisoner_exchange" and lemma in COMPLETE_VERBS and verb.tag_ in {"VB"} and any(c.lower_ == "to" for c in verb.children):
                return "proposed"
            return None
        if kind == "proposal":
            if past or verb.tag_ in {"VBZ", "VBP"}:
                return "proposed"
            return None
        return None

    def _parties(self, tok: Token, sent: Span, kind: str, actors: ActorResult, location: str | None) -> list[str]:
        in_sent = [m for m in actors.mentions if m.what == "actor" and not m.locative and sent.start_char <= m.start < sent.end_char]
        persons = {a.name for a in actors.actors if a.kind == "person"}
        countries_of = {a.name: a.country for a in actors.actors}

        kinds = {a.name: a.kind for a in actors.actors}
        person_starts = {m.token_start for m in in_sent if kinds.get(m.name) == "person"}
        # Media are not parties, nor a body named as part of someone's title
        # ("Ukraine's military intelligence Kirillo Budanov").
        in_sent = [m for m in in_sent if kinds.get(m.name) != "media" and not (kinds.get(m.name) == "organization" and m.token_end in person_starts)]

        def names_in(tokens: list[Token]) -> list[str]:
            idx = {t.i for t in tokens}
            out: list[str] = []
            for m in in_sent:
                if any(i in idx for i in range(m.token_start, m.token_end)) and m.name not in out:
                    out.append(m.name)
            return out

        # "between X and Y", "with X".
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in {"between", "with", "among"}:
                found = names_in(list(child.subtree))
                if found:
                    return self._normalise_parties(found, kind, persons, countries_of, tok, sent, actors)
        verb = _clause_verb(tok)
        if verb is not None:
            subj = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass", "agent"}]
            found = names_in([t for s in subj for t in s.subtree])
            for child in verb.children:
                if child.dep_ == "prep" and child.lower_ in {"with", "between"}:
                    found += [n for n in names_in(list(child.subtree)) if n not in found]
            if len(found) >= 2 or (found and kind in {"sanctions", "proposal"}):
                if kind == "sanctions":
                    for child in tok.children:
                        if child.dep_ == "prep" and child.lower_ in {"on", "against"}:
                            found += [n for n in names_in(list(child.subtree)) if n not in found]
                return self._normalise_parties(found, kind, persons, countries_of, tok, sent, actors)
        names = [m.name for m in in_sent]
        ordered: list[str] = []
        for n in names:
            if n not in ordered and n != location:
                ordered.append(n)
        return self._normalise_parties(ordered, kind, persons, countries_of, tok, sent, actors)

    def _normalise_parties(self, names: list[str], kind: str, persons: set[str], countries_of: dict, tok: Token, sent: Span, actors: ActorResult) -> list[str]:
        speakers = set()
        for t in sent:
            if t.lemma_ in {"say", "tell", "add", "write", "announce"} and t.pos_ == "VERB":
                for c in t.children:
                    if c.dep_ == "nsubj":
                        speakers |= {m.name for m in actors.mentions if c.left_edge.i <= m.token_start <= c.right_edge.i}
        out: list[str] = []
        for n in names:
            if kind == "meeting":
                value = n
            elif n in persons:
                if n in speakers:
                    continue
                value = countries_of.get(n) or n
            else:
                value = n
            if value and value not in out:
                out.append(value)
        if kind == "meeting" and any(n in persons for n in out):
            out = [n for n in out if n in persons] or out
        return out

    def extract(self, doc: Doc, layout: Layout, actors: ActorResult, figures: list[Figure], published: date | None) -> list[Milestone]:
        mentions: list[_MilestoneMention] = []
        has_swap = any(f.kind == "prisoners" for f in figures)
        used: set[int] = set()
        for sent in doc.sents:
            if layout.in_title(sent.start_char) or layout.is_excluded(sent.start_char, sent.end_char):
                continue
            conditions = [(sent.start_char + m.start(), sent.start_char + m.end(), m.group(0)) for m in CONDITION_RE.finditer(sent.text)]
            for tok in sent:
                if tok.i in used:
                    continue
                kind = self._trigger(tok, sent, has_swap or any(m.kind == "prisoner_exchange" for m in mentions))
                if kind is None:
                    continue
                if any(s <= tok.idx < e for s, e, _ in conditions):
                    continue  # the condition of another milestone, not news of its own
                if self._is_background(tok, published):
                    continue
                # "agreement to exchange prisoners", "deal on a ceasefire": the deal's subject is the milestone.
                target = self._agreement_subject(tok, sent, has_swap) if kind in {"agreement", "proposal"} else None
                status_tok = tok
                if target is not None:
                    kind, sub = target
                    used.add(sub.i)
                status = self._status(status_tok, kind, sent)
                if target is not None and status is None:
                    status = None
                if kind == "proposal" and tok.pos_ == "VERB":
                    status = "proposed" if status is None else status
                mention = _MilestoneMention(kind, status, tok, sent)
                mention.condition = next((c.strip(" ,") for s, e, c in conditions if s > tok.idx), None)
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

    def _agreement_subject(self, tok: Token, sent: Span, has_swap: bool) -> tuple[str, Token] | None:
        for child in tok.subtree:
            if child.i == tok.i:
                continue
            kind = self._trigger(child, sent, has_swap) if child.pos_ in {"NOUN", "VERB", "ADJ"} else None
            if kind in {"prisoner_exchange", "ceasefire"}:
                return kind, child
        return None

    def _is_background(self, tok: Token, published: date | None) -> bool:
        """'the 1994 memorandum', 'the Minsk agreements signed in 2015'."""
        year = published.year if published else 10_000
        near = [c for c in tok.children] + [tok.doc[i] for i in range(max(0, tok.i - 3), tok.i)]
        for c in near:
            if YEAR_RE.match(c.text) and int(c.text) < year:
                return True
            if c.dep_ == "prep" and c.lower_ in {"in", "of"}:
                if any(YEAR_RE.match(g.text) and int(g.text) < year - 0 for g in c.children):
                    return True
        verb = tok.head if tok.dep_ in {"nsubjpass", "dobj", "nsubj"} else None
        if verb is not None and verb.pos_ == "VERB":
            for c in verb.children:
                if c.dep_ == "prep" and any(YEAR_RE.match(g.text) and int(g.text) < year for g in c.children):
                    return True
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
            if clause is None or _clause_verb(span.root) in {clause, tok} or span.root.head is tok:
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
                # One storyline per kind unless both sides name different parties.
                if len(m.parties) < 2 or len(ps) < 2 or set(m.parties) & ps:
                    home = g
                    break
            if home is None:
                groups.append([m])
            else:
                home.append(m)
        out: list[Milestone] = []
        for g in groups:
            asserted = [m for m in g if m.status is not None]
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
                if m is not best and m.status in {"planned", "proposed"} and m.date and STATUS_RANK[best.status or "proposed"] > STATUS_RANK[m.status]:
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
