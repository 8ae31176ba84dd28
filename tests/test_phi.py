"""Note text is PHI: it never reaches log records, warnings or error messages."""

from __future__ import annotations

import io
import json
import logging
import warnings
from pathlib import Path

import pytest

from inquiry_assist.cli import main

CANARY = "ZEBRA-CANARY-4471"


def test_canary_never_in_logs_warnings_or_errors(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INQUIRY_ASSIST_DISABLE_PLUGIN_AUTOLOAD", "1")
    note = f'Client claims {CANARY} refused {CANARY}. "{CANARY}"\n'
    (tmp_path / "a.txt").write_text(note)
    (tmp_path / "b.md").write_text(f"# S:\n{CANARY} insists\n")
    (tmp_path / "bad.txt").write_bytes(f"{CANARY}\x00".encode())
    (tmp_path / "latin.txt").write_bytes(f"{CANARY} caf\xe9".encode("latin-1"))
    (tmp_path / "big.txt").write_text(CANARY * 1000)
    caplog.set_level(logging.DEBUG)
    out, err = io.StringIO(), io.StringIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = main(
            ["check", "--isolated", "--format", "json", "--max-file-size", "5000", str(tmp_path)],
            stdout=out,
            stderr=err,
        )
    assert code == 2
    payload = json.loads(out.getvalue())
    assert payload["findings"]  # the notes were linted
    assert all(CANARY not in e["message"] for e in payload["errors"])
    assert all(CANARY not in f["message"] for f in payload["findings"])
    assert CANARY not in err.getvalue()
    assert all(CANARY not in r.getMessage() for r in caplog.records)
    assert all(CANARY not in str(w.message) for w in caught)


def test_redact_leaves_note_text_out_of_json(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Client claims {CANARY}.\n")
    out = io.StringIO()
    main(["check", "--isolated", "--format", "json", "--redact", str(tmp_path)], stdout=out)
    assert "claims" not in out.getvalue().replace("“claim”", "")
    assert CANARY not in out.getvalue()
