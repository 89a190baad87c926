"""The worker's doors into lesson video: each imports its service inside its body, so the
services that queue these tasks may import this module without a circle."""

from celery import shared_task


# Late acknowledgement: a worker lost mid-transcode leaves the task for another, which
# takes the video up once the first worker's claim is stale (services.STALE_PROCESSING).
@shared_task(acks_late=True, reject_on_worker_lost=True)
def make_video_playable(video_id: str) -> None:
    from .services import video_make_playable

    video_make_playable(video_id)


@shared_task(acks_late=True)
def resume_stalled_videos() -> int:
    """Beat, every quarter hour: a video whose task was lost is made playable all the same."""
    from .services import videos_resume_stalled

    return videos_resume_stalled()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def cut_video_clip(video_id: str) -> None:
    from .services import video_cut_clip

    video_cut_clip(video_id)
