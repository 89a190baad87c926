"""Recordings made on the spot by ffmpeg's test sources, as phones and browsers write them,
and the damaged or hostile files a teacher's upload may be instead.

Each is a few seconds long and a few hundred kilobytes at most, and takes well under a
second to make. Each function writes `path` and returns it.
"""

import json
import shutil

# The suite's own ffmpeg and ffprobe, run with list argvs, never through a shell.
import subprocess  # nosec B404
from pathlib import Path

FFMPEG = "ffmpeg"
FFPROBE = "ffprobe"


def ffmpeg_missing() -> bool:
    return shutil.which(FFMPEG) is None or shutil.which(FFPROBE) is None


def _ffmpeg(*args: str) -> None:
    subprocess.run(  # noqa: S603 # nosec B603
        [FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args],
        check=True,
        stdin=subprocess.DEVNULL,
    )


def _picture(seconds: float, size: str = "320x240", rate: int = 30) -> list[str]:
    return ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}"]


def _tone(seconds: float, channels: int = 1) -> list[str]:
    layout = "mono" if channels == 1 else "stereo"
    return [
        "-f", "lavfi",
        "-i", f"sine=frequency=440:duration={seconds},aformat=channel_layouts={layout}",
    ]  # fmt: skip


def phone_mp4(path: Path, seconds: float = 3, size: str = "320x240") -> Path:
    """An Android phone's MP4: H.264 and stereo AAC, the index (moov) written last."""
    _ffmpeg(
        *_picture(seconds, size), *_tone(seconds, channels=2),
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "96k", "-f", "mp4", str(path),
    )  # fmt: skip
    return path


def mpegts(path: Path, seconds: float = 2) -> Path:
    """An MPEG-TS of H.264 and AAC: a file of the kind an HLS playlist is made of."""
    _ffmpeg(
        *_picture(seconds), *_tone(seconds),
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-f", "mpegts", str(path),
    )  # fmt: skip
    return path


def subtitles_only(path: Path) -> Path:
    """A Matroska file holding subtitles and nothing else: no picture, no sound."""
    captions = path.with_suffix(".srt")
    captions.write_text("1\n00:00:00,000 --> 00:00:02,000\nGood morning, class.\n")
    _ffmpeg("-i", str(captions), "-c:s", "srt", "-f", "matroska", str(path))
    captions.unlink()
    return path


def odd_sized_mp4(path: Path, seconds: float = 1) -> Path:
    """A small video without sound, of odd dimensions (321x241), which H.264 cannot hold in
    yuv420p."""
    _ffmpeg(
        "-f", "lavfi", "-i", f"testsrc2=size=320x240:rate=30:duration={seconds},scale=321:241",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p", "-f", "mp4", str(path),
    )  # fmt: skip
    return path


IPHONE_LOCATION = "+48.8584+002.2945/"


def iphone_mov_hevc(path: Path, seconds: float = 3) -> Path:
    """An iPhone held upright: a QuickTime file of HEVC ("hvc1") stored landscape, 320x240,
    with a rotation of 90° (shown 240x320), AAC, and where it was recorded."""
    landscape = path.with_suffix(".landscape.mov")
    _ffmpeg(
        *_picture(seconds), *_tone(seconds),
        "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error",
        "-tag:v", "hvc1", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "mov", str(landscape),
    )  # fmt: skip
    # ffmpeg 5 writes the display matrix only when copying streams.
    _ffmpeg(
        "-i", str(landscape), "-c", "copy", "-metadata:s:v:0", "rotate=90",
        "-metadata", f"location={IPHONE_LOCATION}", "-f", "mov", str(path),
    )  # fmt: skip
    landscape.unlink()
    return path


def webm_vp8(path: Path, seconds: float = 3, *, streamed: bool = False) -> Path:
    """A WebM of VP8 and Opus. `streamed`: written as a browser's MediaRecorder writes it,
    as it goes, with no length in its header."""
    args = [
        *_picture(seconds), *_tone(seconds),
        # One thread: threaded libvpx spins while it waits, and on a busy two-core machine
        # three seconds then take five rather than a third of one.
        "-c:v", "libvpx", "-threads", "1", "-deadline", "realtime", "-cpu-used", "8",
        "-b:v", "300k",
        "-c:a", "libopus", "-f", "webm",
    ]  # fmt: skip
    if streamed:
        with path.open("wb") as out:
            subprocess.run(  # noqa: S603 # nosec B603
                [FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error", *args, "pipe:1"],
                check=True,
                stdin=subprocess.DEVNULL,
                stdout=out,
            )
    else:
        _ffmpeg(*args, str(path))
    return path


def m4a_audio(path: Path, seconds: float = 3) -> Path:
    """A voice memo: mono AAC in an M4A."""
    _ffmpeg(*_tone(seconds), "-c:a", "aac", "-b:a", "64k", "-f", "ipod", str(path))
    return path


def webm_opus(path: Path, seconds: float = 3) -> Path:
    """A browser's sound-only recording: Opus in WebM."""
    _ffmpeg(*_tone(seconds), "-c:a", "libopus", "-f", "webm", str(path))
    return path


def silent(path: Path, seconds: float = 3) -> Path:
    """A video whose sound track is digital silence."""
    _ffmpeg(
        *_picture(seconds), "-f", "lavfi", "-i", f"anullsrc=r=48000:cl=mono:d={seconds}",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-f", "mp4", str(path),
    )  # fmt: skip
    return path


def fan_noise(path: Path, seconds: float = 3) -> Path:
    """A loud steady hiss, as of a projector's fan close to the phone, with no voice."""
    _ffmpeg(
        "-f", "lavfi", "-i", f"anoisesrc=d={seconds}:c=white:a=0.1:seed=7",
        "-c:a", "aac", "-f", "ipod", str(path),
    )  # fmt: skip
    return path


# Talk and silence at known moments (seconds), within 7 seconds: a pause of 0.2 s inside
# the first talk (a breath, not silence), a silence of 2.5 s, talk, then 1 s of silence.
TALK = [(0.0, 2.0), (4.5, 6.0)]
BREATH = (0.9, 1.1)
TALK_PATTERN_SECONDS = 7.0

# A voice as webrtcvad hears one. A pure sine is voice to it or not by its frequency (in
# mode 3: 440 Hz is, 220 Hz is not), so the talk is a fundamental near 150 Hz with its
# harmonics up to 1.2 kHz, the pitch wavering at 5 Hz and the loudness at syllable rate
# (4 Hz): every 30 ms frame of it is voiced, in every mode, through AAC and Opus.
_VOICE = (
    "(0.55+0.45*sin(2*PI*4*t))*0.25*("
    "sin(2*PI*(150+8*sin(2*PI*5*t))*t)+0.6*sin(2*PI*300*t)+0.5*sin(2*PI*450*t)"
    "+0.4*sin(2*PI*600*t)+0.3*sin(2*PI*900*t)+0.2*sin(2*PI*1200*t))"
)


def _talk_gate() -> str:
    talking = "+".join(f"between(t,{start},{end})" for start, end in TALK)
    breath = f"between(t,{BREATH[0]},{BREATH[1]})"
    return f"gt({talking},0)*not({breath})"


def talk_pattern(path: Path, *, video: bool = False) -> Path:
    """TALK's talk, digital silence between, TALK_PATTERN_SECONDS long: AAC in an MP4 with
    a picture (`video`), or Opus in a WebM without one."""
    seconds = TALK_PATTERN_SECONDS
    sound = ["-f", "lavfi", "-i", f"aevalsrc='{_talk_gate()}*{_VOICE}':s=48000:d={seconds}"]
    if video:
        _ffmpeg(
            *_picture(seconds, "160x120", rate=10), *sound,
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "96k", "-f", "mp4", str(path),
        )  # fmt: skip
    else:
        _ffmpeg(*sound, "-c:a", "libopus", "-f", "webm", str(path))
    return path


def truncated(path: Path, kind: str = "mp4") -> Path:
    """A real recording cut in half, as an upload that stopped midway leaves it:
    "mp4", an MP4 whose index (written last) is gone; "faststart", an MP4 whose index is
    first and whose pictures and sound stop halfway; "webm", a WebM whose header promises
    3 s and whose data holds 1.5 s."""
    whole = path.with_suffix(".whole" + path.suffix)
    if kind == "webm":
        webm_vp8(whole)
    else:
        phone_mp4(whole)
        if kind == "faststart":
            moved = whole.with_suffix(".moved.mp4")
            _ffmpeg("-i", str(whole), "-c", "copy", "-movflags", "+faststart", str(moved))
            moved.replace(whole)
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    whole.unlink()
    return path


def not_media(path: Path) -> Path:
    """Text named like a video."""
    path.write_bytes(b"Lesson notes, 3rd period: ask about fractions before the break.\n" * 50)
    return path


def hls_trick(path: Path, secret_file: Path) -> Path:
    """An HLS playlist named like an MP4 whose one segment is `secret_file`, a file on the
    server (another teacher's video): opened as HLS, ffmpeg would read that file."""
    path.write_text(
        "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:0\n"
        f"#EXTINF:10.0,\n{secret_file.resolve()}\n#EXT-X-ENDLIST\n"
    )
    return path


def concat_trick(path: Path, secret_file: Path) -> Path:
    """An ffconcat list named like an MP4 that names `secret_file`, beside it (a relative
    name passes the concat demuxer's own `safe` check)."""
    path.write_text(f"ffconcat version 1.0\nfile '{secret_file.name}'\n")
    return path


def unguarded_streams(path: Path) -> list[str]:
    """The codecs plain ffprobe, without Tandem's whitelists, finds behind `path` ([] when it
    reads nothing): what a disguised playlist would hand an unguarded ffmpeg."""
    done = subprocess.run(  # noqa: S603 # nosec B603
        [FFPROBE, "-loglevel", "quiet", "-of", "json", "-show_streams", str(path)],
        check=False, capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    if done.returncode != 0:
        return []
    return [stream.get("codec_name", "") for stream in json.loads(done.stdout)["streams"]]


def ffprobe_json(path: Path) -> dict:
    """What plain ffprobe says of `path`: {"format": {...}, "streams": [{...}, ...]}."""
    done = subprocess.run(  # noqa: S603 # nosec B603
        [FFPROBE, "-loglevel", "error", "-of", "json", "-show_streams", "-show_format",
         str(path)],
        check=True, capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    return json.loads(done.stdout)


def top_level_boxes(path: Path) -> list[str]:
    """The types of an MP4's top-level boxes, in file order ("ftyp", "moov", "mdat"...)."""
    boxes = []
    with path.open("rb") as mp4:
        while header := mp4.read(8):
            if len(header) < 8:
                break
            size, kind = int.from_bytes(header[:4], "big"), header[4:].decode("latin-1")
            boxes.append(kind)
            if size == 1:
                size = int.from_bytes(mp4.read(8), "big") - 8
            elif size == 0:
                break
            mp4.seek(size - 8, 1)
    return boxes
