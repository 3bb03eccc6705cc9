"""Topics: keyword matching on what was discussed."""

from service.pipeline.topics import find_topics


def _topics(text: str) -> list[str]:
    return [topic.value for topic, _ in find_topics(text, [(0, len(text))])]


def test_topics_in_taxonomy_order_each_once() -> None:
    text = "They discussed trade, drug trafficking, demining, trade and tourism."
    assert _topics(text) == ["drug_trafficking", "demining", "trade", "tourism"]


def test_military_students_are_military_education_only() -> None:
    assert _topics("the exchange of military students") == ["military_education"]


def test_words_match_whole() -> None:
    assert _topics("He underlined the importance of airports.") == ["infrastructure"]


def test_spans_point_at_the_keyword() -> None:
    text = "Both sides agreed on demining."
    ((_, (start, end)),) = find_topics(text, [(0, len(text))])
    assert text[start:end] == "demining"


def test_only_given_ranges_are_read() -> None:
    text = "Trade grew. They discussed health."
    assert [t.value for t, _ in find_topics(text, [(12, len(text))])] == ["health"]
