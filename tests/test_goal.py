"""The built-in goal rules (G201..G206): flagged and clean goals, FHIR facts, goals
inside notes, the client's quoted words, legal mandates, and robustness."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inquiry_assist import Linter
from inquiry_assist.builtin.goal.rules import REWRITE_TEMPLATE, RULES
from inquiry_assist.config import Config
from inquiry_assist.model import Document, Finding

#: Only the goal plugin's rules, so these tests do not depend on the other plugins.
LINTER = Linter(
    Config(select=["goal"]),
    load_entrypoints=False,
    blocked=("language", "consent", "fhir-reader"),
)


def codes(text: str, kind: str = "goal") -> set[str]:
    return {f.code for f in LINTER.lint_text(text, kind=kind)}  # type: ignore[arg-type]


def lint_doc(text: str, facts: Mapping[str, Any], kind: str = "goal") -> set[str]:
    doc = Document(text=text, kind=kind, facts=facts)  # type: ignore[arg-type]
    return {f.code for f in LINTER.lint_document(doc)}


CLEAN_GOALS = [
    'Goal in her own words: "I want my evenings back." Objective: no more than 2 drinking '
    "evenings a week for the next 6 weeks, logged in her app.",
    "Client-identified goal: return to part-time work. Objective: apply for 2 jobs a week "
    "through the job centre by 1 October.",
    '"I want to be able to drive to my sister\'s house again." Steps he chose: drive '
    "around the block 3 times a week, then to the shop by the end of April.",
    'Goal (his words): "Stop yelling at my kids." Reworded together: take a 5-minute walk '
    "instead of raising his voice, on 5 of 7 days a week, tracked on a fridge chart, "
    "reviewed in 4 weeks.",
]


@pytest.mark.parametrize("text", CLEAN_GOALS)
def test_collaborative_measurable_goals_are_clean(text: str) -> None:
    assert codes(text) == set()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Goal: Reduce panic attacks to one a week by 30 June.", "G201"),
        ("Client will take responsibility for his recovery.", "G202"),
        ("Patient is expected to comply with house rules.", "G202"),
        ("Resident will follow staff directions at all times.", "G202"),
        ("Goal: Improve emotional regulation.", "G203"),
        ("Client will manage stress better.", "G203"),
        ("Objective: Use coping skills daily.", "G203"),
        ("Client will avoid conflict with peers.", "G204"),
        ("Refrain from using cannabis.", "G204"),
        ("Goal: Remain abstinent from alcohol.", "G204"),
        ("Attend IOP three days a week.", "G205"),
        ("Take prescribed medication every morning.", "G205"),
        ("Engage in individual therapy.", "G205"),
        ("Objective: Walk 20 minutes 4 days a week by 1 May.", "G206"),
    ],
)
def test_each_rule_flags_its_problem(text: str, code: str) -> None:
    assert code in codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Goal agreed together: walk 20 minutes 4 days a week by 1 May.", "G201"),
        ('"I must finish my degree." Objective chosen together: 2 modules by June.', "G202"),
        ("Goal (client-stated): PHQ-9 below 10 at the 12-week review.", "G203"),
        (
            "Client chose to cut down: stop drinking on weeknights and instead go to the "
            "climbing gym, 0 weeknight drinks for 8 weeks.",
            "G204",
        ),
        ("Attend weekly therapy so that she can go back to teaching in September.", "G205"),
        (
            "Walk 20 minutes 4 days a week by 1 May so that he can keep up with his grandson.",
            "G206",
        ),
    ],
)
def test_each_rule_leaves_the_good_version_alone(text: str, code: str) -> None:
    assert code not in codes(text)


def test_rules_emit_only_the_goal_category() -> None:
    findings = LINTER.lint_text("Client must comply and stop isolating.", kind="goal")
    assert findings
    assert {f.category for f in findings} == {"goal"}
    assert {r.meta.category for r in RULES} == {"goal"}
    assert all(r.meta.kinds[0] == "goal" for r in RULES)


def test_values_link_rule_is_informational() -> None:
    findings = LINTER.lint_text("Improve mood.", kind="goal")
    assert {f.severity for f in findings if f.code == "G206"} == {"info"}


def test_suggestions_are_unsafe_rewrite_templates() -> None:
    findings = LINTER.lint_text("Goal: Client will comply with treatment.", kind="goal")
    suggestions = [s for f in findings for s in f.suggestions]
    assert suggestions
    assert all(s.applicability == "unsafe" for s in suggestions)
    assert any(s.replacement == REWRITE_TEMPLATE for s in suggestions)


def test_goal_is_evaluated_as_a_whole() -> None:
    # the measurable objective is in a second sentence; the client's words in a third
    text = (
        "Goal 1: Feel calmer at work. Objective 1a: use paced breathing before 3 meetings "
        "a week for 6 weeks, rating tension 0-10. Client's words: \"I want to stop "
        'dreading Mondays."'
    )
    assert codes(text) == set()


# --- the client's own words --------------------------------------------------------------


def _client_inner_spans(findings: list[Finding], text: str, quote: str) -> list[Finding]:
    start = text.index(quote)
    end = start + len(quote)
    return [f for f in findings if f.start < end and start < f.end]


def test_directive_and_avoidance_words_inside_client_quotes_are_not_flagged() -> None:
    quote = "I must stop drinking and I will never miss my daughter's birthday again."
    text = (
        f'Goal in his words: "{quote}" Objective: 0 drinks on weekdays and a Saturday '
        "outing with his daughter every week for 8 weeks, tracked together."
    )
    findings = LINTER.lint_text(text, kind="goal")
    assert _client_inner_spans(findings, text, quote) == []
    assert {"G202", "G204"}.isdisjoint({f.code for f in findings})


def test_scare_quotes_are_not_client_voice() -> None:
    assert "G201" in codes('Client will "engage" in treatment.')


def test_quoted_statement_is_reported_on_the_label_and_not_rewritten() -> None:
    text = 'Goal: "I want to feel better."'
    findings = [f for f in LINTER.lint_text(text, kind="goal") if f.code == "G203"]
    assert findings
    quote = "I want to feel better."
    assert _client_inner_spans(findings, text, quote) == []
    assert all(not f.suggestions for f in findings)


# --- legal mandates ---------------------------------------------------------------------


def test_court_mandate_recorded_separately_is_not_flagged() -> None:
    text = (
        'Goal in his words: "Keep my apartment." Objective: pay rent on time each month '
        "for 6 months. Court requirement, recorded separately: must complete 12 "
        "anger-management sessions by March."
    )
    assert codes(text) == set()


def test_a_mandate_alone_is_not_a_goal() -> None:
    assert codes("Court-ordered: complete a 26-week program by 1 June.") == set()


def test_compliance_with_a_mandate_is_directive_framing_not_a_mandate_record() -> None:
    # the goal itself framed as doing what probation directs ("maintain sobriety as
    # directed" is the issue's own example), unlike a mandate recorded as such
    assert "G202" in codes("Client will maintain sobriety as directed by probation.")
    assert "G202" in codes("Attend NA meetings three times a week as directed by parole.")
    assert "G202" in codes("Client will comply with the terms of his probation.")


# --- second round: timeframes, targets and voice in more wordings -------------------------


@pytest.mark.parametrize(
    "text",
    [
        # school terms and seasons, week numbers, a day and month without a year
        'Asha said, "I want to sit my exams with friends." Agreed: sit all four exams in '
        "the main hall this summer term.",
        'Tom said, "I want my evenings back." Agreed: see friends twice a week by half-term.',
        'Goal in her words: "Swim again." Agreed: swim 3 times this season.',
        'Own words: "Take the train alone." Agreed: ride two stops alone by week 4.',
        'Own words: "Show Mum my drawings." Agreed: finish three drawings to show her on 11/30.',
        'Own words: "Ask for help at work." Agreed: make one request before the 5/14 review.',
        'Own words: "My own place." Agreed: apply for two flats by the October review.',
        # a discrete, checkable act with a deadline is measurable
        'Own words: "Talk to my brother again." Agreed: write him a letter by the end of '
        "the month.",
        'Own words: "Sort my money out." Agreed: open a bank account by 30 September.',
        # a frequency that also reads as a timeframe is still a target
        'Own words: "Get to my home group." Agreed: go to the Thursday group each week for '
        "8 weeks.",
        # the rest of the term; steps with their own dates
        '"I want to speak up in class." Goal: one comment in each weekly seminar for the rest '
        "of the semester.",
        'Client wants "to shop on my own." Steps she picked: a short trip with her sister this '
        "week, the corner shop alone by week 4, the supermarket by week 8.",
        'Mei: "Speak up once in every seminar." Target: one contribution per seminar in 8 of '
        "the 10 remaining weeks.",
        # the client's choice, in the passive
        "Goal (chosen by client): walk 20 minutes on 4 days a week for 6 weeks, so she can "
        "keep up with her grandchildren.",
    ],
)
def test_more_wordings_of_a_well_formed_goal_are_clean(text: str) -> None:
    assert codes(text) == set()


# --- FHIR facts -------------------------------------------------------------------------


def test_fhir_expressed_by_patient_counts_as_client_voice() -> None:
    text = "Walk 30 minutes on 5 days a week by 30 June."
    assert "G201" not in lint_doc(text, {"goal.from_fhir": True, "goal.expressed_by_patient": True})
    assert "G201" in lint_doc(text, {"goal.from_fhir": True, "goal.expressed_by_patient": None})
    assert "G201" in lint_doc(text, {"goal.from_fhir": True, "goal.expressed_by_patient": False})


def test_fhir_absent_expressed_by_still_accepts_client_words_in_text() -> None:
    text = '"I want to walk my dog again." Walk 10 minutes daily by 1 May.'
    facts = {"goal.from_fhir": True, "goal.expressed_by_patient": None}
    assert "G201" not in lint_doc(text, facts)


def test_fhir_target_and_due_count_as_measurable() -> None:
    text = "Feel less anxious in social situations."
    base = {"goal.from_fhir": True, "goal.expressed_by_patient": True}
    assert "G203" in lint_doc(text, {**base, "goal.has_target": False, "goal.has_due": False})
    assert "G203" in lint_doc(text, {**base, "goal.has_target": True, "goal.has_due": False})
    assert "G203" not in lint_doc(text, {**base, "goal.has_target": True, "goal.has_due": True})


def test_plain_text_without_facts_is_read_from_the_text() -> None:
    assert "G203" not in codes("Goal agreed together: SUDS below 40 on 3 bus trips by 1 May.")


# --- goals inside notes -----------------------------------------------------------------

GIRP_FLAGGED = (
    "GIRP - outpatient, 45 min\n"
    "Goal: Client will comply with all program rules.\n"
    "Intervention: Reviewed the week and practised grounding.\n"
    "Response: Client said the grounding helped.\n"
    "Plan: Next session in one week."
)

SOAP_PLAN_VAGUE = (
    "S: Client reports low energy and poor sleep.\n"
    "O: Flat affect, good eye contact.\n"
    "A: Depressive symptoms persist.\n"
    "P: Treatment plan updated.\nGoal 1: Decrease depression.\n"
    "Continue weekly sessions; RTC 1 week."
)

SOAP_PLAN_CLEAN = (
    "S: Client wants to sleep better.\n"
    "O: Tired, engaged.\n"
    "A: Insomnia improving.\n"
    'P: Goal in her words: "Wake up rested on workdays." She chose a 10:30 pm lights-out '
    "on 5 nights a week. Continue CBT-I. Review progress together on 12 May."
)


def test_girp_goal_section_is_read_as_a_goal() -> None:
    assert {"G202", "G201"} <= codes(GIRP_FLAGGED, kind="note")


def test_labelled_goal_in_plan_section_is_read() -> None:
    assert "G203" in codes(SOAP_PLAN_VAGUE, kind="note")


def test_client_voiced_measurable_plan_goal_is_clean() -> None:
    assert codes(SOAP_PLAN_CLEAN, kind="note") == set()


def test_other_plan_items_do_not_make_a_goal_measurable() -> None:
    note = "P: Goal: Client will feel better. Refer to psychiatry. RTC in 2 weeks, PHQ-9 then."
    assert "G203" in codes(note, kind="note")


def test_soap_objective_heading_is_not_a_goal() -> None:
    note = "S: Feeling tired.\nObjective: BP 120/80, calm and cooperative.\nPlan: Continue."
    assert codes(note, kind="note") == set()


def test_session_goal_outside_plan_is_not_a_treatment_goal() -> None:
    note = "S: Client's goal for today: talk about her mom.\nA: Stable.\nP: Continue weekly."
    assert codes(note, kind="note") == set()


def test_treatment_team_goal_is_read_in_any_section() -> None:
    note = (
        "Behavior: Calm on the unit.\n"
        "Intervention: Treatment team goal reviewed with patient: Patient will cooperate "
        "with staff.\nResponse: Nodded.\nPlan: Continue checks."
    )
    assert "G202" in codes(note, kind="note")


def test_client_will_plan_items_are_read_for_compliance_only() -> None:
    assert codes("P: Client will comply with medication. RTC 2 weeks.", kind="note") == {"G202"}
    assert (
        codes(
            "P: Client will call her sister tonight. Pt must not drive until cleared.", kind="note"
        )
        == set()
    )


def test_notes_without_goals_are_not_read() -> None:
    assert codes("Client reports a good week and slept 7 hours.", kind="note") == set()


# --- robustness -------------------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "Goal:",
        "Objective:",
        "Client",
        "will",
        "must",
        "comply",
        "stop",
        "not",
        "drink",
        "attend",
        "therapy",
        "improve",
        "mood",
        "by",
        "30",
        "June",
        "weeks",
        '"',
        "“",
        "”",
        "P:",
        "S:",
        "\n",
        "instead",
        "so",
        "that",
        "court",
        ".",
        ",",
        "(",
        ")",
        "'s",
        "words",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    words=st.lists(_WORDS, max_size=60),
    noise=st.text(max_size=40),
    kind=st.sampled_from(["goal", "note"]),
)
def test_any_text_lints_without_error_and_with_valid_spans(
    words: list[str], noise: str, kind: str
) -> None:
    text = " ".join(words) + noise
    findings = LINTER.lint_text(text, kind=kind)  # type: ignore[arg-type]
    for f in findings:
        assert f.category == "goal", f.message  # a rule that raised reports "internal"
        assert 0 <= f.start <= f.end <= len(text)


@settings(max_examples=80, deadline=None)
@given(
    inner=st.lists(
        st.sampled_from(
            ["I", "must", "comply", "stop", "drinking", "avoid", "attend", "therapy", "will", "not"]
        ),
        min_size=4,
        max_size=12,
    )
)
def test_quoted_client_words_are_never_flagged(inner: list[str]) -> None:
    quote = " ".join(inner)
    text = f'Goal in her words: "{quote}." Objective: 3 walks a week by 1 June.'
    findings = LINTER.lint_text(text, kind="goal")
    start = text.index(quote)
    assert all(not (f.start < start + len(quote) and start < f.end) for f in findings)


def test_unsafe_fix_rewrites_the_statement_once() -> None:
    result = LINTER.fix_text("Goal: Cooperate with staff.", kind="goal", unsafe=True)
    assert result.text == f"Goal: {REWRITE_TEMPLATE}."
    assert LINTER.fix_text("Goal: Cooperate with staff.", kind="goal").text == (
        "Goal: Cooperate with staff."
    )


@pytest.mark.parametrize(
    "timeframe",
    [
        "from March",
        "through the holidays",
        "by the end of term",
        "for the next 3 weeks",
        "by 2025-06-30",
        "until mid-June",
        "at the 12-week review",
        # holidays and named occasions
        "by Thanksgiving",
        "before Christmas",
        "by Easter",
        "before Eid",
        "in time for Diwali",
        "by New Year",
        "by New Year's Eve",
        "over the school holidays",
        "by spring break",
        "at Hanukkah",
        "ahead of Ramadan",
        "by Mother's Day",
        "by her daughter's wedding",
        "before his 40th birthday",
        "before the baby is born",
        "through finals",
        "before midterms",
        "by Friday",
        "before next Tuesday",
        "by the 6th EAP session",
        "for 12 straight weeks",
    ],
)
def test_timeframe_forms_count(timeframe: str) -> None:
    text = f'Goal (her words): "See my friends more." Target: 2 visits a week {timeframe}.'
    assert "G203" not in codes(text)


@pytest.mark.parametrize("frequency", ["5 days a week", "4 of 5 days", "twice a week"])
def test_a_frequency_alone_is_not_a_timeframe(frequency: str) -> None:
    text = f'Goal (her words): "See my friends more." Target: visit friends {frequency}.'
    assert "G203" in codes(text)


def test_a_client_quoted_holiday_deadline_with_a_target_is_measurable() -> None:
    text = (
        'Veteran: "Sleep in the same room as my wife again by Thanksgiving." Target: 5 nights '
        "a week; he chose to start with nightly imagery rehearsal practice."
    )
    assert codes(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        # a holiday named as a topic, not a date, leaves the goal without a timeframe
        'Goal (his words): "Enjoy Christmas with my kids." Target: 3 calm evenings a week.',
        # "advent of" and "lent" are not occasions
        'Goal (her words): "Use my phone less." Target: 2 hours a day, as before the advent '
        "of smartphones.",
    ],
)
def test_a_holiday_that_is_not_a_deadline_is_no_timeframe(text: str) -> None:
    assert "G203" in codes(text)


# --- a GIRP goal section headed "G:" ------------------------------------------------------

GIRP_ABBREVIATED = (
    "GIRP - Residential aged care, 20 min\n"
    "G: Resident will accept personal care from staff without resistance.\n"
    "I: Offered a choice of shower times and a female carer.\n"
    "R: Accepted a shower after lunch.\n"
    "P: Continue offering choices."
)


def test_girp_g_heading_is_a_goal_section_without_the_word_goal() -> None:
    found = [
        (f.code, GIRP_ABBREVIATED[f.start : f.end])
        for f in LINTER.lint_text(GIRP_ABBREVIATED, kind="note")
    ]
    assert ("G202", "accept personal care from staff") in found
    assert ("G202", "without resistance") in found
    assert any(code == "G201" for code, _ in found)


def test_girp_g_heading_with_a_collaborative_goal_is_clean() -> None:
    note = (
        'G: "I want to shower on my own days." Target: 3 showers a week by 30 June; she '
        "chose Monday, Wednesday and Friday.\n"
        "I: Planned the days together.\n"
        "R: Pleased with the plan."
    )
    assert codes(note, kind="note") == set()


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Client will accept redirection from staff.", "accept redirection from staff"),
        ("Resident will allow staff to assist with bathing.", "allow staff to"),
        ("Patient will tolerate showers twice a week.", "tolerate showers"),
        ("Client will attend meals without protest.", "without protest"),
    ],
)
def test_care_done_to_the_client_is_compliance_framing(text: str, span: str) -> None:
    found = [text[f.start : f.end] for f in LINTER.lint_text(text, kind="goal") if f.code == "G202"]
    assert span in found


def test_client_chosen_help_from_staff_is_not_compliance() -> None:
    text = (
        'Goal in her words: "Ask staff for help when I feel panicky." Target: ask once a day '
        "for 2 weeks; she chose the signal."
    )
    assert codes(text) == set()


@pytest.mark.parametrize("plan", ["quit date", "quit plan", "quitline", "quit-line support"])
def test_a_quit_date_or_plan_is_not_avoidance(plan: str) -> None:
    text = (
        f'Goal (her words): "A smoke-free home before the baby comes." Her {plan} is set for 2/1.'
    )
    assert "G204" not in codes(text)


def test_quitting_alone_is_still_avoidance() -> None:
    assert "G204" in codes("Goal: Quit smoking.")


def test_a_mailed_request_with_a_deadline_is_a_target() -> None:
    text = (
        '"Get my ID back so I can apply for housing." Target: birth certificate request '
        "mailed by Friday; client chose to go with the peer worker."
    )
    assert "G203" not in codes(text)


def test_a_weekday_habit_is_not_a_deadline() -> None:
    assert "G203" in codes('Goal (her words): "Feel calmer." Walk on Monday mornings.')
