"""Benchmark the built-in ``language`` rules on 400-word notes.

    python benchmarks/bench_language.py [--notes 300] [--repeat 3] [--jsonl PATH] [--corpus 300]

By default the notes are generated (below). With ``--jsonl``, realistic notes are
built from a labelled JSON-lines file given on the command line: the items whose
``id`` starts with ``note-`` are joined, in order, until each note has 400+ words.
The script never reads a data file unless told to. With ``--corpus N``, the same
"own code" figures for the first ``N`` notes of ``benchmarks/corpus.py`` (the
corpus the whole-linter benchmark uses) come first.

Prints the median CPU microseconds per note for all language rules (annotations,
lexicon matching and every L1xx rule's check), then the same with 1,000 synthetic
extra lexicon terms added through config, the ratio, the whole ``Linter.lint_text``
call with only the ``language`` rules selected (engine overhead included), and a
fixed reference workload to compare machines.
The notes are generated from realistic sentences, about one in six carrying wording
the rules flag. A script, not a timed test: compare medians and ratios.
Targets (issue 3): <= 300 us median per 400-word note; <= 1.20x with 1,000 terms.
Measured on 2 shared cores (November 2026 performance pass), before -> after:
typical notes 182 -> 137 us (own code 127 -> 101, or 163 -> 116 with negation left
to the rules; ``lexicon.match`` 69 -> 53), dense notes 278 -> 190 us; on the
corpus.py notes ``lexicon.match`` 134 -> 106 us, and the checks about 0.8x of the
previous code timed in the same process.

The "own code" figures separate the language rules' own work from the shared
annotations (sentences, sections, quotes, negation scopes), which are computed
before the clock starts: lexicon matching plus every L1xx ``check`` (attribution,
quote and negation tests, messages and suggestions). Budget: <= 150 us median.
The ``lint_document`` figures are the whole call with only ``language`` selected,
minus the same with only ``L109`` selected (a cheap rule, so shared costs match).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from corpus import jsonl_notes  # benchmarks/corpus.py, beside this script

from inquiry_assist import Linter
from inquiry_assist.annotations import annotate
from inquiry_assist.config import Config
from inquiry_assist.lexicon import LexiconHit, hits_for_context
from inquiry_assist.model import Document
from inquiry_assist.rules import Context, Rule

#: plain clinical sentences: most of a real note
_PLAIN = (
    "Client reports sleeping about six hours most nights and waking once.",
    "She described her week at the warehouse and a conflict with a coworker.",
    "We reviewed the thought record and practiced paced breathing for ten minutes.",
    "Mood is low but improving; affect congruent and reactive.",
    "Discussed values: family, music and getting back to running.",
    "Plan: continue weekly sessions and review the sleep diary together.",
    "He described the panic attack on the bus in detail and rated it 7 of 10.",
    "Safety plan reviewed; client named two people she can call at night.",
    "Appetite fair, eating two meals a day; weight stable per client.",
    "Client chose to try a short walk after dinner on three evenings.",
    "We explored what a good week would look like for him and his daughter.",
    "PHQ-9 score 14, down from 18 four weeks ago; GAD-7 score 11.",
    "Speech normal in rate and volume; thought process linear and goal directed.",
    "She named her sister and her neighbour as people she trusts.",
    "Homework: two pleasant activities and one call to a friend this week.",
    "Client arrived on time and engaged well throughout the session.",
    "Next session in one week; client will bring the completed worksheet.",
    "He noticed that worry peaks on Sunday evenings before the work week.",
    "Reviewed coping cards and added two new strategies she suggested.",
    "Client identified walking the dog as a reliable way to lift her mood.",
)
#: sentences with the usual traps: words the rules must not flag in context
_TRAPS = (
    'Client said, "I am trying, but mornings are the hardest part of my day."',
    "No agitation or hostile behavior observed during the session.",
    "Her father is an alcoholic and she worries about her younger brother.",
    "Client was admitted to the inpatient unit last spring for four days.",
    "Client uses a wheelchair and asked to meet in the ground-floor office.",
    "Urine drug screen was negative for all substances tested.",
    "She has been in recovery for 60 days and attends meetings twice a week.",
    "Client declined the medication increase and prefers to wait a month.",
    "She asked for help with insurance claims for two out-of-network visits.",
    "Diagnosis: treatment-resistant depression; reviewed ECT information.",
)
#: sentences with wording the language rules flag
_FLAGGED = (
    "Client claims she has taken every dose, but the pharmacy record shows a gap.",
    "He refused the evening dose and said the nausea was worse after dinner.",
    "Client is noncompliant with the diet plan and appears unmotivated.",
    'Patient "forgot" her mood log again.',
    "Her uncle committed suicide when she was twelve.",
    "Client is an addict who has been clean for two weeks.",
)


def make_note(rng: random.Random, words: int = 400, dense: bool = False) -> str:
    """A note of about ``words`` words in SOAP sections. A typical note has one
    sentence in ten with flagged wording and one in ten with a trap; a ``dense``
    note has one in six of each (about eight findings per note)."""
    parts: list[str] = []
    count = 0
    sections = iter(("S:", "O:", "A:", "P:"))
    while count < words:
        if count % 100 == 0:
            heading = next(sections, None)
            if heading:
                parts.append("\n" + heading)
        share = 1 / 6 if dense else 1 / 10
        draw = rng.random()
        pool = _FLAGGED if draw < share else _TRAPS if draw < 2 * share else _PLAIN
        sentence = rng.choice(pool)
        parts.append(sentence)
        count += len(sentence.split())
    return " ".join(parts).strip()


def synthetic_terms(n: int, rng: random.Random) -> list[dict[str, object]]:
    """``n`` made-up multiword terms spread over the language rules."""
    rules = [f"L10{i}" for i in range(1, 9)]
    syllables = ["ka", "lo", "mi", "ter", "van", "so", "pre", "dun", "ril", "ost"]
    terms = []
    for i in range(n):
        word = "".join(rng.choice(syllables) for _ in range(3)) + str(i)
        phrase = word if i % 3 else f"{word} {rng.choice(['patient', 'client', 'behavior'])}"
        terms.append(
            {
                "phrase": phrase,
                "rule": rules[i % len(rules)],
                "inflect": "none",
                "replacements": ["x"],
                "why": "synthetic",
                "source": "benchmark",
            }
        )
    return terms


def median_us(linter: Linter, notes: list[str], repeat: int, *, rules_only: bool) -> float:
    """Median CPU microseconds per note (thread time: less sensitive to other
    processes on a shared machine than wall time).

    ``rules_only`` times what the language rules themselves cost: annotations,
    lexicon matching and every rule's ``check`` producing its diagnostics. Otherwise
    the whole ``lint_text`` call, including the engine turning diagnostics into
    findings (line/column, severity, pydantic models)."""
    factory = hits_for_context(linter.lexicon)
    rules = [r for r in linter.enabled_rules if r.meta.category == "language"]

    def run_rules(note: str) -> None:
        ctx = Context(Document(text=note), annotate(note), factory)
        for rule in rules:
            for _ in rule.check(ctx):
                pass

    run = run_rules if rules_only else linter.lint_text
    for note in notes[:20]:
        run(note)  # warm up
    times: list[float] = []
    for _ in range(repeat):
        for note in notes:
            t0 = time.thread_time_ns()
            run(note)
            times.append((time.thread_time_ns() - t0) / 1000)
    return statistics.median(times)


def _median_cpu_us(run: Callable[[int], object], count: int, repeat: int) -> float:
    """Median CPU microseconds of ``run(i)`` over ``repeat`` passes of ``count`` notes."""
    for i in range(min(count, 20)):
        run(i)  # warm up
    times: list[float] = []
    for _ in range(repeat):
        for i in range(count):
            t0 = time.thread_time_ns()
            run(i)
            times.append((time.thread_time_ns() - t0) / 1000)
    return statistics.median(times)


def own_code_report(notes: list[str], repeat: int) -> None:
    """The language rules' own cost, apart from the shared annotations."""
    lang = Linter(Config(select=("language",)), load_entrypoints=False)
    cheap = Linter(Config(select=("L109",)), load_entrypoints=False)
    docs = [Document(text=n) for n in notes]
    rules: list[Rule] = [r for r in lang.enabled_rules if r.meta.category == "language"]
    factory = hits_for_context(lang.lexicon)
    count = len(notes)
    a = _median_cpu_us(lambda i: lang.lint_document(docs[i]), count, repeat)
    b = _median_cpu_us(lambda i: cheap.lint_document(docs[i]), count, repeat)
    print(f"  lint_document, language rules:                 {a:8.1f} us")
    print(f"  lint_document, L109 only:                      {b:8.1f} us")
    print(f"  difference (language rules on top of shared):  {a - b:8.1f} us")
    match = _median_cpu_us(lambda i: lang.lexicon.match(notes[i]), count, repeat)
    print(f"  lexicon.match:                                 {match:8.1f} us")
    for label, negations in (("annotations precomputed", True), ("negation left to rules", False)):
        times: list[float] = []
        for _ in range(repeat + 1):  # the first pass warms up
            contexts = _fresh_contexts(docs, factory, lang, negations=negations)
            for ctx in contexts:
                t0 = time.thread_time_ns()
                for rule in rules:
                    for _ in rule.check(ctx):
                        pass
                times.append((time.thread_time_ns() - t0) / 1000)
        own = statistics.median(times[count:])
        print(f"  own code (match + checks), {label + ':':28} {own:8.1f} us")


def _fresh_contexts(
    docs: list[Document],
    factory: Callable[[Context], list[LexiconHit]],
    linter: Linter,
    *,
    negations: bool,
) -> list[Context]:
    """Contexts whose shared annotations are computed already (not timed)."""
    contexts = []
    for doc in docs:
        ann = annotate(doc.text)
        _ = ann.sentences, ann.sections, ann.quotes
        if negations:
            _ = ann.negations
        contexts.append(Context(doc, ann, factory, linter.lexicon))
    return contexts


def reference_us() -> float:
    """A fixed pure-Python workload (best of 20), to compare machines and runs."""
    best = float("inf")
    for _ in range(20):
        t0 = time.thread_time_ns()
        sum(i * i for i in range(5000))
        best = min(best, (time.thread_time_ns() - t0) / 1000)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--notes", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jsonl", help="build realistic notes from this labelled JSON-lines file")
    ap.add_argument("--corpus", type=int, default=0, help="also time N notes of corpus.py")
    args = ap.parse_args()
    if args.corpus:
        from corpus import make_corpus  # beside this script

        notes = make_corpus(args.corpus)
        print(f"corpus.py notes: {len(notes)}")
        own_code_report(notes, args.repeat)
    if args.jsonl:
        real = jsonl_notes(args.jsonl)
        words = statistics.median(len(n.split()) for n in real)
        print(f"realistic notes from {args.jsonl}: {len(real)}, median {words:.0f} words")
        own_code_report(real, max(args.repeat, 5))
    rng = random.Random(1)
    base = Linter(Config(select=("language",)), load_entrypoints=False)
    extra = Linter(
        Config(select=("language",), terms=tuple(synthetic_terms(1000, rng))),
        load_entrypoints=False,
    )
    print(f"lexicon terms: {len(base.lexicon)} built-in, {len(extra.lexicon)} with extra")
    for label, dense in (("typical", False), ("dense", True)):
        notes = [make_note(rng, dense=dense) for _ in range(args.notes)]
        words = statistics.median(len(n.split()) for n in notes)
        findings = statistics.mean(len(base.lint_text(n)) for n in notes)
        b = median_us(base, notes, args.repeat, rules_only=True)
        e = median_us(extra, notes, args.repeat, rules_only=True)
        full = median_us(base, notes, args.repeat, rules_only=False)
        print(
            f"{label} notes: {len(notes)}, median {words:.0f} words, "
            f"{findings:.1f} findings per note"
        )
        print(f"  language rules, median CPU per note:           {b:8.1f} us")
        print(f"  with 1,000 extra lexicon terms:                {e:8.1f} us")
        print(f"  ratio: {e / b:.3f}")
        print(f"  whole lint_text call (engine included):        {full:8.1f} us")
        own_code_report(notes, args.repeat)
    print(f"machine reference workload:                     {reference_us():8.1f} us")


if __name__ == "__main__":
    main()
