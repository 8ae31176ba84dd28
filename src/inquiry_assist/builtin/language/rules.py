"""The language rules: one lexicon-backed rule per subtype."""

from __future__ import annotations

from ...model import RuleMeta
from ...rules import LexiconRule, Rule


class DoubtMarker(LexiconRule):
    meta = RuleMeta(
        code="L101",
        name="doubt-marker",
        category="language",
        severity="warning",
        summary="Words that cast doubt on the client's account.",
        rationale="Credibility markers such as “claims” or “insists” tell the next reader "
        "not to believe the client.",
        sources=("Park et al. 2021, JAMA Netw Open", "Goddu et al. 2018, JGIM"),
        flagged=["Client claims she slept well."],
        clean=["Client reports she slept well.", 'Client said, "He claims I owe him money."'],
    )


RULES: tuple[type[Rule], ...] = (DoubtMarker,)
