"""Reporting as FHIR: OperationOutcome ($validate style), DetectedIssue, the CLI format."""

from __future__ import annotations

import base64
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # --import-mode=importlib
from inquiry_assist import Linter
from inquiry_assist.cli import main
from inquiry_assist.fhir import DERIVATION_REFERENCE, RULES_SYSTEM
from inquiry_assist.fhir.validate import validation_errors
from inquiry_assist.fhir.versions import detect_version
from test_fhir_support import (
    EXAMPLES,
    MALFORMED,
    load,
    make_linter,
    valid_examples,
)


@pytest.fixture(scope="module")
def fhir_linter() -> Linter:
    return make_linter()


def derivation(issue: dict[str, Any]) -> dict[str, Any]:
    ext = next(e for e in issue["extension"] if e["url"] == DERIVATION_REFERENCE)
    return {
        e["url"]: next(v for k, v in e.items() if k.startswith("value")) for e in ext["extension"]
    }


def outcomes(result: dict[str, Any]) -> list[dict[str, Any]]:
    if result["resourceType"] == "OperationOutcome":
        return [result]
    return [
        e["resource"]
        for e in result["entry"]
        if e["resource"]["resourceType"] == "OperationOutcome"
    ]


def test_document_reference_outcome(fhir_linter: Linter) -> None:
    resource = load(EXAMPLES / "r4" / "documentreference-progress-note.json")
    before = json.dumps(resource)
    oo = fhir_linter.lint_resource(resource)
    assert json.dumps(resource) == before  # input untouched
    assert oo["resourceType"] == "OperationOutcome"
    [issue] = oo["issue"]
    assert issue["severity"] == "warning" and issue["code"] == "business-rule"
    assert issue["details"]["coding"] == [
        {"system": RULES_SYSTEM, "code": "FX901", "display": "fhir-test-claims"}
    ]
    assert issue["diagnostics"] == "test: “claims”"
    assert issue["expression"] == ["DocumentReference.content[0].attachment.data"]
    span = derivation(issue)
    text = base64.b64decode(resource["content"][0]["attachment"]["data"]).decode()
    assert text[span["offset"] : span["offset"] + span["length"]] == "claims"
    assert span["reference"] == {"reference": "DocumentReference/example-note-r4/_history/3"}
    assert span["path"] == "DocumentReference.content[0].attachment.data"
    assert validation_errors(oo, "R4") == []


def test_json_text_and_model_input(fhir_linter: Linter) -> None:
    path = EXAMPLES / "r5" / "goal-client-voiced.json"
    from_text = fhir_linter.lint_resource(path.read_text(encoding="utf-8"))
    from fhir.resources.goal import Goal

    from_model = fhir_linter.lint_resource(Goal.model_validate_json(path.read_bytes()))
    assert from_text == from_model == fhir_linter.lint_resource(load(path))


def test_clean_resource_gets_an_information_issue(fhir_linter: Linter) -> None:
    oo = fhir_linter.lint_resource(load(EXAMPLES / "r5" / "goal-client-voiced.json"))
    assert [i["severity"] for i in oo["issue"]] == ["information"]
    assert oo["issue"][0]["expression"] == ["Goal"]


def test_malformed_json_is_an_outcome_not_an_exception(fhir_linter: Linter) -> None:
    oo = fhir_linter.lint_resource('{"resourceType": ')
    assert oo["issue"][0]["severity"] == "error" and oo["issue"][0]["code"] == "invalid"
    assert validation_errors(oo, "R5") == []


def test_narrative_offsets_point_into_the_div(fhir_linter: Linter) -> None:
    resource = load(EXAMPLES / "r5" / "composition-progress-note.json")
    [issue] = fhir_linter.lint_resource(resource)["issue"]
    assert issue["expression"] == ["Composition.section[0].text.div"]
    span = derivation(issue)
    div = resource["section"][0]["text"]["div"]
    assert div[span["offset"] : span["offset"] + span["length"]] == "claims"


def test_bundle_gives_one_outcome_per_linted_resource(fhir_linter: Linter) -> None:
    result = fhir_linter.lint_resource(load(EXAMPLES / "bundle" / "session-collection-r4.json"))
    assert result["resourceType"] == "Bundle" and result["type"] == "collection"
    found = outcomes(result)
    about = [derivation({"extension": oo["extension"]})["path"] for oo in found]
    # note, two goals, care plan (Patient and Consent carry no text)
    assert about == [f"Bundle.entry[{i}].resource" for i in (1, 2, 3, 4)]


def test_persist_adds_linked_detected_issues(fhir_linter: Linter) -> None:
    resource = load(EXAMPLES / "r5" / "documentreference-progress-note.json")
    note = "D: Client claims the panic comes from nowhere.\n"
    resource["content"][0]["attachment"]["data"] = base64.b64encode(note.encode()).decode()
    result = fhir_linter.lint_resource(resource, persist=True)
    [oo, di] = [e["resource"] for e in result["entry"]]
    link = next(e for e in oo["issue"][0]["extension"] if e["url"].endswith("detectedIssue"))
    assert link["valueReference"]["reference"] == result["entry"][1]["fullUrl"]
    assert di["resourceType"] == "DetectedIssue" and di["status"] == "preliminary"
    assert di["subject"] == {"reference": "Patient/example-chen"}  # R5 (R4: patient)
    assert di["implicated"] == [{"reference": "DocumentReference/example-note-r5/_history/1"}]
    assert di["code"]["coding"][0]["code"] == "FX901"
    assert validation_errors(di, "R5") == [] and validation_errors(result, "R5") == []


def _all_inputs() -> list[tuple[str, dict[str, Any]]]:
    out = [(str(p.relative_to(EXAMPLES)), load(p)) for p in valid_examples()]
    for p in sorted(MALFORMED.glob("*.json")):
        data = json.loads(p.read_text(encoding="utf-8")) if p.name[:2] not in ("01",) else None
        if isinstance(data, dict) and isinstance(data.get("resourceType"), str):
            out.append((str(p.relative_to(EXAMPLES)), data))
    return out


@pytest.mark.parametrize(
    ("name", "resource"), _all_inputs(), ids=lambda v: v if isinstance(v, str) else ""
)
@pytest.mark.parametrize("persist", [False, True])
def test_every_produced_resource_validates_for_its_version(
    fhir_linter: Linter, name: str, resource: dict[str, Any], persist: bool
) -> None:
    version = detect_version(resource)
    result = fhir_linter.lint_resource(resource, persist=persist)
    assert validation_errors(result, version) == [], name
    entries = (
        [result] if result["resourceType"] != "Bundle" else [e["resource"] for e in result["entry"]]
    )
    for produced in entries:
        assert validation_errors(produced, version) == [], (name, produced["resourceType"])


def test_builtin_rules_through_fhir() -> None:
    """The real built-in rules (the language rule L101 flags "claims")."""
    linter = Linter(load_entrypoints=False)
    oo = linter.lint_resource(load(EXAMPLES / "r4" / "documentreference-progress-note.json"))
    codes = {i["details"]["coding"][0]["code"] for i in oo["issue"] if "details" in i}
    assert "L101" in codes
    assert validation_errors(oo, "R4") == []


# --- CLI -------------------------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", "--isolated", *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_fhir_format_one_resource() -> None:
    code, out, _ = run(
        str(EXAMPLES / "r4" / "documentreference-progress-note.json"),
        "--format",
        "fhir",
        "--select",
        "L101",
    )
    oo = json.loads(out)
    assert code == 1 and oo["resourceType"] == "OperationOutcome"
    assert {i["details"]["coding"][0]["code"] for i in oo["issue"]} == {"L101"}
    assert validation_errors(oo, "R4") == []


def test_cli_fhir_format_folder_with_errors_and_persist() -> None:
    code, out, _ = run(str(MALFORMED), "--format", "fhir", "--persist")
    bundle = json.loads(out)
    assert code == 2 and bundle["type"] == "collection"
    types = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert "OperationOutcome" in types
    errs = [
        i
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "OperationOutcome"
        for i in e["resource"]["issue"]
        if i["severity"] == "error"
    ]
    assert {"invalid", "not-supported", "required"} <= {i["code"] for i in errs}
    bad64 = next(i for i in errs if "base64" in i["diagnostics"] and "entry" not in str(i))
    assert bad64["expression"] == ["DocumentReference.content[0].attachment.data"]
    assert validation_errors(bundle, "R4") == []


def test_cli_fhir_format_ndjson_groups_by_resource() -> None:
    code, out, _ = run(
        str(EXAMPLES / "bulk" / "DocumentReference.ndjson"), "--format", "fhir", "--select", "L101"
    )
    assert code == 1
    bundle = json.loads(out)
    issues = [i for e in bundle["entry"] for i in e["resource"]["issue"]]
    refs = [derivation(i)["reference"]["reference"] for i in issues if "extension" in i]
    assert refs and len(set(refs)) == len(refs)  # one "claims" per flagged note
    assert all(r.startswith("DocumentReference/bulk-note-") for r in refs)
    # every linted line has an outcome: the clean ones an informational "no issues"
    with open(EXAMPLES / "bulk" / "DocumentReference.ndjson", encoding="utf-8") as lines:
        assert len(bundle["entry"]) == sum(1 for line in lines if line.strip())
    assert any(i["severity"] == "information" for i in issues)


def test_cli_fhir_format_redacts_note_text() -> None:
    path = str(EXAMPLES / "r4" / "documentreference-progress-note.json")
    _, plain, _ = run(path, "--format", "fhir", "--select", "L101")
    _, redacted, _ = run(path, "--format", "fhir", "--select", "L101", "--redact")
    assert "claim" in plain and "claim" not in redacted
    assert "L101" in redacted


def test_cli_json_format_carries_location_and_offsets() -> None:
    path = EXAMPLES / "r4" / "composition-progress-note.json"
    _, out, _ = run(str(path), "--format", "json", "--select", "L101")
    [finding] = json.loads(out)["findings"]
    assert finding["location"] == "Composition.section[0].text.div"
    assert finding["text"] == "claims" and finding["end"] - finding["start"] == 6


def test_check_format_fhir_gives_every_linted_resource_an_outcome(tmp_path: Path) -> None:
    """A clean resource gets an informational OperationOutcome too ($validate style)."""
    import io
    import json as _json

    from inquiry_assist.cli import main

    out = io.StringIO()
    main(
        [
            "check",
            "--isolated",
            "--format",
            "fhir",
            str(EXAMPLES / "r4" / "goal-client-voiced.json"),
        ],
        stdout=out,
    )
    outcome = _json.loads(out.getvalue())
    if outcome["resourceType"] == "Bundle":
        outcome = outcome["entry"][0]["resource"]
    assert outcome["resourceType"] == "OperationOutcome"
    assert [i["severity"] for i in outcome["issue"]] == ["information"]


def test_fhir_format_names_every_resource_however_many_were_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The resource's identity travels with its documents, not in a bounded store:
    a store of one entry must not cost the earlier resources their subject."""
    from inquiry_assist.fhir import registry

    monkeypatch.setattr(registry, "MAX_ENTRIES", 1)
    out = io.StringIO()
    main(
        [
            "check",
            "--isolated",
            "--format",
            "fhir",
            "--persist",
            str(EXAMPLES / "bulk" / "DocumentReference.ndjson"),
        ],
        stdout=out,
    )
    bundle = json.loads(out.getvalue())
    issues = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "DetectedIssue"
    ]
    assert len(issues) >= 2
    assert all(i["patient"]["reference"].startswith("Patient/example-bulk-") for i in issues)
