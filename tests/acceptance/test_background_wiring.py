import os

import pytest
from django.conf import settings
from django.core.cache import cache

from config import celery_app

needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set (.ci/run sets it)"
)


def test_celery_reads_its_settings_from_django():
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.worker_prefetch_multiplier == 1
    assert celery_app.conf.broker_url == settings.CELERY_BROKER_URL


def test_without_a_broker_tasks_run_eagerly():
    from config.settings import base

    configured = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL")
    assert base.CELERY_TASK_ALWAYS_EAGER is (not configured)
    if not configured:
        assert base.CELERY_BROKER_URL == "memory://"


@needs_redis
def test_the_broker_is_reachable():
    with celery_app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1)


@needs_redis
def test_the_cache_is_redis():
    assert "RedisCache" in settings.CACHES["default"]["BACKEND"]
    cache.set("tandem-ci-probe", "yes", 5)
    assert cache.get("tandem-ci-probe") == "yes"
