"""The command line: exit statuses, the JSON contract, bad input, config discovery."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from inquiry_assist.cli import main

FLAGGED = "Client claims she slept well.\n"
CLEAN = "Client reports she slept well.\n"


def run(*argv: str, stdin: bytes | None = None, cwd: Path | None = None) -> tuple[int, str, str]:
    """Run the CLI in a subprocess (the way users and pre-commit run it)."""
    proc = subprocess.run(
        [sys.executable, "-m", "inquiry_assist", *argv],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env={"INQUIRY_ASSIST_DISABLE_PLUGIN_AUTOLOAD": "1", "PATH": "/usr/bin:/bin"},
    )
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def call(*argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process (fast)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _no_autoload(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INQUIRY_ASSIST_DISABLE_PLUGIN_AUTOLOAD", "1")


def test_stdin_json_contract() -> None:
    code, out, _ = run("check", "--format", "json", "-", stdin=FLAGGED.encode())
    assert code == 1
    payload = json.loads(out)
    assert payload["version"] == 1
    assert set(payload) == {"version", "findings", "errors", "summary"}
    f = payload["findings"][0]
    for key in (
        "path",
        "location",
        "code",
        "name",
        "category",
        "severity",
        "message",
        "start",
        "end",
        "line",
        "column",
        "text",
        "suggestions",
    ):
        assert key in f
    assert f["path"] == "-" and f["location"] is None and f["text"] == "claims"
    assert FLAGGED[f["start"] : f["end"]] == f["text"]
    assert all(set(s) == {"replacement", "applicability"} for s in f["suggestions"])


def test_exit_zero_when_clean(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(CLEAN)
    code, out, _ = call("check", "--isolated", str(tmp_path))
    assert code == 0 and "All checks passed" in out


def test_text_output_format(tmp_path: Path) -> None:
    note = tmp_path / "n.md"
    note.write_text("Fine.\n" + FLAGGED)
    code, out, _ = call("check", "--isolated", str(note))
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(f"{note}:2:8: L101 ") and " [doubt-marker] " in first
    assert "Found 1 finding" in out


def test_paths_are_as_given_relative(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text(FLAGGED)
    code, out, _ = run("check", "--isolated", "--format", "json", "notes", cwd=tmp_path)
    assert code == 1
    assert json.loads(out)["findings"][0]["path"] == "notes/a.txt"


def test_bad_inputs_are_reported_and_the_rest_still_linted(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(FLAGGED)
    (tmp_path / "binary.txt").write_bytes(b"abc\x00def")
    (tmp_path / "latin1.txt").write_bytes("Client caf\xe9".encode("latin-1"))
    (tmp_path / "empty.md").write_text("  \n")
    (tmp_path / "big.txt").write_text("word " * 300)
    code, out, _ = call(
        "check",
        "--isolated",
        "--format",
        "json",
        "--max-file-size",
        "1000",
        str(tmp_path),
        str(tmp_path / "missing.txt"),
    )
    payload = json.loads(out)
    assert code == 2
    errors = {Path(e["path"]).name: e["message"] for e in payload["errors"]}
    assert "binary" in errors["binary.txt"]
    assert "utf-8" in errors["latin1.txt"]
    assert "empty" in errors["empty.md"]
    assert "1,000-byte limit" in errors["big.txt"]
    assert "no such file" in errors["missing.txt"]
    assert [Path(f["path"]).name for f in payload["findings"]] == ["good.txt"]


def test_errors_go_to_stderr_in_text_format(tmp_path: Path) -> None:
    (tmp_path / "binary.txt").write_bytes(b"\x00")
    code, _, err = call("check", "--isolated", str(tmp_path / "binary.txt"))
    assert code == 2 and "binary.txt: error: binary file" in err


def test_usage_errors_exit_two() -> None:
    assert call("check", "--format", "nope", "-")[0] == 2
    assert call("check", "--select", "Q999", "--isolated", "-")[0] == 2
    assert call("explain", "nope")[0] == 2
    assert call("frobnicate")[0] == 2


def test_fail_on_and_select_flags(tmp_path: Path) -> None:
    note = tmp_path / "a.txt"
    note.write_text(FLAGGED)
    assert call("check", "--isolated", "--fail-on", "error", str(note))[0] == 0
    assert call("check", "--isolated", "--ignore", "L101", str(note))[0] == 0
    assert call("check", "--isolated", "--select", "doubt-marker", str(note))[0] == 1


def test_quiet_and_statistics(tmp_path: Path) -> None:
    note = tmp_path / "a.txt"
    note.write_text(FLAGGED * 3)
    _, out, _ = call("check", "--isolated", "-q", "--statistics", str(note))
    assert "L101" in out and "claims" not in out
    assert out.splitlines()[0].split() == ["3", "L101", "[doubt-marker]"]


def test_config_discovered_by_walking_up(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.inquiry-assist]\nignore = ["L101"]\n')
    (tmp_path / "deep" / "er").mkdir(parents=True)
    note = tmp_path / "deep" / "er" / "a.txt"
    note.write_text(FLAGGED)
    assert call("check", str(note))[0] == 0
    # a nearer inquiry-assist.toml wins
    (tmp_path / "deep" / "inquiry-assist.toml").write_text('fail-on = "warning"\n')
    assert call("check", str(note))[0] == 1
    # --isolated ignores both
    assert call("check", "--isolated", str(tmp_path / "deep" / "er" / "a.txt"))[0] == 1


def test_unknown_config_key_is_a_clear_error(tmp_path: Path) -> None:
    cfg = tmp_path / "inquiry-assist.toml"
    cfg.write_text("selekt = ['L']\n")
    (tmp_path / "a.txt").write_text(FLAGGED)
    code, _, err = call("check", str(tmp_path / "a.txt"))
    assert code == 2
    assert "inquiry-assist.toml" in err and "unknown key 'selekt'" in err


def test_config_terms_extend_the_lexicon(tmp_path: Path) -> None:
    (tmp_path / "inquiry-assist.toml").write_text(
        '[[terms]]\nphrase = "stated falsely"\nrule = "doubt-marker"\n'
        'replacements = ["said"]\nwhy = "Implies lying."\n'
    )
    (tmp_path / "a.txt").write_text("Client stated falsely that she slept.\n")
    code, out, _ = call("check", "--format", "json", str(tmp_path / "a.txt"))
    assert code == 1
    assert json.loads(out)["findings"][0]["text"] == "stated falsely"


def test_rules_explain_plugins_formats() -> None:
    code, out, _ = call("rules")
    assert code == 0 and out.startswith("CODE") and "L101" in out and "doubt-marker" in out
    code, out, _ = call("rules", "--format", "json")
    assert {"code", "name", "category", "severity", "plugin"} <= set(json.loads(out)["rules"][0])
    code, out, _ = call("explain", "doubt-marker")
    assert code == 0 and "L101" in out and "## Why is this bad?" in out
    assert call("explain", "l101")[0] == 0
    code, out, _ = call("plugins")
    assert code == 0 and "language (builtin" in out and "inquiry_assist_register_rules" in out
    code, out, _ = call("formats")
    assert "json" in out and "text" in out


def test_no_plugin_blocks_a_builtin() -> None:
    _code, out, _ = call("rules", "--no-plugin", "language")
    assert "L101" not in out


def test_fix_rewrites_text_in_place_and_stdout_diff(tmp_path: Path) -> None:
    note = tmp_path / "a.txt"
    note.write_text("Client said nothing.\n")
    code, out, _ = call("fix", "--isolated", "--diff", str(note))
    assert code == 0 and out == ""
    assert note.read_text() == "Client said nothing.\n"


def test_python_dash_m_and_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("inquiry-assist ")


def test_plain_text_lint_does_not_import_fhir_models() -> None:
    code = (
        "import sys; from inquiry_assist.cli import main; "
        "import io; main(['check', '--isolated', '-'], stdout=io.StringIO()); "
        "print('fhir.resources' in sys.modules)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        input=b"Client slept.",
        capture_output=True,
        env={"INQUIRY_ASSIST_DISABLE_PLUGIN_AUTOLOAD": "1", "PATH": "/usr/bin:/bin"},
    )
    assert proc.stdout.decode().strip().endswith("False"), proc.stderr.decode()[-500:]


def test_fix_in_place_keeps_bom_and_line_endings(tmp_path: Path) -> None:
    note = tmp_path / "a.txt"
    note.write_bytes(b"\xef\xbb\xbfS: ok\r\nA: Client claims she slept.\r\n")
    code, _, _ = call("fix", "--isolated", str(note))
    assert code == 0
    assert note.read_bytes() == b"\xef\xbb\xbfS: ok\r\nA: Client reports she slept.\r\n"
