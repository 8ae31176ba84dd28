"""Property tests: the FHIR reader never crashes, and narrative offsets always map back."""

from __future__ import annotations

import base64
import functools
import json
import sys
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from inquiry_assist.fhir.extract import ReadContext, iter_resource
from inquiry_assist.fhir.narrative import xhtml_to_text
from inquiry_assist.model import Document, InputError, Locator

_TEXT = st.text(alphabet=st.characters(blacklist_characters="<>&", blacklist_categories=("Cs",)))
_TAGS = st.sampled_from(
    ["<p>", "</p>", "<br/>", "<b>", "</b>", '<span id="a1">', "</span>", "<li>", "</li>",
     "<script>x()</script>", "<!-- c -->", "<style>p{}</style>"]
)  # fmt: skip


@given(st.lists(st.one_of(_TEXT, _TAGS, st.sampled_from(["&amp;", "&lt;", "&#233;"]))))
@settings(max_examples=300, deadline=None)
def test_every_extracted_character_maps_back_to_the_markup(pieces: list[str]) -> None:
    markup = "<div>" + "".join(pieces) + "</div>"
    text, anchors = xhtml_to_text(markup)
    locator = Locator(segments=anchors)
    entities = {"&": "&amp;", "<": "&lt;", "é": "&#233;"}
    for i, char in enumerate(text):
        src = locator.to_source(i)
        assert 0 <= src < len(markup)
        if markup[src] == "<":
            assert char == "\n"  # a block element's line break
        elif markup[src] == "&":
            assert markup.startswith(entities[char], src)
        else:
            assert markup[src] == char


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "resourceType",
                    "content",
                    "attachment",
                    "data",
                    "contentType",
                    "entry",
                    "resource",
                    "section",
                    "text",
                    "div",
                    "description",
                    "target",
                    "expressedBy",
                    "source",
                    "reference",
                    "note",
                    "contained",
                    "provision",
                    "status",
                    "id",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=25,
)
_TYPES = st.sampled_from(
    ["DocumentReference", "Composition", "Goal", "CarePlan", "Consent", "Bundle", "Patient"]
)


@given(_TYPES, st.dictionaries(st.text(max_size=12), _JSON, max_size=6), _JSON)
@settings(max_examples=400, deadline=None)
def test_reader_never_raises_on_any_json(rtype: str, body: dict[str, Any], nested: Any) -> None:
    entries = [{"resource": nested}, {"resource": {"resourceType": rtype, **body}}]
    resource = {**body, "resourceType": rtype, "content": nested, "section": nested}
    resource["entry"] = entries
    json.dumps(resource)  # it is JSON
    for _, item in iter_resource(resource, ReadContext(path="p.json")):
        assert isinstance(item, Document | InputError)


@given(st.binary(max_size=200), st.sampled_from(["utf-8", "latin-1", "utf-16", "bogus"]))
@settings(max_examples=200, deadline=None)
def test_any_attachment_bytes_give_a_document_or_an_error(raw: bytes, charset: str) -> None:
    resource = {
        "resourceType": "DocumentReference",
        "content": [
            {"attachment": {"contentType": f"text/plain; charset={charset}",
                            "data": base64.b64encode(raw).decode()}}
        ],
    }  # fmt: skip
    [(_, item)] = list(iter_resource(resource, ReadContext(path="p.json")))
    if isinstance(item, Document):
        assert item.text.strip() and "\x00" not in item.text
    else:
        assert isinstance(item, InputError) and item.location is not None


@functools.cache
def _linter() -> Any:
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # --import-mode=importlib
    from test_fhir_support import make_linter

    return make_linter()


@given(_TYPES, st.dictionaries(st.text(max_size=12), _JSON, max_size=6), _JSON)
@settings(max_examples=150, deadline=None)
def test_lint_and_fix_never_raise(rtype: str, body: dict[str, Any], nested: Any) -> None:
    note = base64.b64encode(b"Client claims a calm week.").decode()
    resource = {**body, "resourceType": rtype, "id": "x1", "section": nested}
    resource["content"] = [{"attachment": {"contentType": "text/plain", "data": note}}, nested]
    snapshot = json.dumps(resource, sort_keys=True)
    outcome = _linter().lint_resource(resource)
    assert outcome["resourceType"] in ("OperationOutcome", "Bundle")
    transaction = _linter().fix_resource(resource)
    assert transaction["type"] == "transaction"
    assert json.dumps(resource, sort_keys=True) == snapshot
