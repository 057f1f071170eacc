"""In-process scheduler for periodic background jobs."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from shop.utils.logging_config import get_logger

log = get_logger(__name__)

JobFunc = Callable[[], object]


@dataclass
class Job:
    name: str
    func: JobFunc
    interval: timedelta
    last_run: datetime | None = None
    failures: int = 0

    def is_due(self, now: datetime) -> bool:
        return self.last_run is None or now - self.last_run >= self.interval


_REGISTRY: dict[str, Job] = {}


def periodic(
    *, seconds: int = 0, minutes: int = 0, hours: int = 0, name: str | None = None
) -> Callable[[JobFunc], JobFunc]:
    """Register the decorated function to run at a fixed interval."""
    interval = timedelta(seconds=seconds, minutes=minutes, hours=hours)
    if interval.total_seconds() <= 0:
        raise ValueError("a periodic job needs a positive interval")

    def register(func: JobFunc) -> JobFunc:
        job_name = name or f"{func.__module__}.{func.__qualname__}"
        if job_name in _REGISTRY:
            raise ValueError(f"duplicate job name {job_name}")
        _REGISTRY[job_name] = Job(job_name, func, interval)
        return func

    return register


def registered_jobs() -> list[Job]:
    return sorted(_REGISTRY.values(), key=lambda job: job.name)


def run_pending(now: datetime | None = None) -> list[str]:
    """Run every job that is due; failures are logged, not raised."""
    now = now or datetime.now(timezone.utc)
    ran: list[str] = []
    for job in registered_jobs():
        if not job.is_due(now):
            continue
        started = time.monotonic()
        try:
            job.func()
            job.failures = 0
        except Exception:
            job.failures += 1
            log.exception("job %s failed (%d in a row)", job.name, job.failures)
        finally:
            job.last_run = now
        log.info("job %s finished in %.2fs", job.name, time.monotonic() - started)
        ran.append(job.name)
    return ran


def run_forever(tick_seconds: float = 5.0) -> None:
    """Worker entry point: poll the registry until interrupted."""
    log.info("scheduler started with %d jobs", len(_REGISTRY))
    while True:
        run_pending()
        time.sleep(tick_seconds)
