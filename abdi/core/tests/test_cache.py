"""The Redis cache keeps one Redis client instead of making one per operation."""

from typing import Any

import pytest
import redis

from abdi.core.cache import RedisCache

REDIS = "redis://127.0.0.1:6379/14"


@pytest.fixture
def cache(redis_at: Any) -> RedisCache:
    # Other test processes share this Redis database: keys of their own, and they expire.
    return RedisCache(redis_at(REDIS), {"KEY_PREFIX": "abdi-test-cache", "TIMEOUT": 60})


def test_operations_share_one_client_and_still_reach_redis(
    cache: RedisCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Any] = []
    real_init = redis.Redis.__init__

    def counting_init(self: Any, *args: Any, **kwargs: Any) -> None:
        made.append(self)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting_init)

    cache.set("answer", {"value": 42})
    cache.set_many({"a": 1, "b": 2})
    assert cache.get("answer") == {"value": 42}
    assert cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": 2}
    assert cache.incr("a") == 2
    cache.delete("answer")
    assert cache.get("answer", "gone") == "gone"

    assert len(made) == 1
    with redis.Redis.from_url(REDIS) as direct:  # what another process would read
        assert direct.exists(cache.make_key("b")) == 1
