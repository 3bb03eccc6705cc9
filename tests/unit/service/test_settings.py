"""Settings from MEETWIRE_* variables: shards."""

import pytest

from service.settings import Settings


def test_a_shard_outside_the_number_of_shards_is_refused_with_the_range(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEETWIRE_SHARDS", "2")
    monkeypatch.setenv("MEETWIRE_SHARD", "2")
    with pytest.raises(ValueError, match="use 0 to 1"):
        Settings()


def test_a_process_serves_its_shard_or_every_shard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEETWIRE_SHARDS", "3")
    assert [s.shard for s in Settings().served_streams()] == [0, 1, 2]
    monkeypatch.setenv("MEETWIRE_SHARD", "1")
    assert [s.shard for s in Settings().served_streams()] == [1]
    assert [s.shard for s in Settings().all_streams()] == [0, 1, 2]
