"""The goal rules G201..G206: is this treatment goal the client's, and can both
the client and the clinician see progress on it?

All six read one shared :func:`~.analysis.readings` of the document. They apply to
``goal`` documents (a FHIR Goal, a CarePlan goal, ``--kind goal`` text) and to the
goal statements inside notes (a GIRP Goal section; labelled goals in a Plan
section). Nothing inside the client's own quoted words is reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from ...model import Document, RuleMeta, Suggestion
from ...rules import Context, Diagnostic, Rule
from .analysis import UnitReading, readings

__all__ = [
    "RULES",
    "AvoidanceOnlyGoal",
    "DirectiveGoal",
    "GoalRule",
    "GoalWithoutClientVoice",
    "GoalWithoutValuesLink",
    "InterventionAsGoal",
    "UnmeasurableGoal",
]

_CARF = "CARF Behavioral Health Standards: person-centred plan (goals in the person's own words)"
_YALE = (
    "Tondora, Miller, Slade & Davidson 2014, Partnering for Recovery in Mental Health "
    "(Yale person-centred recovery planning)"
)
_SMART = "Doran 1981, Management Review 70(11): S.M.A.R.T. goals and objectives"
_APPROACH = "Wollburg & Braukhaus 2010, Goal setting in psychotherapy: approach vs avoidance goals"
_FHIR = (
    "HL7 FHIR Goal: expressedBy (R4) / source (R5), target.measure, target.detail[x], target.due[x]"
)

#: The rewrite template offered (``unsafe``: it needs the client's words and a date).
#: It replaces the goal statement after its label and before its final full stop.
REWRITE_TEMPLATE = (
    'In the client\'s words: "…". Objective: <observable target> by <date>, tracked by <how>'
)


def _rewrite(description: str) -> tuple[Suggestion, ...]:
    """The rewrite template as an ``unsafe`` suggestion (made once: suggestions are
    immutable, so every finding shares it)."""
    return (
        Suggestion(replacement=REWRITE_TEMPLATE, applicability="unsafe", description=description),
    )


#: offered only where the span is not the client's own words (never rewritten)
_VOICE_REWRITE = _rewrite("Restate the goal in the client's words, with an objective.")
_MEASURE_REWRITE = _rewrite("Add an observable target, a date and how progress is tracked.")


class GoalRule(Rule):
    """Base for the goal rules: runs on goal documents and on notes that may state
    goals, and yields diagnostics from each goal's shared reading."""

    #: whether the rule also reads unlabelled "Client will ..." plan items in notes
    reads_plan_items: ClassVar[bool] = False

    def applies_to(self, document: Document) -> bool:
        """Goal documents and notes; in a note only its goal statements are read
        (the shared reading finds them once, with a cheap pre-check)."""
        return document.kind in ("goal", "note")

    def check(self, ctx: Context) -> Iterable[Diagnostic]:
        check_goal = self.check_goal
        plan_items = self.reads_plan_items
        return [d for r in readings(ctx) if r.unit.labelled or plan_items for d in check_goal(r)]

    def check_goal(self, r: UnitReading) -> Sequence[Diagnostic]:
        """Diagnostics for one goal. Findings on a whole goal statement carry the
        rewrite template; findings on a phrase inside it do not, so an unsafe fix
        rewrites the statement once rather than splicing the template into it.
        (A sequence rather than a generator: most goals give none, and an empty
        tuple costs less than a generator that yields nothing.)"""
        raise NotImplementedError


class GoalWithoutClientVoice(GoalRule):
    meta = RuleMeta(
        code="G201",
        name="goal-without-client-voice",
        category="goal",
        severity="warning",
        summary="A goal written only in clinical terms, with no sign that it is the client's: "
        'no quoted client words, no "in the client\'s words", no client-chosen or agreed '
        "marker, and (for a FHIR Goal) no expressedBy/source that is the Patient.",
        rationale="A goal the client did not voice or choose is the clinician's plan for the "
        "client. Person-centred planning standards ask for goals in the person's own words; "
        "clients who read their plan and do not recognise it disengage.",
        sources=(_CARF, _YALE, _FHIR),
        kinds=("goal", "note"),
        flagged=[
            "Goal: Reduce alcohol use to 2 drinking days a week by 1 March.",
            {
                "text": "P: Reviewed labs.\nGoal: Walk 20 minutes on 4 days a week by the end "
                "of May.\nRTC 3 weeks.",
                "kind": "note",
            },
        ],
        clean=[
            'Goal in his words: "I want to get back to running." Objective: run 3 times a '
            "week by the end of June, logged in his app.",
            "Goal chosen by the client and agreed in session: swim twice a week for 6 weeks.",
            {"text": "P: Continue sertraline 50 mg. RTC 4 weeks.", "kind": "note"},
        ],
    )

    def check_goal(self, r: UnitReading) -> Sequence[Diagnostic]:
        if r.client_voice:
            return ()
        return (
            Diagnostic(
                r.report.start,
                r.report.end,
                "Goal has no client voice: quote the client's own words or record that "
                "the client chose or agreed to it.",
                _VOICE_REWRITE if r.rewritable else (),
            ),
        )


class DirectiveGoal(GoalRule):
    reads_plan_items = True
    meta = RuleMeta(
        code="G202",
        name="directive-goal",
        category="goal",
        severity="warning",
        summary='A goal framed as a directive or as compliance ("will comply", "must", '
        '"is required to", "follow all recommendations", "cooperate with staff").',
        rationale="Compliance wording casts the client as someone to be managed and the "
        "goal as the clinician's demand; it undermines autonomy and collaboration, and "
        "person-centred plan audits treat it as a clinician-owned goal.",
        sources=(_YALE, _CARF, "Sun et al. 2022, Health Affairs 41(2)"),
        kinds=("goal", "note"),
        flagged=[
            "Client is expected to follow all staff instructions.",
            "Objective: Resident needs to take responsibility for his actions.",
            {"text": "Plan: Client will adhere to the diet plan. RTC 2 weeks.", "kind": "note"},
        ],
        clean=[
            '"I need to get my kids back, so I must keep going." Objective chosen together: '
            "attend both parenting classes each week until the 30 June hearing.",
            "Court-ordered requirement, recorded separately: complete a 26-week program.",
            {
                "text": "Plan: Client will call her sister tonight; she chose this step.",
                "kind": "note",
            },
        ],
    )

    def check_goal(self, r: UnitReading) -> Sequence[Diagnostic]:
        return [
            Diagnostic(
                span.start,
                span.end,
                "Directive or compliance framing in a goal: state what the client wants "
                "and chose, not what they must do.",
            )
            for span in r.directive
        ]


class UnmeasurableGoal(GoalRule):
    meta = RuleMeta(
        code="G203",
        name="unmeasurable-goal",
        category="goal",
        severity="warning",
        summary="A goal with no observable target (a frequency, amount, scale score or "
        "count) or no timeframe (a date, a number of weeks, a review point), such as "
        '"improve mood" or "gain insight".',
        rationale="Without a target and a date neither the client nor the clinician can "
        "see progress, so the plan cannot be reviewed together and the client cannot "
        "experience success.",
        sources=(_SMART, _CARF, _YALE, _FHIR),
        kinds=("goal", "note"),
        flagged=[
            "Goal: Client will improve self-esteem.",
            "Build healthier relationships.",
            "Objective: Practise relaxation twice a day.",
        ],
        clean=[
            'Goal (client-stated): "Feel more confident at work." Objective: speak up in 2 '
            "meetings a week, confidence rated 0-10, by 15 May.",
            "Goal: PHQ-9 below 10 at the 12-week review, agreed together.",
        ],
    )

    def check_goal(self, r: UnitReading) -> Sequence[Diagnostic]:
        if r.has_target and r.has_timeframe:
            return ()
        missing = (
            "an observable target and a timeframe"
            if not (r.has_target or r.has_timeframe)
            else ("a timeframe" if r.has_target else "an observable target")
        )
        message = f"Goal is not measurable: add {missing}."
        if r.vague:
            return [Diagnostic(span.start, span.end, message) for span in r.vague]
        return (
            Diagnostic(
                r.report.start,
                r.report.end,
                message,
                _MEASURE_REWRITE if r.rewritable else (),
            ),
        )


class AvoidanceOnlyGoal(GoalRule):
    meta = RuleMeta(
        code="G204",
        name="avoidance-only-goal",
        category="goal",
        severity="warning",
        summary='A goal framed only as something to stop or avoid ("stop being anxious", '
        '"will not drink", "avoid conflict") with no approach alternative.',
        rationale="Avoidance goals name only what to give up; approach goals (what to do "
        "instead) are linked to better outcomes and keep the focus on what the client "
        "is moving toward.",
        sources=(_APPROACH, _YALE),
        kinds=("goal", "note"),
        flagged=[
            "Client will avoid arguments with her mother.",
            "Goal: Quit vaping.",
        ],
        clean=[
            'Goal (her words): "Talk calmly with my mom." Objective: take a time-out instead '
            "of arguing on 3 of 4 disagreements, tracked in her journal, for 6 weeks.",
            "Goal agreed together: stop gambling and instead put $20 a week into savings "
            "for 8 weeks.",
        ],
    )

    def check_goal(self, r: UnitReading) -> Sequence[Diagnostic]:
        if r.approach:
            return ()
        return [
            Diagnostic(
                span.start,
                span.end,
                "Goal is framed only as avoidance: add what the client will do instead.",
            )
            for span in r.avoidance
        ]


class InterventionAsGoal(GoalRule):
    meta = RuleMeta(
        code="G205",
        name="intervention-as-goal",
        category="goal",
        severity="warning",
        summary='A service or treatment task written as the goal ("attend weekly therapy", '
        '"take medication as prescribed") with no aim of the client\'s that it serves.',
        rationale="Attending, taking or completing treatment is the means, not the goal. "
        "Writing it as the goal hides what the client wants from treatment and turns the "
        "plan into an attendance record.",
        sources=(_YALE, _CARF),
        kinds=("goal", "note"),
        flagged=[
            "Goal: Attend group therapy twice weekly.",
            "Take all medications as prescribed.",
        ],
        clean=[
            'Goal in her words: "Make friends in my new town." Objective: join the Thursday '
            "walking club and talk to one new person each week for 8 weeks.",
            "Attend weekly counseling so that she can return to her nursing job by "
            "September, as she asked.",
        ],
    )

    def check_goal(self, r: UnitReading) -> Sequence[Diagnostic]:
        if r.client_voice or r.values_link:
            return ()
        return [
            Diagnostic(
                span.start,
                span.end,
                "Treatment task written as the goal: name the client's aim it serves.",
            )
            for span in r.intervention
        ]


class GoalWithoutValuesLink(GoalRule):
    meta = RuleMeta(
        code="G206",
        name="goal-without-values-link",
        category="goal",
        severity="info",
        summary='A goal with no link to the client\'s values or reasons ("so that ...", '
        '"because it matters to ...") and no client voice to carry them.',
        rationale="A goal tied to what matters to the client sustains motivation; one "
        "with no stated reason reads as an assignment.",
        sources=(_YALE, _CARF),
        kinds=("goal", "note"),
        flagged=[
            "Objective: Reduce panic attacks to one or fewer a week by 30 September, per "
            "the panic log.",
        ],
        clean=[
            "Goal: one or fewer panic attacks a week by 30 September so that she can take "
            "the bus to work again.",
            'Goal in his words: "Be there for my son\'s football games." Objective: go to '
            "4 games this season.",
        ],
    )

    def check_goal(self, r: UnitReading) -> Sequence[Diagnostic]:
        if r.client_voice or r.values_link:
            return ()
        return (
            Diagnostic(
                r.report.start,
                r.report.end,
                "Goal has no link to the client's values: say why it matters to them "
                '("so that ...").',
                (),
            ),
        )


RULES: tuple[type[Rule], ...] = (
    GoalWithoutClientVoice,
    DirectiveGoal,
    UnmeasurableGoal,
    AvoidanceOnlyGoal,
    InterventionAsGoal,
    GoalWithoutValuesLink,
)
