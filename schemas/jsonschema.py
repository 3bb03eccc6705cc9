"""Generate the committed JSON Schemas in ``schemas/json/`` from the models."""

import json
from pathlib import Path

from pydantic import BaseModel

from schemas import ArticleOutcome, DeadLetter, MeetingEvent, NormalizedArticle, RawArticle
from schemas.canonical import CanonicalChange

MODELS: dict[str, type[BaseModel]] = {
    "raw-article": RawArticle,
    "normalized-article": NormalizedArticle,
    "meeting-event": MeetingEvent,
    "dead-letter": DeadLetter,
    "article-outcome": ArticleOutcome,
    "canonical-change": CanonicalChange,
}
JSON_DIR = Path(__file__).parent / "json"


def render() -> dict[str, str]:
    """Return each schema file's name and its JSON text."""
    return {
        f"{name}.schema.json": json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False) + "\n"
        for name, model in MODELS.items()
    }


def write(directory: Path = JSON_DIR) -> list[Path]:
    """Write every schema file into ``directory`` and return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in render().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write():
        print(written)  # noqa: T201
