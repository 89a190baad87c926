"""The media layer of lesson video: ffprobe and ffmpeg, and the talk timeline.

Pure functions on local paths; no models. Every uploaded file is hostile until ffmpeg has
made a new one from it, so every run of ffprobe or ffmpeg here:

- is a list argv (never a shell), with no standard input, and a timeout;
- reads its input only through the `file` protocol and only with the demuxers phones and
  browsers write (`FORMATS`). Without the format whitelist, an HLS playlist or an ffconcat
  list renamed `.mp4` is opened as one, and ffmpeg follows it to any other file on the
  server (another teacher's video), which would then be "made playable" for this teacher;
- stops at the first decoding error (`-xerror`), so a damaged or truncated file is refused
  rather than turned into a shorter or garbled copy;
- keeps only the tail of ffmpeg's error output, in a temporary file, so no pipe fills and
  Python's memory stays flat however large the recording.

What the teacher reads when a file is refused is `str(MediaRefused)`: a sentence without
paths or ffmpeg's words.

The talk timeline (`talk_timeline`) says when someone was talking and when the room was
silent, from voice-activity detection (webrtcvad). It computes nothing about who spoke:
not the teacher or a student, not which student, not how many voices. Wait time after a
question (`wait_time`) is read from it.
"""

from __future__ import annotations

import contextlib
import json
import math
import os

# ffmpeg and ffprobe, always a list argv without a shell (_popen).
import subprocess  # nosec B404
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import webrtcvad
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop, ngettext

# The demuxers phones and browsers write: MP4/MOV/3GP/M4A, Matroska/WebM, Ogg, WAV, MP3,
# ADTS AAC, FLAC. A name here matches any of a demuxer's names ("mov,mp4,m4a,...").
FORMATS = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,ogg,wav,mp3,aac,flac"
# Read the input through files only: no network, no pipe, no concat: or subfile: tricks.
INPUT_SAFETY = ["-protocol_whitelist", "file", "-format_whitelist", FORMATS]

PLAYABLE_MAX_WIDTH = 1280
POSTER_MAX_WIDTH = 640
# A picture larger than 8K is no phone's; decoding one would only cost the server memory.
LARGEST_SIDE = 8192

# The sentences a teacher reads when a file is refused. The worker keeps them in the video's
# row as written here, in English; `refusal_shown` gives them in the reader's language.
NOT_INSTALLED = gettext_noop("The server cannot make videos playable: ffmpeg is not installed.")
NOT_MEDIA = gettext_noop("This file is not a video or audio recording Tandem can read.")
EMPTY = gettext_noop("This file is empty: nothing of the recording arrived.")
NO_STREAMS = gettext_noop("This file holds no picture or sound Tandem can read.")
NO_LENGTH = gettext_noop("This recording has no length Tandem can read.")
CUT_SHORT = gettext_noop("This recording seems to be cut short: part of the file is missing.")
DAMAGED = gettext_noop(
    "This recording seems to be cut short or damaged: part of it cannot be read."
)
TOO_SLOW = gettext_noop("This recording took too long to make playable.")
TOO_LARGE = gettext_noop("This video's picture is larger than Tandem can play (more than 8K).")
BAD_CLIP = gettext_noop("The clip must start before it ends, within the recording.")
FAILED = gettext_noop("Tandem could not make this recording playable.")

# How much of ffmpeg's error output is kept (its last characters), for the server's log.
STDERR_TAIL = 4000
# ffprobe's description of a recording is a few kilobytes; one this long is a crafted file
# of thousands of streams.
LONGEST_REPORT = 2_000_000


class MediaRefused(Exception):
    """A file we will not make playable. str(exc) is a sentence for the teacher: clear,
    no paths, no ffmpeg jargon. `detail` keeps the tail of ffmpeg's own words, for the
    server's log only (it may name paths)."""

    def __init__(self, sentence: str, detail: str = "") -> None:
        super().__init__(sentence)
        self.detail = detail


@dataclass(frozen=True)
class Probe:
    has_video: bool
    has_audio: bool
    duration: float  # seconds
    width: int | None  # as shown, after the phone's rotation
    height: int | None


# -- running ffmpeg ----------------------------------------------------------------------


def _url(path: Path) -> str:
    # An absolute `file:` URL: a name like "concat:a|b" or "-i" is only ever a file name.
    return "file:" + os.path.abspath(path)


def _popen(argv: list[str], stdout: int | IO[bytes], stderr: IO[bytes]) -> subprocess.Popen[bytes]:
    try:
        # A list argv without a shell; the binary comes from settings, and every path is a
        # `file:` URL read behind the protocol and format whitelists.
        return subprocess.Popen(  # noqa: S603 # nosec B603
            argv, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr
        )
    except (FileNotFoundError, PermissionError):
        raise MediaRefused(NOT_INSTALLED) from None


class _Run:
    """One ffmpeg or ffprobe process: stdout a pipe to read as it comes, stderr a temporary
    file (so it can never fill a pipe and stall ffmpeg), killed after `timeout` seconds."""

    def __init__(self, argv: list[str], *, timeout: float) -> None:
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 -- closed in close()
        try:
            self.process = _popen(argv, subprocess.PIPE, self._stderr)
        except BaseException:
            self._stderr.close()
            raise
        if self.process.stdout is None:  # never: stdout is a pipe
            raise RuntimeError("ffmpeg's output is not a pipe")
        self.stdout: IO[bytes] = self.process.stdout
        self.timed_out = False
        self._timer = threading.Timer(timeout, self._kill)
        self._timer.daemon = True
        self._timer.start()

    def _kill(self) -> None:
        self.timed_out = True
        self.process.kill()

    def lines(self) -> Iterator[str]:
        for raw in self.stdout:
            yield raw.decode("utf-8", "replace").strip()

    def finish(self) -> int:
        """Wait for the process (reading what stdout still holds) and return its code."""
        for _ in iter(lambda: self.stdout.read(65536), b""):
            pass
        code = self.process.wait()
        self._timer.cancel()
        if self.timed_out:
            raise MediaRefused(TOO_SLOW, self.stderr_tail())
        return code

    def stderr_tail(self) -> str:
        self._stderr.seek(0, os.SEEK_END)
        self._stderr.seek(max(0, self._stderr.tell() - STDERR_TAIL))
        return self._stderr.read().decode("utf-8", "replace")

    def close(self) -> None:
        self._timer.cancel()
        if self.process.poll() is None:
            self.process.kill()
        self.stdout.close()
        self.process.wait()
        self._stderr.close()


@contextlib.contextmanager
def _running(argv: list[str], *, timeout: float) -> Iterator[_Run]:
    run = _Run(argv, timeout=timeout)
    try:
        yield run
    finally:
        run.close()


def _ffmpeg(*args: str) -> list[str]:
    return [settings.FFMPEG_BINARY, "-nostdin", "-hide_banner", "-loglevel", "error", *args]


# -- probe -------------------------------------------------------------------------------


def probe(source: Path) -> Probe:
    """What `source` holds, or MediaRefused when it is not a recording we will play: not one
    ffprobe reads with the whitelisted demuxers, no picture and no sound, no length, longer
    than settings.VIDEO_MAX_SECONDS, or a picture larger than 8K."""
    if source.stat().st_size == 0:
        raise MediaRefused(EMPTY)
    report = _ffprobe(source)
    streams = report.get("streams") or []
    # A cover picture in an audio file (M4A, MP3) is a "video" stream of one still frame.
    pictures = [
        s
        for s in streams
        if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
    ]
    has_audio = any(s.get("codec_type") == "audio" for s in streams)
    if not pictures and not has_audio:
        raise MediaRefused(NO_STREAMS)
    width, height = _shown_size(pictures[0]) if pictures else (None, None)
    if max(width or 0, height or 0) > LARGEST_SIDE:
        raise MediaRefused(TOO_LARGE)
    duration = _duration_of(report) or _measured_duration(source)
    if not duration or duration <= 0:
        raise MediaRefused(NO_LENGTH)
    if duration > settings.VIDEO_MAX_SECONDS:
        raise MediaRefused(_too_long())
    return Probe(
        has_video=bool(pictures),
        has_audio=has_audio,
        duration=duration,
        width=width,
        height=height,
    )


def _ffprobe(source: Path) -> dict[str, Any]:
    argv = [
        settings.FFPROBE_BINARY,
        "-hide_banner",
        "-loglevel",
        "error",
        *INPUT_SAFETY,
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        _url(source),
    ]
    # ffprobe has no -nostdin (it refuses the option); its stdin is /dev/null (_popen).
    with _running(argv, timeout=60) as run:
        output = run.stdout.read(LONGEST_REPORT)
        code = run.finish()
        error = run.stderr_tail()
    if code != 0:
        raise MediaRefused(_refusal(source, error, NOT_MEDIA), error)
    if len(output) >= LONGEST_REPORT:
        raise MediaRefused(NOT_MEDIA)
    try:
        report = json.loads(output)
    except ValueError:
        raise MediaRefused(NOT_MEDIA) from None
    if not isinstance(report, dict):
        raise MediaRefused(NOT_MEDIA)
    return report


# The boxes an MP4 or QuickTime file may open with.
MP4_FIRST_BOXES = {b"ftyp", b"wide", b"free", b"skip", b"mdat", b"moov", b"pnot"}


def _refusal(source: Path, error: str, otherwise: str) -> str:
    """The sentence for ffmpeg's `error` on `source`."""
    if "not on whitelist" in error:
        return NOT_MEDIA
    if "moov atom not found" in error:
        # Said of any file named .mp4 without an index: a real MP4 cut short (its index is
        # written last, so an upload that stopped midway has none), or text renamed.
        try:
            with source.open("rb") as file:
                looks_like_mp4 = file.read(8)[4:] in MP4_FIRST_BOXES
        except OSError:
            looks_like_mp4 = False
        return CUT_SHORT if looks_like_mp4 else NOT_MEDIA
    return otherwise


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _duration_of(report: dict[str, Any]) -> float | None:
    duration = _number((report.get("format") or {}).get("duration"))
    if duration is None:
        durations = [_number(s.get("duration")) for s in report.get("streams") or []]
        duration = max((d for d in durations if d is not None), default=None)
    return duration


def _measured_duration(source: Path) -> float | None:
    """The length of a file that does not write it in its header (a browser's MediaRecorder
    WebM): ffmpeg reads every packet, without decoding, and says where it ended."""
    argv = _ffmpeg(
        "-progress", "pipe:1", "-nostats", *INPUT_SAFETY, "-i", _url(source),
        "-map", "0", "-c", "copy", "-f", "null", "-",
    )  # fmt: skip
    last: float | None = None
    with _running(argv, timeout=300) as run:
        for line in run.lines():
            key, _, value = line.partition("=")
            if key in ("out_time_us", "out_time_ms") and (number := _number(value)) is not None:
                last = number / 1_000_000
        if run.finish() != 0:
            error = run.stderr_tail()
            raise MediaRefused(_refusal(source, error, NOT_MEDIA), error)
    return last


def _shown_size(stream: dict[str, Any]) -> tuple[int | None, int | None]:
    width, height = stream.get("width"), stream.get("height")
    if not isinstance(width, int) or not isinstance(height, int):
        return None, None
    # A phone held upright records landscape pixels and a rotation; players (and ffmpeg)
    # turn the picture, so its width is the height it was recorded with.
    rotation = _number((stream.get("tags") or {}).get("rotate"))
    for side_data in stream.get("side_data_list") or []:
        if isinstance(side_data, dict) and "rotation" in side_data:
            rotation = _number(side_data["rotation"])
    if rotation is not None and round(rotation) % 180 == 90:
        return height, width
    return width, height


def _too_long_sentence() -> str:
    limit = int(settings.VIDEO_MAX_SECONDS)
    if limit % 60 == 0:
        minutes = limit // 60
        return ngettext(
            "This recording is longer than %(n)d minute.",
            "This recording is longer than %(n)d minutes.",
            minutes,
        ) % {"n": minutes}
    return ngettext(
        "This recording is longer than %(n)d second.",
        "This recording is longer than %(n)d seconds.",
        limit,
    ) % {"n": limit}


def _too_long() -> str:
    """The sentence kept in the video's row: in English, like the others here, whatever
    language the worker runs in."""
    with translation.override("en"):
        return _too_long_sentence()


def refusal_shown(sentence: str) -> str:
    """A refusal as the worker kept it (in English), in the reader's language; a sentence
    the catalogue does not know is shown as it is."""
    if not sentence:
        return ""
    if sentence == _too_long():
        return _too_long_sentence()
    return gettext(sentence)


# -- make_playable -----------------------------------------------------------------------

# ffmpeg writes a progress block about twice a second; the page needs no more than this.
PROGRESS_INTERVAL = 0.25


def make_playable(
    source: Path,
    target: Path,
    *,
    probed: Probe,
    on_progress: Callable[[float], None] = lambda fraction: None,
    start: float | None = None,
    end: float | None = None,
) -> float:
    """Write `target`, an MP4 every browser plays, from `source` (as `probe` described it):
    H.264 (at most 1280 wide, never enlarged) and AAC, or AAC alone for a sound recording,
    with its index first so playback starts before the download ends. The phone's metadata
    (the place it was recorded, the device) is not copied. `start` and `end` (seconds) cut a
    clip to the frame. `on_progress(fraction)` hears how far it is, a few times a second.

    Returns the playable's duration in seconds. Any failure removes `target` and raises
    MediaRefused.
    """
    try:
        return _make_playable(source, target, probed, on_progress, start, end)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _make_playable(
    source: Path,
    target: Path,
    probed: Probe,
    on_progress: Callable[[float], None],
    start: float | None,
    end: float | None,
) -> float:
    clip_start = start or 0.0
    clip_end = probed.duration if end is None else min(end, probed.duration)
    if clip_start < 0 or clip_end - clip_start <= 0:
        raise MediaRefused(BAD_CLIP)
    expected = clip_end - clip_start
    argv = _ffmpeg("-progress", "pipe:1", "-nostats", "-xerror")
    if start is not None:
        # Before -i: ffmpeg seeks to the keyframe before, then decodes up to `start` and
        # drops what precedes it, so the clip starts on the frame (it is re-encoded).
        argv += ["-ss", f"{clip_start:.3f}"]
    argv += [*INPUT_SAFETY, "-i", _url(source)]
    # At most the clip, and never more than a recording may last, whatever the file claims.
    argv += ["-t", f"{min(expected, settings.VIDEO_MAX_SECONDS):.3f}"]
    if probed.has_video:
        argv += [
            "-map", "0:V:0",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
            "-vf", f"scale=w='trunc(min({PLAYABLE_MAX_WIDTH},iw)/2)*2':h=-2,format=yuv420p",
            # Keep the phone's own frame timing rather than repeating frames to a fixed rate.
            "-fps_mode", "vfr",
        ]  # fmt: skip
    else:
        argv += ["-vn"]
    if probed.has_audio:
        argv += [
            "-map", "0:a:0",
            "-c:a", "aac", "-b:a", "128k",
            # Mono stays mono; stereo and surround become stereo.
            "-af", "aformat=channel_layouts=mono|stereo",
        ]  # fmt: skip
    argv += [
        "-sn", "-dn", "-map_metadata", "-1", "-map_chapters", "-1",
        "-movflags", "+faststart", "-f", "mp4", "-y", _url(target),
    ]  # fmt: skip
    # veryfast encodes a phone's 1080p faster than it plays on a small server; three times
    # the length leaves room for a busy one.
    with _running(argv, timeout=60 + 3 * expected) as run:
        _follow_progress(run, expected, on_progress)
        if run.finish() != 0:
            error = run.stderr_tail()
            raise MediaRefused(_refusal(source, error, DAMAGED), error)
    made = _duration_of(_ffprobe(target))
    if made is None or made <= 0:
        raise MediaRefused(FAILED)
    # A file whose header promises more than its data holds (a WebM cut short) decodes
    # without an error, to its end: what is missing shows only in the length.
    if made < expected - (0.5 + 0.05 * expected):
        raise MediaRefused(CUT_SHORT)
    return made


def _follow_progress(run: _Run, expected: float, on_progress: Callable[[float], None]) -> None:
    """Read ffmpeg's `-progress` blocks line by line and report the fraction done, at most
    every PROGRESS_INTERVAL seconds, never going back, and always the last one."""
    done = 0.0
    reported = -1.0
    last_call = -math.inf
    for line in run.lines():
        key, _, value = line.partition("=")
        # out_time_ms is in microseconds too (ffmpeg's old spelling); either will do.
        if key in ("out_time_us", "out_time_ms") and (micro := _number(value)) is not None:
            done = max(done, min(1.0, max(0.0, micro / 1_000_000 / expected)))
        elif key == "progress":
            now = time.monotonic()
            if done > reported and (value == "end" or now - last_call >= PROGRESS_INTERVAL):
                on_progress(done)
                reported, last_call = done, now


# -- make_poster -------------------------------------------------------------------------


def make_poster(playable: Path, target: Path, *, duration: float) -> None:
    """Write `target`, a JPEG at most 640 wide, from about a tenth into the video (at most
    5 seconds in): past a black first frame, before the class has moved on much."""
    moment = max(0.0, min(5.0, duration * 0.1))
    argv = _ffmpeg(
        "-xerror", "-ss", f"{moment:.3f}", *INPUT_SAFETY, "-i", _url(playable),
        "-map", "0:V:0", "-frames:v", "1",
        "-vf", f"scale=w='min({POSTER_MAX_WIDTH},iw)':h=-2",
        "-c:v", "mjpeg", "-q:v", "4", "-map_metadata", "-1",
        "-f", "image2", "-update", "1", "-y", _url(target),
    )  # fmt: skip
    try:
        with _running(argv, timeout=60) as run:
            code = run.finish()
            if code != 0:
                raise MediaRefused(FAILED, run.stderr_tail())
        # Seeking past the last frame is no error to ffmpeg: it writes nothing.
        if not target.exists() or target.stat().st_size == 0:
            raise MediaRefused(FAILED)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


# -- talk timeline -----------------------------------------------------------------------

SAMPLE_RATE = 16000
FRAME_SECONDS = 0.03
FRAME_BYTES = int(SAMPLE_RATE * FRAME_SECONDS) * 2  # 16-bit mono
# webrtcvad's strictest mode: a classroom hisses and hums (projector fans, the heating),
# and modes 0 and 1 count steady noise as voice (white noise at -20 dBFS: every frame).
VAD_MODE = 3
# Talk starts once 5 frames (150 ms) in a row are voiced: a click or a chair is not talk.
TALK_STARTS_AFTER = 5
# Talk ends once 10 frames (300 ms) in a row are not voiced: the breath between words and
# a pause shorter than 0.3 s are part of the talk, not silence.
TALK_ENDS_AFTER = 10


def talk_timeline(source: Path) -> list[tuple[float, float]]:
    """When someone was talking: [(start, end), ...] in seconds, rounded to 0.01, in order
    and apart by at least 0.3 s. Silence is everything between. A file without sound gives
    []. Only voice activity: nothing about who spoke is computed.

    The sound is decoded by ffmpeg to 16 kHz mono 16-bit PCM on a pipe and read 30 ms at a
    time, so memory stays the same for a minute or an hour and a half.
    """
    probed = probe(source)
    if not probed.has_audio:
        return []
    argv = _ffmpeg(
        "-xerror", *INPUT_SAFETY, "-i", _url(source),
        "-map", "0:a:0", "-vn", "-sn", "-dn",
        "-ac", "1", "-ar", str(SAMPLE_RATE), "-c:a", "pcm_s16le", "-f", "s16le", "pipe:1",
    )  # fmt: skip
    with _running(argv, timeout=60 + probed.duration) as run:
        talk = _voiced_segments(iter(lambda: run.stdout.read(FRAME_BYTES), b""))
        if run.finish() != 0:
            error = run.stderr_tail()
            raise MediaRefused(_refusal(source, error, DAMAGED), error)
    return talk


def _voiced_segments(frames: Iterator[bytes]) -> list[tuple[float, float]]:
    vad = webrtcvad.Vad(VAD_MODE)
    segments: list[tuple[float, float]] = []
    voiced_run = unvoiced_run = 0
    talking = False
    talk_start = last_voiced_end = 0.0
    for index, frame in enumerate(frames):
        if len(frame) < FRAME_BYTES:
            break  # the last few milliseconds: not a whole frame
        voiced = vad.is_speech(frame, SAMPLE_RATE)
        at = index * FRAME_SECONDS
        if voiced:
            voiced_run += 1
            unvoiced_run = 0
            last_voiced_end = at + FRAME_SECONDS
            if not talking and voiced_run >= TALK_STARTS_AFTER:
                talking = True
                talk_start = at - (TALK_STARTS_AFTER - 1) * FRAME_SECONDS
        else:
            voiced_run = 0
            unvoiced_run += 1
            if talking and unvoiced_run >= TALK_ENDS_AFTER:
                talking = False
                segments.append((round(talk_start, 2), round(last_voiced_end, 2)))
    if talking:
        segments.append((round(talk_start, 2), round(last_voiced_end, 2)))
    return segments


# -- wait time ---------------------------------------------------------------------------

QUESTION_WITHIN = 3.0


def wait_time(talk: list[tuple[float, float]], moment: float, duration: float) -> float | None:
    """The silence after a question tagged at `moment` (seconds), rounded to 0.1 s.

    The question is the talk segment that contains `moment`, or else the first one that
    starts within 3 s after it (a tag made as the question began). The wait is from the end
    of that segment to the start of the next one (the answer), or to `duration` when no
    talk follows. When no talk contains `moment` or starts within 3 s of it, the wait is
    the silence from `moment` itself to the next talk (or to `duration`). None when there
    is no timeline (`talk` is empty: no sound, or nobody talked).
    """
    if not talk:
        return None
    segments = sorted(talk)
    question = next(
        (
            i
            for i, (start, end) in enumerate(segments)
            if start <= moment <= end or moment < start <= moment + QUESTION_WITHIN
        ),
        None,
    )
    if question is None:
        silence_from = moment
        following = [start for start, _ in segments if start > moment]
    else:
        silence_from = segments[question][1]
        following = [start for start, _ in segments[question + 1 :]]
    silence_to = following[0] if following else duration
    return round(max(0.0, silence_to - silence_from), 1)
