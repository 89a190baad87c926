"""Backups of a whole Tandem installation, and their restore.

One file holds the database and the media folder (lesson video included when it is kept
on disk), with a manifest that lets a restore prove it brought everything back:
`manage.py backup` and `manage.py restore`, README "Backups". They live in core, the bottom
floor, because they treat every app's tables and files alike and import none of them.
"""


class BackupError(Exception):
    """What went wrong, in words for the person running the command; nothing was changed
    unless the message says so."""
