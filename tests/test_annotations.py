"""Shared annotations: sentences, sections, client quotes, negation scopes."""

from __future__ import annotations

from inquiry_assist.annotations import annotate, find_sections, find_sentences


def spans(text: str, items: list) -> list[str]:  # type: ignore[type-arg]
    return [text[s.start : s.end] for s in items]


def test_sentences_respect_abbreviations_and_lines() -> None:
    text = "Dr. Lee saw pt. today. Mood low!\nPlan: follow up. Next week"
    assert spans(text, find_sentences(text)) == [
        "Dr. Lee saw pt. today.",
        "Mood low!",
        "Plan: follow up.",
        "Next week",
    ]


def test_soap_dap_birp_girp_sections() -> None:
    text = (
        "S: Client reports poor sleep.\nO: Alert.\nA: Low mood.\nP: Follow up in 1 week.\n"
        "Data: x\nBehavior: y\nIntervention: z\nResponse: r\nGoal: g\n## Plan\nmore"
    )
    names = [s.name for s in find_sections(text)]
    assert names == [
        "subjective",
        "objective",
        "assessment",
        "plan",
        "data",
        "behavior",
        "intervention",
        "response",
        "goal",
        "plan",
    ]
    plan = find_sections(text)[3]
    assert text[plan.start : plan.end] == "P: Follow up in 1 week.\n"


def test_prose_is_not_a_section() -> None:
    assert find_sections("Client said the plan was fine.\nAssessment is pending") == []


def test_client_quotes_straight_curly_and_stated_forms() -> None:
    text = 'Client said, "I am fine." She wrote “my words here”. Client stated: I want sleep.'
    ann = annotate(text)
    inner = [text[q.inner.start : q.inner.end] for q in ann.quotes]
    assert inner == ["I am fine.", "my words here", "I want sleep."]
    assert all(q.role == "client" for q in ann.quotes)
    assert ann.in_client_words(text.index("fine"), text.index("fine") + 4)
    assert not ann.in_client_words(0, 6)


def test_apostrophes_are_not_quotes() -> None:
    text = "Client’s mother’s house"
    assert annotate(text).quotes == []


def test_unbalanced_quote_is_ignored() -> None:
    text = 'Client said "I am tired and never closed'
    assert annotate(text).quotes == []


def test_negation_scope() -> None:
    text = "No agitation or hostility observed. Client was tense."
    ann = annotate(text)
    assert ann.negated(text.index("hostility"), text.index("hostility") + 9)
    assert not ann.negated(text.index("tense"), text.index("tense") + 5)


def test_sentence_and_section_lookup() -> None:
    text = "S: One. Two.\nP: Three."
    ann = annotate(text)
    sentence = ann.sentence_at(text.index("Two"))
    assert sentence is not None and text[sentence.start : sentence.end] == "Two."
    section = ann.section_at(text.index("Three"))
    assert section is not None and section.name == "plan"


def test_local_negation_check_agrees_with_all_scopes() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from inquiry_assist.annotations import Annotations

    parts = st.sampled_from(
        [
            "no",
            "not",
            "hostile",
            "calm",
            ",",
            ".",
            "but",
            "and",
            "client",
            "didn't",
            "agitation",
            "\n",
            "without",
        ]
    )

    @settings(max_examples=200, deadline=None)
    @given(st.lists(parts, max_size=40).map(" ".join), st.data())
    def check(text: str, data: st.DataObject) -> None:
        if not text:
            return
        start = data.draw(st.integers(0, len(text) - 1))
        end = data.draw(st.integers(start, len(text)))
        lazy = Annotations(text).negated(start, end)
        eager = Annotations(text)
        _ = eager.negations
        assert lazy == eager.negated(start, end)

    check()


def test_overlaps_client_words_matches_a_linear_scan() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from inquiry_assist.annotations import Annotations

    parts = st.sampled_from(['"', "“", "”", "I", "said", "claims", "Client", ",", ":", "stated"])

    @settings(max_examples=200, deadline=None)
    @given(st.lists(parts, max_size=30).map(" ".join), st.data())
    def check(text: str, data: st.DataObject) -> None:
        if not text:
            return
        ann = Annotations(text)
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
        linear = any(q.role == "client" and q.inner.overlaps(start, end) for q in ann.quotes)
        assert ann.overlaps_client_words(start, end) == linear

    check()
