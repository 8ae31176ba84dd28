"""Who a word is about: the client, or someone else in the client's life.

Harrigian et al. (2023) exclude words that describe another person from their
stigmatizing-language labels: "the client's father is an alcoholic" is not a label
on the client. We approximate "who the clause is about" without a parser: within
the clause that leads up to a term, the *last* person mentioned before it wins
("Client describes her father as an alcoholic" → father; "Client's mother says
she is manipulative" → she). A term directly followed by such a person
("her alcoholic father") is about that person too. Pronouns and names count as
the client, because a note is about its client.

Everything here reads at most a fixed window around the term (linear time).
"""

from __future__ import annotations

import re

import regex

__all__ = ["about_another_person", "subject_is_not_a_person"]

_WINDOW = 120

_OTHER_PEOPLE = frozenset(
    [
        "mother",
        "mom",
        "mum",
        "mommy",
        "mama",
        "father",
        "dad",
        "daddy",
        "papa",
        "parent",
        "parents",
        "brother",
        "brothers",
        "sister",
        "sisters",
        "sibling",
        "siblings",
        "son",
        "sons",
        "daughter",
        "daughters",
        "children",
        "child",
        "kid",
        "kids",
        "baby",
        "babies",
        "infant",
        "toddler",
        "husband",
        "wife",
        "spouse",
        "partner",
        "boyfriend",
        "girlfriend",
        "fiance",
        "fiancee",
        "fiancé",
        "fiancée",
        "ex",
        "exes",
        "grandmother",
        "grandfather",
        "grandparent",
        "grandparents",
        "grandma",
        "grandpa",
        "aunt",
        "uncle",
        "cousin",
        "cousins",
        "niece",
        "nephew",
        "in-law",
        "in-laws",
        "mother-in-law",
        "father-in-law",
        "friend",
        "friends",
        "roommate",
        "roommates",
        "housemate",
        "housemates",
        "neighbor",
        "neighbors",
        "neighbour",
        "neighbours",
        "coworker",
        "coworkers",
        "co-worker",
        "co-workers",
        "colleague",
        "colleagues",
        "supervisor",
        "boss",
        "manager",
        "foreman",
        "employer",
        "landlord",
        "landlady",
        "abuser",
        "perpetrator",
        "assailant",
        "attacker",
        "offender",
        "teacher",
        "teachers",
        "coach",
        "classmate",
        "classmates",
        "sponsor",
        "caregiver",
        "guardian",
        "family",
        "relative",
        "relatives",
        "stranger",
        "stepmother",
        "stepfather",
        "stepdad",
        "stepmom",
        "stepbrother",
        "stepsister",
    ]
)
_OTHER_PREFIXES = ("ex-", "step-", "step", "grand", "former-")
_PEERS = frozenset(
    [
        "patient",
        "patients",
        "client",
        "clients",
        "resident",
        "residents",
        "peer",
        "peers",
        "student",
        "students",
        "member",
        "members",
    ]
)
_CLIENT = frozenset(
    [
        "client",
        "patient",
        "pt",
        "resident",
        "member",
        "student",
        "teen",
        "adolescent",
        "youth",
        "veteran",
        "consumer",
        "he",
        "she",
        "they",
        "him",
        "her",
        "his",
        "hers",
        "them",
        "their",
        "she's",
        "he's",
        "they're",
    ]
)
_TOKEN = re.compile(r"[\w'’]+(?:-[\w'’]+)*")
_LAST_CLAUSE = re.compile(r"[.;!?\n][^.;!?\n]*$")
_CONTRAST = frozenset(["but", "while", "whereas", "although", "though"])


def _is_other(word: str, previous: str) -> bool:
    if word in _OTHER_PEOPLE:
        return True
    if word in _PEERS:
        return previous in ("other", "another")
    if word.startswith(_OTHER_PREFIXES):
        return any(
            word.startswith(prefix) and word[len(prefix) :] in _OTHER_PEOPLE
            for prefix in _OTHER_PREFIXES
        )
    return False


def _normal(word: str) -> str:
    """A lower-cased token without a possessive ``'s`` (``client's`` -> ``client``)."""
    return word[:-2] if word.endswith("'s") and word not in _CLIENT else word


def about_another_person(text: str, start: int, end: int) -> bool:
    """Whether the term at ``[start, end)`` describes someone other than the client."""
    following = _TOKEN.search(text, end, min(len(text), end + 30))
    if (
        following is not None
        and not text[end : following.start()].strip(" \t-")
        and _is_other(_normal(following.group().lower().replace("’", "'")), "")
    ):
        return True
    words = _TOKEN.findall(_clause_before(text, start).lower().replace("’", "'"))
    # the last person mentioned before the term decides; walk back until one is found
    for i in range(len(words) - 1, -1, -1):
        word = _normal(words[i])
        if word in _CONTRAST:
            return False
        if _is_other(word, words[i - 1] if i else ""):
            return True
        if word in _CLIENT:
            return False
    return False


def _clause_before(text: str, start: int) -> str:
    """The text from the start of the clause (at most ``_WINDOW`` back) to ``start``."""
    window = text[max(0, start - _WINDOW) : start]
    m = _LAST_CLAUSE.search(window)
    return window[m.start() + 1 :] if m else window


#: things and services that refuse, fail or insist (the pharmacy refused; the trial
#: failed to...): when one is the subject right before a blame verb, the verb is
#: not about the client
_NON_PERSON_SUBJECT = regex.compile(
    r"\b(?:pharmacy|pharmacist|insurance|insurer|payer|plan|court|judge|school|employer|"
    r"agency|clinic|hospital|unit|provider|prescriber|doctor|physician|psychiatrist|nurse|"
    r"staff|team|program|office|company|bank|system|trial|medications?|meds?|treatment|"
    r"therapy|dose|regimen|intervention|ssri|antidepressant|approach|test|device|app|car|"
    r"phone|computer|printer|it|this|which)\s+(?:(?:has|have|had|was|were|is|are|also|then|"
    r"again|repeatedly|initially|first|still|just|reportedly|apparently|twice|once|been|"
    r"ultimately|later|now|already)\s+){0,2}$",
    regex.IGNORECASE,
)


def subject_is_not_a_person(text: str, start: int) -> bool:
    """Whether a service, a thing or staff is the subject right before ``start``
    (``the pharmacy refused``, ``the first trial failed to``)."""
    return bool(_NON_PERSON_SUBJECT.search(_clause_before(text, start)[-60:]))
