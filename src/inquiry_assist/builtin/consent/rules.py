"""The consent and pacing rules (category ``consent``, codes C301–C305).

Each rule is document-level: find trigger spans (an action that needs documentation),
then look for satisfying documentation in the same document (or the same or adjacent
sentence where that is more precise) and report the trigger when none is found.
Triggers, satisfiers and cues are data (``*.toml`` beside this module, schema in
:mod:`.schema`); one :class:`~.scan.Scan` per document serves all five rules.

* A trigger in the client's own quoted words, or negated or refused in its clause
  ("no recording was made", "nothing was sent", "not explored today"), is not one.
* A satisfier negated or refused in its clause ("with no release on file", "declined
  to sign a release") does not count.
* ``facts["consent.active"]`` (set by the FHIR reader from a Bundle's active Consent)
  satisfies the rules mapped in ``vocabulary.toml`` ``[facts]``: ``recording`` → C302,
  ``disclosure`` → C303. ``treatment`` (a general consent to treatment) satisfies none:
  it does not show that today's sensitive work was permitted and paced, nor that the
  limits of confidentiality were reviewed.

The rules subclass :class:`~inquiry_assist.rules.LexiconRule` so that term packs (a
plugin's ``inquiry_assist_register_terms`` or the user's config ``[[terms]]``) may
assign terms to them, with ``rule = "C303"`` (or the rule's name):

* ``subtype = "trigger"``: the term is a trigger of that rule (for C304 it counts as
  a reportable disclosure, for C305 as carrying on despite the client), unless it is
  negated or in the client's own words;
* ``subtype = "satisfier"``: the term is satisfying documentation anywhere in the
  document (unless negated).

Terms with any other subtype are ignored. The lexicon's hits are only consulted when
``ctx.lexicon.rule_keys`` shows a term for a consent rule. Consent packs (see
:mod:`.schema`) remain the way to add pattern triggers with sentence-level scopes.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import ClassVar

from ...model import RuleMeta, Suggestion
from ...rules import Context, Diagnostic, LexiconRule, Rule
from .scan import Hit, Scan, scan_for, touches_client_words
from .schema import ConsentData, builtin_packs, compile_packs

__all__ = [
    "RULES",
    "ConfidentialityLimitsNotReviewed",
    "ConsentRule",
    "DisclosureWithoutRelease",
    "RecordingWithoutConsent",
    "SensitiveWorkWithoutPermission",
    "StopRequestOverridden",
    "consent_data",
]

#: the cues that, like triggers, can make a rule report (C304's intake or reportable
#: disclosure, C305's request to stop or carrying on "despite"); the rest only refine
GATE_CUES = (
    ("C304", "intake"),
    ("C304", "duty"),
    ("C305", "request"),
    ("C305", "unwilling"),
    ("C305", "despite"),
)
_APA = "APA Ethics Code (2017)"
_SAMHSA = "SAMHSA 2014, Concept of Trauma and Guidance for a Trauma-Informed Approach"
_TIP57 = "SAMHSA TIP 57, Trauma-Informed Care in Behavioral Health Services (2014)"


@lru_cache(maxsize=1)
def consent_data() -> ConsentData:
    """The built-in consent packs, compiled once per process."""
    names = {rule.meta.name: rule.meta.code for rule in RULES}
    return compile_packs(builtin_packs(), names, GATE_CUES)


class ConsentRule(LexiconRule):
    """Shared behaviour: the scan, facts, satisfiers and suggestions."""

    message_text: ClassVar[str]

    def data(self) -> ConsentData:
        return consent_data()

    def check(self, ctx: Context) -> Iterable[Diagnostic]:
        scan = scan_for(ctx, self.data())
        if scan.quiet:
            return []
        return list(self.evaluate(ctx, scan))

    def evaluate(self, ctx: Context, scan: Scan) -> Iterator[Diagnostic]:
        """Report each trigger of this rule that no satisfier or fact covers."""
        code = self.meta.code
        # a satisfier of scope "document" (or a fact) clears every trigger: look for it
        # before the tests on each trigger, but only when there is a trigger candidate
        if not scan.may_trigger(code) or scan.fact_satisfies(code):
            return
        if scan.document_satisfied(code):
            return
        for hit in scan.triggers(code):
            if scan.inside_satisfier(code, hit.start, hit.end):
                continue
            if scan.satisfied(code, hit.start, hit.end, (self.meta.name,)):
                continue
            yield self.diagnostic(ctx, hit)

    def diagnostic(self, ctx: Context, hit: Hit, suggest: bool = True) -> Diagnostic:
        template = self.data().suggestions.get(self.meta.code) if suggest else None
        suggestions: tuple[Suggestion, ...] = ()
        if template:
            replacement = template.replace("{trigger}", ctx.text[hit.start : hit.end])
            suggestions = (
                Suggestion(
                    replacement=replacement,
                    applicability="unsafe",
                    description="Add only if it is true of this session.",
                ),
            )
        return Diagnostic(hit.start, hit.end, self.message_text, suggestions)


class SensitiveWorkWithoutPermission(ConsentRule):
    meta = RuleMeta(
        code="C301",
        name="sensitive-work-without-permission",
        category="consent",
        severity="warning",
        summary="Sensitive material explored, or exposure/EMDR begun, with no documented "
        "permission, client choice or option to pause or stop.",
        rationale="Trauma-informed care puts the client in control of pacing: permission is "
        "asked before trauma, abuse, self-harm or sexual history is explored, and the client "
        "knows they can pause, stop or come back to it. A note that records the sensitive "
        "work but not the permission leaves the next reader (and the client reading their "
        "own note) unable to tell whether the client chose it, and is a clinical and legal "
        "risk (APA Ethics Code 3.10 and 10.01; SAMHSA safety and voice-and-choice "
        "principles; TIP 57 on pacing trauma work).",
        sources=(f"{_APA} 3.10, 10.01", _SAMHSA, _TIP57),
        flagged=[
            "Started prolonged exposure today; the client described the fire in detail.",
            "Explored her history of childhood sexual abuse for most of the hour.",
        ],
        clean=[
            "Asked whether he wanted to talk about the combat memory today; he agreed to "
            "begin imaginal exposure and knows he can pause at any time.",
            "Abuse history not explored today, at the client's request.",
        ],
    )
    message_text = (
        "Sensitive work (trauma, abuse, self-harm or sexual history detail, exposure or "
        "EMDR) with no documented permission, client choice or option to pause or stop."
    )


class RecordingWithoutConsent(ConsentRule):
    meta = RuleMeta(
        code="C302",
        name="recording-without-consent",
        category="consent",
        severity="warning",
        summary="A session recorded, or a recording shown, with no documented consent.",
        rationale="Psychologists obtain permission before recording clients (APA Ethics "
        "Code 4.03). The note should show that the client consented, ideally the purpose, "
        "who may access the recording and that consent can be withdrawn; without it the "
        "recording looks covert.",
        sources=(f"{_APA} 4.03", f"{_APA} 4.07"),
        flagged=["Video-recorded the family session for the training library."],
        clean=[
            "The family session was video-recorded for the training library; all members "
            "gave written consent to recording and know they may withdraw it.",
            "No recording was made of the session.",
        ],
    )
    message_text = (
        "Recording with no documented consent (purpose, who may access it, and that "
        "consent can be withdrawn)."
    )


class DisclosureWithoutRelease(ConsentRule):
    meta = RuleMeta(
        code="C303",
        name="disclosure-without-release",
        category="consent",
        severity="warning",
        summary="Information shared with a third party (employer, school, family, court, "
        "probation, another provider) with no documented release or permission.",
        rationale="Disclosure outside the treatment relationship needs the client's consent "
        "unless the law requires or permits it (APA Ethics Code 4.05; HIPAA authorisation; "
        "42 CFR Part 2 for substance use records). A note that records the call or the fax "
        "but not the release suggests a breach of confidentiality.",
        sources=(f"{_APA} 4.05", "HIPAA 45 CFR 164.508", "42 CFR Part 2"),
        flagged=["Phoned the client's manager to explain why she left work early."],
        clean=[
            "Phoned the client's manager about her return-to-work date under the release "
            "she signed on 2 March.",
            "Her brother called for an update; without a release on file, nothing was shared.",
        ],
    )
    message_text = (
        "Disclosure to a third party with no documented release of information or "
        "client permission."
    )


class ConfidentialityLimitsNotReviewed(ConsentRule):
    meta = RuleMeta(
        code="C304",
        name="confidentiality-limits-not-reviewed",
        category="consent",
        severity="warning",
        summary="An intake, or a disclosure that triggers a duty to report, with no note "
        "that the limits of confidentiality were reviewed first (or reviewed only "
        "afterwards).",
        rationale="Clients have a right to know what will not stay confidential before they "
        "disclose it: the limits of confidentiality are discussed at the outset of the "
        "relationship (APA Ethics Code 4.02). A review deferred to a later visit, or done "
        "after the client has already disclosed reportable information, does not meet "
        "that duty and erodes trust (SAMHSA trustworthiness and transparency).",
        sources=(f"{_APA} 4.02", _SAMHSA),
        flagged=[
            "Initial assessment, 60 min. Client described panic attacks at work and heavy "
            "weekend drinking.",
            "Intake. History taken; limits of confidentiality explained at the close of "
            "the session.",
        ],
        clean=[
            "Initial assessment. Before any history, explained the limits of confidentiality "
            "(risk of harm, abuse of a child or older adult, court orders); he had no "
            "questions.",
        ],
        kinds=("note",),
    )
    message_text = (
        "Limits of confidentiality not documented as reviewed at the outset, before disclosures."
    )
    late_message = (
        "Limits of confidentiality reviewed only after disclosures or deferred; review "
        "them at the outset of the first session."
    )

    def evaluate(self, ctx: Context, scan: Scan) -> Iterator[Diagnostic]:
        code = self.meta.code
        intake = [h for h in scan.cue(code, "intake") if not h.negated]
        duty = [h for h in scan.cue(code, "duty") if not h.negated]
        extra = scan.lexicon_hits(code)  # lexicon trigger terms act as "duty" cues
        if extra:
            duty = sorted([*duty, *extra], key=lambda h: h.start)
        if not intake and not duty:
            return
        if scan.fact_satisfies(code):
            return
        found = scan.satisfiers(code)
        mentions = {h.end for h in scan.cue(code, "reference")} if found else set()
        reviews = [hit for hit, _ in found if hit.start not in mentions]
        # a "late" cue counts only in a review's sentence
        late = scan.cue(code, "late", [scan.sentence_window(r.start) for r in reviews])
        timely = [r for r in reviews if _late_cue(scan, r, late) is None]
        if timely or (not reviews and scan.satisfied(code, 0, 0, (self.meta.name,))):
            return
        if reviews:
            for review in reviews:
                cue = _late_cue(scan, review, late)
                assert cue is not None  # every review is late here
                start, end = min(review.start, cue.start), max(review.end, cue.end)
                yield Diagnostic(start, end, self.late_message)
            return
        first = intake[:1] if intake else duty[:1]
        for hit in first:
            yield self.diagnostic(ctx, hit)


class StopRequestOverridden(ConsentRule):
    meta = RuleMeta(
        code="C305",
        name="stop-request-overridden",
        category="consent",
        severity="error",
        summary="The client asked to stop, pause or change topic and the note shows the "
        "clinician carried on.",
        rationale="Honouring a request to stop is the core of safety and choice in "
        "trauma-informed care (SAMHSA; TIP 57): pushing past it can re-traumatise and "
        "breaks the consent the work rests on (APA Ethics Code 3.10, 10.01). If the client "
        "later chose to go on, the note should say so.",
        sources=(f"{_APA} 3.10, 10.01", _SAMHSA, _TIP57),
        flagged=[
            "He signalled that he wanted to stop the imaginal exposure; therapist continued "
            "to the end of the script."
        ],
        clean=[
            "He signalled that he wanted to stop; we paused, practised paced breathing, and "
            "he chose to continue after five minutes.",
        ],
    )
    message_text = (
        "The client's request to stop, pause or change topic appears to have been "
        "overridden; document that the request was honoured or that the client chose "
        "to continue."
    )

    def evaluate(self, ctx: Context, scan: Scan) -> Iterator[Diagnostic]:
        code = self.meta.code
        despite = [h for h in scan.cue(code, "despite") if not h.negated]
        extra = scan.lexicon_hits(code)  # lexicon trigger terms act as "despite" cues
        if extra:
            despite = sorted([*despite, *extra], key=lambda h: h.start)
        requests = [h for h in scan.cue(code, "request") if not h.negated]
        # "did not want to go on": the cue's pattern holds the negation (it looks behind
        # for it), so every hit is a request to stop, however its clause reads
        unwilling = scan.cue(code, "unwilling")
        if unwilling:
            requests = sorted([*requests, *unwilling], key=lambda h: h.start)
        # an override counts only in a request's sentence or the next one; a request
        # in the client's quoted words is counted from the end of the quotation, so a
        # second quoted sentence ("Can we not do this today? I'm wiped out.") does
        # not push the clinician's reply out of reach
        anchors = [_quote_end(ctx, r) for r in requests]
        windows = [
            (r.end, scan.sentences_end(a, 2)) for r, a in zip(requests, anchors, strict=True)
        ]
        overrides = [h for h in scan.cue(code, "override", windows) if not h.negated]
        choices = (
            [h for h in scan.cue(code, "choice") if not h.negated] if overrides or despite else []
        )
        reported: list[Hit] = []
        for hit in despite:
            nxt = _first_at_or_after(choices, hit.start + 1)
            if _client_words(ctx, hit) or (nxt is not None and _same(scan, nxt, hit)):
                continue
            reported.append(hit)
        request_ends = [r.end for r in requests]
        answered: set[int] = set()  # report one override per request
        for hit in overrides:
            if _client_words(ctx, hit):
                continue
            if any(r.start < hit.end and hit.start < r.end for r in reported[: len(despite)]):
                continue
            # the last request ending before the override, in its sentence or the one before
            i = bisect.bisect_right(request_ends, hit.start) - 1
            if i < 0 or i in answered:
                continue
            request = requests[i]
            if scan.sentence_distance(anchors[i], hit.start) > 1:
                continue
            # a choice to go on (or the request honoured) after the request clears it
            nxt = _first_at_or_after(choices, request.end)
            if nxt is not None and (nxt.start <= hit.end or _same(scan, nxt, hit)):
                continue
            reported.append(hit)
            answered.add(i)
        for hit in sorted(reported, key=lambda h: h.start):
            yield self.diagnostic(ctx, hit)


def _quote_end(ctx: Context, hit: Hit) -> int:
    """Where ``hit`` counts from: the last character of the quotation that holds it,
    or its own start."""
    if not any(mark in ctx.text for mark in "\"“”‘’'"):
        return hit.start
    for quote in ctx.annotations.quotes:
        if quote.start <= hit.start and hit.end <= quote.end:
            return max(hit.start, quote.end - 1)
    return hit.start


def _client_words(ctx: Context, hit: Hit) -> bool:
    return touches_client_words(ctx.annotations, ctx.text, hit.start, hit.end)


def _same(scan: Scan, a: Hit, b: Hit) -> bool:
    """Whether two hits are in the same sentence."""
    return scan.sentence_distance(a.start, b.start) == 0


def _late_cue(scan: Scan, review: Hit, late: Sequence[Hit]) -> Hit | None:
    """The "late" cue in the review's sentence, if any (only the nearest cue on each
    side of the review can share its sentence)."""
    i = bisect.bisect_left([h.start for h in late], review.start)
    for cue in late[max(0, i - 1) : i + 1]:
        if _same(scan, cue, review):
            return cue
    return None


def _first_at_or_after(hits: Sequence[Hit], offset: int) -> Hit | None:
    """The first of ``hits`` (sorted by start) starting at or after ``offset``."""
    i = bisect.bisect_left([h.start for h in hits], offset)
    return hits[i] if i < len(hits) else None


RULES: tuple[type[Rule], ...] = (
    SensitiveWorkWithoutPermission,
    RecordingWithoutConsent,
    DisclosureWithoutRelease,
    ConfidentialityLimitsNotReviewed,
    StopRequestOverridden,
)
