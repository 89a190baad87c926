"""Sending a video file once the view has decided who may have it.

Playback seeks, so the browser asks for byte ranges (RFC 9110 §14): answered here a block
at a time, in constant memory whatever the file's size. In production the web server can
send the file itself (VIDEO_SERVED_BY: nginx's X-Accel-Redirect to an internal location,
Apache's X-Sendfile), and an object store answers a signed link that lasts minutes.
"""

import re

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse

from .models import video_storage

BLOCK = 64 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class Unsatisfiable(ValueError):
    """A range wholly outside the file (416)."""


def wanted_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single `Range: bytes=` header, or None for the whole file.
    Raises Unsatisfiable for a range that cannot be satisfied. Several ranges at once are
    answered with the whole file, which RFC 9110 allows."""
    match = RANGE.match(header.strip())
    if not match or not (match[1] or match[2]):
        return None
    if not match[1]:  # the last N bytes
        length = int(match[2])
        if length == 0:
            raise Unsatisfiable
        return max(size - length, 0), size - 1
    first = int(match[1])
    last = min(int(match[2]), size - 1) if match[2] else size - 1
    if first >= size or last < first:
        raise Unsatisfiable
    return first, last


def _blocks(handle, first: int, length: int):
    try:
        handle.seek(first)
        left = length
        while left > 0:
            block = handle.read(min(BLOCK, left))
            if not block:
                break
            left -= len(block)
            yield block
    finally:
        handle.close()


def send_video_file(request: HttpRequest, name: str, content_type: str) -> HttpResponse:
    storage = video_storage()
    if not isinstance(storage, FileSystemStorage):
        # An object store: a private object, reached through a link signed for minutes.
        return HttpResponseRedirect(storage.url(name))
    if settings.VIDEO_SERVED_BY == "nginx":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.VIDEO_ACCEL_PREFIX.rstrip("/") + "/" + name
        return response
    if settings.VIDEO_SERVED_BY == "apache":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = storage.path(name)
        return response
    size = storage.size(name)
    try:
        wanted = wanted_range(request.headers.get("Range", ""), size)
    except Unsatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    first, last = wanted or (0, size - 1)
    response = StreamingHttpResponse(
        _blocks(storage.open(name, "rb"), first, last - first + 1),
        status=206 if wanted else 200,
        content_type=content_type,
    )
    response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    if wanted:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    return response
