"""The worker's doors into accounts: each task imports what it runs inside its body."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def import_roster_folder() -> dict:
    """Beat, every night: the roster packages districts dropped in ONEROSTER_DROP_DIR are
    applied (or refused, and their administrators told), then moved aside; previews left
    unapplied lose their staff rows, and old packages are forgotten. A second run finds
    nothing new to do."""
    from .oneroster.services import roster_folder_run, roster_imports_forget

    counts = roster_folder_run()
    counts["expired"] = roster_imports_forget()
    logger.info("Roster folder: %s", counts)
    return counts
