"""The built-in ``language`` plugin: rules, lexicon coverage and context handling."""

from __future__ import annotations

import time
from importlib.resources import files

import pytest

from inquiry_assist import Linter, hookimpl
from inquiry_assist.builtin.language import TERM_PACKS
from inquiry_assist.builtin.language.rules import RULES
from inquiry_assist.config import Config, ConfigError
from inquiry_assist.lexicon import (
    _PROBES,
    Lexicon,
    TermPack,
    _compile_fast_start,
    builtin_pack,
    load_term_pack,
)
from inquiry_assist.model import Finding

LANGUAGE = Linter(Config(select=("language",)), load_entrypoints=False)


def lang(text: str, kind: str = "note") -> list[Finding]:
    return LANGUAGE.lint_text(text, kind=kind)  # type: ignore[arg-type]


def flagged(text: str) -> list[tuple[str, str]]:
    """``(code, matched text)`` for every language finding."""
    return [(f.code, f.text) for f in lang(text)]


def codes(text: str) -> set[str]:
    return {f.code for f in lang(text)}


# --- rule metadata --------------------------------------------------------------------


def test_every_rule_is_documented() -> None:
    seen = set()
    for rule_type in RULES:
        meta = rule_type.meta
        assert meta.code.startswith("L1") and meta.category == "language"
        assert meta.code not in seen
        seen.add(meta.code)
        assert meta.summary and len(meta.rationale) > 80 and meta.sources
        assert len(meta.flagged) >= 2 and len(meta.clean) >= 2
        assert set(meta.kinds) == {"note", "goal"}


@pytest.mark.parametrize("rule_type", RULES, ids=lambda r: r.meta.code)
def test_documented_examples_behave(rule_type: type) -> None:
    meta = rule_type.meta
    for example in meta.flagged:
        found = {f.code for f in LANGUAGE.lint_text(example.text, kind=example.kind)}
        assert meta.code in found, example.text
    for example in meta.clean:
        found = {f.code for f in LANGUAGE.lint_text(example.text, kind=example.kind)}
        assert meta.code not in found, example.text


def test_every_term_has_full_metadata() -> None:
    for filename in TERM_PACKS:
        pack = builtin_pack("inquiry_assist.builtin.language", filename)
        assert pack.terms, filename
        for term in pack.terms:
            assert term.subtype and term.severity and term.why and term.source, term.phrase
            if term.applicability == "safe":
                assert term.replacements, term.phrase


def test_builtin_patterns_pass_the_load_time_checks() -> None:
    """The packs are registered as vetted (compiled on first use, not probed at
    start-up); this is the check that vetting stands for."""
    terms = [
        term
        for filename in TERM_PACKS
        for term in load_term_pack(files("inquiry_assist.builtin.language") / filename).terms
    ]
    assert not any(term._vetted for term in terms)
    Lexicon(terms)  # compiles every guard and probes it for catastrophic backtracking


def test_builtin_start_guards_are_fast_with_the_stdlib_engine() -> None:
    """Vetted start-anchored guards run on the stdlib ``re`` engine, which has no
    time limit: each must compile there and stay fast on guard-sized windows
    (60 characters) of the backtracking probes."""
    terms = [
        t for f in TERM_PACKS for t in builtin_pack("inquiry_assist.builtin.language", f).terms
    ]
    guards = [g for t in terms for g in (t.unless_after, t.if_after) if g]
    assert guards
    windows = [p[:60] for p in _PROBES] + [p[-60:] for p in _PROBES]
    for source in guards:
        compiled = _compile_fast_start(source)
        assert compiled is not None, source
        t0 = time.perf_counter()
        for window in windows:
            compiled.match(window)
        assert time.perf_counter() - t0 < 0.05, source


def test_codes_are_stable() -> None:
    assert [r.meta.code for r in RULES] == [f"L10{i}" for i in range(1, 10)]
    assert [r.meta.name for r in RULES] == [
        "doubt-marker",
        "blaming-language",
        "difficult-patient-label",
        "identity-first-label",
        "stigmatizing-substance-term",
        "suicide-wording",
        "disability-wording",
        "weight-or-age-label",
        "scare-quotes",
    ]


# --- per-rule flagged and clean --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "span"),
    [
        ("Client claims she slept well.", "L101", "claims"),
        ("Mr. Ortiz insisted the bruise was from a fall.", "L101", "insisted"),
        ("She allegedly took the bus alone.", "L101", "allegedly"),
        ("He admits to vaping before school.", "L101", "admits to"),
        ("Client denies drinking, although she smelled of alcohol.", "L101", "denies"),
        ("He refuses his morning dose.", "L102", "refuses"),
        ("Non-compliance with the meal plan continues.", "L102", "Non-compliance"),
        ("She is resistant to talking about her mother.", "L102", "resistant"),
        ("He failed to return the consent form.", "L102", "failed to"),
        ("Patient was combative in triage.", "L103", "combative"),
        ("Known drug seeker per ED notes.", "L103", "drug seeker"),
        ("Frequent flier at the walk-in clinic.", "L103", "Frequent flier"),
        ("The patient, a schizophrenic, lives alone.", "L104", "a schizophrenic"),
        ("Client is a diabetic and takes insulin.", "L104", "a diabetic"),
        ("58 year-old diabetic seen for low mood.", "L104", "year-old diabetic"),
        ("Pt is an epileptic.", "L104", "an epileptic"),
        ("He is a hypochondriac and calls the nurse line daily.", "L103", "hypochondriac"),
        ("Client is mentally unstable.", "L103", "mentally unstable"),
        ("Her account of the weekend is dubious.", "L101", "dubious"),
        ("He is an ex-con living in a halfway house.", "L104", "ex-con"),
        ("Client is a prostitute.", "L104", "prostitute"),
        ("Client is an illegal immigrant.", "L104", "illegal immigrant"),
        ("The client is a sex offender.", "L104", "sex offender"),
        ("Client is a known liar.", "L103", "known liar"),
        ("Secondary gain is suspected.", "L103", "Secondary gain"),
        ("Client is poorly groomed.", "L103", "poorly groomed"),
        ("Client manipulated the nurse into giving extra meds.", "L103", "manipulated the nurse"),
        ("Client, a recovering addict, chairs the meeting.", "L104", "a recovering addict"),
        ("Tox screen dirty for cocaine.", "L105", "dirty"),
        ("He wants to stay clean and sober.", "L105", "clean"),
        ("Referred as an IV drug user.", "L105", "IV drug user"),
        ("Her sister committed suicide in 2015.", "L106", "committed suicide"),
        ("He is wheelchair bound.", "L107", "is wheelchair bound"),
        ("Client suffers from PTSD.", "L107", "suffers from"),
        ("Obese patient seen for sleep apnea follow-up.", "L108", "Obese patient"),
        ("She is elderly and lives alone.", "L108", "elderly"),
        ("The elderly patient was confused.", "L108", "elderly"),
        ("Services for the elderly are limited.", "L108", "the elderly"),
        ('He "lost" his bus pass again.', "L109", '"lost"'),
        ("Apparently she ran out of her inhaler again.", "L101", "Apparently"),
        ("Known med-seeker at the urgent care.", "L103", "med-seeker"),
        ("He manipulated his way onto the early list.", "L103", "manipulated his way"),
        ("She is an addict, per the referral.", "L104", "an addict"),
        ("He admitted last week that he drank on Friday.", "L101", "admitted"),
        ("52-year-old epileptic referred for low mood.", "L104", "year-old epileptic"),
        ("Her account of the night is questionable.", "L101", "questionable"),
        ("Bed 12, the borderline, is splitting staff again.", "L104", "the borderline"),
        # dementia labels
        ("Mrs. Byrne is demented and cannot be left alone in the kitchen.", "L104", "demented"),
        ("The dementing residents on the ward need more staff.", "L104", "dementing residents"),
        # a substance-addicted label on a person
        ("He is a drug-addicted veteran living in his car.", "L104", "drug-addicted"),
        ("Heroin-addicted woman seen in the ED overnight.", "L104", "Heroin-addicted"),
        ("An addicted patient asked for an early refill.", "L104", "addicted"),
        ("Substance-abusing woman, 34, on probation.", "L105", "Substance-abusing"),
        # a diagnosis adjective directly before a person noun
        ("Anorexic patient, 41 kg on admission, BMI 14.8.", "L104", "Anorexic"),
        ("Anorexic adolescent admitted for refeeding.", "L104", "Anorexic"),
        ("Bulimic teen referred by her GP.", "L104", "Bulimic"),
        ("Psychotic patient in seclusion overnight.", "L104", "Psychotic"),
        ("Diabetic client asked about the group.", "L104", "Diabetic"),
        ("BPD patient, third presentation this month.", "L104", "BPD patient"),
        # a person called illegal
        ("Asylum seeker is illegal and has no papers, per intake.", "L104", "is illegal"),
        ("The asylum seeker was illegal, per the referral.", "L104", "was illegal"),
        ("She is illegal and works cash jobs.", "L104", "is illegal"),
        ("He's illegal, per his case worker.", "L104", "He's illegal"),
        ("Illegal migrant, arrived by boat in 2019.", "L104", "Illegal migrant"),
        # functioning labels
        (
            "Intake: 24-year-old man, low functioning, lives with his parents.",
            "L107",
            "low functioning",
        ),
        ("Client is high-functioning and works full time.", "L107", "high-functioning"),
        ("Low-functioning autistic boy, non-speaking.", "L107", "Low-functioning autistic"),
        # a subjectless fragment is about the client
        (
            "Resistant to treatment and dismissive of staff suggestions about sleep.",
            "L102",
            "Resistant to treatment",
        ),
        ("Client remains resistant to therapy.", "L102", "resistant to therapy"),
        # "lying" as a judgement of the client's account
        ("Denies any use, but the screen is positive: likely lying.", "L101", "lying"),
        ("Pt is lying about her use.", "L101", "lying"),
        ("Writer confronted client about his lies regarding use.", "L101", "lies"),
        ("Writer confronted client about his lies regarding use.", "L102", "confronted"),
        ("Client was confronted about her drinking.", "L102", "confronted"),
        ("Patient angry and agitated throughout the interview.", "L103", "angry"),
        ("Patient angry and agitated throughout the interview.", "L103", "agitated"),
        ("Patient was unpleasant with the receptionist.", "L103", "unpleasant"),
        ("Client is a chronic relapser.", "L104", "chronic relapser"),
        ("Client is a compulsive gambler who lost his savings.", "L104", "compulsive gambler"),
        ("Gentleman is a chronic drunk known to the outreach van.", "L104", "chronic drunk"),
        ("Pt is a transsexual who started hormones in May.", "L104", "a transsexual"),
        ("Client was evasive about how much she lost.", "L101", "evasive"),
        ("Pt purports to hear voices only at night.", "L101", "purports"),
        ("Pt (age 9) is a difficult child on port access days.", "L103", "difficult child"),
        ("Goalkeeper is a head case under pressure.", "L103", "head case"),
        ("Client has a poor attitude toward the plan.", "L103", "poor attitude"),
        # in a couples note the partners are the clients
        ("Couples session: wife insisted she had never raised her voice.", "L101", "insisted"),
        ("Conjoint therapy. Husband claims he never drinks at home.", "L101", "claims"),
    ],
)
def test_flagged(text: str, code: str, span: str) -> None:
    assert (code, span) in flagged(text)


@pytest.mark.parametrize(
    "text",
    [
        "Client reports she slept well.",
        "Helped client file insurance claims for two visits.",
        "Client declined the evening dose because of nausea.",
        "Diagnosis: treatment-resistant depression.",
        "Client was admitted to the crisis unit overnight.",
        "Admitted for medication stabilization on 3/4.",
        "The pharmacy refused to fill the prescription.",
        "The first trial failed to reduce her panic attacks.",
        "Session held on a HIPAA-compliant platform.",
        "Endocrinology recommends aggressive treatment of her diabetes.",
        "Client's new job is demanding; she works nights.",
        "She had a dramatic improvement in sleep.",
        "He earned frequent flyer miles on work trips.",
        "Diagnosis: borderline personality disorder.",
        "Client has alcohol use disorder, in early remission.",
        "History of alcoholic hepatitis in 2019.",
        "She attends Alcoholics Anonymous on Sundays.",
        "Urine drug screen negative for all substances.",
        "Her apartment was clean and tidy during the home visit.",
        "Her cousin died by suicide last year.",
        "He made a failed attempt to fix the car himself.",
        "Client uses a wheelchair since the accident.",
        "Client is an older adult living with her niece.",
        "She is a victim of a burglary and feels unsafe at home.",
        "We practiced 'box breathing' and the “5-4-3-2-1” skill.",
        "Provided psychoeducation about the stress response.",
        "Client works as a fabric cutter.",
        "Client denies SI/HI.",
        "She had an epileptic seizure in 2019.",
        "He follows a diabetic diet and checks his feet daily.",
        "Client had a schizophrenic episode in 2015.",
        "Anorexic thoughts were lower this week.",
        "Client was dubious about the new medication.",
        "Client insisted on paying the copay herself.",
        "Client attends the sex offender treatment program.",
        "Appearance: poorly groomed, good eye contact.",
        "Client worries her son thinks she is a liar.",
        "Her ex-husband called her a liar in court.",
        "Diagnosis: emotionally unstable personality disorder.",
        "Apparently healthy 40-year-old referred for insomnia.",
        "He was apparently in good spirits at the group.",
        "She calls herself an alcoholic and says the word helps her at meetings.",
        "He identifies as an addict in recovery.",
        "Describes himself as a recovering alcoholic.",
        "A trial of fluoxetine failed to reduce her panic attacks.",
        "Two courses of CBT failed to help with the insomnia.",
        "She talked about her ex-husband, whom she described as manipulative.",
        "Diagnosis and session dates submitted for claims.",
        "Mr Nguyen is an older man admitted last week after a fall.",
        "Patient admitted three days ago after an overdose.",
        "Discharge summary. Admitted 3/9 after an overdose.",
        "Admitted 2 May with low mood; discharged home 19 May.",
        "Admitted on 14th March for detox; admitted Sept. 3 for a medication review.",
        "She was lying in bed all weekend.",
        "Pt was lying down on arrival.",
        "He worries his wife thinks he is lying.",
        'Reviewed her EPDS item 10 response (thoughts of self-harm "hardly ever").',
        "Her husband was angry and agitated.",
        "She reports feeling angry at her sister.",
        "Psychomotor: agitated. Affect: anxious.",
        "He had an unpleasant experience at the clinic.",
        "She confronted her father about the abuse.",
        "The problem lies in the schedule.",
        "Client reported that the officer was combative during the traffic stop.",
        "She talked about the resistance she feels when she opens her work email.",
        "She plays defensive midfield and captains the U21 side.",
        "The shelter refused pets, so the family slept in the car.",
        "He was drunk at the party on Saturday.",
        "His father is a drunk.",
        "She took evasive action on the motorway.",
        'Client said she is "a compulsive gambler, always was".',
        "Her father accused her of lying.",
        "He has been lying low since the arrest.",
        "Discussed the medication trial that failed to reduce his panic; considering a switch.",
        "Individual session. Her husband insisted he was sober.",
        # a claim for money or an entitlement is a noun, not a doubt marker
        "Help needed with her Centrelink claim and the NDIS plan review.",
        "WorkCover claim accepted; case manager is Lisa at the insurer.",
        "Her ACC claim was approved on Monday.",
        "She put in a claim with the insurer last week.",
        "His claim was rejected and we talked about an appeal.",
        "PIP claim form completed with her support worker.",
        "Client made a claim of discrimination against her employer.",
        # a word the client signed or picked on a communication aid is the client's own
        "Michael signed 'finish'; the session ended and his support worker took him for a "
        "walk as planned.",
        'She used her Lámh sign for "more" at snack time.',
        'He pointed to "toilet" on his picture board.',
        'Ava signed "tired" twice in Makaton and we ended early.',
        # clinical senses and other people stay clean
        "Dementing illness was first suspected in 2021.",
        "Her husband is demented and she is his main carer.",
        "He is addicted to nicotine and wants to quit.",
        "Client's mother is drug-addicted and lives interstate.",
        "Anorexic thoughts were lower this week.",
        "Psychotic symptoms resolved on olanzapine.",
        "Bipolar disorder with psychotic features, in remission.",
        "Autistic adult referred for anxiety support.",
        "Her daughter is anorexic and the family is struggling.",
        "It is illegal to share her records without consent.",
        "Client reports the eviction is illegal.",
        "She asked whether it was illegal to drive on her medication.",
        "Client is here illegally and fears deportation.",
        "Client worries that her cousin is illegal.",
        "She works in a high-functioning team.",
        "GAF suggests low functioning across domains.",
        "Client describes high-functioning anxiety.",
        "Her brother is low-functioning and lives in a group home.",
        "Her depression has been resistant to treatment.",
        "Infection resistant to treatment; switched antibiotics.",
        "History of MDD resistant to two SSRIs.",
        "Client is not resistant to treatment.",
    ],
)
def test_clean(text: str) -> None:
    assert flagged(text) == []


# --- context handling -------------------------------------------------------------------


def test_client_quotes_are_never_flagged() -> None:
    assert flagged('Client said, "I am an addict and I have been clean for a year."') == []
    assert flagged("He said, “They call me non-compliant, but the pills make me sick.”") == []
    assert flagged("Client stated: I refused because I was scared.") == []
    assert flagged('Client described herself as "lazy" on bad days.') == []
    # a term the client prefers is the client's word, not a doubt
    assert flagged("She prefers 'person in recovery' to other terms.") == []


def test_nested_quote_inside_client_quote_is_not_a_scare_quote() -> None:
    text = "Client said, \"My chart says 'noncompliant' and I hate it.\""
    assert flagged(text) == []


def test_straight_single_quotes() -> None:
    assert flagged("Client is 'allergic' to all pain medications.") == [("L109", "'allergic'")]
    assert flagged("Client feels 'stuck' and wants a plan.") == []
    assert flagged("The clients' group met; don't worry, it's fine.") == []
    assert flagged("In the '90s the clients' rights were different.") == []


def test_denies_is_doubt_only_against_evidence() -> None:
    assert flagged("Client denies alcohol use.") == []
    assert flagged("Denies SI/HI, AH/VH.") == []
    assert ("L101", "denies") in flagged("Client denies drinking but UDS was positive.")
    assert ("L101", "denied") in flagged("He initially denied using, then told me.")


def test_scare_quotes_span_includes_the_marks() -> None:
    text = "Pt “forgot” her appointment."
    findings = [f for f in lang(text) if f.code == "L109"]
    assert [f.text for f in findings] == ["“forgot”"]
    assert findings[0].suggestions[0].replacement == "forgot"
    assert findings[0].suggestions[0].applicability == "unsafe"


def test_negated_descriptors_are_not_flagged() -> None:
    assert flagged("No combative or hostile behavior.") == []
    assert flagged("Client was not hostile at any point.") == []
    assert flagged("There was no evidence of malingering.") == []


def test_negation_does_not_hide_a_later_clause() -> None:
    assert ("L102", "noncompliant") in flagged("Client didn't take meds, is noncompliant")
    assert ("L103", "hostile") in flagged("Not sleeping well, but was hostile in group.")


def test_not_compliant_is_itself_the_problem() -> None:
    assert ("L102", "not compliant") in flagged("Client is not compliant with lithium.")


def test_words_about_other_people_are_not_labels_of_the_client() -> None:
    assert flagged("Her father is an alcoholic.") == []
    assert flagged("Client describes her ex-husband as manipulative and hostile.") == []
    assert flagged("Her alcoholic father left when she was six.") == []
    assert flagged("Client's landlord refused to fix the heating.") == []
    assert flagged("Another patient was combative in the dayroom.") == []
    # ...but the client still is the client when mentioned last
    assert ("L103", "manipulative") in flagged("Client's mother says she is manipulative.")


def test_in_a_perinatal_note_a_bare_mom_is_the_client() -> None:
    # "Mom" with no "her"/"client's" in a sentence about a baby, a pregnancy or custody
    assert ("L105", "substance abuser") in flagged(
        "Mom is a substance abuser and the baby is in the NICU for withdrawal."
    )
    assert ("L104", "Crack-addicted") in flagged(
        "Crack-addicted mother, lost custody of her first two children in 2018."
    )
    assert ("L104", "a heroin addict") in flagged(
        "Mother, 24, is a heroin addict; baby born at 36 weeks."
    )
    # ...but the client's mother is someone else
    assert flagged("Her mother is a substance abuser and the baby is in the NICU.") == []
    assert flagged("Client's crack-addicted mother lost custody of her children.") == []
    assert flagged("Mother is an alcoholic; client was born prematurely.") == []
    assert flagged("Mother is an alcoholic.") == []
    assert ("L104", "Anorexic") in flagged("Anorexic mother of a newborn, referred by midwife.")
    assert flagged("Her anorexic mother died when she was 12.") == []


def test_after_a_copula_the_person_noun_is_the_subject() -> None:
    # "Patient is an addicted mother": the mother is the patient, not the patient's mother
    assert ("L104", "addicted") in flagged("Patient is an addicted mother of three.")
    assert flagged("Client's sister is an addicted mother of two.") == []
    assert flagged("Her alcoholic father left when she was six.") == []


def test_claim_as_an_assertion_is_still_doubt() -> None:
    assert ("L101", "claim") in flagged("Her claim that he hit her was not believed by staff.")
    assert ("L101", "claims") in flagged("His claims of abuse were discussed.")
    assert ("L101", "claims") in flagged("The client also claims she slept well.")
    assert ("L101", "claims") in flagged("She claims the WorkCover doctor was rude.")
    assert flagged("Her claim that she lodged in May was denied.") == []


def test_a_signed_word_is_not_a_scare_quote_but_quoting_signed_is() -> None:
    assert flagged("Michael signed 'finish' and we stopped.") == []
    assert flagged('He "signed" the form without reading it.') == [("L109", '"signed"')]
    assert flagged('He showed signs of "withdrawal" all week.') == [("L109", '"withdrawal"')]


def test_suicide_wording_is_flagged_whoever_it_describes() -> None:
    assert ("L106", "committed suicide") in flagged("Her father committed suicide.")


def test_diagnosis_names_clean_but_labels_flagged() -> None:
    assert flagged("History of bipolar disorder, currently euthymic.") == []
    assert ("L104", "is bipolar") in flagged("She is bipolar.")
    assert ("L104", "a borderline") in flagged("She is a borderline.")
    assert flagged("Borderline personality disorder, in DBT.") == []


def test_mental_status_appearance_is_observation() -> None:
    assert flagged("MSE:\nAppearance: disheveled, poor hygiene.") == []
    assert ("L103", "unkempt") in flagged("Client is unkempt and rude to staff.")


# --- matching: inflections, variants, case, offsets ----------------------------------------


@pytest.mark.parametrize(
    "word", ["refuse", "refuses", "refused", "refusing", "Refused", "REFUSED", "refusal"]
)
def test_inflections(word: str) -> None:
    assert "L102" in codes(f"Client {word} the lab draw.")


@pytest.mark.parametrize(
    "variant", ["noncompliant", "non-compliant", "non compliant", "Non-Compliant", "non‑compliant"]
)
def test_hyphen_variants(variant: str) -> None:
    assert flagged(f"Client is {variant} with meds.") == [("L102", variant)]


def test_whole_words_only() -> None:
    assert flagged("Reclaimed furniture; psychoeducation; manipulatives; cleaner.") == []


def test_possessive_matches_the_word() -> None:
    assert ("L104", "addict") in flagged("Called the addict's sponsor.")


def test_words_in_single_quotes_and_contractions() -> None:
    assert set(flagged("Client is 'noncompliant' again.")) == {
        ("L102", "noncompliant"),
        ("L109", "'noncompliant'"),
    }
    assert flagged("Client said she didn't want the can't-miss deal.") == []


@pytest.mark.parametrize(
    ("text", "replacement"),
    [
        ("Client refused the dose.", "declined"),
        ("Refused group.", "Declined"),
        ("He REFUSES labs.", "DECLINES"),
        ("Client claims she slept.", "reports"),
        ("She admitted to using.", "reported"),
        ("He committed suicide.", "died by suicide"),
        ("Commits suicide", "Dies by suicide"),
        ("Client suffers from PTSD.", "has"),
        ("Client failed to attend.", "did not"),
        ("An elderly widow.", "older"),
    ],
)
def test_case_and_inflection_preserving_suggestions(text: str, replacement: str) -> None:
    suggestions = [s.replacement for f in lang(text) for s in f.suggestions]
    assert replacement in suggestions


@pytest.mark.parametrize(
    ("text", "consider"),
    [
        ("Client claims she slept.", "reports"),
        ("She insists the rent was paid.", "states"),
        ("He insisted it was paid.", "stated"),
        ("Client claim was noted.", None),  # a noun: the exception list is separate
        ("They claim it was paid.", "report"),
    ],
)
def test_message_replacement_agrees_with_the_matched_inflection(
    text: str, consider: str | None
) -> None:
    messages = [f.message for f in lang(text) if f.code == "L101"]
    if consider is None:
        return
    assert messages and f"Consider “{consider}”." in messages[0], messages


def test_safe_and_unsafe_applicability() -> None:
    by_text = {f.text: f for f in lang("Client refused and is a schizophrenic.")}
    assert by_text["refused"].suggestions[0].applicability == "safe"
    assert by_text["is a schizophrenic"].suggestions[0].replacement == "has schizophrenia"
    assert by_text["is a schizophrenic"].suggestions[0].applicability == "unsafe"


def test_code_point_offsets_with_non_ascii_text() -> None:
    text = "Zoë 🙂 (né Müller) — client claims 😀 İstanbul trip was fine; she refused."
    findings = lang(text)
    assert [f.text for f in findings] == ["claims", "refused"]
    for f in findings:
        assert text[f.start : f.end] == f.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("addict", ["addict"]),
        ("An addict.", ["An addict"]),
        ("the addict's sponsor", ["addict"]),
        ("the addict’s sponsor", ["addict"]),
        ("addicts'", ["addicts"]),
        ("o'addict", []),
        ("éaddict and addicté", []),
        ("_addict addict_ addict2", []),
        ("'addict' “addict”", ["addict", "addict"]),
        ("addict-addict", ["addict", "addict"]),
        ("junkie\naddict\tjunkie", ["junkie", "addict", "junkie"]),
        ("addict's's", []),
        ("ADDICT", ["ADDICT"]),
        ("crack\n  addict", ["crack\n  addict"]),
        ("crack  -  addict", ["addict"]),
        ("Zoë 🙂 addict ½ addict", ["addict", "addict"]),
    ],
)
def test_lexicon_word_boundaries(text: str, expected: list[str]) -> None:
    """Whole words only, whatever is around them (punctuation, apostrophes,
    non-ASCII letters, line breaks), and multiword terms across separators."""
    hits = LANGUAGE.lexicon.match(text)
    assert [h.text for h in hits] == expected
    for hit in hits:
        assert text[hit.start : hit.end] == hit.text


def test_lexicon_terms_with_unusual_first_words() -> None:
    """Terms whose first word has an apostrophe or a non-ASCII letter, or is very
    long, are found too (they are looked for outside the one-pass scan)."""
    long_word = "x" * 60
    pack = {
        "terms": [
            {"phrase": "o'malley-ish", "rule": "L103", "why": "t", "source": "test"},
            {"phrase": "naïve patient", "rule": "L103", "why": "t", "source": "test"},
            {"phrase": long_word, "rule": "L103", "why": "t", "source": "test"},
        ]
    }
    linter = Linter(Config(select=("L103",), terms=tuple(pack["terms"])), load_entrypoints=False)
    text = f"Client was o'malley-ish. A naïve patient. {long_word}. y{long_word}."
    assert [f.text for f in linter.lint_text(text)] == ["o'malley-ish", "naïve patient", long_word]


def test_goals_are_linted_too() -> None:
    goal = LANGUAGE.lint_text("Alcoholic client will stay clean for 90 days.", kind="goal")
    assert {f.code for f in goal} >= {"L104", "L105"}


def test_autofix_applies_only_safe_suggestions() -> None:
    result = LANGUAGE.fix_text("Client refused labs; she is a schizophrenic.")
    assert result.text.startswith("Client declined labs")
    assert "a schizophrenic" in result.text


# --- extension: config terms and plugin packs, one matcher ----------------------------------


def test_config_terms_join_the_same_matcher() -> None:
    linter = Linter(
        Config(
            select=("language",),
            terms=(
                {
                    "phrase": "frequent attender",
                    "rule": "difficult-patient-label",
                    "inflect": "noun",
                    "replacements": ["attends often"],
                    "why": "labels the client by how often they come.",
                },
            ),
        ),
        load_entrypoints=False,
    )
    found = [(f.code, f.text) for f in linter.lint_text("Frequent attenders; client claims.")]
    assert found == [("L103", "Frequent attenders"), ("L101", "claims")]
    assert len(linter.lexicon) == len(LANGUAGE.lexicon) + 1


class _ClinicPack:
    @hookimpl
    def inquiry_assist_register_terms(self, register: object) -> None:
        register(  # type: ignore[operator]
            TermPack(
                name="clinic",
                terms=(
                    {
                        "phrase": "bed blocker",
                        "rule": "L103",
                        "replacements": ["awaiting discharge"],
                    },
                ),  # type: ignore[arg-type]
            )
        )


def test_plugin_term_packs_join_the_same_matcher() -> None:
    linter = Linter(Config(select=("language",)), plugins=[_ClinicPack()], load_entrypoints=False)
    found = [(f.code, f.text) for f in linter.lint_text("Bed-blocker on ward 3; pt is hostile.")]
    assert found == [("L103", "Bed-blocker"), ("L103", "hostile")]


@pytest.mark.parametrize(
    ("field", "pattern", "message"),
    [
        ("pattern", "(unclosed", "invalid pattern"),
        ("unless_before", "x(a|a)+!", "too slow"),
        ("if_after", "(a|aa)+b", "too slow"),
        ("pattern", "(a|aa)+b", "too slow"),
    ],
)
def test_bad_config_patterns_are_rejected_naming_the_term(
    field: str, pattern: str, message: str
) -> None:
    term = {"phrase": "odd phrase", "rule": "doubt-marker", field: pattern}
    with pytest.raises(ConfigError) as err:
        Linter(Config(terms=(term,)), load_entrypoints=False)
    assert "odd phrase" in str(err.value) and message in str(err.value)


def test_config_term_for_an_unknown_rule_is_rejected() -> None:
    with pytest.raises(ConfigError, match="no lexicon rule"):
        Linter(Config(terms=({"phrase": "x", "rule": "no-such-rule"},)), load_entrypoints=False)
