"""The bytecode-style cache of the TOML packs shipped with the package."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from inquiry_assist import tomlcache
from inquiry_assist.tomlcache import cache_path, read_toml

_PACK = 'name = "demo"\n[[terms]]\nterm = "claims"\n'


@pytest.fixture
def pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", None)
    path = tmp_path / "demo.toml"
    path.write_text(_PACK, encoding="utf-8")
    return path


def _parse_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(text: str) -> object:
        raise AssertionError("parsed although the cache holds this text")

    monkeypatch.setattr(tomlcache.tomllib, "loads", fail)


def test_a_packaged_file_is_parsed_once_then_read_from_its_cache(
    pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = read_toml(pack, packaged=True)
    assert first == tomllib.loads(_PACK)
    where = cache_path(pack)
    assert (
        where == pack.parent / "__pycache__" / f"demo.toml.{sys.implementation.cache_tag}.marshal"
    )
    assert where.is_file()
    _parse_fails(monkeypatch)
    assert read_toml(pack, packaged=True) == first


def test_an_edited_file_is_parsed_again_and_its_cache_replaced(
    pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_toml(pack, packaged=True)
    pack.write_text(_PACK.replace("claims", "insists"), encoding="utf-8")
    assert read_toml(pack, packaged=True)["terms"] == [{"term": "insists"}]
    _parse_fails(monkeypatch)
    assert read_toml(pack, packaged=True)["terms"] == [{"term": "insists"}]


@pytest.mark.parametrize("blob", [b"", b"\x00garbage", b"\xe9"])
def test_a_damaged_cache_is_ignored(pack: Path, blob: bytes) -> None:
    where = cache_path(pack)
    where.parent.mkdir()
    where.write_bytes(blob)
    assert read_toml(pack, packaged=True) == tomllib.loads(_PACK)


def test_nothing_is_written_beside_files_that_are_not_packaged(pack: Path) -> None:
    assert read_toml(pack) == tomllib.loads(_PACK)
    assert read_toml(str(pack)) == tomllib.loads(_PACK)
    assert sorted(p.name for p in pack.parent.iterdir()) == ["demo.toml"]


def test_no_cache_is_written_when_bytecode_is_not(
    pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert read_toml(pack, packaged=True) == tomllib.loads(_PACK)
    assert not cache_path(pack).exists()


def test_a_folder_that_cannot_be_written_is_no_error(pack: Path) -> None:
    (pack.parent / "__pycache__").write_text("a file where the folder would go")
    assert read_toml(pack, packaged=True) == tomllib.loads(_PACK)
    assert read_toml(pack, packaged=True) == tomllib.loads(_PACK)


def test_values_marshal_cannot_hold_are_parsed_every_time(pack: Path) -> None:
    pack.write_text("day = 2026-11-29\n", encoding="utf-8")
    assert str(read_toml(pack, packaged=True)["day"]) == "2026-11-29"
    assert sorted(p.name for p in pack.parent.rglob("*")) == ["demo.toml"]


def test_the_cache_follows_pycache_prefix(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefix = tmp_path / "prefix"
    monkeypatch.setattr(sys, "pycache_prefix", str(prefix))
    read_toml(pack, packaged=True)
    assert cache_path(pack).is_relative_to(prefix)
    assert cache_path(pack).is_file()
    assert not (pack.parent / "__pycache__").exists()


def test_a_broken_file_still_raises_what_tomllib_raises(pack: Path) -> None:
    pack.write_text("name = \n", encoding="utf-8")
    with pytest.raises(tomllib.TOMLDecodeError):
        read_toml(pack, packaged=True)
    pack.unlink()
    with pytest.raises(OSError):
        read_toml(pack, packaged=True)
