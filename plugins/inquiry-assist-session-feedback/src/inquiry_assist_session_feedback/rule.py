"""FB101 ``session-feedback-not-documented``.

Empathic inquiry treats the client as the expert on whether the work is helping:
the clinician asks, at the end of a session, what was useful and what was not,
and adjusts. This rule looks for any record of that in a session note:

* the clinician asking or inviting feedback (``asked what was most helpful today``,
  ``invited feedback on the pace``, ``checked in about how the session felt``);
* the client's view of the session itself (``client said the session felt rushed``,
  ``feedback on today's session: ...``);
* a session-feedback measure (Session Rating Scale, PCOMS, a working-alliance
  questionnaire).

A mention that is negated (``did not ask for feedback``) does not count. Only whole
notes are checked (three sentences or more): a fragment is not a session record.
The finding sits on the plan (or response) section when there is one, else on the
note's last sentence, where the documentation would go.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from inquiry_assist import Diagnostic, Rule, RuleMeta
from inquiry_assist.annotations import Span
from inquiry_assist.rules import Context

__all__ = ["MIN_SENTENCES", "SessionFeedbackNotDocumented", "feedback_evidence"]

#: Notes shorter than this (in sentences) are not checked.
MIN_SENTENCES = 3

_ASK = (
    r"(?:ask(?:ed|s|ing)?|invit(?:ed|es|ing)|elicit(?:ed|s|ing)|solicit(?:ed|s|ing)"
    r"|request(?:ed|s|ing)|sought|seek(?:s|ing)?|check(?:ed|s|ing)?\s+in|explor(?:ed|es|ing)"
    r"|review(?:ed|s|ing)|obtain(?:ed|s|ing)|gather(?:ed|s|ing)|welcom(?:ed|es|ing))"
)
_WHAT_HELPS = (
    r"(?:feedback"
    r"|what\s+(?:was|is|has\s+been|felt|feels|were|are)\s+(?:most\s+|least\s+|not\s+|more\s+|less\s+)?"
    r"(?:helpful|unhelpful|useful|working|valuable|meaningful|difficult)"
    r"|what\s+(?:is|was|isn['’]t|wasn['’]t|is\s+not|was\s+not)\s+working"
    r"|what\s+(?:helped|did\s*n['’]?o?t\s+help|to\s+change|(?:she|he|they)\s+would\s+change)"
    r"|how\s+(?:the|this|today['’]s|our)\s+(?:session|sessions|meeting|visit|work(?:\s+together)?)"
    r"\s+(?:went|was\s+going|is\s+going|felt|feels|fit|fits)"
    r"|(?:the\s+)?(?:fit|pace|pacing)\s+of\s+(?:the\s+|our\s+|today['’]s\s+)?"
    r"(?:session|sessions|work|approach|treatment))"
)
_CLIENT_VIEW = (
    r"(?:client|patient|pt|they|she|he)\b[^.?!\n]{0,40}?"
    r"\b(?:reported|stated|said|shared|noted|described|rated|expressed|identified|named)\b"
    r"[^.?!\n]{0,60}?\b(?:session|today['’]s\s+work|our\s+work|the\s+approach|the\s+exercise)\b"
    r"[^.?!\n]{0,40}?\b(?:helpful|unhelpful|useful|working|not\s+working|too\s+fast|too\s+slow"
    r"|rushed|right\s+pace|comfortable|uncomfortable|valuable|worthwhile|a\s+good\s+fit)"
)
_MEASURES = (
    r"(?:session\s+rating\s+scale|\bSRS\b|\bPCOMS\b|feedback[-\s]informed"
    r"|(?:session|client)\s+feedback|feedback\s+(?:on|about|regarding)\s+(?:the\s+|today['’]s\s+|"
    r"this\s+)?session|working\s+alliance\s+inventory|\bWAI(?:-SR)?\b"
    r"|helping\s+alliance\s+questionnaire)"
)
EVIDENCE = regex.compile(
    rf"\b{_ASK}\b[^.?!\n]{{0,80}}?\b{_WHAT_HELPS}|\b{_CLIENT_VIEW}|{_MEASURES}",
    regex.IGNORECASE,
)
_PLAN_SECTIONS = ("plan", "response")


def feedback_evidence(ctx: Context) -> list[Span]:
    """Spans that document asking for (or receiving) feedback on the session."""
    found: list[Span] = []
    for m in EVIDENCE.finditer(ctx.text, timeout=0.5):
        if not ctx.annotations.negated(m.start(), m.end()):
            found.append(Span(m.start(), m.end()))
    return found


class SessionFeedbackNotDocumented(Rule):
    """A session note with no record of the client's feedback on the session."""

    meta = RuleMeta(
        code="FB101",
        name="session-feedback-not-documented",
        category="feedback",
        severity="info",
        summary="The note does not record asking the client for feedback on the session.",
        rationale=(
            "Asking the client what is helping and what is not, and writing down the answer, "
            "keeps the client the judge of whether the work fits them; routine session "
            "feedback is associated with fewer drop-outs and better outcomes, and the "
            "record lets the next clinician pick up where the client wants to go."
        ),
        sources=(
            "Duncan, Miller et al. 2003, The Session Rating Scale, J Brief Therapy",
            "Lambert & Shimokawa 2011, Collecting client feedback, Psychotherapy 48(1)",
            "SAMHSA TIP 35 (2019), Enhancing Motivation for Change in SUD Treatment",
        ),
        flagged=[
            "S: Client described a hard week at work. O: Calm, engaged. "
            "A: Stress is rising. P: Meet next week to continue the work.",
        ],
        clean=[
            "S: Client described a hard week at work. O: Calm, engaged. "
            "A: Stress is rising. P: Asked what was most helpful today; client named the "
            "breathing practice. Meet next week.",
            "Client described a hard week at work. We practised paced breathing. "
            "Client rated the session 36/40 on the Session Rating Scale.",
            "Client arrived late.",
        ],
        kinds=("note",),
    )

    def check(self, ctx: Context) -> Iterable[Diagnostic]:
        sentences = ctx.annotations.sentences
        if len(sentences) < MIN_SENTENCES or feedback_evidence(ctx):
            return
        anchor = self._anchor(ctx, sentences)
        yield Diagnostic(
            anchor.start,
            anchor.end,
            "No record of asking the client for feedback on the session: note what the "
            "client found helpful or unhelpful, or how the pace fit.",
        )

    @staticmethod
    def _anchor(ctx: Context, sentences: list[Span]) -> Span:
        for section in ctx.annotations.sections:
            if section.name in _PLAN_SECTIONS:
                return section.heading
        return sentences[-1]
