"""Who a word is about: the client, or someone else in the client's life.

Harrigian et al. (2023) exclude words that describe another person from their
stigmatizing-language labels: "the client's father is an alcoholic" is not a label
on the client. We approximate "who the clause is about" without a parser: within
the clause that leads up to a term, the *last* person mentioned before it wins
("Client describes her father as an alcoholic" → father; "Client's mother says
she is manipulative" → she). A term directly followed by such a person
("her alcoholic father") is about that person too, unless a copula puts the noun
after the subject ("Patient is an addicted mother of three": the patient).
Pronouns and names count as the client, because a note is about its client.

In perinatal and parenting notes the mother *is* the client: a bare "Mom" or
"Mother" (no "her", "client's" before it) in a sentence about a baby, a pregnancy
or custody, with no other client named there ("Mom is a substance abuser and the
baby is in the NICU"), is read as the client, not as the client's mother.

Everything here reads at most a fixed window around the term (linear time).
"""

from __future__ import annotations

import re

from ...lexicon import trie_pattern

__all__ = ["about_another_person", "clause_before", "self_described", "subject_is_not_a_person"]

_WINDOW = 120
# the client naming themself: "calls herself an addict", "identifies as an alcoholic",
# "describes himself as a recovering addict" (the label is the client's own word)
_SELF_LABEL = re.compile(
    r"\b(?:(?:calls?|called|calling|describes?|described|describing|refers?\s+to|referred\s+to|"
    r"referring\s+to|labels?|labell?ed|labell?ing|sees?|saw|thinks\s+of|thought\s+of|considers?|"
    r"considered|introduces?|introduced|identifies|identified)\s+"
    r"(?:herself|himself|themselves|themself|myself)\s+(?:as\s+)?|"
    r"(?:identifies|identified|identifying|self-identifies|self-identified)\s+as\s+)"
    r"(?:(?:an?|the)\s+)?(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)

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
        "officer",
        "officers",
        "police",
        "cop",
        "cops",
        "guard",
        "guards",
        "driver",
        "doctor",
        "nurse",
        "receptionist",
        "judge",
        "lawyer",
        "attorney",
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
_CONTRAST = frozenset(["but", "while", "whereas", "although", "though"])

#: what a word says about who the clause is about, in one lookup (possessives
#: included: ``mother's``); peers depend on the word before them
_OTHER, _PEER, _SELF, _STOP = 1, 2, 3, 4
_ROLE: dict[str, int] = {
    **dict.fromkeys(_CLIENT, _SELF),
    **dict.fromkeys(_PEERS, _PEER),
    **dict.fromkeys(_OTHER_PEOPLE, _OTHER),
    **dict.fromkeys(_CONTRAST, _STOP),
}
_ROLE.update({w + "'s": role for w, role in list(_ROLE.items()) if w + "'s" not in _ROLE})
#: a clause without any of these has no word that is "another person" by prefix
_PREFIX_HINT = re.compile("|".join(re.escape(p) for p in _OTHER_PREFIXES))
#: every token that can make :func:`about_another_person` answer yes matches this
#: (a person, with a prefix or a possessive, or ``other``/``another`` before a
#: peer); a clause without a match is about the client
_OTHER_HINT = re.compile(
    r"(?<![\w'’])(?:(?:"
    + trie_pattern(_OTHER_PREFIXES)
    + r")?(?:"
    + trie_pattern(_OTHER_PEOPLE)
    + r")(?:'s)?|(?:an)?other)(?![\w'’])"
)
#: the (lower-cased) text right after a term that is followed by another person
#: matches this: a gap of spaces and hyphens, then such a person's word
_FOLLOWED_HINT = re.compile(
    r"[ \t-]*(?:" + trie_pattern(_OTHER_PREFIXES) + r")?(?:" + trie_pattern(_OTHER_PEOPLE) + ")"
)
#: characters that can continue a term into the word after it (``alcoholic father``)
_GAP_OR_WORD = frozenset(" \t-_'’")


#: the words for a mother, who is the client in a perinatal or parenting note
_MOTHER = frozenset(["mother", "mom", "mum", "mommy", "mama"])
#: words that, right before "mother", make her someone's mother (the client's)
_OWNERS = frozenset(
    ["her", "his", "their", "my", "your", "our", "its", "whose", "client's", "patient's", "pt's"]
)
#: a sentence about a baby, a pregnancy, a birth or custody of children
_PERINATAL = re.compile(
    r"\b(?:bab(?:y|ies)|infants?|newborns?|neonat\w*|nicu|scn|pregnan\w*|prenatal|antenatal|"
    r"postnatal|post-?partum|perinatal|gestation\w*|deliver(?:y|ed)|breast-?fe\w*|"
    r"custody|cps|child\s+protect\w*|nas|nows|her\s+(?:\w+\s+){0,2}?(?:children|kids))\b"
)
#: the words for a partner, who is a client in a couples note
_PARTNER = frozenset(["wife", "husband", "partner", "spouse", "boyfriend", "girlfriend", "fiance"])
#: a couples note: both partners are the clients ("Couples session: wife insisted ...")
_COUPLES = re.compile(
    r"\b(?:couples?|conjoint|marital|marriage|relationship)\s+"
    r"(?:session|therapy|counsel\w*|work|intake|assessment|note|appointment|visit)\b",
    re.IGNORECASE,
)
#: a client named in the sentence makes "mother" the client's mother after all
_CLIENT_NAMED = re.compile(r"\b(?:client|patient|pt)s?\b")
_SENTENCE_MARKS = ".!?\n"


#: "is a crack-addicted mother": after a copula the person noun names the subject,
#: so the clause (who "is") decides, not the noun
_PREDICATE_BEFORE = re.compile(
    r"\b(?:is|was|are|were|am|be|been|being|became|becomes|become)\s+(?:(?:a|an|the)\s+)?"
    r"(?:[\w'’-]+\s+)?$",
    re.IGNORECASE,
)


def _mother_is_client(text: str, start: int, end: int) -> bool:
    """Whether a mother mentioned around ``[start, end)`` is the client: the sentence
    is about a baby, a pregnancy or custody and names no client (a perinatal note,
    where "Mom" is the client). Reads at most ``_WINDOW`` characters either side."""
    low = max(0, start - _WINDOW)
    begin = max(text.rfind(mark, low, start) for mark in _SENTENCE_MARKS) + 1
    high = min(len(text), end + _WINDOW)
    stops = [i for i in (text.find(mark, end, high) for mark in _SENTENCE_MARKS) if i != -1]
    sentence = text[max(begin, low) : min(stops) if stops else high].lower()
    return _PERINATAL.search(sentence) is not None and _CLIENT_NAMED.search(sentence) is None


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


def about_another_person(text: str, start: int, end: int, clause: str | None = None) -> bool:
    """Whether the term at ``[start, end)`` describes someone other than the client.

    ``clause`` is :func:`clause_before` ``(text, start)``, if the caller has it."""
    if (
        end < len(text)
        and (text[end] in _GAP_OR_WORD or text[end].isalnum())
        and _FOLLOWED_HINT.match(text[end : end + 30].lower()) is not None
    ):
        following = _TOKEN.search(text, end, min(len(text), end + 30))
        if (
            following is not None
            and not text[end : following.start()].strip(" \t-")
            and _is_other(word := _normal(following.group().lower().replace("’", "'")), "")
            and not (word in _MOTHER and _mother_is_client(text, start, end))
            and _PREDICATE_BEFORE.search(text, max(0, start - 40), start) is None
        ):
            return True
    if clause is None:
        clause = clause_before(text, start)
    low = clause.lower().replace("’", "'")
    if _OTHER_HINT.search(low) is None:
        return False  # no word in the clause can be someone else
    words = _TOKEN.findall(low)
    roles = list(map(_ROLE.get, words))
    # a clause without any prefix has no word that is "another person" by prefix
    by_prefix = _PREFIX_HINT.search(low) is not None
    # in a relative clause on "whom" ("her ex-husband, whom she described as
    # manipulative") the term is about the antecedent, the person before "whom"
    last = len(words) - 1
    if "whom" in words:
        last = len(words) - 1 - words[::-1].index("whom") - 1
    # the last person mentioned before the term decides; walk back until one is found
    for i in range(last, -1, -1):
        role = roles[i]
        if role is None:
            if by_prefix and _is_other(_normal(words[i]), ""):
                return True
            continue
        if role == _OTHER:
            # ...unless it is a bare "Mom" in a perinatal note, or a partner in a
            # couples note: a client
            if words[i] in _PARTNER:
                return _COUPLES.search(text) is None
            return not (
                words[i] in _MOTHER
                and (i == 0 or words[i - 1] not in _OWNERS)
                and _mother_is_client(text, start, end)
            )
        if role == _PEER:
            # "another patient" is someone else; a bare "patient" is the client
            if i and words[i - 1] in ("other", "another"):
                return True
            if _normal(words[i]) in _CLIENT:
                return False
            continue
        return False  # the client, or a contrast ("but", "while") ends the search
    return False


def clause_before(text: str, start: int) -> str:
    """The text from the start of the clause (at most ``_WINDOW`` back) to ``start``."""
    window = text[max(0, start - _WINDOW) : start]
    # a line break right at ``start`` does not end the clause (as ``$`` would match
    # before it): the clause then runs from the previous mark
    body = window[:-1] if window.endswith("\n") else window
    cut = max(body.rfind("."), body.rfind(";"), body.rfind("!"), body.rfind("?"), body.rfind("\n"))
    if cut < 0 and body is not window:
        cut = len(body)
    return window[cut + 1 :] if cut >= 0 else window


#: things and services that refuse, fail or insist (the pharmacy refused; the trial
#: failed to...): when one is the subject right before a blame verb, the verb is
#: not about the client
_NON_PERSON_SUBJECTS = frozenset(
    [
        "pharmacy",
        "shelter",
        "hostel",
        "landlord",
        "pharmacist",
        "insurance",
        "insurer",
        "payer",
        "plan",
        "court",
        "judge",
        "school",
        "employer",
        "agency",
        "clinic",
        "hospital",
        "unit",
        "provider",
        "prescriber",
        "doctor",
        "physician",
        "psychiatrist",
        "nurse",
        "staff",
        "team",
        "program",
        "office",
        "company",
        "bank",
        "system",
        "trial",
        "trials",
        "course",
        "courses",
        "round",
        "rounds",
        "attempt",
        "medication",
        "medications",
        "med",
        "meds",
        "treatment",
        "therapy",
        "dose",
        "regimen",
        "intervention",
        "ssri",
        "antidepressant",
        "approach",
        "test",
        "device",
        "app",
        "car",
        "phone",
        "computer",
        "printer",
        "it",
        "this",
        "which",
    ]
)
#: words that may stand between such a subject and the verb (``the trial has also failed``,
#: ``the medication trial that failed``)
_BETWEEN = frozenset(
    [
        "that",
        "which",
        "has",
        "have",
        "had",
        "was",
        "were",
        "is",
        "are",
        "also",
        "then",
        "again",
        "repeatedly",
        "initially",
        "first",
        "still",
        "just",
        "reportedly",
        "apparently",
        "twice",
        "once",
        "been",
        "ultimately",
        "later",
        "now",
        "already",
    ]
)
_LAST_WORD = re.compile(r"\w+$")


def subject_is_not_a_person(text: str, start: int, clause: str | None = None) -> bool:
    """Whether a service, a thing or staff is the subject right before ``start``
    (``the pharmacy refused``, ``the first trial failed to``): one of those words,
    then up to two auxiliary words, then the verb. Token tests on at most the last
    60 characters of the clause, no backtracking regex."""
    tail = (clause_before(text, start) if clause is None else clause)[-60:]
    if not tail or not tail[-1].isspace():
        return False
    words = tail.lower().split()
    for between in range(min(2, len(words) - 1) + 1):
        if between and words[-between] not in _BETWEEN:
            return False
        subject = _LAST_WORD.search(words[-between - 1])
        if subject is not None and subject.group() in _NON_PERSON_SUBJECTS:
            return True
        # the head of "a trial of fluoxetine", "two courses of CBT": the word before
        # "of", one or two words back
        for back in (2, 3):
            at = -between - back
            if -at < len(words) and words[at] == "of":
                head = _LAST_WORD.search(words[at - 1])
                if head is not None and head.group() in _NON_PERSON_SUBJECTS:
                    return True
    return False


def self_described(text: str, start: int) -> bool:
    """Whether the term at ``start`` is a label the client gives themself ("she calls
    herself an alcoholic", "identifies as an addict"): the client's own word, reported.
    Reads at most 60 characters before the term."""
    low = max(0, start - 60)
    window = text[low:start].lower()
    # every form holds "self" ("herself", "themselves" ...) or "identif"
    if "sel" not in window and "identif" not in window:
        return False
    return _SELF_LABEL.search(text, low, start) is not None
