"""The ``inquiry-assist`` command line (ruff's conventions).

Exit status: 0 when no finding reaches ``fail-on``; 1 when one does; 2 for usage,
configuration or input errors (every other input is still linted and reported).
"""

from __future__ import annotations

import argparse
import difflib
import io
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .config import Config, ConfigError, find_config, load_config
from .engine import Linter
from .formats import LintedDocument, RenderOptions, Report
from .model import SEVERITIES, Finding, InputError
from .plugins import PluginError
from .readers import Source

__all__ = ["main"]

#: Suffixes picked up when a folder is walked.
WALK_SUFFIXES = (".txt", ".md", ".json", ".ndjson", ".ndjson.gz")

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """A problem with the command line or configuration: exit status 2."""


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", help="use this config file (no discovery)")
    common.add_argument("--isolated", action="store_true", help="ignore all configuration files")
    common.add_argument(
        "--no-plugin",
        metavar="NAME",
        action="append",
        default=[],
        help="do not load this plugin (repeatable; see `inquiry-assist plugins`)",
    )
    common.add_argument(
        "--strict", action="store_true", help="re-raise a failing rule instead of reporting it"
    )

    selection = argparse.ArgumentParser(add_help=False)
    selection.add_argument(
        "--select",
        type=_csv,
        metavar="RULES",
        help="comma-separated codes, names, prefixes or categories to enable",
    )
    selection.add_argument(
        "--extend-select",
        type=_csv,
        metavar="RULES",
        help="enable these in addition to the configured selection",
    )
    selection.add_argument("--ignore", type=_csv, metavar="RULES", help="rules to disable")
    selection.add_argument(
        "--kind", choices=("note", "goal"), help="document kind for text input (default: note)"
    )
    selection.add_argument(
        "--max-file-size",
        type=int,
        metavar="BYTES",
        help="skip larger files with an error (default 1 MiB)",
    )
    selection.add_argument(
        "--fhir-version",
        choices=("auto", "R4", "R4B", "R5"),
        help="FHIR version of JSON input (default: detected per resource)",
    )

    parser = argparse.ArgumentParser(
        prog="inquiry-assist",
        description="Lint session notes and treatment goals for client-centred language, "
        "collaborative goals and consent/pacing documentation.",
    )
    parser.add_argument("--version", action="version", version=f"inquiry-assist {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", parents=[common, selection], help="lint notes and goals")
    check.add_argument(
        "paths",
        nargs="*",
        default=["."],
        metavar="PATH",
        help="files or folders to lint; - reads stdin (default: .)",
    )
    check.add_argument(
        "--format",
        default="text",
        metavar="FORMAT",
        help="output format (see `inquiry-assist formats`; default: text)",
    )
    check.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        help="lowest severity that makes the exit status 1 (default: warning)",
    )
    check.add_argument(
        "-q", "--quiet", action="store_true", help="text format: print only the summary"
    )
    check.add_argument(
        "--statistics", action="store_true", help="text format: count findings per rule"
    )
    check.add_argument(
        "--redact",
        action="store_true",
        help="leave matched note text and replacements out of the output",
    )
    check.add_argument(
        "--output-file", "-o", metavar="PATH", help="write the report here instead of stdout"
    )
    check.add_argument(
        "--persist", action="store_true", help="fhir format: also emit DetectedIssue resources"
    )

    fix = sub.add_parser(
        "fix",
        parents=[common, selection],
        help="apply suggested rewrites (text and markdown files in place)",
    )
    fix.add_argument("paths", nargs="+", metavar="PATH")
    mode = fix.add_mutually_exclusive_group()
    mode.add_argument("--stdout", action="store_true", help="print the fixed text instead")
    mode.add_argument("--diff", action="store_true", help="print a unified diff instead")
    fix.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="also apply suggestions that may change clinical meaning",
    )

    rules = sub.add_parser("rules", parents=[common], help="list every rule")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.add_argument("--all", action="store_true", help="include rules the config disables")

    explain = sub.add_parser("explain", parents=[common], help="explain a rule")
    explain.add_argument("rule", metavar="CODE|NAME")

    sub.add_parser("plugins", parents=[common], help="list loaded plugins and their hooks")
    sub.add_parser("formats", parents=[common], help="list output formats")
    return parser


# --- shared plumbing -------------------------------------------------------------------


class _Linters:
    """One Linter per configuration file in use (config is found per input)."""

    def __init__(self, args: argparse.Namespace, stderr: TextIO) -> None:
        self.args = args
        self.stderr = stderr
        self._by_config: dict[str, Linter] = {}
        self._warned = False

    def _overrides(self) -> dict[str, object]:
        a = self.args
        overrides: dict[str, object] = {}
        if getattr(a, "select", None) is not None:
            overrides["select"] = tuple(a.select)
        if getattr(a, "extend_select", None):
            overrides["extend_select"] = tuple(a.extend_select)
        if getattr(a, "ignore", None):
            overrides["ignore"] = None  # merged below
        for key in ("fail_on", "max_file_size", "fhir_version", "kind"):
            value = getattr(a, key, None)
            if value is not None:
                overrides[key] = value
        return overrides

    def config_for(self, path: str) -> tuple[str, Config]:
        a = self.args
        if a.isolated:
            return "(isolated)", Config(origin="defaults")
        if a.config:
            return a.config, load_config(Path(a.config))
        found = find_config(Path.cwd() if path == "-" else Path(path))
        if found is None:
            return "(defaults)", Config()
        return str(found), load_config(found)

    def for_path(self, path: str) -> Linter:
        key, config = self.config_for(path)
        if key not in self._by_config:
            overrides = self._overrides()
            if getattr(self.args, "ignore", None):
                overrides["ignore"] = tuple(config.ignore) + tuple(self.args.ignore)
            else:
                overrides.pop("ignore", None)
            config = config.with_overrides(**overrides)
            linter = Linter(config, blocked=self.args.no_plugin, strict=self.args.strict)
            if linter.load_errors and not self._warned:
                self._warned = True
                for err in linter.load_errors:
                    print(
                        f"inquiry-assist: warning: plugin {err.name!r} failed to load: "
                        f"{err.message}",
                        file=self.stderr,
                    )
            self._by_config[key] = linter
        return self._by_config[key]

    def default(self) -> Linter:
        return self.for_path(".")


def _iter_inputs(
    paths: Sequence[str], exclude: Sequence[str] = ()
) -> Iterator[tuple[str, InputError | None]]:
    """Expand folders (sorted, hidden entries skipped); report missing paths."""
    for raw in paths:
        if raw == "-":
            yield raw, None
            continue
        p = Path(raw)
        if p.is_dir():
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if name.startswith(".") or not name.lower().endswith(WALK_SUFFIXES):
                        continue
                    found.append(os.path.join(root, name))
            for f in sorted(found):
                if not any(Path(f).match(g) for g in exclude):
                    yield f, None
        elif p.exists():
            yield raw, None
        else:
            yield raw, InputError(path=raw, message="no such file or directory")


def _source(path: str, linter: Linter, stdin: io.BufferedIOBase | None) -> Source:
    cfg = linter.config
    kind = cfg.kind or "note"
    common = {"kind": kind, "max_bytes": cfg.max_file_size, "fhir_version": cfg.fhir_version}
    if path == "-":
        data = stdin.read() if stdin is not None else b""
        return Source.from_bytes("-", data, **common)
    return Source(path=path, open=lambda: open(path, "rb"), **common)  # type: ignore[arg-type]


def _stdin_bytes() -> io.BufferedIOBase | None:
    return getattr(sys.stdin, "buffer", None)


# --- commands ----------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    linters = _Linters(args, stderr)
    first = linters.default()
    fmt = first.formats.get(args.format)
    if fmt is None:
        raise UsageError(
            f"unknown format {args.format!r}; choose from {', '.join(sorted(first.formats))}"
        )
    findings: list[Finding] = []
    errors: list[InputError] = []
    files = documents = 0
    linted: list[LintedDocument] = []
    failed = False
    stdin = _stdin_bytes()
    for path, missing in _iter_inputs(args.paths, first.config.exclude):
        files += 1
        if missing is not None:
            errors.append(missing)
            continue
        linter = linters.for_path(path)
        for item in linter.read(_source(path, linter, stdin)):
            if isinstance(item, InputError):
                errors.append(item)
                continue
            documents += 1
            linted.append(LintedDocument.of(item))
            found = linter.lint_document(item)
            failed = failed or linter.fails(found)
            findings.extend(found)
    report = Report(findings, errors, files, documents, first, first.config.fail_on, linted)
    options = RenderOptions(
        redact=args.redact,
        statistics=args.statistics,
        quiet=args.quiet,
        extra={"persist": args.persist},
    )
    output = fmt.render(report, options)
    if args.output_file:
        Path(args.output_file).write_text(output, encoding="utf-8")
    else:
        stdout.write(output)
    if args.format == "text":
        for e in errors:
            where = f"{e.path}:{e.location}" if e.location else e.path
            print(f"{where}: error: {e.message}", file=stderr)
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if failed else EXIT_OK


def cmd_fix(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    linters = _Linters(args, stderr)
    status = EXIT_OK
    stdin = _stdin_bytes()
    for path, missing in _iter_inputs(args.paths):
        if missing is not None:
            print(f"{missing.path}: error: {missing.message}", file=stderr)
            status = EXIT_ERROR
            continue
        linter = linters.for_path(path)
        source = _source(path, linter, stdin)
        if source.suffixes[-1:] in ([".json"], [".ndjson"], [".gz"]):
            from .fhir import fix as fhir_fix  # FHIR models load only for FHIR input

            status = max(status, fhir_fix.fix_cli(linter, source, args, stdout, stderr))
            continue
        items = list(linter.read(source))
        for item in items:
            if isinstance(item, InputError):
                print(f"{item.path}: error: {item.message}", file=stderr)
                status = EXIT_ERROR
                continue
            result = linter.fix_text(item.text, item.kind, unsafe=args.unsafe_fixes)
            if args.stdout or path == "-":
                stdout.write(result.text)
            elif args.diff:
                stdout.writelines(
                    difflib.unified_diff(
                        item.text.splitlines(keepends=True),
                        result.text.splitlines(keepends=True),
                        fromfile=path,
                        tofile=path,
                    )
                )
            elif result.applied:
                _rewrite(Path(path), result.text)
            print(
                f"{path}: fixed {len(result.applied)}, {len(result.remaining)} remaining",
                file=stderr,
            )
            if status == EXIT_OK and linter.fails(result.remaining):
                status = EXIT_FINDINGS
    return status


def _rewrite(path: Path, text: str) -> None:
    """Write fixed text back exactly as the file was encoded: UTF-8, its byte-order
    mark kept if it had one, line endings untouched."""
    bom = "\ufeff" if path.read_bytes()[:3] == b"\xef\xbb\xbf" else ""
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(bom + text)


def cmd_rules(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    import json

    linter = _Linters(args, stderr).default()
    described = linter.describe()["rules"]
    if not args.all:
        described = [r for r in described if r["enabled"]] or described
    if args.format == "json":
        stdout.write(json.dumps({"rules": described}, indent=2) + "\n")
        return EXIT_OK
    rows = [("CODE", "NAME", "CATEGORY", "SEVERITY", "PLUGIN")] + [
        (r["code"], r["name"], r["category"], r["severity"], r["plugin"]) for r in described
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        stdout.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        stdout.write("\n")
    return EXIT_OK


def explain_rule(linter: Linter, key: str) -> str | None:
    """The ``explain`` text for a rule (also used to generate docs)."""
    rule = linter.rule(key)
    if rule is None:
        return None
    m = rule.meta
    out = [
        f"{m.code} ({m.name})",
        "",
        f"Category: {m.category}   Default severity: {m.severity}   "
        f"Applies to: {', '.join(m.kinds)}   Plugin: {linter.rule_origin[m.code]}",
        "",
        "## What it does",
        m.summary,
        "",
        "## Why is this bad?",
        m.rationale,
    ]
    if m.sources:
        out += ["", "## Sources", *[f"- {s}" for s in m.sources]]
    if m.flagged:
        out += ["", "## Flagged", *[f"- {e.text}" for e in m.flagged]]
    if m.clean:
        out += ["", "## Clean", *[f"- {e.text}" for e in m.clean]]
    terms = [t for t in linter.lexicon.terms if t.rule in (m.code, m.name)]
    if terms:
        out += ["", f"## Terms ({len(terms)})"]
        for t in terms:
            line = f"- {t.phrase}"
            if t.replacements:
                line += f" → {', '.join(t.replacements)} ({t.applicability})"
            if t.source:
                line += f" [{t.source}]"
            out.append(line)
    return "\n".join(out) + "\n"


def cmd_explain(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    linter = _Linters(args, stderr).default()
    text = explain_rule(linter, args.rule)
    if text is None:
        raise UsageError(f"no rule with code or name {args.rule!r} (see `inquiry-assist rules`)")
    stdout.write(text)
    return EXIT_OK


def cmd_plugins(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    linter = _Linters(args, stderr).default()
    for info in linter.plugins():
        version = f" {info.version}" if info.version else ""
        stdout.write(f"{info.name} ({info.origin}{version})\n")
        for hook in info.hooks:
            stdout.write(f"    {hook}\n")
    for err in linter.load_errors:
        stdout.write(f"{err.name} (failed to load: {err.message})\n")
    return EXIT_ERROR if linter.load_errors else EXIT_OK


def cmd_formats(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    linter = _Linters(args, stderr).default()
    for name, fmt in linter.formats.items():
        stdout.write(f"{name:10s} {fmt.description}\n")
    return EXIT_OK


COMMANDS = {
    "check": cmd_check,
    "fix": cmd_fix,
    "rules": cmd_rules,
    "explain": cmd_explain,
    "plugins": cmd_plugins,
    "formats": cmd_formats,
}


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the CLI; returns the exit status."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or usage error (2)
        return int(exc.code or 0)
    if not args.command:
        parser.print_help(stdout)
        return EXIT_ERROR
    try:
        return COMMANDS[args.command](args, stdout, stderr)
    except (UsageError, ConfigError, PluginError) as exc:
        print(f"inquiry-assist: error: {exc}", file=stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR
