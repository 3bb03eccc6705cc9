"""Reading raw articles from JSON lines."""

from pathlib import Path

import pytest

from service.feed import BadLine, parse_line, read_articles


def test_parse_line_ignores_unknown_fields_such_as_gold() -> None:
    article = parse_line('{"id": "a", "body": "text", "gold": {"meetings": []}, "extra": 1}')
    assert article.id == "a"
    assert article.source == "unknown"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{oops", "not valid JSON"),
        ("[1, 2]", "a JSON list, not an object"),
        ('{"body": "x"}', "missing field: id"),
        ('{"id": "a"}', "missing field: body"),
        ('{"id": "a", "body": "  "}', "body: Value error, must not be empty"),
        ('{"id": "a", "body": "x", "published_at": "yesterday"}', "published_at"),
    ],
)
def test_bad_lines_say_why(line: str, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_line(line)
    assert reason in str(caught.value)


def test_read_articles_reports_file_and_line_of_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text('{"id": "a", "body": "x"}\n\nnot json\n{"id": "b", "body": "y"}\n', encoding="utf-8")
    items = list(read_articles([str(path)]))
    assert [type(i).__name__ for i in items] == ["RawArticle", "BadLine", "RawArticle"]
    bad = items[1]
    assert isinstance(bad, BadLine)
    assert bad.line == 3
    assert str(bad).startswith(f"{path}:3: not valid JSON")
