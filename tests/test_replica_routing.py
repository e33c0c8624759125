"""Reads go to a real streaming replica; writes, transactions and a client's reads right after
its own write stay on the primary (newsroom/routers.py).

The replica is real: tests/replica/cluster.py makes a PostgreSQL primary with initdb, copies it
with pg_basebackup into a hot standby on another port, and removes both after. The probe runs
Django in a process of its own against the pair (DATABASE_URL, DATABASE_REPLICA_URL) and
reports which server ran each query."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.replica.cluster import postgres_bin, streaming_pair

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seen() -> dict:
    if postgres_bin() is None:
        if os.environ.get("NEWSROOM_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL's server programs (initdb, pg_basebackup) are missing")
        pytest.skip("needs PostgreSQL's server programs (initdb, pg_basebackup, pg_ctl)")
    with streaming_pair() as (primary, replica):
        env = {
            **os.environ,
            "DATABASE_URL": primary,
            "DATABASE_REPLICA_URL": replica,
            "NEWSROOM_CACHE_DIR": str(ROOT / "var" / "cache-replica-test"),
        }
        env.pop("REDIS_URL", None)
        result = subprocess.run(
            [sys.executable, str(ROOT / "tests" / "replica" / "probe.py")],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_replica_is_a_real_hot_standby(seen: dict) -> None:
    assert seen["replica_in_recovery"] is True
    assert "read-only transaction" in seen["replica_refused_a_write"]
    assert seen["replica_has_the_write"] is True  # streamed from the primary


def test_reads_go_to_the_replica_and_writes_to_the_primary(seen: dict) -> None:
    assert seen["orm_write"]["default"] >= 1 and seen["orm_write"]["replica"] == 0
    assert seen["orm_read"] == {"default": 0, "replica": 1}
    assert seen["api_read"]["replica"] >= 1 and seen["api_read"]["default"] == 0
    assert seen["api_read_result"] == {"status": 200, "slugs": ["akazawa-lutnick"]}


def test_transactions_and_pinned_blocks_read_from_the_primary(seen: dict) -> None:
    assert seen["read_in_transaction"]["replica"] == 0
    assert seen["read_pinned"] == {"default": 1, "replica": 0}


def test_a_client_reads_its_own_write_from_the_primary_until_the_pin_expires(seen: dict) -> None:
    assert seen["api_write_result"] == {"status": 201, "pin_cookie": True}
    assert seen["api_write"]["replica"] == 0
    assert seen["api_read_after_write"]["replica"] == 0
    assert seen["api_read_after_write"]["default"] >= 1
    assert seen["api_read_later"]["default"] == 0 and seen["api_read_later"]["replica"] >= 1


def test_the_import_worker_claims_its_tasks_on_the_primary(seen: dict) -> None:
    assert seen["task_queue_read_on"] == "default"
    assert seen["worker_ran"] is True
