"""`async_url` and `redact`: accepted URL forms, rejected ones, and password hiding."""

from pathlib import Path

import pytest

from service.store.urls import async_url, redact


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///meetwire.db", "sqlite+aiosqlite:///meetwire.db"),
        ("sqlite:///data/meetwire.db", "sqlite+aiosqlite:///data/meetwire.db"),
        ("sqlite://", "sqlite+aiosqlite://"),
        ("sqlite:///:memory:", "sqlite+aiosqlite:///:memory:"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("  sqlite:///x.db\n", "sqlite+aiosqlite:///x.db"),
        ("postgresql://u:p@db.example:5432/meet", "postgresql+asyncpg://u:p@db.example:5432/meet"),
        ("postgres://u:p@db.example/meet", "postgresql+asyncpg://u:p@db.example/meet"),
        ("POSTGRES://u@db.example/meet", "postgresql+asyncpg://u@db.example/meet"),
        (
            "postgresql://u:p%40ss@h/meet?ssl=require",
            "postgresql+asyncpg://u:p%40ss@h/meet?ssl=require",
        ),
        ("postgresql+asyncpg://u:p@h/meet", "postgresql+asyncpg://u:p@h/meet"),
        ("postgres+asyncpg://u:p@h/meet", "postgresql+asyncpg://u:p@h/meet"),
    ],
)
def test_async_url_accepts(url: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert async_url(url) == expected


def test_async_url_creates_the_parent_folder_of_an_absolute_sqlite_file(tmp_path: Path) -> None:
    database = tmp_path / "a" / "b" / "meetwire.db"
    assert async_url(f"sqlite:///{database}") == f"sqlite+aiosqlite:///{database}"
    assert database.parent.is_dir()
    assert not database.exists()


def test_async_url_creates_the_parent_folder_of_a_relative_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    async_url("sqlite:///nested/dir/meetwire.db")
    assert (tmp_path / "nested" / "dir").is_dir()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u:secret@h/db", "unsupported database URL 'mysql://u:***@h/db'"),
        ("redis://localhost:6379/0", "unsupported database URL"),
        ("not a url", "not a database URL"),
        ("", "not a database URL"),
        ("postgresql+psycopg2://u:secret@h/db", "synchronous driver 'psycopg2'"),
        ("sqlite+pysqlite:///x.db", "synchronous driver 'pysqlite'"),
    ],
)
def test_async_url_rejects(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=r"sqlite|postgresql") as caught:
        async_url(url)
    assert message in str(caught.value)
    assert "secret" not in str(caught.value)


def test_async_url_error_names_the_accepted_forms() -> None:
    with pytest.raises(ValueError, match=r"sqlite:///relative/path\.db.*postgresql://"):
        async_url("mongodb://h/db")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:secret@h:5432/db", "postgresql://u:***@h:5432/db"),
        ("postgres://u:s%40cret@h/db?ssl=require", "postgres://u:***@h/db?ssl=require"),
        ("postgresql+asyncpg://u:secret@h/db", "postgresql+asyncpg://u:***@h/db"),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
        ("sqlite:////abs/meetwire.db", "sqlite:////abs/meetwire.db"),
        ("weird scheme://u:secret@h", "weird scheme://u:***@h"),
    ],
)
def test_redact_hides_the_password(url: str, expected: str) -> None:
    assert redact(url) == expected
