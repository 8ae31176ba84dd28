"""Writing fixes back as FHIR: new DocumentReference version + Provenance."""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # --import-mode=importlib
from inquiry_assist import Linter
from inquiry_assist.cli import main
from inquiry_assist.fhir import APPLIED_RULE_EXTENSION
from inquiry_assist.fhir.fix import fix_resource
from inquiry_assist.fhir.validate import validation_errors
from inquiry_assist.fhir.versions import detect_version
from test_fhir_support import (
    EXAMPLES,
    load,
    make_linter,
    ndjson_resources,
    valid_examples,
)


@pytest.fixture(scope="module")
def fhir_linter() -> Linter:
    return make_linter()


def ids() -> Any:
    counter = itertools.count(1)
    return lambda: f"00000000-0000-4000-8000-{next(counter):012d}"


def decoded(dr: dict[str, Any], i: int = 0) -> str:
    attachment = dr["content"][i]["attachment"]
    return base64.b64decode(attachment["data"]).decode("utf-8")


def document_references(obj: dict[str, Any]) -> list[dict[str, Any]]:
    if obj.get("resourceType") == "DocumentReference":
        return [obj]
    if obj.get("resourceType") == "Bundle":
        return [d for e in obj.get("entry", []) for d in document_references(e.get("resource", {}))]
    return []


def test_fix_r4_document_reference(fhir_linter: Linter) -> None:
    original = load(EXAMPLES / "r4" / "documentreference-progress-note.json")
    snapshot = copy.deepcopy(original)
    bundle = fhir_linter.fix_resource(original)
    assert original == snapshot  # the input is never modified
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "transaction"
    [new_entry, prov_entry] = bundle["entry"]
    new = new_entry["resource"]
    assert new["id"] != original["id"] and new_entry["fullUrl"] == f"urn:uuid:{new['id']}"
    assert new_entry["request"] == {"method": "POST", "url": "DocumentReference"}
    assert new["docStatus"] == "preliminary"
    assert new["relatesTo"] == [
        {"code": "replaces", "target": {"reference": "DocumentReference/example-note-r4"}}
    ]
    before, after = decoded(original), decoded(new)
    assert "She claims she has" in before and "She says she has" in after
    assert before.replace("She claims", "She says") == after
    assert (
        "versionId" not in new["meta"] and new["meta"]["security"] == original["meta"]["security"]
    )
    prov = prov_entry["resource"]
    assert prov["target"] == [{"reference": new_entry["fullUrl"]}]
    assert prov["entity"] == [
        {"role": "revision", "what": {"reference": "DocumentReference/example-note-r4/_history/3"}}
    ]
    assert prov["agent"][0]["who"]["type"] == "Device"
    assert [e["valueCoding"]["code"] for e in prov["extension"]] == ["FX901"]
    assert prov["extension"][0]["url"] == APPLIED_RULE_EXTENSION
    for resource in (new, prov, bundle):
        assert validation_errors(resource, "R4") == []


def test_fix_r5_keeps_other_links_and_recomputes_size_and_hash(fhir_linter: Linter) -> None:
    original = load(EXAMPLES / "r5" / "documentreference-progress-note.json")
    note = "D: Client claims the panic comes from nowhere.\n"
    original["content"][0]["attachment"]["data"] = base64.b64encode(note.encode()).decode()
    bundle = fhir_linter.fix_resource(original)
    new = bundle["entry"][0]["resource"]
    assert new["relatesTo"][0]["code"]["coding"][0]["code"] == "replaces"
    assert new["relatesTo"][1] == original["relatesTo"][0]  # "appends" link kept
    raw = base64.b64decode(new["content"][0]["attachment"]["data"])
    assert new["content"][0]["attachment"]["size"] == str(len(raw))  # integer64: a string
    assert (
        new["content"][0]["attachment"]["hash"]
        == base64.b64encode(hashlib.sha1(raw).digest()).decode()
    )
    for resource in (new, bundle["entry"][1]["resource"], bundle):
        assert validation_errors(resource, "R5") == []


def test_unsafe_fixes_only_when_asked(fhir_linter: Linter) -> None:
    original = load(EXAMPLES / "r4" / "documentreference-markdown.json")
    assert fhir_linter.fix_resource(original)["entry"] == []
    bundle = fhir_linter.fix_resource(original, unsafe=True)
    assert "She says she skipped" in decoded(bundle["entry"][0]["resource"])


def test_client_quotes_are_never_rewritten(fhir_linter: Linter) -> None:
    note = 'Client claims it is fine. Client said, "My boss claims I am late."\n'
    resource = {
        "resourceType": "DocumentReference",
        "id": "q1",
        "status": "current",
        "content": [
            {
                "attachment": {
                    "contentType": "text/plain",
                    "data": base64.b64encode(note.encode()).decode(),
                }
            }
        ],
    }
    new = fhir_linter.fix_resource(resource)["entry"][0]["resource"]
    assert decoded(new) == 'Client says it is fine. Client said, "My boss claims I am late."\n'


def _strip_version_fields(dr: dict[str, Any], changed: set[int]) -> dict[str, Any]:
    out = copy.deepcopy(dr)
    for key in ("id", "docStatus", "relatesTo"):
        out.pop(key, None)
    meta = out.get("meta", {})
    meta.pop("versionId", None)
    meta.pop("lastUpdated", None)
    if not meta:
        out.pop("meta", None)
    for i in changed:
        for key in ("data", "size", "hash"):
            out["content"][i]["attachment"].pop(key, None)
    return out


def _every_document_reference() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in valid_examples():
        for dr in document_references(load(path)):
            out.append((f"{path.relative_to(EXAMPLES)}#{dr['id']}", dr))
    out += [(f"bulk#{dr['id']}", dr) for dr in ndjson_resources()]
    return out


def test_every_other_element_is_json_equal_over_every_example(fhir_linter: Linter) -> None:
    changed_count = 0
    for name, original in _every_document_reference():
        snapshot = json.dumps(original, sort_keys=True)
        outcome = fix_resource(fhir_linter, original, unsafe=True, new_id=ids())
        assert json.dumps(original, sort_keys=True) == snapshot, name
        if not outcome.fixes:
            continue
        changed_count += 1
        new = outcome.bundle["entry"][0]["resource"]
        changed = {int(f.location.split("content[")[1].split("]")[0]) for f in outcome.fixes}
        assert _strip_version_fields(new, changed) == _strip_version_fields(original, changed), name
        # the original's other relationships survive; the new one replaces the original
        version = detect_version(original)
        assert validation_errors(new, version) == [], name
        assert validation_errors(outcome.bundle["entry"][1]["resource"], version) == [], name
    assert changed_count >= 8  # the property is exercised, not vacuous


def test_fix_bundle_fixes_each_document_reference(fhir_linter: Linter) -> None:
    bundle_in = load(EXAMPLES / "bundle" / "session-collection-r4.json")
    bundle_in["entry"][1]["resource"]["content"][0]["attachment"]["data"] = base64.b64encode(
        b"Client claims a good week.\n"
    ).decode()
    out = fhir_linter.fix_resource(bundle_in)
    assert [e["resource"]["resourceType"] for e in out["entry"]] == [
        "DocumentReference",
        "Provenance",
    ]


# --- CLI -------------------------------------------------------------------------------------


def run_fix(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["fix", "--isolated", "--select", "L101", *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_fix_prints_transaction_and_never_writes_the_input(tmp_path: Path) -> None:
    src = tmp_path / "note.json"
    src.write_bytes((EXAMPLES / "r4" / "documentreference-progress-note.json").read_bytes())
    before = src.read_bytes()
    for flags in ((), ("--stdout",)):
        code, out, err = run_fix(str(src), *flags)
        assert src.read_bytes() == before
        bundle = json.loads(out)
        assert bundle["type"] == "transaction" and len(bundle["entry"]) == 2
        assert "fixed 1" in err and code in (0, 1)


def test_cli_fix_diff(tmp_path: Path) -> None:
    src = tmp_path / "note.json"
    src.write_bytes((EXAMPLES / "r4" / "documentreference-progress-note.json").read_bytes())
    _, out, _ = run_fix(str(src), "--diff")
    assert "-" in out and "+" in out and "DocumentReference.content[0].attachment.data" in out
    removed = [line for line in out.splitlines() if line.startswith("-S:")]
    added = [line for line in out.splitlines() if line.startswith("+S:")]
    assert len(removed) == len(added) == 1 and "claims" in removed[0] and "claims" not in added[0]


def test_cli_fix_ndjson(tmp_path: Path) -> None:
    src = tmp_path / "bulk.ndjson"
    src.write_bytes((EXAMPLES / "bulk" / "DocumentReference.ndjson").read_bytes())
    code, out, err = run_fix(str(src), "--stdout")
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines and all(b["type"] == "transaction" for b in lines)
    assert code in (0, 1) and "remaining" in err
