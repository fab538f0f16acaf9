"""What a clause says about the practice it mentions: who acts, did it happen, is it hers.

Given a matched token in a parsed sentence, walk from its clause up to the root and decide:
the actor of the clause (the learner, the mentee, the two of them, someone else, people in
general, the essay), its polarity (negated or not), its modality (done, planned, would,
should, if...), and whether the sentence reports theory or literature. Each decision keeps
the id of the rule that made it, so a rejection can always say why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evidencegen.analysis.language import Language, language

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

CLAUSE_DEPS = {"ROOT", "conj", "ccomp", "xcomp", "advcl", "relcl", "acl", "pcomp", "csubj",
               "csubjpass", "parataxis"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}
PERSON_PRONOUNS = {"she", "he", "they", "her", "him", "them"}
PERSON_NOUNS = {"person", "lady", "woman", "man", "girl", "boy", "nurse", "staff", "colleague",
                "coordinator", "lead", "head", "team", "people", "inspector", "worker"}

_QUOTED_PROMPT = re.compile(r"[\"“‘':]\s*([A-Z][a-z]+)\b")

# Actors
LEARNER, PAIR, MENTEE, OTHER, GENERIC, ESSAY, THING = (
    "learner", "pair", "mentee", "someone_else", "generic", "essay", "thing")


@dataclass(frozen=True)
class Who:
    """How to recognise the people of one note."""

    first_person_is_learner: bool  # False in an observation or witness account
    learner_names: frozenset[str]  # lower-case name parts of the learner
    mentee_names: frozenset[str]  # lower-case name parts and initials of her mentees
    she_is: str = "learner"  # in an account by someone else: whom "she"/"he" last referred to


@dataclass(frozen=True)
class Reading:
    """The verdict on one matched span: ``reason`` is None when it is her practice."""

    actor: str
    reason: str | None  # negated, hypothetical, generic, someone_else, literature
    rule: str  # which rule decided (the one that rejected, or the actor rule)
    clause: str  # the text of the clause the decision is about
    agreed: bool = False  # a future clause accepted because the agreeing happened


def is_name(tok: Token, names: frozenset[str]) -> bool:
    """Does the token name one of these people? A one-letter name ("Mentee A") counts only
    as a capital that is not an article: "A said ..." is her, "A carer said ..." is not."""
    low = tok.lower_
    if low not in names:
        return False
    return len(low) > 1 or (tok.text.isupper() and tok.dep_ not in ("det", "predet"))


def clause_head(tok: Token) -> Token:
    """The head of the smallest clause that contains ``tok``."""
    while True:
        if tok.dep_ == "ROOT" or tok.head is tok:
            return tok
        if tok.dep_ in CLAUSE_DEPS and tok.pos_ in ("VERB", "AUX"):
            return tok
        tok = tok.head


def chain(tok: Token) -> list[Token]:
    """Clause heads from ``tok``'s clause up to the root of the sentence."""
    heads = [clause_head(tok)]
    while heads[-1].dep_ != "ROOT" and heads[-1].head is not heads[-1]:
        heads.append(clause_head(heads[-1].head))
    return heads


def clause_text(head: Token) -> str:
    """The clause's words, without the clauses nested in it (for explanations)."""
    nested = {t.i for c in head.children if c.dep_ in CLAUSE_DEPS - {"xcomp"}
              for t in c.subtree}
    words = [t for t in head.subtree if t.i not in nested and (not t.is_punct or t.text == "%")]
    while words and words[-1].dep_ in ("cc", "mark", "punct"):
        words.pop()  # "I explained ... and" -> "I explained ..."
    while words and words[0].dep_ in ("cc", "mark"):
        words.pop(0)
    return " ".join(t.text for t in words)


def subject(head: Token) -> Token | None:
    for child in head.children:
        if child.dep_ in SUBJECT_DEPS:
            return child
    return None


def is_passive(head: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in head.children)


def _agent(head: Token) -> Token | None:
    for child in head.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _names_in(tok: Token) -> set[str]:
    return {t.lower_ for t in tok.subtree if t.pos_ == "PROPN" or t.is_title}


def classify(tok: Token, who: Who, lang: Language | None = None) -> str:
    """Who a subject (or agent) is, with its conjuncts: "my mentee and I" is the pair."""
    lang = lang or language()
    kinds = {_one(t, who, lang) for t in (tok, *tok.conjuncts)}
    people = kinds & {LEARNER, MENTEE}
    if people == {LEARNER, MENTEE} or (LEARNER in kinds and len(kinds) > 1 and OTHER not in kinds):
        return PAIR
    for kind in (LEARNER, MENTEE, PAIR, OTHER, GENERIC, ESSAY):
        if kind in kinds:
            return kind
    return THING


def _one(tok: Token, who: Who, lang: Language) -> str:
    lem, low = tok._.lem, tok.lower_
    det = {c.lower_ for c in tok.children if c.dep_ in ("det", "poss")}
    if low in lang.actors.self or lem in lang.actors.self:
        if not who.first_person_is_learner:
            return PAIR if low in ("we", "us") else OTHER
        return PAIR if low in ("we", "us") else LEARNER
    if is_name(tok, who.mentee_names):
        return MENTEE
    if low in who.learner_names:
        return LEARNER
    if lem in lang.actors.mentee_nouns and det & {"my", "our", "the", "his", "her"}:
        if not who.first_person_is_learner and "my" in det:
            return OTHER
        return MENTEE
    if not who.first_person_is_learner and lem in lang.actors.learner_nouns and "the" in det:
        return LEARNER
    if low in PERSON_PRONOUNS or lem in PERSON_PRONOUNS:
        if who.first_person_is_learner:
            return OTHER if lem == "they" else MENTEE  # her "they": residents, staff...
        return PAIR if lem == "they" else (MENTEE if who.she_is == MENTEE else LEARNER)
    if lem in lang.actors.essay and det & {"this", "my", "the"}:
        return ESSAY
    if low in lang.actors.generic or lem in lang.actors.generic:
        if det & {"my", "our"}:
            return MENTEE if lem in lang.actors.mentee_nouns else OTHER
        return GENERIC
    if lem in lang.actors.others:
        return OTHER
    if tok.pos_ == "PROPN" or tok.ent_type_ == "PERSON":
        return OTHER
    if det & {"my", "our"}:
        return LEARNER if who.first_person_is_learner else OTHER
    if det & {"her", "his"} and not who.first_person_is_learner and lem not in PERSON_NOUNS:
        return LEARNER  # an observer's "her explanations were clear"
    if lem in PERSON_NOUNS:
        return OTHER
    if tok.pos_ == "PRON" and lem in ("it", "this", "that", "which"):
        return THING
    return THING


def last_named(doc: Doc, who: Who) -> str | None:
    """Learner or mentee, whichever the sentence's main subject names, for the next "she"."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    subj = subject(root) if root is not None else None
    if subj is None or subj.lower_ in PERSON_PRONOUNS:
        return None
    low = subj.lower_
    if low in who.learner_names:
        return LEARNER
    if is_name(subj, who.mentee_names):
        return MENTEE
    return None


def actor_of(head: Token, who: Who, lang: Language | None = None) -> tuple[str, str]:
    """(actor, rule) of a clause: its subject, the agent of a passive, or who it inherits."""
    lang = lang or language()
    subj = subject(head)
    if subj is not None and subj.dep_ == "expl":
        return GENERIC, "actor.impersonal"
    if is_passive(head):
        agent = _agent(head)
        if agent is not None:
            return classify(agent, who, lang), "actor.passive_agent"
        owner = next((c for c in subj.children if c.dep_ == "poss"), None) if subj else None
        if subj is not None and (mine := classify(subj, who, lang)) in (LEARNER, PAIR):
            if owner is not None and subj.pos_ == "NOUN" and subj._.lem not in PERSON_NOUNS:
                return mine, "actor.own_passive"  # "our next session is booked for ..."
            return OTHER, "actor.done_to_learner"  # "we were encouraged to ..."
        if owner is not None and classify(owner, who, lang) == OTHER:
            return OTHER, "actor.others_passive"  # "the home's targets were met"
        if any(c.dep_ == "auxpass" and c.tag_ in ("VBZ", "VBP") for c in head.children):
            return GENERIC, "actor.present_passive"  # "regular time is widely recommended"
        return LEARNER, "actor.passive_implicit"  # "her goals were reviewed": by the writer
    if subj is not None:
        kind = classify(subj, who, lang)
        if kind == THING and head._.lem in lang.actors.person_verbs and subj.pos_ != "PRON":
            return LEARNER, "actor.fragment"  # a note's "Goal 2 done", "Plan agreed"
        return kind, "actor.subject"
    if head.tag_ == "VBG" and head.dep_ not in ("xcomp",) and who.first_person_is_learner and any(
            t.lower_ in ("my", "our", "i", "we") for t in head.subtree):
        return LEARNER, "actor.her_own_doing"  # "keeping to our Tuesday slot"
    if head.dep_ == "xcomp" or (head.dep_ == "ccomp" and head.head.pos_ == "VERB"):
        obj = next((c for c in head.head.children if c.dep_ in ("dobj", "dative")), None)
        if head.dep_ == "ccomp" and obj is None:
            pass
        elif obj is not None and obj.pos_ in ("PRON", "PROPN", "NOUN"):
            return classify(obj, who, lang), "actor.object_control"  # "asked her to lead"
        if head.head is not head:
            return actor_of(clause_head(head.head), who, lang)
    if head.dep_ == "conj" and head.head is not head:
        parent = clause_head(head.head)
        found = actor_of(parent, who, lang)
        while found[0] == THING and parent.dep_ != "ROOT" and parent.head is not parent:
            parent = clause_head(parent.head)  # "how it had felt and did not argue"
            found = actor_of(parent, who, lang)
        return found
    if head.dep_ in ("advcl", "acl", "relcl", "pcomp") and head.head is not head:
        parent = clause_head(head.head)
        if parent is not head:
            return actor_of(parent, who, lang)
    if head.dep_ == "ROOT" and head.tag_ == "VB" and head.i == head.sent.start:
        return LEARNER, "actor.imperative"
    return LEARNER, "actor.implicit_writer"  # a note's fragment: "Praised her for ..."


def negated(head: Token, lang: Language | None = None) -> str | None:
    """The negation rule that fires on this clause head, or None."""
    lang = lang or language()
    for child in head.children:
        if lang.negation.neg_dependency and child.dep_ == "neg":
            return f"negation.{child.lower_.replace(chr(39), '')}"
        if child.dep_ == "advmod" and child._.lem in lang.negation.adverbs:
            return f"negation.{child._.lem}"
        if child.dep_ in ("dobj", "nsubjpass", "nsubj", "attr") and any(
                d.dep_ == "det" and d.lower_ in lang.negation.determiners
                for d in child.children):
            return "negation.no_object"
    if head._.lem in lang.negation.postponing or (
            head._.lem == "put" and any(c.lower_ == "off" for c in head.children)):
        return f"negation.{head._.lem}_off" if head._.lem == "put" else \
            f"negation.{head._.lem}"  # "the goals conversation has been put off"
    if head.dep_ in ("xcomp",) and head.head._.lem in lang.negation.governing_verbs:
        return f"negation.{head.head._.lem}_to"
    if head.dep_ == "pcomp" and head.head._.lem in lang.negation.prepositions:
        return f"negation.{head.head._.lem}"
    return None


def _pseudo_negation(doc: Doc, lang: Language) -> bool:
    text = doc.text.lower()
    return any(p in text for p in lang.negation.pseudo)


def modality(head: Token, lang: Language | None = None) -> tuple[str, str] | None:
    """("future"|"hypothetical", rule) when the clause is not a report of something done."""
    lang = lang or language()
    for child in head.children:
        if child.dep_ in ("aux", "auxpass") and child.tag_ == "MD":
            low = child.lower_
            if low in lang.modality.future_modals or child._.lem in lang.modality.future_modals:
                return "future", f"modality.{child._.lem}"
            if low == "could" and head._.lem in lang.modality.perception_verbs:
                continue  # "I could see she was upset": past perception
            if low in lang.modality.hypothetical_modals or child._.lem in \
                    lang.modality.hypothetical_modals:
                return "hypothetical", f"modality.{child._.lem.strip(chr(39)) or low}"
        if child.dep_ == "mark" and child.lower_ in lang.modality.conditional_marks:
            return "hypothetical", f"modality.{child.lower_}"
        if child.dep_ == "advmod" and child.lower_ in lang.modality.hedges:
            return "hypothetical", f"modality.{child.lower_}"
    if head._.lem == "go" and head.tag_ == "VBG" and any(c.dep_ == "xcomp" for c in head.children):
        return "future", "modality.going_to"
    if head._.lem in lang.modality.intent_verbs and head.tag_ in ("VBP", "VBZ") and any(
            c.dep_ == "xcomp" for c in head.children):
        return "hypothetical", f"modality.intent_{head._.lem}"  # "I plan to move ..."
    if head.dep_ in ("xcomp", "ccomp") and head.head is not head and \
            head.tag_ not in ("VBD", "VBZ", "VBP"):  # a finite clause reports, whoever wants
        gov = head.head
        if gov._.lem in lang.modality.intent_verbs:
            return "hypothetical", f"modality.intent_{gov._.lem}"
        if gov._.lem == "go" and gov.tag_ == "VBG":
            return "future", "modality.going_to"
        if gov._.lem == "need" and gov.tag_ in ("VBP", "VBZ", "VB") and head.dep_ == "xcomp":
            return "hypothetical", "modality.need_to"
    return None


def _plan_marker(heads: list[Token], lang: Language) -> str | None:
    """A plan marker ("next time") that modifies this clause, a clause above it, or a
    when/if clause hanging from one of them."""
    doc = heads[0].doc
    text = doc.text.lower()
    opening = text.lstrip(" -*•\"'“")
    for marker in lang.modality.plan_markers:
        if opening.startswith(marker):
            return marker.replace(" ", "_")  # "Next time, ...": the whole sentence is a plan
    in_chain = {h.i for h in heads}
    for marker in lang.modality.plan_markers:
        for m in re.finditer(rf"\b{re.escape(marker)}\b", text):
            tok = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if tok is None:
                continue
            head = clause_head(tok[0])
            if head.i in in_chain or (head.dep_ == "advcl" and head.head.i in in_chain) \
                    or (clause_head(head.head).i in in_chain and head.dep_ == "advcl"):
                return marker.replace(" ", "_")
    return None


def literature(doc: Doc, who: Who, lang: Language | None = None) -> str | None:
    """The literature rule that fires on this sentence, or None."""
    lang = lang or language()
    if lang.literature.citation.search(doc.text):
        return "literature.citation"
    low = doc.text.lower()
    for phrase in lang.literature.phrases:
        if re.search(rf"\b{re.escape(phrase)}\b", low):
            return f"literature.{phrase.replace(' ', '_')}"
    return None


def _reported_by_source(heads: list[Token], who: Who, lang: Language) -> str | None:
    for head in heads[1:]:
        if head._.lem in lang.literature.reporting_verbs:
            subj = subject(head)
            if subj is None:
                continue
            if subj._.lem in lang.literature.sources or (
                    classify(subj, who, lang) == OTHER and subj.pos_ == "PROPN"):
                return f"literature.{head._.lem}"
    return None


def prompt(doc: Doc, lang: Language | None = None) -> str | None:
    """An assignment prompt copied into the note: "Explain how you would ..."."""
    lang = lang or language()
    words = [t for t in doc if not t.is_punct and not t.is_space]
    if not words:
        return None
    first = words[0]
    addressed = any(t.lower_ in ("you", "your", "yourself") for t in doc)
    if first.lower_ in lang.modality.prompt_verbs and addressed and not any(
            t.dep_ in ("nsubj", "nsubjpass") and t.head is first for t in doc):
        return f"prompt.{first.lower_}"
    if doc.text.rstrip().endswith("?") and addressed:
        return "prompt.question"
    quoted = _QUOTED_PROMPT.search(doc.text)
    if quoted and quoted.group(1).lower() in lang.modality.prompt_verbs and addressed:
        return f"prompt.{quoted.group(1).lower()}"
    return None


def read_clause(tok: Token, who: Who, *, agreement: bool = False, negation_ok: bool = False,
                actors: frozenset[str] = frozenset({LEARNER, PAIR}),
                plan_context: bool = False, alone_ok: bool = False) -> Reading:
    """Decide whether the clause holding ``tok`` reports the learner doing it.

    ``agreement``: a future clause counts when the pair (or she) agreed it ("we will meet
    monthly"), since the agreeing is the technique. ``negation_ok``: an honest admission
    ("I forgot ... and told her") still counts. ``plan_context``: the block sits under a
    heading or label such as "Actions" or "Next steps".
    """
    lang = language()
    doc = tok.doc
    heads = chain(tok)
    own = heads[0]
    text = clause_text(own)

    def no(reason: str, rule: str, actor: str = "") -> Reading:
        return Reading(actor or LEARNER, reason, rule, text)

    if rule := literature(doc, who, lang) or _reported_by_source(heads, who, lang):
        return no("literature", rule)
    if rule := prompt(doc, lang):
        return no("hypothetical", rule)
    actor, actor_rule = actor_of(own, who, lang)
    # Negation: in the clause or in any clause it depends on ("I did not try to listen").
    if not _pseudo_negation(doc, lang):
        for i, head in enumerate(heads):
            if i and heads[i - 1].dep_ == "conj":
                continue  # a sibling clause's "not" is not this clause's
            if rule := negated(head, lang):
                if negation_ok:
                    break
                return no("negated", rule, actor)
    # Modality: planned, hoped, conditional, should... An agreement pattern counts a future
    # the two of them (or the mentee) are committed to, or anything under "we agreed".
    agreed = False
    # a clause in the past tense reports what happened, whatever "next time" hangs on
    plan = None if own.tag_ == "VBD" else _plan_marker(heads, lang)
    for i, head in enumerate(heads):
        if i and heads[i - 1].dep_ == "conj" and subject(heads[i - 1]) is not None:
            continue
        found = modality(head, lang)
        if found is None:
            continue
        kind, rule = found
        committed = actor_of(head, who, lang)[0] if i else actor
        if agreement and not plan and (
                _agreed_above(heads, i, lang)
                or (kind == "future" and committed in (PAIR, MENTEE))):
            agreed = True
            continue
        return no("hypothetical", rule, actor)
    if plan and not (agreement and _agreed_above(heads, -1, lang)):
        return no("hypothetical", f"modality.{plan}", actor)
    if plan_context and not agreed and not agreement and own.tag_ not in ("VBD", "VBN"):
        return no("hypothetical", "modality.plan_heading", actor)
    # Who acted: the clause's actor, and no one else directing it from above.
    for head in heads[1:]:
        up, _ = actor_of(head, who, lang)
        if head._.lem in lang.modality.directive_verbs and up in (OTHER, GENERIC):
            return no("someone_else", f"actor.directed_by_{up}", up)
        if head._.lem in lang.literature.reporting_verbs and up == OTHER:
            return no("someone_else", "actor.reported_by_someone_else", up)
        if up == GENERIC and (subj := subject(head)) is not None and subj.dep_ == "expl":
            return no("generic", "actor.impersonal", up)
        if up == GENERIC and any(c._.lem in lang.generic.evaluative_adjectives
                                 for c in head.children if c.dep_ in ("acomp", "attr")):
            return no("generic", "generic.evaluative", up)
    if actor == MENTEE and len(heads) > 1 and heads[1]._.lem in _HELPING and \
            actor_of(heads[1], who, lang)[0] in (LEARNER, PAIR):
        actor, actor_rule = PAIR, "actor.helped_by_her"  # "I helped her talk it through"
    if actor == THING and len(heads) > 1:
        up, _ = actor_of(heads[1], who, lang)
        if up in actors:
            # "I explained that it stays between us": what she said, she did
            actor, actor_rule = up, "actor.content_of_her_clause"
    if actor not in actors:
        if actor in (GENERIC, ESSAY, THING):
            return no("generic", actor_rule if actor != THING else "actor.no_person", actor)
        return no("someone_else", actor_rule, actor)
    if actor == MENTEE and not alone_ok and not _learner_present(doc, who):
        # the mentee alone, with no part by the learner, shows nothing of her mentoring
        return no("someone_else", "actor.mentee_alone", actor)
    if own.tag_ in ("VBP", "VBZ") and actor == PAIR and _generic_we(own):
        return no("generic", "actor.we_in_general", actor)
    return Reading(actor, None, actor_rule, text, agreed)


def _agreed_above(heads: list[Token], i: int, lang: Language) -> bool:
    """A realised agreement ("we agreed", "we have arranged") above clause ``i``."""
    for head in heads[i + 1:] if i >= 0 else heads:
        if head._.lem in lang.modality.agreement_verbs and head.tag_ in ("VBD", "VBN", "VBP") \
                and modality(head, lang) is None and negated(head, lang) is None:
            return True
    return False


_HELPING = {"help", "support", "coach", "guide", "encourage", "get", "let"}
_FIRST_PERSON = {"i", "me", "my", "we", "us", "our", "myself", "ourselves"}


def _learner_present(doc: Doc, who: Who) -> bool:
    """Does the sentence mention the learner (her "I" or "we", or her name)?"""
    if who.first_person_is_learner:
        return any(t.lower_ in _FIRST_PERSON for t in doc)
    return any(t.lower_ in who.learner_names for t in doc)


def _generic_we(head: Token) -> bool:
    """ "As carers we listen to residents" : a present-tense "we" about the profession."""
    return any(t.lower_ in ("carers", "mentors", "professionals", "staff", "workers")
               for t in head.subtree)
