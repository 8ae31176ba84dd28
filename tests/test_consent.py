"""The built-in consent rules (C301–C305): flagged and clean documentation."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inquiry_assist import Linter
from inquiry_assist.builtin.consent.rules import RULES, consent_data
from inquiry_assist.builtin.consent.schema import (
    ConsentPackError,
    WordIndex,
    builtin_packs,
    compile_packs,
    load_consent_pack,
)
from inquiry_assist.config import Config
from inquiry_assist.model import Document, Finding


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(Config(select=["consent"]), load_entrypoints=False, blocked=["language", "goal"])


def codes(linter: Linter, text: str, kind: str = "note", **facts: object) -> list[str]:
    doc = Document(text=text, kind=kind, facts={k.replace("_", "."): v for k, v in facts.items()})  # type: ignore[arg-type]
    return [f.code for f in linter.lint_document(doc) if f.category == "consent"]


# --- C301 sensitive-work-without-permission ---------------------------------------------

C301_FLAGGED = [
    "Began EMDR reprocessing of the assault memory today.",
    "Started imaginal exposure to the combat memory; SUDS peaked at 90.",
    "Conducted in vivo exposure at the parking garage.",
    "Explored her history of childhood abuse in depth.",
    "Took a detailed account of the sexual assault for the court letter.",
    "Asked him to describe the robbery step by step.",
    "Had the client show the cuts on her forearm.",
    "Initiated trauma processing of the index event.",
]
C301_CLEAN = [
    "With the client's permission, began EMDR reprocessing of the assault memory.",
    "Client agreed to start imaginal exposure to the combat memory; SUDS peaked at 90.",
    "Reviewed the stop signal first. Conducted in vivo exposure at the parking garage.",
    "Before exploring the abuse history, reminded her she could pause or skip any question.",
    "Asked whether she wanted to talk about the assault today; she chose to focus on sleep.",
    "Abuse history was not explored today by the client's choice.",
    "Explained the right to stop at any time, then started imaginal exposure.",
    "Offered a pause before continuing; client opted to go on with the trauma narrative.",
    "Client reported nightmares about the assault twice this week.",
]


@pytest.mark.parametrize("text", C301_FLAGGED)
def test_c301_flags_sensitive_work_without_permission(linter: Linter, text: str) -> None:
    assert "C301" in codes(linter, text)


@pytest.mark.parametrize("text", C301_CLEAN)
def test_c301_clean_when_permission_or_pacing_documented(linter: Linter, text: str) -> None:
    assert "C301" not in codes(linter, text)


def test_c301_generic_agreement_far_away_does_not_satisfy(linter: Linter) -> None:
    text = (
        "Had the client show the cuts on her forearm. Nursing dressed the wounds.\n"
        "Reviewed sleep. Discussed her week at school.\n"
        "She agreed to try a new grounding skill."
    )
    assert "C301" in codes(linter, text)


# --- C302 recording-without-consent ------------------------------------------------------

C302_FLAGGED = [
    "Session was video-recorded for the training library.",
    "Audio recording of the session uploaded to the team folder.",
    "Recorded the session on the clinic tablet for supervision.",
    "A clip of the group was played at the staff meeting.",
]
C302_CLEAN = [
    "Client gave verbal consent to record; session was video-recorded for supervision.",
    "Session recorded with the client's written consent; recording deleted after review.",
    "Client declined recording, so the session was not recorded.",
    "No recording was made.",
    "SUDS recorded every ten minutes.",
    "Vitals recorded by nursing at 09:00.",
]


@pytest.mark.parametrize("text", C302_FLAGGED)
def test_c302_flags_recording_without_consent(linter: Linter, text: str) -> None:
    assert "C302" in codes(linter, text)


@pytest.mark.parametrize("text", C302_CLEAN)
def test_c302_clean(linter: Linter, text: str) -> None:
    assert "C302" not in codes(linter, text)


# --- C303 disclosure-without-release -----------------------------------------------------

C303_FLAGGED = [
    "Phoned his boss to confirm he attends treatment.",
    "Emailed her professor about the missed exam and her diagnosis.",
    "Counselor spoke with the client's landlord about the eviction notice.",
    "Sent the discharge summary to his parole officer.",
    "Told her husband about the overdose when he called.",
    "Faxed the last two screens to his attorney.",
]
C303_CLEAN = [
    "With a signed release on file, phoned his boss to confirm he attends treatment.",
    "ROI signed today; emailed her professor about accommodations only.",
    "Client asked that we update her sister; spoke with her sister by phone.",
    "At the client's request, sent the discharge summary to his parole officer.",
    "Her husband called asking for an update; with no release on file, nothing was shared.",
    "Client called her mother after the session.",
    "Informed the attending psychiatrist of the new symptoms.",
    "Consulted my supervisor about the case.",
]


@pytest.mark.parametrize("text", C303_FLAGGED)
def test_c303_flags_disclosure_without_release(linter: Linter, text: str) -> None:
    assert "C303" in codes(linter, text)


@pytest.mark.parametrize("text", C303_CLEAN)
def test_c303_clean(linter: Linter, text: str) -> None:
    assert "C303" not in codes(linter, text)


def test_c303_refused_release_is_not_a_satisfier(linter: Linter) -> None:
    text = "Client declined to sign a release. Faxed the screens to his probation officer."
    assert "C303" in codes(linter, text)


# --- C304 confidentiality-limits-not-reviewed --------------------------------------------

C304_FLAGGED = [
    "Intake assessment. Client described panic attacks and daily cannabis use.",
    "Initial evaluation; limits of confidentiality to be explained at the next visit.",
    "Intake: history taken. Limits of confidentiality reviewed at the close of the session.",
    "Mandated report made to CPS after the client described leaving her toddler alone.",
]
C304_CLEAN = [
    "Intake assessment. Limits of confidentiality reviewed first; client had no questions.",
    "Mandated report made to CPS, consistent with the limits of confidentiality reviewed "
    "at intake.",
    "Follow-up session. Client described panic attacks and daily cannabis use.",
]


@pytest.mark.parametrize("text", C304_FLAGGED)
def test_c304_flags_missing_or_late_review(linter: Linter, text: str) -> None:
    assert "C304" in codes(linter, text)


@pytest.mark.parametrize("text", C304_CLEAN)
def test_c304_clean(linter: Linter, text: str) -> None:
    assert "C304" not in codes(linter, text)


def test_c304_reports_each_late_review(linter: Linter) -> None:
    text = "Intake. " + "Limits of confidentiality reviewed at the end of the session. " * 3
    assert codes(linter, text) == ["C304"] * 3


def test_c304_is_not_applied_to_goals(linter: Linter) -> None:
    assert "C304" not in codes(linter, "Complete the intake paperwork by Friday.", kind="goal")


# --- C305 stop-request-overridden --------------------------------------------------------

C305_FLAGGED = [
    "She asked to pause the narrative; therapist continued to the end of the memory.",
    'He said, "I need to stop." Encouraged him to keep going until SUDS dropped.',
    "Client signalled she wanted a break. The exposure continued for ten more minutes.",
    "Continued the questioning despite the client's request to stop.",
]
C305_CLEAN = [
    "She asked to pause the narrative; we stopped and practised grounding.",
    "He asked for a break; after five minutes he chose to continue the exposure.",
    "Client asked to change the topic, so we moved to sleep hygiene.",
    "Therapist continued psychoeducation about sleep.",
]


@pytest.mark.parametrize("text", C305_FLAGGED)
def test_c305_flags_override(linter: Linter, text: str) -> None:
    assert "C305" in codes(linter, text)


@pytest.mark.parametrize("text", C305_CLEAN)
def test_c305_clean(linter: Linter, text: str) -> None:
    assert "C305" not in codes(linter, text)


# --- phrasing variety: more triggers and traps, by rule ------------------------------------

VARIANTS_FLAGGED = [
    ("C301", "Reprocessed the rape memory using bilateral stimulation for 30 minutes."),
    ("C301", "Started bilateral stimulation on the target image."),
    ("C301", "Client was asked to write a detailed account of the molestation as homework."),
    ("C301", "Pressed client for details about the assault."),
    ("C301", "Reviewed the circumstances of his suicide attempt in detail."),
    ("C301", "Gathered a sexual history."),
    ("C302", "Clinician videotaped the session."),
    ("C302", "Recorded today's telehealth visit in Zoom for supervision."),
    ("C303", "Left a voicemail for client's mother about the missed appointment."),
    ("C303", "Released records to the DMV."),
    ("C303", "Discussed her progress with her case manager."),
    ("C303", "Spoke to the court liaison about her attendance."),
    ("C303", "Gave her father a copy of the treatment plan."),
    ("C303", 'Before the visit, discussed Mrs. Ito\'s diagnosis and "bad days" with her son.'),
    ("C305", "Continued the trauma narrative even though she said she wanted to stop."),
    ("C305", "Client requested to skip the trauma questions; clinician went through all of them."),
    ("C305", "Client held up the stop signal; therapist told her to finish the set."),
    ("C304", "First session. Client disclosed hitting her son with a belt."),
    ("C304", "Intake. Discussed the limits of confidentiality after she disclosed the abuse."),
    ("C304", "Called CPS about the bruises the client described on her son."),
    (
        "C305",
        "Client asked to stop talking about her father; clinician continued with the exposure.",
    ),
    ("C303", "Coordinated care with her psychiatrist about the dose change."),
]
VARIANTS_CLEAN = [
    "Client shared that her employer called her about the schedule.",
    "Client plans to tell her mother about the pregnancy.",
    "We role-played how she will talk to her boss.",
    "Encouraged client to call her sister tonight.",
    "Discussed with client how to tell her employer about her diagnosis.",
    "Client will email her professor to request an extension.",
    "Reviewed a letter from her attorney.",
    "Client described the car accident briefly; did not ask for details.",
    "Client chose not to discuss the abuse today.",
    "Explained exposure therapy; client will decide whether to start exposure next week.",
    "Plan: begin imaginal exposure next session if client agrees.",
    "Reviewed trauma history on the PCL-5.",
    "Explored triggers for self-harm urges and alternatives.",
    "Client listened to a recording of the body scan.",
    "Clinician recorded the session notes in the EHR.",
    "Session was recorded in the chart as a late cancellation.",
    "Intake. Reviewed informed consent, including confidentiality and its limits, first.",
    "Initial assessment; explained exceptions to confidentiality before any history.",
    "Since intake, client has attended every session.",
    "Client will call her sister when urges are above 6.",
    "Although she asked to stop at first, she then chose to continue after grounding.",
    "Met with client and her mother, with client's consent, to review the safety plan.",
    "Informed the on-call psychiatrist per protocol.",
    "Client agreed that clinician may speak with her PCP; spoke with her PCP today.",
    "Client reports she told her boss about her diagnosis.",
    "Reports decreased food intake and poor sleep.",
    "Since the first session, client has practised breathing daily.",
    "Intake date: 3/2/2024. Client reports better sleep.",
    "Client asked to stop talking about her father; clinician continued to validate her "
    "feelings and moved to grounding.",
    "Conducted imaginal exposure to the client-chosen hotspot.",
    "Consulted with the treatment team.",
]


def test_one_override_reported_per_request(linter: Linter) -> None:
    text = "She asked to pause; clinician continued and went through all of them anyway."
    assert codes(linter, text).count("C305") == 1


# --- generalisation: classes of phrasing, by rule ------------------------------------------

GENERAL_FLAGGED = [
    # C301: asking about, inquiring into or assessing the client's own sensitive history
    ("C301", "Inquired about her history of childhood sexual abuse."),
    ("C301", "Asked him about the assault and who was involved."),
    ("C301", "Enquired about past suicide attempts and methods used."),
    ("C301", "Questioned the client about the abuse by her stepfather."),
    ("C301", "Assessed trauma history using the life events checklist."),
    ("C301", "Writer asked about the overdose last month."),
    # C301: discussing it, when the topic is the client's own experience
    ("C301", "Discussed her childhood sexual abuse at length."),
    ("C301", "We discussed her past suicide attempts."),
    ("C301", "Talked through her domestic violence experiences."),
    ("C301", "Discussed the client's history of sexual assault."),
    ("C301", "Talked about the rape."),
    # C301: near misses of the pacing and choice satisfiers
    ("C301", "Explored the assault in detail; writer set the pace."),
    ("C301", "Explored the assault; she stopped talking when she cried."),
    ("C301", "Explored the abuse history; she no longer wanted to talk about it."),
    ("C301", "Processed the assault; the writer wanted to talk about it."),
    # C303: a provider outside the treatment relationship
    ("C303", "Faxed records to the referring provider."),
    ("C303", "Informed the referring clinician of the diagnosis."),
    ("C303", "Spoke with her former therapist about her treatment history."),
    ("C303", "Sent the discharge summary to the receiving facility."),
    ("C303", "Called her parents to discuss her attendance."),
    # C303: a caller named first, then told things as "him", "her" or "them"
    ("C303", "Her mother called; discussed the client's diagnosis with her."),
    ("C303", "His wife phoned; reviewed his treatment plan with her."),
    ("C303", "Client's husband called and writer shared her progress with him."),
    ("C303", "Her boss called this morning; went over her work restrictions with him."),
    ("C303", "Client's parents came in and writer explained her diagnosis to them."),
    ("C303", "Client's father phoned; told him she is doing well."),
    # C305: the wish not to go on, and carrying on anyway
    ("C305", "He said he didn't want to go on, but the therapist urged him to continue."),
    ("C305", "She didn\u2019t want to go on; therapist continued the exposure."),
    ("C305", "Client said she no longer wanted to continue; writer pressed on."),
    ("C305", "Client was not willing to continue; clinician encouraged him to finish."),
    ("C305", "Client declined to continue the narrative; therapist urged her to keep going."),
    ("C305", 'Client said "I don\'t want to continue"; writer encouraged her to keep going.'),
    ("C305", "Client did not want to finish the exposure; therapist encouraged her to finish it."),
]
GENERAL_CLEAN = [
    "Her employer called to ask whether she attended; I told them I could neither confirm "
    "nor deny.",
    # C301: routine questions, psychoeducation, risk and medical care, the client's words
    "Asked about sleep, appetite and mood.",
    "Asked about trauma-informed care options in her area.",
    "Asked about abuse of prescription opioids.",
    "Asked about the self-harm wounds on her forearm and whether they were healing.",
    "Client asked about the abuse hotline number.",
    'Client said: "Nobody ever asked about the abuse."',
    "Did not ask about trauma history today.",
    "Discussed coping skills.",
    "Abuse history not discussed today.",
    "Discussed substance abuse treatment options.",
    "Discussed domestic violence resources and shelters.",
    "Discussed her trauma responses and grounding.",
    "Discussed the client's self-harm urges and alternatives.",
    "Discussed the abuse reporting process and mandated reporter duties.",
    "Asked about trauma symptoms using the PCL-5; score 41.",
    "Client talked about the assault when she felt ready.",
    "Her sister discussed the abuse with her.",
    # C301: the client set the pace or asked for the work
    "Explored the abuse history as far as she wanted to go.",
    "Processed the trauma memory; the client set the pace.",
    "Explored the sexual abuse history; we stopped when she asked.",
    "Processed the abuse memory, stopping whenever he signalled.",
    "Explored the combat trauma; the pace was set by the client.",
    "Explored the assault because she said she wanted to talk about it.",
    "Explored his suicide attempt, which he said he wanted to talk about.",
    "Talked about the abuse; she said she wanted to.",
    # C303: not a disclosure by the clinician, or not to a third party
    "Received records from the referring physician.",
    "The referring physician called to ask about the intake date.",
    "Client's prior therapist retired last year.",
    "Updated the referring physician under the ROI signed today.",
    "Her mother called and discussed her worries with her.",
    "Client said her father called her drunk last night; discussed her feelings with her.",
    "Client's father phoned; nothing was shared with him.",
    "Client's husband called; writer did not discuss her care with him.",
    "Client's father died last year; discussed her grief with her.",
    "Her mother is supportive; discussed coping skills with her.",
    "Client's father phoned; explained to him that without a release nothing could be shared.",
    "Client's father phoned; told him nothing could be shared without a release.",
    "Her mother called; gave no details to her.",
    "Talked about the combat veterans group at the VA.",
    # C305: the request honoured, or a life choice rather than the session
    "Client said she did not want to continue; we stopped and practised grounding.",
    "Client did not want to continue the exposure; we stopped and she chose to return to it "
    "next week.",
    "Client wanted to stop drinking; writer encouraged her to keep going to AA.",
    "Client did not want to continue with her medication; writer encouraged her to continue it.",
    "He said he didn't want to go on living; writer completed a safety plan and encouraged "
    "him to continue with the crisis line.",
    "She said she wanted to continue; writer encouraged her to keep going.",
    'Client said "I don\'t want to talk about it" and we moved on to sleep.',
    "Client did not want to finish the worksheet; encouraged her to finish it at home.",
    "Client skipped her thought record; she did not want to do it. Encouraged her to try again.",
]


@pytest.mark.parametrize(("code", "text"), GENERAL_FLAGGED)
def test_general_phrasings_are_flagged(linter: Linter, code: str, text: str) -> None:
    assert codes(linter, text) == [code]


@pytest.mark.parametrize("text", GENERAL_CLEAN)
def test_general_near_misses_are_clean(linter: Linter, text: str) -> None:
    assert codes(linter, text) == []


# --- generalisation, second round: procedures named first, other recipients, plain words ---

BROADER_FLAGGED = [
    # C301: the procedure named first, in the passive or as a heading
    ("C301", "Imaginal exposure to the crash memory was started at minute 10."),
    ("C301", "EMDR desensitization of the assault memory begun after resourcing."),
    ("C301", "Trauma narrative continued from last week."),
    ("C301", "First in-vivo exposure: we rode the lift to the top floor twice."),
    ("C301", "PE session 4. Imaginal exposure for 40 minutes; SUDS peaked at 90."),
    ("C301", "ERP, hierarchy item 3: touched the bin lid and did not wash for an hour."),
    ("C301", "Moved directly into reprocessing of the combat memory."),
    ("C301", "Flooding session with crowd noise for 40 minutes."),
    ("C301", "She read her written account of the rape aloud twice."),
    ("C301", "Hypnotic induction, then age regression to the night of the fire."),
    ("C301", "Client was exposed to recorded traffic sounds for 20 minutes."),
    # C301: told in detail, moment by moment, or asked for the client to tell it
    ("C301", "Writer probed hx of IPV, including the strangulation."),
    ("C301", "Client recounted the abuse by her coach in graphic detail."),
    ("C301", "Had him go through the ambush moment by moment."),
    ("C301", "Asked Mrs. Ortiz to describe the beatings she received as a child."),
    ("C301", "Each resident was asked to share their overdose story with the group."),
    ("C301", "Went through the details of his brother's death at length."),
    ("C301", "Asked her to stay with the worst moment until her distress came down."),
    # C302: recordings kept, saved or shown
    ("C302", "Family session recorded on the clinic iPad for the team meeting."),
    ("C302", "Played a clip of our recorded session at the case conference."),
    ("C302", "The recording was uploaded to the shared drive."),
    ("C302", "Video of the group session kept for training."),
    # C303: more recipients and ways of sending
    ("C303", "Emailed her head of year about the panic attacks."),
    ("C303", "Sent a summary of her treatment to her solicitor."),
    ("C303", "Phoned the pastor at his church to ask him to visit."),
    ("C303", "Sent the SENCO the assessment report."),
    ("C303", "Report faxed to the family court on Monday."),
    ("C303", "Completed the insurer's claim form with her diagnosis."),
    ("C303", "Case manager emailed the treatment plan to the housing officer."),
    (
        "C303",
        "Received a call from her supervisor; explained that she is being treated for anxiety.",
    ),
    ("C303", "Her landlord rang asking about her; confirmed she is a current client."),
    ("C303", "Replied to the university's email with her attendance dates."),
    ("C303", "Called her work supervisor to explain the missed shifts."),
    ("C303", "Her aunt asked after him at the door; I let her know he has been coming weekly."),
    ("C303", "A detective asked about her at reception; confirmed that she is a client."),
    ("C303", "Told Workcover by phone about the client's diagnosis and prognosis."),
    ("C303", "Intake summary sent with her line manager cc'd."),
    ("C303", "Housing association referral completed with her psychiatric history."),
    ("C303", "Left a voicemail on the family landline about her medication change."),
    # third round: what a note commonly says
    ("C301", "She disclosed an assault. Asked her to describe the night in detail."),
    ("C301", "In vivo exposure: rode the escalator with him four times."),
    ("C301", "Trauma narrative: she read aloud the page she wrote about the abuse."),
    ("C301", "Went back over the day of his brother's suicide, hour by hour."),
    ("C301", "Processed the memory of finding her mother after the overdose."),
    ("C301", "Continued questioning about the abuse to finish the history form."),
    (
        "C301",
        "He said he was assaulted. Asked him to tell the group what happened and who was involved.",
    ),
    ("C301", "Asked the couple to describe their sexual relationship over the last year."),
    ("C302", "Played a 5-minute clip of her session at the peer consultation group."),
    ("C303", "Let her netball coach know she has been seeing me for anxiety."),
    ("C303", "Returned a call from his brother and talked through the discharge plan."),
    ("C303", "Her partner rang asking how it went; writer summarised the session themes."),
    (
        "C304",
        "Intake. Contacted CPS after she disclosed abuse; limits of confidentiality "
        "reviewed after the call.",
    ),
    ("C305", "She said she needed a break. Continued to the end of the script."),
    (
        "C305",
        'She said, "I don\'t want to talk about that." Clinician brought the conversation '
        "back to it twice.",
    ),
    ("C305", "He asked to change the subject; counsellor carried on with the questions."),
    ("C305", "She raised her hand (our stop signal); therapist completed the set first."),
    ("C305", "She asked to stop the role-play. Clinician encouraged her to try once more."),
    ("C305", "He asked if we could move on from it; therapist kept the focus on it."),
    # fourth round
    ("C301", "Processed the crash memory with EMDR; several sets of bilateral stimulation."),
    ("C301", "Phase 4 desensitization: 20 sets of eye movements."),
    ("C301", "EMDR, first reprocessing session. Target: the fire."),
    (
        "C301",
        "Asked her to describe in detail what her uncle did. She described the abuse, "
        "including how often it happened.",
    ),
    ("C301", "Started the TF-CBT trauma narrative with him."),
    ("C301", "Explored the client's experiences in the camp, including witnessing killings."),
    ("C302", "Screen-recorded the session for a case presentation."),
    ("C302", "Session recorded on the service laptop for my supervisor."),
    ("C302", "Played back a 3-minute clip from last week's session recording."),
    ("C303", "Emailed her lecturer about her diagnosis."),
    ("C303", "Phoned the foreman to confirm he is in treatment."),
    ("C303", "Completed a report for the custody hearing summarising her treatment."),
    ("C303", "Shared the risk assessment with the client's AOD worker at the other agency."),
    ("C304", "Made a report to child protection about the bruises she described."),
    (
        "C304",
        "First telehealth session with the couple; each described the history of the relationship.",
    ),
    ("C305", "She wasn't ready to discuss the abortion; I asked a few more questions."),
    ("C305", "He asked if we could talk about something else. Writer continued."),
    ("C305", "She said she would rather pass; facilitator encouraged her to try, and she did."),
    ("C305", "She asked if we could move on. I kept exploring his last days."),
    # fifth round
    ("C301", "Went through each of her previous overdoses in detail."),
    ("C301", "PE: first imaginal of the crash memory."),
    ("C301", "Rewind technique started on the memory of the attack."),
    ("C301", "Flash technique on the abuse memories, 3 sets."),
    ("C301", "Obtained a detailed account of the 2019 suicide attempt."),
    ("C301", "Explored his experiences of bullying in depth, including the assault in Year 9."),
    ("C301", "Explored the circumstances of her brother's death, including finding him."),
    ("C301", "CPT: moved straight on to the written account of the rape."),
    ("C301", "Completed the sexual health section of the assessment with him."),
    (
        "C301",
        "Narrative exposure, session 3. Asked him to describe what he could see at the "
        "checkpoint in detail.",
    ),
    ("C301", "Asked each of them to describe the sexual side of the relationship."),
    ("C302", "Reviewed the recording of last session with the consultation team."),
    ("C302", "Used the session recording for the fidelity rating."),
    (
        "C304",
        "Mandatory report made to APS. This was the first time limits of confidentiality "
        "were explained to her.",
    ),
    ("C305", 'She said, "Can we not do this today?" I asked her to continue.'),
    ("C305", "She asked to stop at the hardest part; encouraged to finish the paragraph."),
    ("C305", "She asked to end the session early. Clinician asked her to stay until the end."),
    # sixth round
    ("C301", "Went through the timeline of the abuse year by year."),
    ("C301", "Spent the hour going back over her suicide attempt: what she saw and heard."),
    (
        "C301",
        "Asked her to describe the worst incident of violence in as much detail as she could.",
    ),
    ("C301", "Started CPT today; she read her impact statement aloud."),
    ("C301", "Asked Ms Hale about the childhood sexual abuse to complete the history."),
    ("C301", "Narrative exposure therapy: began with the massacre in 2012."),
    ("C301", "Exposure hierarchy: started today at step 3 with the spider in a jar."),
    ("C301", "She described the rape in full."),
    ("C301", "We went back through the day of the funeral."),
    ("C302", "Group session videoed for staff training."),
    ("C303", "Chatted with her netball coach at the gate about how counselling is going."),
    ("C303", "Rang the client's AA sponsor about Saturday."),
    ("C303", "Passed on what she told me about the threats to the housing officer."),
    ("C303", "Texted the foster carer a summary of what he said in session."),
    ("C303", "Forwarded his attendance record to the child welfare caseworker."),
    ("C303", "Sister rang the ward asking after him. I confirmed he is an inpatient here."),
    ("C303", "His brother asked what was going on and I explained the diagnosis and the plan."),
    ("C304", "Notified child protection after she described hitting her son."),
    ("C305", "She said she couldn't do any more today; carried on with the narrative."),
    ("C305", "She wanted to move off the subject; I steered us back to it."),
    ("C305", "She asked not to talk about him today. We went through the most recent incident."),
    ("C305", "She put her hand up (our stop signal); encouraged her to stay with it."),
    ("C302", "Session recorded. Client agreed to the homework."),
    ("C301", "Explored his experiences of bullying at school in depth, including the assault."),
    # seventh round
    ("C301", "Explored in detail the night of the assault in 2021."),
    ("C301", "Her husband hit her. Asked her to describe the last time, step by step."),
    (
        "C301",
        "Bereavement work. I had him recount the morning he found his brother, including "
        "what the room looked like.",
    ),
    ("C301", "Collected a detailed account of the car crash for the report."),
    ("C301", "I moved the session on to the stillbirth."),
    ("C301", "Dug into the physical abuse from his father."),
    ("C301", "Asked her to tell me everything she remembers about the abortion."),
    ("C301", "ERP for contamination fears: she touched the bin and held off washing."),
    ("C302", "Kept the audio from the assessment to transcribe later."),
    ("C302", "Taped the chain analysis segment for the skills group."),
    ("C302", "Will send the session recording to a colleague for a second opinion."),
    ("C303", "Emailed the Year 10 coordinator a summary of the session."),
    ("C303", "Letter to landlord confirming her diagnosis of depression."),
    ("C303", "Returned the call from the club's welfare officer and outlined his plan."),
    ("C303", "Told the insurance assessor about the PTSD diagnosis."),
    ("C303", "Handed her journal to her sister to read."),
    ("C303", "Let his flatmate know he missed group this week."),
    (
        "C304",
        "Initial appointment. She mentioned hitting her toddler. Reviewed limits of "
        "confidentiality after this came up.",
    ),
    ("C305", "She held up the stop card; I asked her to push through one more set."),
    ("C305", "He asked for a break from the exposure; I said no and we carried on."),
    ("C305", "He asked to leave the topic of the war; I kept the focus there."),
    ("C305", "She said she'd had enough of talking about it; I persisted with questions."),
    # C304: a report, the limits reviewed only afterwards
    ("C304", "Filed a report with APS about the neglect she described."),
    ("C304", "Made a report to the child abuse hotline after the session."),
    (
        "C304",
        "Intake. She disclosed her partner hurts the kids; limits of confidentiality were "
        "then explained.",
    ),
    # C305: more requests and ways of carrying on
    ("C305", "He asked to leave the exposure; writer had him stay until the end."),
    ("C305", "She asked not to talk about her father. Therapist brought it back up later."),
    ("C305", "She asked to end the recording; it was kept running."),
    ("C305", "Client gave the stop signal; sets continued."),
    # C305: requests by leaving, a minute, being done, a word said or signed, or shown
    ("C305", "He asked if he could go back to the ward; I kept him to finish the timeline."),
    ("C305", "She asked for the assessment to end; the registrar continued the questions."),
    ("C305", "He said he needed a moment; I asked three more questions about the crash."),
    ("C305", "She said she was done for today; interviewer asked her to sit back down."),
    ("C305", 'Kai shouted "stop!" during the reading; we kept reading to the end of it.'),
    ("C305", "Rosa was signing 'finish'; the assessment about the fall continued."),
    ("C305", "She asked, can we leave it there? Therapist repeated the question."),
    ("C305", "He went quiet and looked away; I pressed on with the narrative."),
    ("C305", "He held up his hand to say wait; nurse kept going over the incident."),
    ("C305", "Her request for a break was declined until the set was done."),
    ("C305", "He asked to pass this round; the facilitator asked him to carry on."),
    ("C305", "She asked me not to bring up the fire again; I went ahead with the exposure."),
    ("C305", "He said he didn't want to go over it again; the questioning carried on."),
    ("C305", "Client asked to pause; staff said it mattered and carried on regardless."),
    # C301: shown rather than told, EMDR by phase or sets, detailed questions, more events
    ("C301", "Asked him to mark on the body map where the man touched him."),
    ("C301", "Used the anatomical dolls so she could show what happened in the car."),
    ("C301", "Had her act out how her stepfather grabbed her by the throat."),
    ("C301", "Moved on to phase 5 with the image of the crash. SUDS 6."),
    ("C301", "Target memory: the ambush. BLS with tappers, 14 sets."),
    ("C301", "Asked a series of probing questions about the sexual assault."),
    ("C301", "The rape was gone over in detail for the court report."),
    ("C301", "His history of childhood neglect was covered at length today."),
    ("C301", "Invited her to describe her worst memory of the war."),
    ("C301", "Drilled down on the IPV: who, where, how many times."),
    ("C301", "Delved into the bombings and the executions he saw, going through each one."),
    ("C301", "Unpacked the emergency caesarean step by step."),
    ("C301", "Went through the school bullying in detail, asking what was said."),
    # C302: platforms left recording, other subjects, devices, parts, memos, apps
    ("C302", "Teams recording was left running through the family session."),
    ("C302", "Sess audio recorded on the clinic iPad."),
    ("C302", "Ward round was videoed for teaching."),
    ("C302", "Carers' group (9 present) recorded by the co-facilitator."),
    ("C302", "Review meeting at the care home was filmed for the training day."),
    ("C302", "Assessment streamed to the one-way mirror room and recorded."),
    ("C302", "Key worker captured his outburst on her mobile for the team."),
    ("C302", "Made a voice note of her account to finish the report later."),
    ("C302", "The end of the session, when he read his letter aloud, was recorded."),
    ("C302", "A transcription app captured the session for the letter to the GP."),
    ("C302", "Video of the session was kept until the case review."),
    # C303: parties named in brackets, callers answered, briefed, in-laws, agencies
    ("C303", "Emailed Ms Okafor (school counsellor) a summary of the session."),
    ("C303", "Her dad rang the unit; I told him she had been started on lithium."),
    ("C303", "WINZ phoned; confirmed her diagnosis and current treatment."),
    ("C303", "His brother joined the phone call; I summarised the session for him."),
    ("C303", "Case manager at the council (Sam, housing) updated re: the admission."),
    ("C303", "Her line manager, Tom, was briefed on the diagnosis."),
    ("C303", "Report sent to Patel & Co solicitors for the hearing."),
    ("C303", "Sent her mother-in-law the discharge plan and the dose."),
    ("C303", "Provided the magistrate with a summary of his treatment."),
    ("C303", "Told the Garda about his diagnosis when they called."),
    # C304: first contacts named otherwise, assessments for a third party, duties
    ("C304", "New patient, video. She described her son being hit by his father."),
    ("C304", "Programme orientation. Members shared what brought them in."),
    ("C304", "Inpatient admission: he disclosed driving drunk with his kids in the car."),
    ("C304", "Medico-legal assessment for the insurer. History taken."),
    ("C304", "Employer referral. He described drinking before shifts."),
    ("C304", "Referral made to Oranga Tamariki about the bruising."),
    ("C304", "Safeguarding concern raised after the session."),
    ("C304", "She said her partner hits their 4-year-old when drunk."),
    ("C304", "He admitted leaving his 6yo home alone overnight."),
    (
        "C304",
        "First appt. She spoke about the assault. Limits of confidentiality explained "
        "once she had finished.",
    ),
    ("C304", "Intake. Report to DCJ made. Limits explained following the report."),
    # a negation that "hadn't" carries; a request that "can't" carries
    ("C304", "Call to CPS about the bruising. I hadn't gone over the limits of confidentiality."),
    ("C305", 'She said, "I can\'t do this." Continued with the exposure to the end.'),
    # a bulleted note: the bullet is not a subject
    ("C302", "- Telehealth\n- Screen-recorded the session (for my own notes)"),
    ("C303", "* Faxed the discharge summary to her employer."),
    # a heading or the caller's name between the sentence start and the call
    ("C303", "P: Her boss, Dan Ruiz, phoned; I told him she is on leave for depression."),
    ("C303", "Plan: Her father rang asking how she was; I told him about the admission."),
    (
        "C305",
        "- Pt asked to get off the bus at the second stop\n- Told her we'd carry on to the end",
    ),
    # C305: stopping shown or said, and carrying on in other words
    ("C305", "She tapped out of the chair work; we ran it to completion anyway on the next try."),
    ("C305", "He waved me off when I asked about the crash; gently persisted until he answered."),
    ("C305", "She got up to leave during the narrative; held the line and she sat down."),
    ("C305", "He held up the stop card at SUDS 8; we kept the exposure going a few more minutes."),
    ("C305", 'Teen said "pass" when asked about her stepdad; I asked again twice more.'),
    ("C305", 'He kept saying "I\'m done" during the drawing; I encouraged one more page.'),
    ("C305", "She wasn't ready to hear the details; I invited her partner to keep going."),
    ("C305", 'Client said "that\'s enough" at the hip. We finished the scan.'),
    ("C305", "He'd rather not talk about the raid; stayed with it and he named the street."),
    # C303: touching base, looping in, filling in, replying, an office
    ("C303", "Touched base with her probation officer about her screens."),
    ("C303", "Looped in his football coach about the panic attacks."),
    ("C303", "Her aunt phoned after the session; I filled her in on the overdose."),
    ("C303", "The court liaison emailed; replied with her attendance dates."),
    ("C303", "Faxed the last two progress notes to the lawyer's office."),
    ("C303", "Answered the guardian ad litem's questions about mum's progress."),
    # C302: recorders left running, sessions uploaded, footage played back
    ("C302", "Dictaphone left running through the assessment for the report."),
    ("C302", "Otter was running in the background; summary below."),
    ("C302", "Uploaded today's session to the coding platform for fidelity ratings."),
    ("C302", "Played back last week's footage so they could watch the argument."),
    ("C302", "Notes typed up from the session's voice memo."),
    # C301: walking back through, circling back, hierarchy steps, probing
    ("C301", "Walked him back through the assault in sequence, pausing at each sensory detail."),
    ("C301", "Circled back to the abuse and went over it in detail."),
    ("C301", "Began bilateral tapping on the target image of the crash."),
    ("C301", "Moved into the first in-vivo hierarchy step today."),
    ("C301", "Probed her re: the childhood molestation noted in the old chart."),
    ("C301", "Had him describe the choking incidents in detail."),
    ("C301", "Flooding kicked off today with the contaminated towel."),
    # C304: a new patient, or the limits explained only afterwards
    ("C304", "New pt. Disclosed a stabbing in 2020. Explained where privilege ends afterwards."),
    (
        "C304",
        "Intake. He spoke about sex with a 14-year-old. This writer then explained "
        "reporting obligations.",
    ),
    ("C304", "Couples intake. No-secrets policy explained at the second session."),
    # sets 12 and 13: requests and carrying on in other words
    ("C305", "She refused to discuss the assault, so I pressed for details of that night."),
    ("C305", 'He typed "ok please, can we stop now" in the chat; I said we would just finish.'),
    ("C305", 'She said "please, I can\'t, no more" and we continued to the end of the item.'),
    ("C305", "He asked to switch off his camera; therapist asked him to stay on until the end."),
    ("C305", "She wanted to stop the interview; the registrar completed the remaining sections."),
    ("C305", "He requested to end at 20 min; session ran to 50 min to finish the battery."),
    (
        "C305",
        "D: Client raised her hand (agreed stop signal) at SUDS 8.\n"
        "A: Close to habituation; continued the exposure another 5 minutes.",
    ),
    ("C305", 'Joanne said, "Can we not do this today? I\'m tired." I encouraged her to go on.'),
    # callers: where they rang from, their office, whose family they are, what they joined
    ("C303", "His father phoned from Lagos; explained the diagnosis to him in detail."),
    ("C303", "Probation officer from the Kingston office called; gave her the attendance dates."),
    ("C303", "Mother of 19-year-old client rang; informed her he is attending weekly."),
    ("C303", "Her husband joined the last part of the video visit; shared her scores with him."),
    ("C303", "Met with his form tutor to explain that he has been self-harming."),
    ("C303", "Village elder came by the clinic asking about her; informed him she is in care."),
    # recordings used, attached, video-documented; interactions filmed
    ("C302", "In supervision we listened to the tape of her fourth session."),
    ("C302", "Attaching the mp3 from Monday's session for your comments."),
    ("C302", "Group sessions were video-documented for the ward archive."),
    ("C302", "The parent-child interaction was filmed through the one-way mirror."),
    # duties in other words and jurisdictions, and reviews the next day or after
    ("C304", "First contact: he spoke about caning his son. Child welfare office informed."),
    ("C304", "Initial appointment: referred to the MARAC. Explained limits the next day."),
    ("C304", "Intake: left his father alone for days; APS called; went over limits w/ him after."),
    ("C304", "First session. Limits of confidentiality explained at close of session."),
    (
        "C304",
        "Intake checklist: confidentiality/limits not done. She disclosed her partner hits her.",
    ),
    # set 14: stop shown or signed, carrying on watching or drawing, cue exposure, minute
    # by minute, a debrief recorded, shelter staff and interpreter agencies
    ("C305", "During EMDR she raised the stop hand; continued the set to completion."),
    ("C305", 'Child said "stop" twice while drawing; therapist asked her to keep drawing.'),
    ("C305", "Client signed STOP; the interpreter voiced it; writer continued the questions."),
    ("C305", "He asked to pause the replay video; we kept watching to finish the clip."),
    (
        "C305",
        "She asked to end early; explained that the assessment had to be completed and went on.",
    ),
    ("C301", "Began cue exposure with slot-machine sounds on the office tablet."),
    (
        "C301",
        "Had the widow go over the night she found her husband after the overdose, minute by "
        "minute.",
    ),
    ("C302", "Debrief with the fire crew was recorded for the after-action report."),
    ("C303", "Shared client's HIV status with shelter staff so they would know about his meds."),
    ("C303", "Gave the interpreting agency her diagnosis to book a qualified interpreter."),
    # consent to treatment is not a release
    (
        "C303",
        "Parent consent for counseling is on file. Met with his teachers to explain the diagnosis.",
    ),
    ("C303", "Signed consent for treatment today; faxed the assessment to her lawyer."),
]
BROADER_CLEAN = [
    # C301: planning, history of exposure, non-traumatic detail, the client's pace
    "Reviewed the exposure hierarchy and rated each item together.",
    "Exposure to violence began in early childhood, per client.",
    "First exposure to alcohol at age 12.",
    "EMDR training was completed by the clinician last year.",
    "Client read her account of the weekend aloud from her journal.",
    "She described the fire drill at work in some detail.",
    "Client described her car accident claim process in detail for the insurer form.",
    "Asked client to describe her morning routine step by step.",
    "Taught paced breathing; she stayed with the sensation of the breath.",
    "ERP was discussed as an option; client will think about it.",
    "Prolonged exposure started after she signed the PE consent form.",
    "Imaginal exposure started; she knows she can slow down or stop at any time.",
    "Described the assault in detail at her own request.",
    # C302: records, not recordings
    "Session recorded in the EHR as a late cancellation.",
    "The recording was saved to the secure server with her written consent to record.",
    # C303: not a recipient, or a release on file, or a duty to protect
    "Discussed her plan to return to school in September.",
    "Talked about going back to college with her.",
    "Spoke about her wish to move closer to her mother.",
    "Discussed her conflict with her mother.",
    "Talked about her plan to move in with her boyfriend.",
    "Discussed the invitation to her sister's wedding.",
    "Sent her a reminder text about Tuesday.",
    "Case manager will email the housing officer once she signs the release.",
    "Received a call from her mother; explained that I could not confirm whether she attends.",
    "Received a call from the pharmacy about a refill.",
    "Discussed the case with my supervisor.",
    "Her mother asked about the group; explained that it meets on Tuesdays.",
    "Her mother asked about her; I explained that I could not confirm she attends.",
    "Told her about her diagnosis and what it means.",
    "Informed Dr Patel about her medication change.",
    "EMDR phase 3 not started; she wanted more resourcing first.",
    "Offered her the choice of going into detail about the self-harm or keeping to the "
    "safety plan; she chose the safety plan.",
    "Reviewed the consent-to-record form he signed last week. Session recorded.",
    "She asked whether I would tell her supervisor; I said I share nothing without her "
    "written consent.",
    "If she agrees next week, will call her mother to plan the visit.",
    "Disclosed that her partner hit her son. As reviewed at intake, explained this falls under "
    "mandated reporting; report made to DCFS with her on the call.",
    "Asked her to describe her morning routine in detail.",
    "Goals for the rest of the semester were reviewed.",
    "Client has a first session with the psychiatrist next week.",
    "Report to CPS about neglect concerns. She was told about reporting obligations at "
    "intake, and I let her know before the call.",
    "Watched a video about sleep hygiene with her in session.",
    "Client said her boss recorded their meeting without telling her.",
    "Consent form for the study's audio recording signed; she can switch the recorder off.",
    "Forwarded the court's letter to the records manager; no records released.",
    "Helped her write an email to her professor asking for an extension.",
    "Intake. Went over the confidentiality statement before history-taking; she had no questions.",
    "Client slept well and enjoys swimming. Her mood is brighter this week.",
    "AI scribe: explained what it does and where the transcript is kept; she agreed to it "
    "for today's appointment.",
    "She agreed in session, and signed the form, for me to contact the housing officer. "
    "Called the housing office this afternoon.",
    "She was not ready to discuss the abortion, so we talked about sleep instead.",
    "Sent the summary to her support worker with her signed release.",
    "Consulted with my clinical supervisor about the risk assessment.",
    "Limits of confidentiality reviewed at intake. Today he stated intent to harm his "
    "neighbour; writer notified police under the duty to warn.",
    "He named a specific person he intends to hurt; police were notified.",
    # C304: the limits in plain words, or the limits and their exceptions
    "First session: at the start I explained what stays private and when I would need to "
    "tell someone.",
    "Couples intake: began by covering confidentiality and its exceptions; both agreed.",
    # C305: the client's own choice
    "Client brought it up again later and chose to keep talking about it.",
    "Client asked to leave early to collect her son; the session ended at 3:30.",
    # C305: requests honoured, or moving on to something else
    "She said she needed a minute; we paused and resumed when she said she was ready.",
    "He said he was done for today, so we ended the session early.",
    "She asked for the session to end early for her bus; it ended at 2:40.",
    'Taught him to say "stop" to the intrusive thought, then continued the exercise.',
    "Client asked to stop; clinician acknowledged this and continued with a grounding exercise.",
    "He asked to pass on his thanks to the group; we went ahead with the check-in.",
    "She went quiet and looked away, so we took a break and moved on to her week.",
    "Client asked to pause; we went ahead with some breathing before deciding together.",
    # C301: no sensitive material, no EMDR, or no detail
    "Reviewed her birth control options in detail.",
    "Discussed the birth plan at length; she wants a water birth.",
    "Proceeded to phase 3 of the IOP programme. BLS refresher: 2 sets of compressions.",
    "Asked detailed questions about her work schedule and commute.",
    "Pointed to where the pain was worst; shoulder tender on palpation.",
    "Used the sand tray to show what happened at school today.",
    "She described the worst moment of her week, the bus breaking down, in detail.",
    "Went over the fire drill procedure step by step with the ward staff.",
    "Asked her to draw where she would like to live in five years.",
    # C302: not a recording of the session, or someone else's recording
    "Group session at the library was recorded in the attendance log.",
    "Her sister captured the argument on her phone and showed it to the client.",
    "Client played me a voice memo of her daughter singing.",
    "Part of the session was recorded in the notes as a reflection.",
    "Dictation app used after the session to draft this note.",
    "Zoom recording was not on for this session.",
    "Teams recording was left running, with her written consent to record for supervision.",
    # C303: a party named in brackets told nothing, or the client's own call
    "Ms Okafor (school counsellor) phoned; nothing was shared without a release.",
    "Her dad rang the unit; no information was given.",
    "P: Her boss, Dan Ruiz, phoned; I told him I could not confirm she attends.",
    "She wants to get out of debt; told her we'd continue the budget plan next week.",
    # documentation in other words
    "ERP: client ranked her own hierarchy and chose the towel for today; pause card nearby.",
    "Before the hot-spot work she chose the flood as today's focus and knew she could stop.",
    "Ambient AI scribe: explained what it records and who sees it; pt agreed.",
    "Clip from the session shown at the team meeting with the family's written OK.",
    "Intake. Opened with the confidentiality talk before any history; he then described "
    "hitting his son; the CPS call was made with him aware.",
    "First visit. Privacy and its limits covered up front; later she disclosed SI.",
    "Telehealth intake: limits explained at the top of the call.",
    "College intake: student read and initialled the limits page before we started.",
    "Youth intake: teen and mum heard together what I'd keep private and what I'd have to "
    "share for safety.",
    "Duty-to-warn call placed; limits had been explained at intake and he was told first.",
    "He walked out of his job last year; asked about the layoff, then continued the plan.",
    "Nurse-led 1:1: he said he chose the bridge because it was near; no further detail.",
    "Ambient AI scribe used after the client agreed (verbal consent, script read).",
    "His father phoned asking about the diagnosis; I gave general information about the "
    "clinic and suggested he speak with his son.",
    "Intake checklist: confidentiality/limits done first, with mum present.",
    "Limits explained at the start. He spoke of wanting to shoot the man who robbed him; "
    "police notified, as explained to him.",
    "Limits explained at the start. She disclosed assaulting her helper; police informed "
    "as required, and she knew.",
    "She said she was told she would have to stop smoking before the operation.",
    "She agreed in ASL to the VRI session being recorded for her own review.",
    "Session recorded under the signed training consent for practicum supervision.",
    "Consent form translated and signed; the session was recorded for her review.",
    "Signed release on file; faxed the assessment to her lawyer.",
    "The team was briefed on the new rota.",
    # C304: the limits first, a denial, someone else's child, or a past admission
    "New patient. Limits of confidentiality explained first; she agreed to go on.",
    "Orientation: x4. Mood euthymic.",
    "Previous detox admission in 2019; none since.",
    "Client denies hitting the children; no concerns from school.",
    "She worries her son hit a child at school.",
    "He left his son alone with the dog for a minute while he took a call.",
    # consent and limits documented in other words
    "Session audio-recorded for supervision; written consent obtained today.",
    "Family session recorded for coding; both parents signed consent.",
    "Client signed the form consenting to video recording of sessions for training.",
    "She asked me to tell her sister about the diagnosis; verbal consent noted.",
    "First appt. LOC reviewed at start. She then described the assault.",
    "Peer intake. Coordinator explained what peer workers have to pass on before he "
    "shared his story.",
    "Pre-sentence report interview. Explained at the outset that nothing said is "
    "confidential from the court.",
    "Court-ordered evaluation: at the outset informed him it is not confidential.",
    "Admission interview. Explained that risk information is shared with police if "
    "someone is in danger; he then disclosed a threat to his ex-partner.",
    "Report made to Tusla. She had been told at intake (12/1) that this is something "
    "I'd have to pass on.",
    "Couples intake. No-secrets policy and limits of confidentiality explained to both.",
    "Reminded of the duty-to-warn exception explained at intake; police notified of the "
    "threat, and he was told first.",
    'He paused and said, "I can\'t do this." Writer stopped the exposure there.',
]


@pytest.mark.parametrize(("code", "text"), VARIANTS_FLAGGED + BROADER_FLAGGED)
def test_variant_phrasings_are_flagged(linter: Linter, code: str, text: str) -> None:
    assert code in codes(linter, text)


@pytest.mark.parametrize("text", VARIANTS_CLEAN + BROADER_CLEAN)
def test_variant_traps_are_clean(linter: Linter, text: str) -> None:
    assert codes(linter, text) == []


# --- client words, facts, suggestions ----------------------------------------------------


def test_text_whose_lower_case_changes_length_still_works(linter: Linter) -> None:
    # "İ" lower-cases to two code points: the word index falls back to a full search
    text = "İ. Called the client's employer about the missed shifts."
    (finding,) = [f for f in linter.lint_text(text) if f.code == "C303"]
    assert text[finding.start : finding.end] == "Called the client's employer"


def test_client_quotes_are_never_flagged(linter: Linter) -> None:
    text = 'Client said, "My old therapist called my boss and told him everything."'
    assert codes(linter, text) == []


@pytest.mark.parametrize(
    ("value", "code"),
    [(("recording",), "C302"), (("disclosure",), "C303"), ("disclosure", "C303")],
)
def test_fhir_consent_fact_satisfies_matching_rule(
    linter: Linter, value: object, code: str
) -> None:
    text = {
        "C302": "Session was video-recorded for the training library.",
        "C303": "Sent the discharge summary to his parole officer.",
    }[code]
    assert code in codes(linter, text)
    assert code not in codes(linter, text, consent_active=value)


def test_other_consent_fact_does_not_satisfy(linter: Linter) -> None:
    text = "Sent the discharge summary to his parole officer."
    assert "C303" in codes(linter, text, consent_active=("recording", "treatment"))
    assert "C301" in codes(linter, "Began EMDR reprocessing.", consent_active=("treatment",))


def test_suggestion_appends_documentation(linter: Linter) -> None:
    text = "Sent the discharge summary to his parole officer."
    (finding,) = [f for f in linter.lint_text(text) if f.code == "C303"]
    (suggestion,) = finding.suggestions
    assert suggestion.applicability == "unsafe"
    assert suggestion.replacement.startswith(finding.text)
    assert "release" in suggestion.replacement[len(finding.text) :]


def test_messages_do_not_quote_note_text(linter: Linter) -> None:
    text = "Phoned Zebediah's boss Quentin about the relapse."
    for finding in linter.lint_text(text):
        assert "Quentin" not in finding.message and "Zebediah" not in finding.message


# --- data: schema and extension ----------------------------------------------------------


def test_builtin_packs_compile_and_every_entry_is_anchored() -> None:
    for pack in builtin_packs():
        for entry in (*pack.trigger, *pack.satisfier, *pack.cue):
            assert entry.starts, entry.id
            assert entry.source, entry.id


def test_a_clinic_pack_extends_the_vocabulary(tmp_path: Path) -> None:
    extra = tmp_path / "clinic.toml"
    extra.write_text(
        'name = "clinic"\n[sets]\nthird_party = ["case\\\\s+manager"]\n'
        '[[satisfier]]\nrules = ["C303"]\nid = "form-7"\nstarts = ["form"]\n'
        "pattern = '\\bform\\s+7\\s+signed'\nsource = \"clinic policy\"\n",
        encoding="utf-8",
    )
    names = {rule.meta.name: rule.meta.code for rule in RULES}
    data = compile_packs([*builtin_packs(), load_consent_pack(extra)], names)
    assert any(e.id == "form-7" for e in data.satisfiers["C303"].entries)
    assert "case\\s+manager" in data.triggers["C303"].patterns[0].pattern


def test_a_word_list_named_by_entries_grows_with_later_packs(tmp_path: Path) -> None:
    """``requires = ["{third_party_words}"]`` holds every word later packs add, so a
    clinic that adds a party to the set and the list gets the shared entries."""
    text = "Called the ombudsman about her diagnosis."
    names = {rule.meta.name: rule.meta.code for rule in RULES}

    def found(data: object) -> list[str]:
        group = data.triggers["C303"]  # type: ignore[attr-defined]
        hits = group.find(WordIndex(text, data.vocabulary))  # type: ignore[attr-defined]
        return [text[a:b] for _, a, b in hits]

    assert found(compile_packs(builtin_packs(), names)) == []
    extra = tmp_path / "clinic.toml"
    extra.write_text(
        'name = "clinic"\n[sets]\nthird_party = ["ombudsman"]\n'
        '[words]\nthird_party_words = ["ombudsman"]\nthird_party_prefixes = ["ombuds"]\n',
        encoding="utf-8",
    )
    assert found(compile_packs([*builtin_packs(), load_consent_pack(extra)], names)) != []


@pytest.mark.parametrize(
    ("words", "field", "message"),
    [
        ("", 'requires = ["{nowhere}"]', "unknown word list '{nowhere}'"),
        ('[words]\nparties = ["Court"]\n', 'near = ["{parties}"]', "one lower-case ASCII"),
        ('[words]\nparties = [" "]\n', 'requires = ["{parties}"]', "empty word"),
    ],
)
def test_word_list_errors_name_the_entry(
    tmp_path: Path, words: str, field: str, message: str
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        f'name = "bad"\n{words}[[trigger]]\nrule = "C303"\nid = "oops"\n'
        f"starts = [\"called\"]\n{field}\npattern = '\\bcalled\\b'\n",
        "utf-8",
    )
    with pytest.raises(ConsentPackError, match=re.escape(message)) as err:
        compile_packs([load_consent_pack(bad)], {})
    assert "'bad'" in str(err.value) and "'oops'" in str(err.value)


def test_invalid_pack_errors_name_the_entry(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[trigger]]\nrule = "C301"\nid = "oops"\npattern = \'(\'\n', "utf-8")
    with pytest.raises(ConsentPackError, match="oops"):
        compile_packs([load_consent_pack(bad)], {})


def test_lexicon_satisfier_term_from_config() -> None:
    text = "Sent the discharge summary to his parole officer. Form 12B on file."
    plain = Linter(Config(select=["consent"]), load_entrypoints=False, blocked=["language", "goal"])
    assert "C303" in [f.code for f in plain.lint_text(text)]
    config = Config(
        select=["consent"],
        terms=({"phrase": "Form 12B", "rule": "C303", "subtype": "satisfier"},),
    )
    extended = Linter(config, load_entrypoints=False, blocked=["language", "goal"])
    assert "C303" not in [f.code for f in extended.lint_text(text)]


def _extended(*terms: dict[str, str]) -> Linter:
    config = Config(select=["consent"], terms=terms)
    return Linter(config, load_entrypoints=False, blocked=["language", "goal"])


def _linter() -> Linter:
    return _extended()


def _codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def test_lexicon_trigger_term_from_config_is_flagged_and_cleared_by_satisfier() -> None:
    text = "Reviewed the attendance grid together."
    trigger = {"phrase": "attendance grid", "rule": "C303", "subtype": "trigger"}
    satisfier = {
        "phrase": "Form 7 signed",
        "rule": "disclosure-without-release",
        "subtype": "satisfier",
    }
    assert _codes(_linter().lint_text(text)) == []
    flagged = _extended(trigger).lint_text(text)
    assert [(f.code, text[f.start : f.end]) for f in flagged] == [("C303", "attendance grid")]
    cleared = _extended(trigger, satisfier).lint_text(
        "Reviewed the attendance grid together. Form 7 signed today."
    )
    assert _codes(cleared) == []


def test_lexicon_trigger_term_respects_negation_and_client_words() -> None:
    trigger = {"phrase": "attendance grid", "rule": "C303", "subtype": "trigger"}
    linter = _extended(trigger)
    assert _codes(linter.lint_text("No attendance grid was sent this week.")) == []
    assert _codes(linter.lint_text('She said "my attendance grid is a mess".')) == []
    negated_satisfier = {"phrase": "Form 7 signed", "rule": "C303", "subtype": "satisfier"}
    still = _extended(trigger, negated_satisfier).lint_text(
        "Reviewed the attendance grid. No Form 7 signed yet."
    )
    assert _codes(still) == ["C303"]


def test_lexicon_trigger_term_by_rule_name_for_each_rule() -> None:
    text = "Completed the lifeline worksheet together."
    for rule in RULES:
        term = {"phrase": "lifeline worksheet", "rule": rule.meta.name, "subtype": "trigger"}
        codes = _codes(_extended(term).lint_text(text))
        assert codes == [rule.meta.code], rule.meta.code


def test_other_lexicon_subtypes_are_ignored() -> None:
    term = {"phrase": "attendance grid", "rule": "C303", "subtype": "other"}
    assert _codes(_extended(term).lint_text("Sent the attendance grid.")) == []


def test_clean_note_is_rejected_by_the_prefilter() -> None:
    from inquiry_assist.annotations import annotate
    from inquiry_assist.builtin.consent.scan import scan_for
    from inquiry_assist.rules import Context

    text = "Client slept well and enjoys swimming. Her mood is brighter this week."
    ctx = Context(Document(text=text), annotate(text))
    scan = scan_for(ctx, consent_data())
    assert scan.quiet
    assert ctx.cache["consent"] is scan
    assert scan_for(ctx, consent_data()) is scan
    busy = "Phoned her employer about the schedule."
    assert not scan_for(Context(Document(text=busy), annotate(busy)), consent_data()).quiet


def test_scan_is_shared_by_the_five_rules() -> None:
    from inquiry_assist.annotations import annotate
    from inquiry_assist.builtin.consent.scan import Scan
    from inquiry_assist.rules import Context

    text = "Phoned her employer about the schedule. Started prolonged exposure."
    ctx = Context(Document(text=text), annotate(text))
    built: list[Scan] = []
    original = Scan.__init__

    def counting(self: Scan, *args: object) -> None:
        built.append(self)
        original(self, *args)  # type: ignore[arg-type]

    Scan.__init__ = counting  # type: ignore[method-assign]
    try:
        for rule in RULES:
            list(rule().check(ctx))
    finally:
        Scan.__init__ = original  # type: ignore[method-assign]
    assert len(built) == 1


def test_consent_data_is_cached() -> None:
    assert consent_data() is consent_data()


# --- robustness --------------------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "client",
        "she",
        "asked",
        "to",
        "stop",
        "continued",
        "exposure",
        "EMDR",
        "began",
        "recorded",
        "session",
        "consent",
        "release",
        "signed",
        "called",
        "employer",
        "mother",
        "intake",
        "limits",
        "of",
        "confidentiality",
        "reviewed",
        "not",
        "no",
        "without",
        "the",
        "a",
        ".",
        ",",
        ";",
        ":",
        '"',
        "“",
        "”",
        "\n",
        "'",
        "-",
        "’",
        "s",
    ]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_WORDS, max_size=60).map(" ".join), st.sampled_from(["note", "goal"]))
def test_random_text_never_crashes_and_spans_are_valid(
    linter: Linter, text: str, kind: str
) -> None:
    for finding in linter.lint_document(Document(text=text, kind=kind)):  # type: ignore[arg-type]
        assert finding.code != "IA900"
        assert 0 <= finding.start <= finding.end <= len(text)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=400))
def test_arbitrary_unicode_never_crashes(linter: Linter, text: str) -> None:
    for finding in linter.lint_text(text):
        assert finding.code != "IA900"


def test_every_builtin_consent_pattern_compiles() -> None:
    """Built-in patterns compile lazily (start-up speed); prove they all compile."""
    from inquiry_assist.builtin.consent.rules import consent_data
    from inquiry_assist.builtin.consent.schema import LazyPattern

    data = consent_data()
    groups = [*data.triggers.values(), *data.satisfiers.values(), *data.cues.values()]
    patterns = [p for g in groups for p in (*g.patterns, *g.lowered) if p is not None]
    assert patterns
    for pattern in patterns:
        if isinstance(pattern, LazyPattern):
            pattern.compiled()


def test_word_index_finds_vocabulary_words_on_request() -> None:
    text = "Called her Employer; the employer's HR (employer) phoned back.\nEmployer-led."
    index = WordIndex(text, frozenset(["employer", "phoned", "absent", "employer-led"]))
    assert index.words == {"employer", "phoned", "employer-led"}
    starts = index.positions("employer")
    assert [text[s : s + 8].lower() for s in starts] == ["employer"] * 3
    assert index.positions("employer-led") == [text.index("Employer-led")]
    assert index.positions("absent") == []


@given(
    st.lists(st.sampled_from(["stop", "stopped", "go", ".", ",", "\n", "Stop"]), max_size=40),
    st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), max_size=4),
)
def test_positions_within_windows_match_filtered_positions(
    words: list[str], windows: list[tuple[int, int]]
) -> None:
    text = " ".join(words)
    expected = [
        p for p in WordIndex(text).positions("stop") if any(lo <= p < hi for lo, hi in windows)
    ]
    assert WordIndex(text).positions_within("stop", windows) == expected


# --- the near hint and the order of work never change what is found ---------------------

_HINT_WORDS = st.sampled_from(
    [
        "AOD",
        "worker",
        "lecturer",
        "foreman",
        "hearing",
        "custody",
        "keyworker",
        "psychologist",
        "head",
        "of",
        "year",
        "SENCO",
        "solicitor",
        "university",
        "pastor",
        "GP",
        "sent",
        "letter",
        "form",
        "completed",
        "informed",
        "received",
        "from",
        "detail",
        "details",
        "described",
        "assault",
        "moment",
        "by",
        "Mr.",
        "called",
        "phoned",
        "emailed",
        "spoke",
        "discussed",
        "left",
        "message",
        "follow",
        "up",
        "will",
        "would",
        "call",
        "contact",
        "update",
        "share",
        "report",
        "text",
        "to",
        "with",
        "for",
        "her",
        "his",
        "the",
        "client's",
        "employer",
        "employer-based",
        "mother-in-law",
        "HR",
        "hr",
        "PO",
        "Dr.",
        "Mr.",
        "mrs.",
        "St.",
        "case",
        "manager",
        "casemanager",
        "doctor",
        "ex-wife",
        "fiancé",
        "family",
        "court",
        "asked",
        "wanted",
        "stop",
        "pause",
        "a",
        "break",
        "take",
        "signal",
        "used",
        "I",
        "need",
        "can",
        "can't",
        "can’t",
        "we",
        "please",
        "-please",
        "don't",
        "want",
        "go",
        "there",
        "not",
        "ready",
        "talk",
        "continue",
        "do",
        "this",
        "release",
        "signed",
        "consent",
        "agreed",
        "permission",
        "begin",
        "exposure",
        "ſ",
        "ı",
        "½",
        ".",
        ",",
        ";",
        "?",
        ":",
        "(",
        ")",
        "\n",
        "\t",
        "  ",
    ]
)


def _without_hints() -> object:
    """The built-in consent data compiled with every ``near`` hint removed: the
    reference the hints must agree with."""
    from inquiry_assist.builtin.consent.rules import GATE_CUES

    def bare(entries: tuple) -> tuple:  # type: ignore[type-arg]
        return tuple(e.model_copy(update={"near": ()}) for e in entries)

    packs = [
        p.model_copy(
            update={
                "trigger": bare(p.trigger),
                "satisfier": bare(p.satisfier),
                "cue": bare(p.cue),
            }
        )
        for p in builtin_packs()
    ]
    names = {rule.meta.name: rule.meta.code for rule in RULES}
    return compile_packs(packs, names, GATE_CUES)


_BARE = _without_hints()


def test_builtin_packs_use_hints() -> None:
    data = consent_data()
    groups = [*data.triggers.values(), *data.satisfiers.values(), *data.cues.values()]
    assert any(near is not None for g in groups for near in g.near)


def _assert_hints_agree(text: str, data: object = None) -> None:
    data = data or consent_data()
    vocabulary = data.vocabulary  # type: ignore[attr-defined]
    for role in ("triggers", "satisfiers", "cues"):
        hinted, plain = getattr(data, role), getattr(_BARE, role)
        for key, group in hinted.items():
            words = WordIndex(text, vocabulary)
            assert sorted(group.find(words)) == sorted(plain[key].find(words)), (role, key)


#: every example sentence of this module: the flagged and clean lists, per rule and by
#: class of phrasing (the text of each ``(code, text)`` pair)
_SENTENCES = [
    *C301_FLAGGED,
    *C301_CLEAN,
    *C302_FLAGGED,
    *C302_CLEAN,
    *C303_FLAGGED,
    *C303_CLEAN,
    *C304_FLAGGED,
    *C304_CLEAN,
    *C305_FLAGGED,
    *C305_CLEAN,
    *(text for _, text in (*VARIANTS_FLAGGED, *GENERAL_FLAGGED, *BROADER_FLAGGED)),
    *VARIANTS_CLEAN,
    *GENERAL_CLEAN,
    *BROADER_CLEAN,
]


def test_hints_never_change_what_is_found_in_the_examples() -> None:
    # each sentence written for a phrasing also checks the hints of the entries it meets
    assert len(_SENTENCES) > 200
    for text in _SENTENCES:
        _assert_hints_agree(text)
        _assert_hints_agree(text.upper())


@settings(max_examples=300, deadline=None)
@given(st.lists(_HINT_WORDS, max_size=40).map(" ".join))
def test_hints_never_change_what_is_found(text: str) -> None:
    _assert_hints_agree(text)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_hints_never_change_what_is_found_in_any_text(text: str) -> None:
    _assert_hints_agree(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(_HINT_WORDS, max_size=40).map(" ".join), st.integers(0, 40))
def test_hints_agree_when_the_stop_is_out_of_reach(text: str, reach: int) -> None:
    """A hint that cannot see its stop within its reach says "may" (long texts stay
    linear); a tiny reach makes every text long."""
    import inquiry_assist.builtin.consent.schema as schema_module

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(schema_module, "_HINT_REACH", reach)
        _assert_hints_agree(text)


def test_a_wrong_hint_would_be_caught() -> None:
    """The comparison above does see a hint that skips real matches."""
    from inquiry_assist.builtin.consent.rules import GATE_CUES

    def wrong(trigger: object) -> object:
        near = tuple(w for w in trigger.near if w != "employer")  # type: ignore[attr-defined]
        return trigger.model_copy(update={"near": near})  # type: ignore[attr-defined]

    def without_employer(words: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        # only the hints' list: "requires" keeps the word, so the entry is still tried
        return {
            k: tuple(w for w in v if w != "employer" or k != "third_party_prefixes")
            for k, v in words.items()
        }

    packs = [
        p.model_copy(
            update={"trigger": tuple(map(wrong, p.trigger)), "words": without_employer(p.words)}
        )
        for p in builtin_packs()
    ]
    names = {rule.meta.name: rule.meta.code for rule in RULES}
    with pytest.raises(AssertionError):
        _assert_hints_agree("Called her employer.", compile_packs(packs, names, GATE_CUES))


def _groups(data: object) -> list[object]:
    return [
        *data.triggers.values(),  # type: ignore[attr-defined]
        *data.satisfiers.values(),  # type: ignore[attr-defined]
        *data.cues.values(),  # type: ignore[attr-defined]
    ]


def _assert_sharing_changes_nothing(text: str, data: object = None) -> None:
    """One word index (with its per-document answers for ``requires`` sets) and one
    memo shared by every group, as a scan shares them, find what each group finds on
    its own fresh index without a memo."""
    data = data or consent_data()
    vocabulary = data.vocabulary  # type: ignore[attr-defined]
    shared, memo = WordIndex(text, vocabulary), {}  # type: ignore[var-annotated]
    for group in _groups(data):
        alone = group.find(WordIndex(text, vocabulary))  # type: ignore[attr-defined]
        assert sorted(group.find(shared, memo)) == sorted(alone)  # type: ignore[attr-defined]
        # and a second time, with every answer now taken from the memo
        assert sorted(group.find(shared, memo)) == sorted(alone)  # type: ignore[attr-defined]


#: whole example sentences (which hold real matches) and single words of the packs'
#: vocabulary, so that ``requires`` sets are present in some texts and absent in others
_PIECES = st.sampled_from(_SENTENCES) | st.sampled_from(sorted(consent_data().vocabulary)) | _WORDS


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12).map(" ".join))
def test_sharing_the_index_and_memo_between_groups_changes_nothing(text: str) -> None:
    _assert_sharing_changes_nothing(text)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_sharing_the_index_and_memo_changes_nothing_in_any_text(text: str) -> None:
    _assert_sharing_changes_nothing(text)


def test_requires_sets_are_shared_objects() -> None:
    """Entries with equal ``requires`` words share one set, so a document answers for
    it once; the built-in packs repeat a few long lists (third parties) many times."""
    groups = _groups(consent_data())
    sets = [r for g in groups for r in g.requires if r]  # type: ignore[attr-defined]
    assert len({id(r) for r in sets}) == len(set(sets)) < len(sets)


def test_a_wrong_shared_answer_would_be_caught() -> None:
    """The comparison above does see an index whose ``requires`` answers are wrong."""
    text = "Called her employer about the schedule."
    data = consent_data()
    index = WordIndex(text, data.vocabulary)
    for group in _groups(data):
        for needs in group.requires:  # type: ignore[attr-defined]
            if needs:
                index.required[needs] = False  # as if none of its words were present
    found = {
        id(g): sorted(g.find(WordIndex(text, data.vocabulary)))  # type: ignore[attr-defined]
        for g in _groups(data)
    }
    assert any(
        sorted(g.find(index)) != found[id(g)]  # type: ignore[attr-defined]
        for g in _groups(data)
    )


def _scan(text: str, kind: str = "note") -> object:
    from inquiry_assist.annotations import annotate
    from inquiry_assist.builtin.consent.scan import Scan
    from inquiry_assist.rules import Context

    ctx = Context(Document(text=text, kind=kind), annotate(text))  # type: ignore[arg-type]
    return Scan(consent_data(), ctx)


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS | _HINT_WORDS, max_size=50).map(" ".join), st.sampled_from(["note", "goal"]))
def test_cheap_tests_first_agree_with_the_full_work(text: str, kind: str) -> None:
    """``may_trigger`` and ``document_satisfied`` (the cheap tests the rules run first)
    agree with ``triggers`` and ``satisfiers``; running them first changes nothing."""
    for code in ("C301", "C302", "C303", "C304"):
        fresh, first = _scan(text, kind), _scan(text, kind)
        satisfiers = fresh.satisfiers(code)  # type: ignore[attr-defined]
        assert first.document_satisfied(code) == any(  # type: ignore[attr-defined]
            scope == "document" for _, scope in satisfiers
        )
        assert sorted(first.satisfiers(code)) == sorted(satisfiers)  # type: ignore[attr-defined]
        if not first.may_trigger(code):  # type: ignore[attr-defined]
            assert fresh.triggers(code) == []  # type: ignore[attr-defined]


def test_a_later_pack_widening_a_set_turns_the_hints_off(tmp_path: Path) -> None:
    names = {rule.meta.name: rule.meta.code for rule in RULES}
    builtin = compile_packs(builtin_packs(), names)
    assert any(n is not None for n in builtin.triggers["C303"].near)
    pack = tmp_path / "clinic.toml"
    pack.write_text('[sets]\nthird_party = ["pastor"]\n', encoding="utf-8")
    widened = compile_packs([*builtin_packs(), load_consent_pack(pack)], names)
    group = widened.triggers["C303"]
    assert all(n is None for n in group.near)
    assert all(not e.near for e in group.entries)


def test_near_words_are_matched_as_word_beginnings() -> None:
    from inquiry_assist.builtin.consent.schema import _prefixes

    words = ["po", "police", "ex", "grand", "case"]
    pattern = re.compile(_prefixes(words))
    for token in ["po", "police", "pox", "ex-wife", "grandma", "casemanager", "case", "exx"]:
        assert pattern.match(f" {token} "), token
    for token in ["apo", "p", "e", "gran", "cas", "xpo"]:
        assert not pattern.match(f" {token} "), token


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Client", "stated", "SAID", "reports", "ſaid", ":", " ", "  ", "\t", "\n", "x", '"']
        ),
        max_size=25,
    ).map("".join)
)
def test_client_said_quick_test_agrees_with_the_pattern(text: str) -> None:
    from inquiry_assist.builtin.consent.scan import _CLIENT_SAID, _said

    for start in range(len(text) + 1):
        line = text.rfind("\n", 0, start) + 1
        expected = ":" in text[line:start] and _CLIENT_SAID.search(text, line, start) is not None
        assert _said(text, start) == expected


@pytest.mark.parametrize("words", [["Court"], ["case manager"], ["fiancé"], ["can't"], [""]])
def test_hint_words_must_be_single_lower_case_ascii_words(tmp_path: Path, words: list[str]) -> None:
    pack = tmp_path / "hint.toml"
    entry = {"rule": "C303", "id": "x", "pattern": "x", "starts": ["x"], "near": words}
    pack.write_text(
        "[[trigger]]\n" + "\n".join(f"{k} = {json.dumps(v)}" for k, v in entry.items()) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(ConsentPackError, match="near"):
        load_consent_pack(pack)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="aZq\\.(?:)[]xB\\SsW09_-' \n", max_size=24))
def test_ascii_lowering_of_pack_patterns_matches_the_letter_by_letter_rule(source: str) -> None:
    """The start-up fast path for ASCII patterns lowers exactly the letters outside
    escapes, as the general rule does."""
    import inquiry_assist.builtin.consent.schema as schema_module

    expected = schema_module._ESCAPE_OR_CAPITAL.sub(
        lambda m: m.group() if m.group().startswith("\\") else m.group().lower(), source
    )
    lowered = schema_module._lowered(schema_module.LazyPattern(source, 0))
    if lowered is not None:
        assert lowered.pattern == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-5, 60), st.integers(-5, 60)), max_size=8), st.integers(-5, 70)
)
def test_merged_windows_hold_the_same_offsets(windows: list[tuple[int, int]], pos: int) -> None:
    import inquiry_assist.builtin.consent.schema as schema_module

    merged = schema_module._merged(windows)
    assert schema_module._inside(merged, pos) == any(lo <= pos < hi for lo, hi in windows)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(merged))  # sorted, disjoint


_C305_PARTS = st.sampled_from(
    [
        "Client asked to stop", "she did not want to continue", "he said stop",
        "therapist continued anyway", "writer continued the exposure", "we paused",
        "she chose to go on", "despite her request the writer kept going",
        "we talked about her week and her sleep and her plans for the weekend",
        "practised paced breathing together", "the exposure went on for ten minutes",
    ]
)  # fmt: skip
_C305_SEPARATORS = st.sampled_from([" ", "; ", ", ", ". ", ".\n", " and "])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_C305_PARTS, _C305_SEPARATORS), max_size=12), st.integers(0, 60))
def test_sentence_windows_out_of_reach_change_nothing(
    parts: list[tuple[str, str]], reach: int
) -> None:
    """Looking ahead only so far for sentence ends (long texts stay linear) widens an
    override window at most, and the exact sentence test decides as before."""
    import inquiry_assist.builtin.consent.scan as scan_module

    text = "".join(part + sep for part, sep in parts)
    linter = Linter(load_entrypoints=False)
    expected = linter.lint_text(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scan_module, "_SENTENCE_REACH", reach)
        assert linter.lint_text(text) == expected
