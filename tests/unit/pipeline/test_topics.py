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


def test_hospitality_is_not_health() -> None:
    assert _topics("He thanked them for their hospitality.") == []


def test_an_office_is_not_a_topic() -> None:
    assert _topics("She was joined by Second Minister for Education Maliki Osman.") == []


def test_congratulations_are_not_topics_until_a_verb_of_discussion() -> None:
    text = "He congratulated Cambodia on its elections and agreed to boost trade."
    assert _topics(text) == ["trade"]


def test_the_event_on_whose_sidelines_they_met_is_no_topic() -> None:
    assert _topics("They met on the sidelines of the ASEAN Summit.") == []
