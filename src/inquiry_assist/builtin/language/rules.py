"""The language rules: one lexicon-backed rule per subtype, plus scare quotes.

Every lexicon rule shares the context handling in :class:`ClientLanguageRule`:
nothing inside the client's own quoted words, nothing negated ("no hostile
behavior"), nothing that describes another person ("her father is an
alcoholic"), unless the term says otherwise (suicide wording is flagged whoever
it describes). The terms themselves live in the TOML packs beside this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import repeat

from ...annotations import (
    NEGATION_CUE_HINT,
    NEGATION_WINDOW,
    Span,
    find_negations,
    lower_keeping_offsets,
)
from ...lexicon import LexiconHit
from ...model import RuleMeta, Suggestion
from ...rules import Context, Diagnostic, LexiconRule, Rule
from .attribution import (
    about_another_person,
    clause_before,
    self_described,
    subject_is_not_a_person,
)
from .quotes import client_words

__all__ = ["RULES", "ClientLanguageRule"]

_OPEN_NOTES = "Fernández et al. 2021, JGIM (patients reading notes)"


#: this plugin's entry in ``ctx.cache``: a :class:`_DocumentState`
_CACHE_KEY = "inquiry_assist.language"
#: characters that end every negation scope (``find_negations`` stops a scope at the
#: first one after its cue) and that no negation cue contains
_SCOPE_MARKS = ".;:!?"
#: after this many negation questions on one document, one scan of all negation
#: scopes (shared with other plugins through the annotations) is cheaper
_NEGATION_QUESTIONS = 6


class _DocumentState:
    """Per-document work shared by all language rules: the lexicon hits grouped by
    rule, the client-quote index, and the negation scopes already computed around
    earlier hits."""

    __slots__ = ("by_rule", "client", "negation_windows", "questions")

    def __init__(self, ctx: Context) -> None:
        self.by_rule: dict[str, list[LexiconHit]] = {}
        for hit in ctx.lexicon_hits:
            self.by_rule.setdefault(hit.term.rule, []).append(hit)
        self.client = client_words(ctx.annotations)
        self.negation_windows: list[tuple[int, int, list[Span]]] = []
        self.questions = 0

    def hits_for(self, rule: Rule) -> list[LexiconHit]:
        """The hits of the terms that ``rule`` reports (by code or by name)."""
        by_code = self.by_rule.get(rule.meta.code)
        by_name = self.by_rule.get(rule.meta.name)
        if by_code and by_name:
            return sorted(by_code + by_name, key=lambda h: (h.start, h.end))
        return by_code or by_name or []


def _state(ctx: Context) -> _DocumentState:
    state = ctx.cache.get(_CACHE_KEY)
    if not isinstance(state, _DocumentState):
        state = _DocumentState(ctx)
        ctx.cache[_CACHE_KEY] = state
    return state


def _negated(ctx: Context, state: _DocumentState, start: int, end: int) -> bool:
    """``ctx.annotations.negated(start, end)``, answered from the clause before the
    term: most clauses hold no negation cue at all (one regex search says so), and
    the others cost a small window, not a scan of the document; windows already
    computed for earlier terms are reused."""
    ann = ctx.annotations
    if "negations" in ann.__dict__:  # computed already (for another rule)
        return any(s.start < start and end <= s.end for s in ann.negations)
    text = ctx.text
    # only a cue that starts before the term can negate it, and only one after the
    # last clause mark before the term: a scope ends at the first such mark after
    # its cue, and no cue contains one
    low = max(0, start - NEGATION_WINDOW)
    low = max(low, max(map(text.rfind, _SCOPE_MARKS, repeat(low), repeat(start))) + 1)
    if not _may_hold_cue(text, low, start):
        return False
    state.questions += 1
    if state.questions > _NEGATION_QUESTIONS:
        return any(s.start < start and end <= s.end for s in ann.negations)
    scopes: list[Span] | None = None
    for w_low, w_high, found in state.negation_windows:
        if w_low <= low and start <= w_high:
            scopes = found
            break
    if scopes is None:
        scopes = find_negations(text, low, start)
        state.negation_windows.append((low, start, scopes))
    return any(s.start < start and end <= s.end for s in scopes)


def _may_hold_cue(text: str, low: int, high: int) -> bool:
    """Whether a negation cue may start in ``text[low:high]`` (lower-cased as
    :func:`find_negations` does): a quick test that never misses a cue it finds."""
    # the room find_negations gives a cue
    found = NEGATION_CUE_HINT.search(lower_keeping_offsets(text[low : high + 20]))
    return found is not None and found.start() < high - low


class ClientLanguageRule(LexiconRule):
    """A lexicon rule that reports a term only when it is about the client."""

    def check(self, ctx: Context) -> Iterable[Diagnostic]:
        hits = _state(ctx).hits_for(self)
        if not hits:
            return ()
        return [
            Diagnostic(hit.start, hit.end, self.message(hit), hit.suggestions(), hit.term.severity)
            for hit in hits
            if self.keep(hit, ctx)
        ]

    def keep(self, hit: LexiconHit, ctx: Context) -> bool:
        # the base rule's checks, with the client-quote test through an index so
        # that a text with thousands of quotes and hits stays linear-ish; the
        # negation test, the most expensive, runs last
        state = _state(ctx)
        term = hit.term
        if state.client.overlaps(hit.start, hit.end):
            return False
        if term.inflect != "verb" and self_described(ctx.text, hit.start):
            return False  # the client's own label for themself, reported
        if not term.about_others:
            text = ctx.text
            clause = clause_before(text, hit.start)
            if about_another_person(text, hit.start, hit.end, clause):
                return False
            if term.inflect == "verb" and subject_is_not_a_person(text, hit.start, clause):
                return False
        return not (term.negatable and _negated(ctx, state, hit.start, hit.end))


class DoubtMarker(ClientLanguageRule):
    meta = RuleMeta(
        code="L101",
        name="doubt-marker",
        category="language",
        severity="warning",
        summary="Words that cast doubt on the client's account.",
        rationale="Credibility markers (“claims”, “insists”, “alleges”, “supposedly”, "
        "“admits”) tell the next reader not to believe the client. Clinicians who read "
        "notes with such words rate the patient as less credible and treat pain less "
        "aggressively, and clients who read them feel judged. Report what the client "
        "said as the client's report, and your own observations as observations.",
        sources=(
            "Park et al. 2021, JAMA Netw Open (questioning credibility)",
            "Goddu et al. 2018, JGIM",
            "Beach et al. 2021, JGIM (testimonial injustice)",
            "CARE-SD, Walker et al. 2024",
            _OPEN_NOTES,
        ),
        flagged=[
            "Client claims his landlord changed the locks without notice.",
            "She allegedly took every dose while she was away.",
            "He admitted to smoking two cigarettes at the weekend.",
        ],
        clean=[
            "Client reports his landlord changed the locks without notice.",
            "Client asked for help with two insurance claims.",
            "He was admitted to the crisis unit on Friday evening.",
            "WorkCover claim accepted; her case manager is at the insurer.",
        ],
    )


class BlamingLanguage(ClientLanguageRule):
    meta = RuleMeta(
        code="L102",
        name="blaming-language",
        category="language",
        severity="warning",
        summary="Words that frame the client as at fault for not following the plan.",
        rationale="“Refused”, “non-compliant”, “failed to”, “resistant” and “in denial” cast "
        "a treatment decision or a barrier as a moral failing. They invite the next "
        "clinician to take a disciplinary stance, and they hide the reason (cost, side "
        "effects, ambivalence) that would be worth exploring together. Describe what "
        "happened and why, in neutral words such as “declined” or “has not taken”.",
        sources=(
            "Park et al. 2021, JAMA Netw Open (disapproval)",
            "Sun et al. 2022, Health Affairs (non-adherent, refused, resistant)",
            "Goddu et al. 2018, JGIM",
            "Miller & Rollnick, Motivational Interviewing 3rd ed. (discord, not resistance)",
        ),
        flagged=[
            "Client refused the blood draw this morning.",
            "He has been non compliant with the sleep schedule.",
            "Client failed to bring the completed worksheet.",
            "Resistant to treatment and dismissive of staff suggestions.",
        ],
        clean=[
            "Client declined the blood draw this morning; she is afraid of needles.",
            "The insurer refused to cover the second night.",
            "Diagnosis: treatment-resistant depression.",
        ],
    )


class DifficultPatientLabel(ClientLanguageRule):
    meta = RuleMeta(
        code="L103",
        name="difficult-patient-label",
        category="language",
        severity="warning",
        summary="Labels that cast the client as a difficult, manipulative or unworthy patient.",
        rationale="Descriptors such as “manipulative”, “drug-seeking”, “hostile”, "
        "“demanding” or “frequent flyer” judge the person instead of describing what "
        "happened. They travel through the record, prime later clinicians to expect "
        "trouble and to under-treat, and fall hardest on clients who are already "
        "stigmatised. Describe the behaviour and its context instead.",
        sources=(
            "Park et al. 2021, JAMA Netw Open (difficult patient, stereotyping)",
            "Sun et al. 2022, Health Affairs (combative, hysterical, aggressive, defensive)",
            "Harrigian et al. 2023, ACL (keyword anchors)",
            "Goddu et al. 2018, JGIM",
        ),
        flagged=[
            "Client was belligerent with the pharmacist on the phone.",
            "Known frequent flier at the urgent care center.",
            "Patient is very needy and texts the clinic every evening.",
        ],
        clean=[
            "No hostile or threatening behavior during the session.",
            "Client says her manager is demanding and rarely gives feedback.",
            "We discussed her attention span at work.",
        ],
    )

    def keep(self, hit: LexiconHit, ctx: Context) -> bool:
        if hit.term.subtype == "appearance":
            section = ctx.annotations.section_at(hit.start)
            if section is not None and section.name == "mental-status":
                return False
        return super().keep(hit, ctx)


class IdentityFirstLabel(ClientLanguageRule):
    meta = RuleMeta(
        code="L104",
        name="identity-first-label",
        category="language",
        severity="warning",
        summary="Labels that equate the person with a condition (“a schizophrenic”, “an addict”).",
        rationale="Calling someone “a schizophrenic” or “an alcoholic” makes the condition "
        "the whole person. Person-first wording (“a person with schizophrenia”, “has "
        "bipolar disorder”) keeps the person in view and is linked to less stigma and "
        "more hopeful treatment attitudes. Diagnosis names themselves "
        "(“borderline personality disorder”) are fine. A client's own self-description "
        "in quotation marks is never flagged. The same goes for a diagnosis used as an "
        "adjective for the person (“anorexic patient”, “crack-addicted mother”), for "
        "“demented”, and for a person called “illegal”.",
        sources=(
            "APA Publication Manual 7th ed., bias-free language (person-first)",
            "NIDA Words Matter",
            "Kelly & Westerhoff 2010, Int J Drug Policy (“substance abuser” vs “has a SUD”)",
            "CAMH, Words matter",
            "Dementia Australia, Dementia Language Guidelines 2021",
            "NEDA, person-first language for eating disorders",
            "AP Stylebook 2013 (illegal immigrant)",
        ),
        flagged=[
            "The patient is a paranoid schizophrenic living in a group home.",
            "Two alcoholics in the group spoke about relapse.",
            "She is bipolar and has been stable since spring.",
            "Anorexic patient, 41 kg on admission.",
        ],
        clean=[
            "She has bipolar disorder and has been stable since spring.",
            "Anorexic thoughts were quieter this week.",
            "Client attends Narcotics Anonymous on Tuesdays.",
            "Client described her sister as an addict who has since recovered.",
        ],
    )


class StigmatizingSubstanceTerm(ClientLanguageRule):
    meta = RuleMeta(
        code="L105",
        name="stigmatizing-substance-term",
        category="language",
        severity="warning",
        summary="Slang and moral terms for substance use (“dirty urine”, “clean”, "
        "“substance abuser”, “junkie”).",
        rationale="Calling a urine result “dirty” or a person “clean” implies that use is "
        "filth and the person is soiled by it; “abuser” implies wilful wrongdoing. "
        "Clinicians shown such terms judge the person as more to blame and more "
        "deserving of punishment. Use clinical words: positive/negative results, "
        "“not using”, “in recovery”, “person with a substance use disorder”.",
        sources=(
            "NIDA Words Matter: terms to use and avoid",
            "ONDCP 2017, Changing the Language (draft)",
            "Recovery Research Institute, Addictionary",
            "Kelly & Westerhoff 2010, Int J Drug Policy",
        ),
        flagged=[
            "Her tox screen was dirty for methamphetamine.",
            "He has stayed clean since the spring.",
            "Referred as a polysubstance abuser by his PCP.",
        ],
        clean=[
            "Her tox screen was positive for methamphetamine.",
            "He has not used since the spring and keeps his room clean.",
            "Client attended a support group for survivors; her abuser is in custody.",
        ],
    )


class SuicideWording(ClientLanguageRule):
    meta = RuleMeta(
        code="L106",
        name="suicide-wording",
        category="language",
        severity="warning",
        summary="Outdated suicide wording (“committed suicide”, “failed attempt”).",
        rationale="“Committed” frames suicide as a crime or sin, and “failed” or "
        "“successful” attempt frames death as success. Clients bereaved by suicide, or "
        "who have survived an attempt, read these words about themselves and their "
        "families. Say “died by suicide” and “suicide attempt” / “survived a suicide "
        "attempt”. Flagged whoever the words describe, because the wording is the problem.",
        sources=(
            "CAMH, Language matters: suicide",
            "American Foundation for Suicide Prevention, safe messaging guidelines",
            "APA Publication Manual 7th ed., bias-free language",
        ),
        flagged=[
            "Her brother committed suicide in 2019.",
            "History of two unsuccessful suicide attempts.",
        ],
        clean=[
            "Her brother died by suicide in 2019.",
            "History of two suicide attempts, most recently in 2020.",
        ],
    )


class DisabilityWording(ClientLanguageRule):
    meta = RuleMeta(
        code="L107",
        name="disability-wording",
        category="language",
        severity="warning",
        summary="Disability wording that implies tragedy or confinement (“wheelchair-bound”, "
        "“suffers from”, “victim of”), and functioning labels (“low-functioning”).",
        rationale="“Wheelchair-bound” and “confined to a wheelchair” describe a mobility "
        "aid as a prison; “suffers from” and “victim of” assume the person's experience "
        "of a condition is suffering. Neutral wording (“uses a wheelchair”, “has multiple "
        "sclerosis”) states the fact and leaves the client's experience to the client. "
        "Functioning labels (“low-functioning”, “high-functioning”) sum a person up in one "
        "word: describe the strengths and the support needed instead.",
        sources=(
            "APA Publication Manual 7th ed., bias-free language (disability)",
            "ADA National Network, Guidelines for writing about people with disabilities",
            "CAMH, Words matter",
            "Bottema-Beutel et al. 2021, Autism in Adulthood (avoiding ableist language)",
        ),
        flagged=[
            "He is confined to a wheelchair after a stroke.",
            "Client has suffered from migraines since childhood.",
            "Client is low functioning and lives with her parents.",
        ],
        clean=[
            "He uses a wheelchair after a stroke.",
            "Client has had migraines since childhood.",
            "She works in a high-functioning team.",
        ],
    )


class WeightOrAgeLabel(ClientLanguageRule):
    meta = RuleMeta(
        code="L108",
        name="weight-or-age-label",
        category="language",
        severity="warning",
        summary="Weight or age used as a label (“obese client”, “elderly client”).",
        rationale="Leading with a body size or an age group reduces the client to it and "
        "carries stereotypes (laziness, frailty, confusion). APA guidance prefers "
        "“older adult” to “elderly” or “senior”, and person-first wording for weight "
        "(“client with obesity”, or the measurement itself).",
        sources=(
            "APA Publication Manual 7th ed., bias-free language (age)",
            "Obesity Action Coalition / joint consensus statement on weight stigma "
            "(Rubino et al. 2020, Nat Med)",
        ),
        flagged=[
            "Morbidly obese woman seen for a sleep assessment.",
            "She is elderly and lives with her son.",
        ],
        clean=[
            "Woman with obesity seen for a sleep assessment; BMI 41.",
            "She is an older adult and lives with her son.",
        ],
    )


class ScareQuotes(Rule):
    """Quotation marks the clinician puts around a word of the client's account
    (``Patient "forgot" again``): a credibility signal. Quote classification is done
    once, in :func:`inquiry_assist.annotations.find_quotes`."""

    meta = RuleMeta(
        code="L109",
        name="scare-quotes",
        category="language",
        severity="warning",
        summary="Quotation marks around a word of the client's account, used to signal doubt.",
        rationale="Quoting a single word of the client's account inside the clinician's own "
        "sentence (“forgot”, “pain”, “allergic”) tells the next reader that the writer "
        "does not believe it. Quote the client fully and with attribution (“she said, "
        "...”), or state the account plainly as the client's report. A word the client "
        "signed (Auslan, Lámh, Makaton) or picked on a communication aid is the client's "
        "own word, as after “said”.",
        sources=(
            "Beach et al. 2021, JGIM (testimonial injustice: quotes as doubt)",
            "CARE-SD, Walker et al. 2024 (scare quotes)",
            "Park et al. 2021, JAMA Netw Open",
        ),
        flagged=[
            'Patient "lost" her prescription again.',
            "He was “too anxious” to attend the group.",
        ],
        clean=[
            'She said, "I lost my prescription on the bus."',
            'We practiced "box breathing" for five minutes.',
            "Michael signed 'finish' and the session ended.",
        ],
    )

    def check(self, ctx: Context) -> Iterable[Diagnostic]:
        ann = ctx.annotations
        index = client_words(ann)
        for quote in ann.quotes:
            if quote.role != "scare" or not quote.marked:
                continue
            if index.overlaps(quote.start, quote.end):
                continue  # nested inside the client's own quotation
            inner = ctx.text[quote.inner.start : quote.inner.end]
            if not inner.strip():
                continue
            yield Diagnostic(
                quote.start,
                quote.end,
                "Quotation marks around a word of the client's account read as doubt; "
                "attribute a full quotation or state it as the client's report.",
                (
                    Suggestion(
                        replacement=inner,
                        applicability="unsafe",
                        description="remove the quotation marks",
                    ),
                ),
            )


RULES: tuple[type[Rule], ...] = (
    DoubtMarker,
    BlamingLanguage,
    DifficultPatientLabel,
    IdentityFirstLabel,
    StigmatizingSubstanceTerm,
    SuicideWording,
    DisabilityWording,
    WeightOrAgeLabel,
    ScareQuotes,
)
