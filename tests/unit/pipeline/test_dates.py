"""Dates: explicit, weekday, relative words and year inference."""

from datetime import UTC, date, datetime

from schemas import RawArticle
from service.pipeline import enrich, normalize
from service.pipeline.dates import DateContext, explicit_dates, infer_year, make_context, relative_dates

RECEIVED = datetime(2026, 1, 1, tzinfo=UTC)


def _context(published: date | None = None, month: int | None = None, day: int | None = None) -> DateContext:
    return make_context(None, month, day, published, RECEIVED, None)


def test_dateline_takes_the_year_of_publication() -> None:
    assert _context(date(2024, 6, 4), 6, 4).dateline == date(2024, 6, 4)


def test_dateline_after_publication_is_last_year() -> None:
    assert _context(date(2024, 1, 2), 12, 30).dateline == date(2023, 12, 30)


def test_yesterday_is_the_day_before_the_dateline() -> None:
    text = "They met in Tokyo yesterday afternoon."
    (found,) = relative_dates(text, 0, len(text), _context(date(2017, 8, 8), 8, 8))
    assert found.value == date(2017, 8, 7)


def test_weekday_resolves_to_the_latest_such_day() -> None:
    text = "The two leaders met on Monday."
    (found,) = relative_dates(text, 0, len(text), _context(date(2022, 9, 20)))
    assert found.value == date(2022, 9, 19)


def test_weekday_with_explicit_date() -> None:
    text = "He received the call on Tuesday morning (Jun. 4) at the Peace Palace."
    (found,) = explicit_dates(text, 0, len(text), _context(date(2024, 6, 4), 6, 4))
    assert found.value == date(2024, 6, 4)


def test_year_written_in_the_date_wins() -> None:
    text = "on 13 September 2023 at the National Assembly"
    (found,) = explicit_dates(text, 0, len(text), _context(None, 9, 14))
    assert found.value == date(2023, 9, 13)


def test_year_inferred_from_weekday_before_reception() -> None:
    context = make_context(None, None, None, None, RECEIVED, None)
    assert infer_year(6, 4, 1, context) == 2024
    assert infer_year(6, 4, None, context) == 2025


def test_meeting_date_from_yesterday_against_dateline() -> None:
    raw = RawArticle.model_validate(
        {
            "id": "d-1",
            "source": "AKP",
            "published_at": "2020-01-24",
            "body": "PHNOM PENH, Jan. 24 (AKP) – Cambodian Prime Minister Hun Sen received Thai Ambassador "
            "H.E. Panyarak Poolthup at the Peace Palace yesterday.",
        }
    )
    (event,) = enrich(normalize(raw, received_at=RECEIVED))
    assert event.date == date(2020, 1, 23)
