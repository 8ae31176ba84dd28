"""The documentation is checked against the code: the generated rule pages are
current, every hook signature, setting, output format and testing helper is
documented, the JSON schema matches real output, the Python examples run, and the
site builds with ``mkdocs build --strict``."""

from __future__ import annotations

import inspect
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from inquiry_assist import Linter, hookspecs, testing
from inquiry_assist.cli import main
from inquiry_assist.config import Config
from inquiry_assist.docsgen import generate_rule_pages, stale_pages

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
REGENERATE = "python scripts/gen_docs.py"


def read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


# --- the generated rule reference -----------------------------------------------------


def test_rule_pages_are_current() -> None:
    stale = stale_pages(ROOT)
    assert not stale, (
        f"docs/rules/ is out of date for {', '.join(stale)}: the rules' metadata or terms "
        f"changed. Regenerate with `{REGENERATE}` and commit the result."
    )


def test_every_builtin_rule_has_a_page_and_an_index_entry() -> None:
    linter = Linter(load_entrypoints=False)
    pages = generate_rule_pages(linter)
    for rule in linter.rules:
        page = pages[f"{rule.meta.code}.md"]
        assert page.count(f"# {rule.meta.code} {rule.meta.name}") == 1
        assert "## What it does" in page and "## Why is this bad?" in page
        assert rule.meta.summary in page
        assert f"]({rule.meta.code}.md)" in pages["index.md"]


def test_generator_check_mode(tmp_path: Path) -> None:
    from inquiry_assist.docsgen import main as gen_main

    assert gen_main(["--root", str(tmp_path), "--check"]) == 1
    assert gen_main(["--root", str(tmp_path)]) == 0
    assert gen_main(["--root", str(tmp_path), "--check"]) == 0
    (tmp_path / "docs" / "rules" / "X999.md").write_text("gone\n", encoding="utf-8")
    assert stale_pages(tmp_path) == ["X999.md"]


# --- hand-written references that must cover the code ------------------------------------


def _hookspecs() -> list[tuple[str, str]]:
    return [
        (name, f"def {name}{inspect.signature(fn)}".replace("'", ""))
        for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
        if name.startswith("inquiry_assist_")
    ]


def test_every_hook_is_documented_with_its_signature() -> None:
    doc = read("hooks.md")
    specs = _hookspecs()
    assert len(specs) >= 5
    for name, signature in specs:
        assert f"## {name}\n" in doc, f"docs/hooks.md has no section for {name}"
        assert signature in doc, f"docs/hooks.md does not show the signature {signature}"


def test_firstresult_hooks_are_called_out() -> None:
    doc = read("hooks.md")
    for name, fn in inspect.getmembers(hookspecs, inspect.isfunction):
        opts = getattr(fn, "inquiry_assist_spec", {})
        if opts.get("firstresult"):
            section = doc.split(f"## {name}\n", 1)[1].split("\n## ", 1)[0]
            assert "firstresult" in section, name


def test_every_setting_is_documented() -> None:
    doc = read("configuration.md")
    for name, field in Config.model_fields.items():
        if field.exclude:
            continue
        key = field.alias or name
        assert f"| `{key}` |" in doc, f"docs/configuration.md does not document {key!r}"
    for verb in ("disable-next-line", "disable-line", "disable", "enable"):
        assert f"`{verb} CODES`" in doc, verb


def test_every_builtin_format_is_documented() -> None:
    doc = read("output-formats.md")
    for name in Linter(load_entrypoints=False).formats:
        assert f"| `{name}`" in doc, f"docs/output-formats.md does not list the {name} format"


def test_testing_helpers_are_documented() -> None:
    doc = read("plugin-guide.md")
    for name in ("linter", "register_plugin", *testing.__all__):
        assert hasattr(testing, name), name
        assert f"`{name}" in doc, f"docs/plugin-guide.md does not document {name}"


# --- the JSON contract ------------------------------------------------------------------


@pytest.fixture(scope="module")
def json_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(read("json-output.schema.json"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def _check_json(args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, dict[str, Any]]:
    monkeypatch.setenv("INQUIRY_ASSIST_DISABLE_PLUGIN_AUTOLOAD", "1")
    out, err = io.StringIO(), io.StringIO()
    status = main(["check", "--isolated", "--format", "json", *args], stdout=out, stderr=err)
    return status, json.loads(out.getvalue())


@pytest.mark.parametrize("redact", [False, True])
def test_cli_json_output_matches_the_schema(
    json_schema: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, redact: bool
) -> None:
    (tmp_path / "note.md").write_text(
        "Subjective:\nClient claims she slept well.\nPlan:\nMeet next week.\n", encoding="utf-8"
    )
    (tmp_path / "goals.txt").write_text("Client will be compliant with meds.\n", encoding="utf-8")
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    status, payload = _check_json(
        [str(tmp_path), str(tmp_path / "missing.txt"), *(["--redact"] if redact else [])],
        monkeypatch,
    )
    assert status == 2
    jsonschema.validate(payload, json_schema, cls=jsonschema.Draft202012Validator)
    assert payload["findings"], "the example notes should produce findings"
    assert len(payload["errors"]) >= 2
    if redact:
        assert all(f["text"] is None for f in payload["findings"])


def test_fhir_examples_json_output_matches_the_schema(
    json_schema: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    examples = ROOT / "fhir_examples"
    if not any(examples.rglob("*.json")):
        pytest.skip("no FHIR examples")
    _, payload = _check_json([str(examples)], monkeypatch)
    jsonschema.validate(payload, json_schema, cls=jsonschema.Draft202012Validator)


def test_schema_rejects_a_broken_payload(json_schema: dict[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(json_schema)
    assert not validator.is_valid({"version": 2, "findings": [], "errors": [], "summary": {}})


# --- runnable examples ---------------------------------------------------------------------


def _python_blocks(name: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", read(name), flags=re.DOTALL)


def test_python_api_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INQUIRY_ASSIST_DISABLE_PLUGIN_AUTOLOAD", "1")
    blocks = _python_blocks("python-api.md")
    assert len(blocks) >= 5
    namespace: dict[str, Any] = {}
    for i, block in enumerate(blocks):
        code = compile(block, f"docs/python-api.md[block {i + 1}]", "exec")
        exec(code, namespace)


def test_example_code_in_guides_compiles() -> None:
    for name in ("hooks.md", "plugin-guide.md"):
        for i, block in enumerate(_python_blocks(name)):
            compile(block, f"docs/{name}[block {i + 1}]", "exec")


# --- the site builds ------------------------------------------------------------------------


def test_mkdocs_builds_strict(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs", reason="mkdocs builds the docs (tox -e docs)")
    if not (DOCS / "fhir.md").exists():
        pytest.skip("docs/fhir.md (the FHIR mapping) is not written yet")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "rules" / "L101" / "index.html").is_file()
