"""The pre-commit hook, for real: a notes repository whose ``.pre-commit-config.yaml``
points at (a committed copy of) this repository; a commit with a flagged note is
blocked with a readable message, a clean one goes through, and ``pre-commit
try-repo`` runs the hook on named files.

pre-commit builds the hook's virtualenv with pip, so this is the slowest test in
the suite (one install, shared by the tests in this module).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("pre_commit", reason="pre-commit is a test dependency (pip install pre-commit)")
import yaml  # pre-commit depends on PyYAML

ROOT = Path(__file__).resolve().parents[1]
HOOK_ID = "inquiry-assist"
FLAGGED = "Client claims she slept well.\n"
CLEAN = "Client reports she slept well.\n"
_IGNORED = shutil.ignore_patterns(
    ".git", ".venv", ".tox", ".mypy_cache", ".ruff_cache", ".pytest_cache", "__pycache__",
    "*.egg-info", "site", "build", "dist", ".hypothesis",
)  # fmt: skip


@dataclass
class Repos:
    hook_repo: Path
    rev: str
    notes: Path
    env: dict[str, str]


def _git(cwd: Path, *args: str, env: dict[str, str], check: bool = True) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stdout}{done.stderr}")
    return done.stdout + done.stderr


def _pre_commit(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Repos]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    base = tmp_path_factory.mktemp("precommit")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(base / "cache"),
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(base),  # no user git config (hooks paths, signing) leaks in
    }
    env.pop("INQUIRY_ASSIST_DISABLE_PLUGIN_AUTOLOAD", None)
    # try-repo and `repo: <path>` need a committed repository: commit a copy of the tree.
    hook_repo = base / "inquiry-assist"
    shutil.copytree(ROOT, hook_repo, ignore=_IGNORED)
    _git(hook_repo, "init", "-q", "-b", "main", env=env)
    _git(hook_repo, "add", "-A", env=env)
    _git(hook_repo, "commit", "-q", "--no-verify", "-m", "snapshot for the test", env=env)
    rev = _git(hook_repo, "rev-parse", "HEAD", env=env).strip()

    notes = base / "notes"
    notes.mkdir()
    _git(notes, "init", "-q", "-b", "main", env=env)
    config = {"repos": [{"repo": str(hook_repo), "rev": rev, "hooks": [{"id": HOOK_ID}]}]}
    (notes / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _git(notes, "add", ".pre-commit-config.yaml", env=env)
    _git(notes, "commit", "-q", "--no-verify", "-m", "add pre-commit config", env=env)
    installed = _pre_commit(notes, "install", "--install-hooks", env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    yield Repos(hook_repo, rev, notes, env)


def test_hook_manifest_is_valid() -> None:
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert hook["id"] == HOOK_ID
    assert hook["entry"] == "inquiry-assist check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    for name in ("a.txt", "b.md", "c.json", "d.ndjson", "notes/e.md"):
        assert files.search(name), name
    for name in ("a.py", "b.png", "c.jsonx"):
        assert not files.search(name), name


def test_flagged_note_blocks_the_commit(repos: Repos) -> None:
    note = repos.notes / "2026-01-05-session.md"
    note.write_text(FLAGGED, encoding="utf-8")
    _git(repos.notes, "add", note.name, env=repos.env)
    done = subprocess.run(
        ["git", "commit", "-m", "session note"],
        cwd=repos.notes,
        env=repos.env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "inquiry-assist" in output and "Failed" in output
    # the readable message: file:line:col: CODE [name] message
    assert re.search(rf"{re.escape(note.name)}:1:8: L101 (\[\*\] )?\[doubt-marker\] ", output)
    # nothing was committed
    log = _git(repos.notes, "log", "--oneline", env=repos.env)
    assert "session note" not in log
    _git(repos.notes, "reset", "-q", env=repos.env)
    note.unlink()


def test_clean_note_commits(repos: Repos) -> None:
    note = repos.notes / "2026-01-06-session.md"
    note.write_text(CLEAN, encoding="utf-8")
    _git(repos.notes, "add", note.name, env=repos.env)
    done = subprocess.run(
        ["git", "commit", "-m", "clean note"],
        cwd=repos.notes,
        env=repos.env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Passed" in output
    assert "clean note" in _git(repos.notes, "log", "--oneline", env=repos.env)


def test_try_repo_runs_the_hook_on_named_files(repos: Repos) -> None:
    flagged = repos.notes / "try-flagged.txt"
    clean = repos.notes / "try-clean.txt"
    flagged.write_text(FLAGGED, encoding="utf-8")
    clean.write_text(CLEAN, encoding="utf-8")
    failed = _pre_commit(
        repos.notes, "try-repo", str(repos.hook_repo), HOOK_ID, "--ref", repos.rev,
        "--files", flagged.name, env=repos.env,
    )  # fmt: skip
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"try-flagged\.txt:1:8: L101 (\[\*\] )?\[doubt-marker\] ", failed.stdout)
    passed = _pre_commit(
        repos.notes, "try-repo", str(repos.hook_repo), HOOK_ID, "--ref", repos.rev,
        "--files", clean.name, env=repos.env,
    )  # fmt: skip
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
