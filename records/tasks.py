"""The worker's doors into records: each task imports what it runs inside its body, so the
services that enqueue these tasks may import this module without a circle."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def build_export(export_id: str) -> bool:
    from .services import export_build

    return export_build(export_id)


@shared_task(acks_late=True)
def forget_old_exports() -> dict:
    """Beat, every hour: an export is kept a day, then deleted."""
    from .services import exports_forget

    counts = exports_forget()
    logger.info("Exports: %s", counts)
    return counts


@shared_task(acks_late=True)
def purge_expired_records() -> dict:
    """Beat, every night: what is past its retention period is deleted (counts logged)."""
    from .retention import purge_expired

    return purge_expired()
