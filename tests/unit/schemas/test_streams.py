"""Stream names per shard and the shard an article belongs to."""

import pytest

from schemas.streams import RAW, ShardStreams, raw_stream_of, shard_of, shard_streams


def test_shard_of_is_crc32_of_the_utf8_id() -> None:
    # 0xCBF43926 is CRC-32's published check value for "123456789"
    assert shard_of("123456789", 1000) == 0xCBF43926 % 1000
    assert shard_of("123456789", 1) == 0


def test_shards_are_balanced_over_many_ids() -> None:
    counts = [0] * 4
    for k in range(4000):
        counts[shard_of(f"fn-2026-{k}", 4)] += 1
    assert all(800 < c < 1200 for c in counts), counts


def test_one_shard_keeps_the_default_names() -> None:
    (only,) = shard_streams(1)
    assert only.raw == RAW
    assert raw_stream_of("anything", 1) == RAW
    assert only.key("meetwire:seen") == "meetwire:seen"


def test_every_key_of_a_shard_shares_its_hash_tag() -> None:
    streams = ShardStreams(3)
    names = [*streams.all, streams.key("meetwire:seen")]
    assert all(name.endswith(".{3}") for name in names)
    assert len(set(names)) == len(names)
    assert raw_stream_of("123456789", 7) == f"articles.raw.{{{0xCBF43926 % 7}}}"


@pytest.mark.parametrize("shards", [0, -1])
def test_a_number_of_shards_below_one_is_refused(shards: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        shard_streams(shards)
