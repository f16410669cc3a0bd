"""Django's Redis cache, with one Redis client per server instead of one per operation.

Django's ``RedisCacheClient`` makes a new ``redis.Redis`` for every get and set. redis-py
fills a table of about 170 response callbacks each time it makes one: with four or five
cache operations in a request (its session, the menu's answers, the kept page parts), that
was half a millisecond per request (docs/deploy.md §11, eighth round). Django keeps one
cache object per thread, so the client kept here serves one thread.

Use ``abdi.core.cache.RedisCache`` as the ``BACKEND``; settings do so when ``REDIS_URL`` is set.
"""

from typing import Any

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django: Any = self  # the members used here are private to Django, not in its stubs
        index = django._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = django._get_connection_pool(write)
            client = self._clients[index] = django._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
