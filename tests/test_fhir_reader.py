"""Reading FHIR: resources to documents, versions, facts, offsets, errors, streaming."""

from __future__ import annotations

import base64
import gzip
import io
import itertools
import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # --import-mode=importlib
from inquiry_assist import Linter
from inquiry_assist.fhir.consent import active_consent_purposes, consent_purposes
from inquiry_assist.fhir.narrative import xhtml_to_text
from inquiry_assist.fhir.versions import detect_version
from inquiry_assist.model import Document, InputError
from inquiry_assist.readers import Source
from test_fhir_support import (
    EXAMPLES,
    MALFORMED,
    load,
    make_linter,
    read,
    read_bytes,
)


@pytest.fixture(scope="module")
def fhir_linter() -> Linter:
    return make_linter()


def docs(items: list[Document | InputError]) -> list[Document]:
    return [i for i in items if isinstance(i, Document)]


def errors(items: list[Document | InputError]) -> list[InputError]:
    return [i for i in items if isinstance(i, InputError)]


def b64(text: str, encoding: str = "utf-8") -> str:
    return base64.b64encode(text.encode(encoding)).decode()


def docref(data: Any, content_type: str = "text/plain", **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "DocumentReference",
        "id": "t1",
        "status": "current",
        "content": [{"attachment": {"contentType": content_type, "data": data}}],
        **extra,
    }


def read_obj(linter: Linter, obj: object, **kw: Any) -> list[Document | InputError]:
    return read_bytes(linter, "in.json", json.dumps(obj).encode(), **kw)


# --- claiming inputs -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["note.txt", "note.md", "-", "data.csv"])
def test_reader_does_not_claim_other_inputs(name: str) -> None:
    from inquiry_assist.fhir.reader import inquiry_assist_read

    assert inquiry_assist_read(Source.from_bytes(name, b"{}")) is None


# --- DocumentReference -----------------------------------------------------------------------


def test_r4_document_reference(fhir_linter: Linter) -> None:
    path = EXAMPLES / "r4" / "documentreference-progress-note.json"
    [doc] = read(fhir_linter, path)
    assert isinstance(doc, Document)
    raw = load(path)["content"][0]["attachment"]["data"]
    assert doc.text == base64.b64decode(raw).decode("utf-8")
    assert doc.location == "DocumentReference.content[0].attachment.data"
    assert (doc.resource_type, doc.resource_id, doc.kind) == (
        "DocumentReference",
        "example-note-r4",
        "note",
    )
    assert doc.facts["fhir.version"] == "R4"
    assert doc.source == str(path)


def test_r5_document_reference_detected_and_overridable(fhir_linter: Linter) -> None:
    path = EXAMPLES / "r5" / "documentreference-progress-note.json"
    [doc] = read(fhir_linter, path)
    assert isinstance(doc, Document) and doc.facts["fhir.version"] == "R5"
    [doc] = read(fhir_linter, path, fhir_version="R4B")
    assert isinstance(doc, Document) and doc.facts["fhir.version"] == "R4B"


def test_markdown_attachment_media_type(fhir_linter: Linter) -> None:
    [doc] = read(fhir_linter, EXAMPLES / "r4" / "documentreference-markdown.json")
    assert isinstance(doc, Document)
    assert doc.media_type == "text/markdown" and doc.text.startswith("## Session 6")


def test_html_attachment_latin1_scripts_dropped_offsets_map_back(fhir_linter: Linter) -> None:
    path = EXAMPLES / "r4" / "documentreference-html-latin1.json"
    [doc] = read(fhir_linter, path)
    assert isinstance(doc, Document)
    html = base64.b64decode(load(path)["content"][0]["attachment"]["data"]).decode("latin-1")
    assert "Zoë" in doc.text and "& review" in doc.text
    assert "trackView" not in doc.text and "margin" not in doc.text
    assert "Progress note" not in doc.text  # <title> is not note text
    [finding] = fhir_linter.lint_document(doc)
    start = doc.locator.to_source(finding.start)
    assert html[start : start + len("claims")] == "claims"


def test_strict_base64(fhir_linter: Linter) -> None:
    # the models would decode "QUJD!!!!" leniently to b"ABC"; the reader refuses it
    [err] = read_obj(fhir_linter, docref("QUJD!!!!"))
    assert isinstance(err, InputError) and "not valid base64" in err.message
    assert err.location == "DocumentReference.content[0].attachment.data"
    # line breaks inside base64 are allowed (FHIR's base64Binary permits whitespace)
    encoded = b64("Client claims she slept well.")
    [doc] = read_obj(fhir_linter, docref(encoded[:8] + "\n" + encoded[8:]))
    assert isinstance(doc, Document) and doc.text == "Client claims she slept well."


def test_attachment_over_the_size_limit(fhir_linter: Linter) -> None:
    from inquiry_assist.fhir.extract import ReadContext, iter_resource

    items = list(iter_resource(docref(b64("x" * 500)), ReadContext(path="p", max_bytes=100)))
    [(_, err)] = items
    assert isinstance(err, InputError) and "larger than the 100-byte limit" in err.message


def test_unknown_elements_never_drop_data(fhir_linter: Linter) -> None:
    resource = docref(
        b64("Client claims she slept well."),
        vendorWorkflow={"state": "draft", "x": [1, 2]},
        context={"encounter": [{"reference": "Encounter/e1"}]},  # R4 shape...
    )
    # ...read as R5, where the models would reject it: still linted
    [doc] = read_obj(fhir_linter, resource, fhir_version="R5")
    assert isinstance(doc, Document)
    assert [f.code for f in fhir_linter.lint_document(doc)] == ["FX901"]


# --- Composition -----------------------------------------------------------------------------


def test_composition_sections_nested_and_offsets_into_narrative(fhir_linter: Linter) -> None:
    path = EXAMPLES / "r4" / "composition-progress-note.json"
    found = docs(read(fhir_linter, path))
    assert [d.location for d in found] == [
        "Composition.section[0].text.div",
        "Composition.section[1].text.div",
        "Composition.section[1].section[0].text.div",
        "Composition.section[2].text.div",
    ]
    assert found[0].facts["fhir.section_title"] == "Subjective"
    assert "<" not in found[0].text and '"only"' in found[0].text  # &quot; decoded
    div = load(path)["section"][0]["text"]["div"]
    [finding] = fhir_linter.lint_document(found[0])
    start = found[0].locator.to_source(finding.start)
    assert div[start : start + 6] == "claims"


def test_narrative_is_data_no_entity_expansion_no_scripts() -> None:
    markup = (
        '<!DOCTYPE div [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        "<div><p>Client &xxe; said hi</p><script>alert(1)</script>"
        "<img src='http://x.example/a.png' onerror='alert(2)'/><p>ok &lt;3</p></div>"
    )
    text, anchors = xhtml_to_text(markup)
    assert "&xxe;" in text and "passwd" not in text
    assert "alert" not in text and "x.example" not in text
    assert "ok <3" in text
    assert all(markup[src] not in "<" or text[t] == "\n" for t, src in anchors)


# --- Goal, CarePlan, Consent, Bundle ---------------------------------------------------------


def test_goal_facts_r4_r5(fhir_linter: Linter) -> None:
    [desc, note] = docs(read(fhir_linter, EXAMPLES / "r4" / "goal-client-voiced.json"))
    assert desc.kind == "goal" and desc.location == "Goal.description.text"
    assert note.kind == "note" and note.location == "Goal.note[0].text"
    assert desc.facts["goal.expressed_by_patient"] is True
    assert desc.facts["goal.has_target"] is True and desc.facts["goal.has_due"] is True
    assert desc.facts["goal.from_fhir"] is True
    [clinician] = docs(read(fhir_linter, EXAMPLES / "r4" / "goal-clinician-set.json"))
    assert clinician.facts["goal.expressed_by_patient"] is False
    assert clinician.facts["goal.has_target"] is False
    assert clinician.facts["goal.has_due"] is False
    [r5] = docs(read(fhir_linter, EXAMPLES / "r5" / "goal-client-voiced.json"))
    assert r5.facts["goal.expressed_by_patient"] is True and r5.facts["goal.has_due"] is True
    anon = {"resourceType": "Goal", "description": {"text": "Sleep better"}}
    [d] = docs(read_obj(fhir_linter, anon))
    assert d.facts["goal.expressed_by_patient"] is None


def test_careplan_contained_goal(fhir_linter: Linter) -> None:
    found = docs(read(fhir_linter, EXAMPLES / "r4" / "careplan-with-contained-goal.json"))
    by_location = {d.location: d for d in found}
    assert set(by_location) == {
        "CarePlan.description",
        "CarePlan.note[0].text",
        "CarePlan.activity[0].detail.description",
        "CarePlan.contained[0].description.text",
    }
    goal = by_location["CarePlan.contained[0].description.text"]
    assert goal.kind == "goal" and goal.resource_type == "CarePlan"
    assert goal.facts["goal.expressed_by_patient"] is None


def test_bundle_resolves_references_and_sets_consent_facts(fhir_linter: Linter) -> None:
    found = docs(read(fhir_linter, EXAMPLES / "bundle" / "session-collection-r4.json"))
    assert found and all(d.facts["consent.active"] == ("recording", "treatment") for d in found)
    goals = {d.resource_id: d for d in found if d.kind == "goal"}
    # expressedBy is a urn:uuid reference to the Patient entry: resolved in the Bundle
    assert goals["example-goal-b1"].facts["goal.expressed_by_patient"] is True
    assert goals["example-goal-b2"].facts["goal.expressed_by_patient"] is False
    assert goals["example-goal-b1"].location == "Bundle.entry[2].resource.description.text"


def test_no_consent_fact_without_active_consent(fhir_linter: Linter) -> None:
    found = docs(read(fhir_linter, EXAMPLES / "bundle" / "goals-searchset-r5.json"))
    assert found and all("consent.active" not in d.facts for d in found)
    assert {d.facts["fhir.version"] for d in found} == {"R5"}


def test_consent_mapping_r4_and_r5() -> None:
    assert consent_purposes(load(EXAMPLES / "r4" / "consent-treatment-and-recording.json")) == {
        "recording",
        "treatment",
    }
    assert consent_purposes(load(EXAMPLES / "r5" / "consent-release-of-information.json")) == {
        "disclosure",
        "treatment",
    }
    denied = {
        "resourceType": "Consent",
        "status": "active",
        "decision": "deny",
        "provision": [{"action": [{"coding": [{"code": "disclose"}]}]}],
    }
    assert active_consent_purposes([denied]) == ()
    inactive = {**load(EXAMPLES / "r4" / "consent-treatment-and-recording.json")}
    inactive["status"] = "inactive"
    assert active_consent_purposes([inactive]) is None


def test_version_detection_from_shape_and_profile() -> None:
    assert detect_version(load(EXAMPLES / "r4" / "composition-progress-note.json")) == "R4"
    assert detect_version(load(EXAMPLES / "r5" / "composition-progress-note.json")) == "R5"
    assert detect_version(load(EXAMPLES / "r5" / "careplan-graded-exposure.json")) == "R5"
    assert detect_version(load(EXAMPLES / "bundle" / "goals-searchset-r5.json")) == "R5"
    profiled = {"resourceType": "Goal", "meta": {"profile": ["http://hl7.org/fhir/R4B/x"]}}
    assert detect_version(profiled) == "R4B"
    assert detect_version({"resourceType": "Goal"}) == "R4"


# --- NDJSON ----------------------------------------------------------------------------------


def test_ndjson_and_gzip(fhir_linter: Linter) -> None:
    plain = docs(read(fhir_linter, EXAMPLES / "bulk" / "DocumentReference.ndjson"))
    assert len(plain) == 24
    assert plain[0].location == (
        "DocumentReference.where(id='bulk-note-001').content[0].attachment.data"
    )
    zipped = docs(read(fhir_linter, EXAMPLES / "bulk" / "DocumentReference.ndjson.gz"))
    assert [d.text for d in zipped] == [d.text for d in plain[:6]]


class _EndlessNdjson(io.RawIOBase):
    """An NDJSON stream that would never end: reading it all would fail the test."""

    def __init__(self, line: bytes, limit: int = 5_000) -> None:
        self.line, self.served, self.limit = line, 0, limit
        self.buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if not self.buffer:
            self.served += 1
            if self.served > self.limit:
                raise AssertionError("the reader tried to read the whole stream")
            self.buffer = self.line
        n = min(len(b), len(self.buffer))
        b[:n] = self.buffer[:n]
        self.buffer = self.buffer[n:]
        return n


def test_ndjson_streams(fhir_linter: Linter) -> None:
    line = json.dumps(docref(b64("Client claims she slept well."))).encode() + b"\n"
    stream = _EndlessNdjson(line)
    source = Source(path="bulk.ndjson", open=lambda: io.BufferedReader(stream))
    first = list(itertools.islice(fhir_linter.read(source), 3))
    assert len(first) == 3 and stream.served < 100


def test_ndjson_gz_truncated(fhir_linter: Linter) -> None:
    data = gzip.compress(b'{"resourceType": "Goal", "description": {"text": "x"}}\n' * 50)
    items = read_bytes(fhir_linter, "t.ndjson.gz", data[: len(data) // 2])
    assert errors(items) and "gzip" in errors(items)[-1].message


def test_ndjson_line_over_limit_is_skipped(fhir_linter: Linter) -> None:
    big = json.dumps(docref(b64("Client claims. " * 200)))
    small = json.dumps(docref(b64("Client claims she slept well.")))
    items = read_bytes(fhir_linter, "b.ndjson", f"{big}\n{small}\n".encode(), max_bytes=1000)
    assert "line 1: resource is larger" in errors(items)[0].message
    assert len(docs(items)) == 1


# --- malformed inputs ------------------------------------------------------------------------

EXPECTED = tomllib.loads((MALFORMED / "expected-errors.toml").read_text(encoding="utf-8"))


def test_malformed_folder_has_at_least_eight_cases() -> None:
    files = {p.name for p in MALFORMED.iterdir() if p.suffix in (".json", ".ndjson")}
    assert len(files) >= 8 and files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_input_gives_its_error(fhir_linter: Linter, name: str) -> None:
    spec = EXPECTED[name]
    items = read(fhir_linter, MALFORMED / name, **spec.get("options", {}))
    found = errors(items)
    assert any(spec["message"] in e.message for e in found), [e.message for e in found]
    match = next(e for e in found if spec["message"] in e.message)
    assert match.location == spec.get("location")
    assert match.path == str(MALFORMED / name)


def test_other_resources_in_a_broken_file_are_still_linted(fhir_linter: Linter) -> None:
    for name in ("13-bundle-one-bad-entry.json", "14-bulk-bad-line.ndjson"):
        found = docs(read(fhir_linter, MALFORMED / name))
        assert found, name
        assert all(fhir_linter.lint_document(d) for d in found)  # "claims" flagged in each


def test_error_messages_never_contain_note_text(fhir_linter: Linter) -> None:
    secret = "Zoë confided about her brother"
    for data in (b64(secret, "latin-1"), secret, b64(secret)[:-2] + "!!"):
        for e in errors(read_obj(fhir_linter, docref(data))):
            assert "confided" not in e.message and "Zo" not in e.message


# --- fhir.resources stays out of plain-text linting --------------------------------------------


def test_plain_text_and_fhir_reading_do_not_import_fhir_resources(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Client claims she slept well.\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from inquiry_assist.cli import main\n"
        f"main(['check', {str(note)!r}, '--isolated'])\n"
        "assert 'fhir.resources' not in sys.modules, 'text'\n"
        f"main(['check', {str(EXAMPLES / 'r4')!r}, '--isolated', '--format', 'fhir'])\n"
        "assert 'fhir.resources' not in sys.modules, 'fhir'\n"
        "print('ok')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert out.stdout.strip().endswith("ok"), out.stderr[-2000:]
