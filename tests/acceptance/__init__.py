"""The working loop end to end: a journey through the pages, the same in a real browser,
and the background processes (Celery, Redis, SMTP) wired as in production."""
