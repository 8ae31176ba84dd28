"""Generate the rule reference (``docs/rules/``) from the rules' own metadata.

One page per rule (``docs/rules/<CODE>.md``, ruff's headings: *What it does*,
*Why is this bad?*, examples, terms, sources) and an index grouped by category.
Only the built-in plugins are documented (installed plugins are not loaded), so the
pages do not depend on the machine that generates them.

Regenerate after changing a rule, its examples or its lexicon terms::

    python scripts/gen_docs.py

``tests/test_docs.py`` fails when the pages on disk differ from what this writes.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from .engine import Linter
from .rules import Rule

__all__ = ["RULES_DIR", "generate_rule_pages", "main", "stale_pages", "write_rule_pages"]

#: Where the pages go, relative to the repository root.
RULES_DIR = Path("docs") / "rules"
GENERATED_NOTE = (
    "<!-- Generated from the rule's metadata by `python scripts/gen_docs.py`; do not edit. -->"
)
_CATEGORY_TITLES = {
    "language": "Client-centred language (`language`)",
    "goal": "Collaborative goals (`goal`)",
    "consent": "Consent and pacing (`consent`)",
}


def _inline(text: str) -> str:
    """Text safe on one Markdown line: no raw HTML, line breaks kept as ``<br>``."""
    return text.replace("<", "&lt;").strip().replace("\n", "<br>")


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(_inline(text).split()).replace("|", "\\|")


def _code(text: str) -> str:
    """Inline code, whatever backticks the text holds."""
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{' '.join(text.split())}{pad}{fence}"


def _example_lines(linter: Linter, rule: Rule, flagged: bool) -> list[str]:
    examples = rule.meta.flagged if flagged else rule.meta.clean
    out: list[str] = []
    for ex in examples:
        kind = "" if ex.kind == "note" else f" *(as a {ex.kind})*"
        out.append(f"- {_inline(ex.text)}{kind}")
        if flagged:
            found = [f for f in linter.lint_text(ex.text, kind=ex.kind) if f.code == rule.meta.code]
            for f in found:
                fix = (
                    f" (suggestion: {_code(f.suggestions[0].replacement)})" if f.suggestions else ""
                )
                out.append(f"    - {_code(f.text)} → {_inline(f.message)}{fix}")
    return out


def rule_page(linter: Linter, rule: Rule) -> str:
    """The Markdown page for one rule."""
    m = rule.meta
    plugin = linter.rule_origin[m.code]
    lines = [
        GENERATED_NOTE,
        "",
        f"# {m.code} {m.name}",
        "",
        f"**Category:** `{m.category}` · **Default severity:** `{m.severity}` · "
        f"**Applies to:** {', '.join(m.kinds)} · **Plugin:** `{plugin}`",
        "",
        "## What it does",
        "",
        _inline(m.summary),
        "",
        "## Why is this bad?",
        "",
        m.rationale.replace("<", "&lt;"),
    ]
    if m.flagged:
        lines += ["", "## Flagged", "", *_example_lines(linter, rule, flagged=True)]
    if m.clean:
        lines += ["", "## Not flagged", "", *_example_lines(linter, rule, flagged=False)]
    terms = [t for t in linter.lexicon.terms if t.rule in (m.code, m.name)]
    if terms:
        lines += [
            "",
            f"## Terms ({len(terms)})",
            "",
            "| term | suggested wording | fix | source |",
            "|---|---|---|---|",
        ]
        for t in sorted(terms, key=lambda t: t.phrase.lower()):
            replacements = ", ".join(t.replacements) or "—"
            lines.append(
                f"| {_cell(t.phrase)} | {_cell(replacements)} | "
                f"{t.applicability if t.replacements else '—'} | {_cell(t.source) or '—'} |"
            )
    if m.sources:
        lines += ["", "## Sources", "", *[f"- {s}" for s in m.sources]]
    lines += [
        "",
        "## Turning it off",
        "",
        "In `inquiry-assist.toml` (or `[tool.inquiry-assist]` in `pyproject.toml`):",
        "",
        "```toml",
        f'ignore = ["{m.name}"]   # or "{m.code}"',
        "```",
        "",
        "For one line of a note:",
        "",
        "```markdown",
        f"<!-- inquiry-assist: disable-next-line {m.code} -->",
        "```",
        "",
        "See [configuration](../configuration.md) for severities, per-file ignores and regions.",
    ]
    return "\n".join(lines) + "\n"


def index_page(linter: Linter) -> str:
    """The rule index, grouped by category in registration order."""
    lines = [
        GENERATED_NOTE,
        "",
        "# Rules",
        "",
        "Every built-in rule, generated from its metadata. `inquiry-assist rules` lists the",
        "rules of the plugins installed on your machine too, and `inquiry-assist explain CODE`",
        "prints a rule's page in the terminal.",
        "",
        "Select or ignore rules by code (`L101`), code prefix (`L1`), name (`doubt-marker`) or",
        "category (`language`); see [configuration](../configuration.md).",
    ]
    categories: dict[str, list[Rule]] = {}
    for rule in linter.rules:
        categories.setdefault(rule.meta.category, []).append(rule)
    for category, rules in categories.items():
        title = _CATEGORY_TITLES.get(category, f"`{category}`")
        lines += [
            "",
            f"## {title}",
            "",
            "| code | name | severity | what it flags |",
            "|---|---|---|---|",
        ]
        for r in rules:
            m = r.meta
            lines.append(
                f"| [{m.code}]({m.code}.md) | {m.name} | {m.severity} | {_cell(m.summary)} |"
            )
    return "\n".join(lines) + "\n"


def generate_rule_pages(linter: Linter | None = None) -> dict[str, str]:
    """File name (inside ``docs/rules/``) to content, for every built-in rule."""
    linter = linter or Linter(load_entrypoints=False)
    pages = {"index.md": index_page(linter)}
    for rule in linter.rules:
        pages[f"{rule.meta.code}.md"] = rule_page(linter, rule)
    return pages


def stale_pages(root: Path, pages: dict[str, str] | None = None) -> list[str]:
    """Pages under ``root/docs/rules`` that are missing, different or left over."""
    pages = generate_rule_pages() if pages is None else pages
    folder = root / RULES_DIR
    stale = [
        name
        for name, content in pages.items()
        if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != content
    ]
    if folder.is_dir():
        stale += sorted(p.name for p in folder.glob("*.md") if p.name not in pages)
    return sorted(stale)


def write_rule_pages(root: Path) -> list[str]:
    """Write the pages under ``root/docs/rules`` (removing pages of gone rules);
    returns the names of the files that changed."""
    pages = generate_rule_pages()
    changed = stale_pages(root, pages)
    folder = root / RULES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for name in changed:
        path = folder / name
        if name in pages:
            path.write_text(pages[name], encoding="utf-8", newline="\n")
        else:
            path.unlink()
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    """``python scripts/gen_docs.py [--check] [--root PATH]``."""
    parser = argparse.ArgumentParser(description="Generate docs/rules/ from rule metadata.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository root")
    parser.add_argument(
        "--check", action="store_true", help="only report stale pages (exit 1 if any)"
    )
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_pages(args.root)
        for name in stale:
            print(f"stale: {RULES_DIR / name}")
        return 1 if stale else 0
    for name in write_rule_pages(args.root):
        print(f"wrote {RULES_DIR / name}")
    return 0
