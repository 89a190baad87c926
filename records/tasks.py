import logging

from celery import shared_task

from . import retention, services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def build_export(export_id: str) -> bool:
    return services.export_build(export_id)


@shared_task(acks_late=True)
def forget_old_exports() -> dict:
    """Beat, every hour: an export is kept a day, then deleted."""
    counts = services.exports_forget()
    logger.info("Exports: %s", counts)
    return counts


@shared_task(acks_late=True)
def purge_expired_records() -> dict:
    """Beat, every night: what is past its retention period is deleted (counts logged)."""
    return retention.purge_expired()
