"""The media layer of lesson video (video/media.py): what phones record becomes an MP4 every
browser plays; what is damaged or hostile is refused with a sentence a teacher can read;
the talk timeline finds talk and silence where they are.

Every recording is made on the spot by ffmpeg's test sources (tests/support/media.py),
once for the module.
"""

from pathlib import Path

import pytest

from tests.support import media
from video.media import (
    MediaRefused,
    Probe,
    make_playable,
    make_poster,
    probe,
    talk_timeline,
    wait_time,
)

if media.ffmpeg_missing():
    pytest.skip("ffmpeg and ffprobe are not installed here", allow_module_level=True)


class Recordings:
    """Each recording made once, on first use, in one folder for the module."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.made: dict[str, Path] = {}

    def __call__(self, name: str, make, *args, **kwargs) -> Path:
        if name not in self.made:
            self.made[name] = make(self.folder / name, *args, **kwargs)
        return self.made[name]


@pytest.fixture(scope="module")
def recordings(tmp_path_factory):
    return Recordings(tmp_path_factory.mktemp("recordings"))


PHONE_FORMATS = {
    # name: (file name, maker, keyword arguments, has a picture, size as shown)
    "Android MP4 (H.264, AAC)": ("android.mp4", media.phone_mp4, {}, True, (320, 240)),
    "iPhone MOV (HEVC, upright)": ("iphone.mov", media.iphone_mov_hevc, {}, True, (240, 320)),
    "WebM (VP8, Opus)": ("camera.webm", media.webm_vp8, {}, True, (320, 240)),
    "browser WebM, no length in its header": (
        "recorder.webm",
        media.webm_vp8,
        {"streamed": True},
        True,
        (320, 240),
    ),
    "voice memo M4A (AAC)": ("memo.m4a", media.m4a_audio, {}, False, (None, None)),
    "browser sound WebM (Opus)": ("sound.webm", media.webm_opus, {}, False, (None, None)),
}


def playable_of(recordings, folder, name):
    """(source, its probe, the playable made of it in `folder`, its duration, the progress
    fractions heard)."""
    file_name, make, kwargs, _, _ = PHONE_FORMATS[name]
    source = recordings(file_name, make, **kwargs)
    probed = probe(source)
    heard: list[float] = []
    target = folder / f"{file_name}.mp4"
    duration = make_playable(source, target, probed=probed, on_progress=heard.append)
    return source, probed, target, duration, heard


@pytest.mark.parametrize("name", PHONE_FORMATS)
def test_each_phone_format_is_probed_for_what_it_holds(recordings, name):
    file_name, make, kwargs, has_video, (width, height) = PHONE_FORMATS[name]

    probed = probe(recordings(file_name, make, **kwargs))

    assert probed.has_video is has_video
    assert probed.has_audio is True
    assert probed.duration == pytest.approx(3.0, abs=0.1)
    assert (probed.width, probed.height) == (width, height)


@pytest.mark.parametrize("name", PHONE_FORMATS)
def test_each_phone_format_becomes_an_mp4_every_browser_plays(recordings, tmp_path, name):
    _, probed, target, duration, _ = playable_of(recordings, tmp_path, name)

    found = media.ffprobe_json(target)
    codecs = {stream["codec_type"]: stream for stream in found["streams"]}
    assert codecs["audio"]["codec_name"] == "aac"
    if probed.has_video:
        assert set(codecs) == {"video", "audio"}
        assert codecs["video"]["codec_name"] == "h264"
        assert codecs["video"]["pix_fmt"] == "yuv420p"
        assert (codecs["video"]["width"], codecs["video"]["height"]) == (
            probed.width,
            probed.height,
        )
    else:
        assert set(codecs) == {"audio"}
    assert "mp4" in found["format"]["format_name"]
    # Fast start: the index comes before the media, so playback starts at once.
    boxes = media.top_level_boxes(target)
    assert boxes.index("moov") < boxes.index("mdat")
    assert duration == pytest.approx(float(found["format"]["duration"]), abs=0.01)
    assert duration == pytest.approx(probed.duration, abs=0.2)


@pytest.mark.parametrize("name", ["Android MP4 (H.264, AAC)", "voice memo M4A (AAC)"])
def test_progress_is_heard_rising_to_the_end(recordings, tmp_path, name):
    *_, heard = playable_of(recordings, tmp_path, name)

    assert heard
    assert heard == sorted(heard)
    assert all(0 <= fraction <= 1 for fraction in heard)
    assert heard[-1] == pytest.approx(1, abs=0.05)


def channels_of(path: Path) -> int:
    (sound,) = [s for s in media.ffprobe_json(path)["streams"] if s["codec_type"] == "audio"]
    return sound["channels"]


def test_the_sound_stays_mono_or_stereo_as_recorded(recordings, tmp_path):
    _, _, stereo, _, _ = playable_of(recordings, tmp_path, "Android MP4 (H.264, AAC)")
    _, _, mono, _, _ = playable_of(recordings, tmp_path, "voice memo M4A (AAC)")

    assert channels_of(stereo) == 2
    assert channels_of(mono) == 1


def test_where_the_phone_was_is_not_copied_into_the_playable(recordings, tmp_path):
    source, _, target, _, _ = playable_of(recordings, tmp_path, "iPhone MOV (HEVC, upright)")

    assert media.IPHONE_LOCATION in str(media.ffprobe_json(source)["format"])
    assert media.IPHONE_LOCATION not in str(media.ffprobe_json(target)["format"])


def test_a_large_video_is_made_1280_wide_keeping_its_shape(recordings, tmp_path):
    source = recordings("full_hd.mp4", media.phone_mp4, seconds=0.5, size="1920x1080")
    target = tmp_path / "playable.mp4"

    make_playable(source, target, probed=probe(source))

    (video,) = [s for s in media.ffprobe_json(target)["streams"] if s["codec_type"] == "video"]
    assert (video["width"], video["height"]) == (1280, 720)


def test_a_small_odd_sized_video_is_never_enlarged_and_comes_out_even(recordings, tmp_path):
    source = recordings("odd.mp4", media.odd_sized_mp4)
    target = tmp_path / "playable.mp4"
    probed = probe(source)

    make_playable(source, target, probed=probed)

    (video,) = media.ffprobe_json(target)["streams"]
    assert (probed.width, probed.height, probed.has_audio) == (321, 241, False)
    assert (video["width"], video["height"]) == (320, 240)


@pytest.mark.parametrize(
    ("name", "start", "end", "length"),
    [
        ("Android MP4 (H.264, AAC)", 1, 2.5, 1.5),
        ("voice memo M4A (AAC)", 1, 2.5, 1.5),
        ("Android MP4 (H.264, AAC)", 2, None, 1.0),
        ("WebM (VP8, Opus)", None, 0.5, 0.5),
    ],
)
def test_a_clip_is_cut_where_asked(recordings, tmp_path, name, start, end, length):
    file_name, make, kwargs, _, _ = PHONE_FORMATS[name]
    source = recordings(file_name, make, **kwargs)
    target = tmp_path / "clip.mp4"

    duration = make_playable(source, target, probed=probe(source), start=start, end=end)

    assert duration == pytest.approx(length, abs=0.1)
    assert float(media.ffprobe_json(target)["format"]["duration"]) == pytest.approx(length, abs=0.1)


@pytest.mark.parametrize(("start", "end"), [(2, 1), (1.5, 1.5), (-1, 2), (5, None)])
def test_a_clip_that_ends_before_it_starts_or_outside_the_recording_is_refused(
    recordings, tmp_path, start, end
):
    source = recordings("android.mp4", media.phone_mp4)
    target = tmp_path / "clip.mp4"

    with pytest.raises(MediaRefused, match="must start before it ends"):
        make_playable(source, target, probed=probe(source), start=start, end=end)
    assert not target.exists()


def test_the_poster_is_a_jpeg_at_most_640_wide(recordings, tmp_path):
    source = recordings("full_hd.mp4", media.phone_mp4, seconds=0.5, size="1920x1080")
    playable, poster = tmp_path / "playable.mp4", tmp_path / "poster.jpg"
    duration = make_playable(source, playable, probed=probe(source))

    make_poster(playable, poster, duration=duration)

    assert poster.read_bytes()[:3] == b"\xff\xd8\xff"
    (picture,) = media.ffprobe_json(poster)["streams"]
    assert (picture["width"], picture["height"]) == (640, 360)


def test_the_poster_of_a_small_video_keeps_its_size(recordings, tmp_path):
    _, _, playable, duration, _ = playable_of(recordings, tmp_path, "iPhone MOV (HEVC, upright)")
    poster = tmp_path / "poster.jpg"

    make_poster(playable, poster, duration=duration)

    (picture,) = media.ffprobe_json(poster)["streams"]
    assert (picture["width"], picture["height"]) == (240, 320)


def test_a_poster_of_a_sound_recording_is_refused_and_leaves_no_file(recordings, tmp_path):
    _, _, playable, duration, _ = playable_of(recordings, tmp_path, "voice memo M4A (AAC)")
    poster = tmp_path / "poster.jpg"

    with pytest.raises(MediaRefused, match="could not make this recording playable"):
        make_poster(playable, poster, duration=duration)
    assert not poster.exists()


# -- damaged and hostile files ------------------------------------------------------------

CUT_SHORT = "This recording seems to be cut short: part of the file is missing."
NOT_MEDIA = "This file is not a video or audio recording Tandem can read."
A_VIDEO = Probe(has_video=True, has_audio=True, duration=3.0, width=320, height=240)


def refused_both_ways(source: Path, target: Path) -> tuple[str, str]:
    """The sentences of probe's refusal and of make_playable's, given a probe that believed
    the file (as if the caller had skipped probing): the transcode guards itself. A stale
    target is there before, and gone after."""
    with pytest.raises(MediaRefused) as at_probe:
        probe(source)
    target.write_bytes(b"left over from an earlier try")
    with pytest.raises(MediaRefused) as at_transcode:
        make_playable(source, target, probed=A_VIDEO)
    assert not target.exists()
    return str(at_probe.value), str(at_transcode.value)


def test_an_mp4_cut_in_half_is_refused_as_cut_short(tmp_path):
    source = media.truncated(tmp_path / "upload.mp4")

    at_probe, at_transcode = refused_both_ways(source, tmp_path / "playable.mp4")

    assert at_probe == at_transcode == CUT_SHORT


@pytest.mark.parametrize("kind", ["faststart", "webm"])
def test_a_recording_whose_data_stops_halfway_is_refused_as_cut_short(tmp_path, kind):
    source = media.truncated(tmp_path / f"upload.{'webm' if kind == 'webm' else 'mp4'}", kind)
    target = tmp_path / "playable.mp4"
    # Its header is whole: it probes as the full three seconds...
    probed = probe(source)
    assert probed.duration == pytest.approx(3.0, abs=0.1)

    # ...and what is missing shows when it is decoded.
    with pytest.raises(MediaRefused, match="seems to be cut short") as refused:
        make_playable(source, target, probed=probed)
    assert not target.exists()
    assert "ffmpeg" not in str(refused.value)
    assert str(tmp_path) not in str(refused.value)


def test_text_named_like_a_video_is_refused(tmp_path):
    source = media.not_media(tmp_path / "lesson.mp4")

    at_probe, at_transcode = refused_both_ways(source, tmp_path / "playable.mp4")

    assert at_probe == at_transcode == NOT_MEDIA


def test_an_empty_file_is_refused(tmp_path):
    source = tmp_path / "lesson.mp4"
    source.write_bytes(b"")

    at_probe, at_transcode = refused_both_ways(source, tmp_path / "playable.mp4")

    assert "empty" in at_probe
    assert at_transcode == NOT_MEDIA


def test_a_file_with_neither_picture_nor_sound_is_refused(tmp_path):
    source = media.subtitles_only(tmp_path / "captions.mkv")

    with pytest.raises(MediaRefused, match="no picture or sound"):
        probe(source)


@pytest.mark.parametrize("trick", [media.hls_trick, media.concat_trick])
def test_a_playlist_disguised_as_mp4_never_reads_the_file_it_names(tmp_path, trick):
    someone_elses = media.mpegts(tmp_path / "another_teachers_lesson.ts")
    source = trick(tmp_path / "lesson.mp4", someone_elses)

    at_probe, at_transcode = refused_both_ways(source, tmp_path / "playable.mp4")

    assert at_probe == at_transcode == NOT_MEDIA


@pytest.mark.parametrize("trick", [media.hls_trick, media.concat_trick])
def test_without_the_whitelists_ffmpeg_would_follow_the_disguised_playlist(tmp_path, trick):
    """What the test above guards against, shown on this machine's ffmpeg."""
    someone_elses = media.mpegts(tmp_path / "another_teachers_lesson.ts")
    source = trick(tmp_path / "lesson.mp4", someone_elses)

    followed = media.unguarded_streams(source)

    if not followed:
        pytest.skip("this ffmpeg refuses the disguised playlist even without the whitelists")
    assert followed == ["h264", "aac"]


def test_a_recording_longer_than_allowed_is_refused(recordings, settings):
    settings.VIDEO_MAX_SECONDS = 2

    with pytest.raises(MediaRefused) as refused:
        probe(recordings("android.mp4", media.phone_mp4))

    assert str(refused.value) == "This recording is longer than 2 seconds."


def test_the_limit_is_told_in_minutes_when_it_is_whole_minutes(tmp_path, settings):
    settings.VIDEO_MAX_SECONDS = 60
    source = media.m4a_audio(tmp_path / "memo.m4a", seconds=61)

    with pytest.raises(MediaRefused) as refused:
        probe(source)

    assert str(refused.value) == "This recording is longer than 1 minute."


NOT_INSTALLED = "The server cannot make videos playable: ffmpeg is not installed."


def test_without_ffprobe_nothing_is_probed(recordings, settings):
    settings.FFPROBE_BINARY = "/nonexistent/ffprobe"

    with pytest.raises(MediaRefused) as refused:
        probe(recordings("android.mp4", media.phone_mp4))

    assert str(refused.value) == NOT_INSTALLED


def test_without_ffmpeg_nothing_is_made_and_no_file_is_left(recordings, tmp_path, settings):
    source = recordings("android.mp4", media.phone_mp4)
    probed = probe(source)
    settings.FFMPEG_BINARY = "/nonexistent/ffmpeg"
    target = tmp_path / "playable.mp4"

    for attempt in (
        lambda: make_playable(source, target, probed=probed),
        lambda: make_poster(source, target, duration=3.0),
        lambda: talk_timeline(source),
    ):
        with pytest.raises(MediaRefused) as refused:
            attempt()
        assert str(refused.value) == NOT_INSTALLED
        assert not target.exists()


# -- talk and silence ---------------------------------------------------------------------


@pytest.mark.parametrize("video", [False, True], ids=["sound only", "video and sound"])
def test_the_talk_timeline_finds_talk_where_it_was(recordings, video):
    source = recordings(f"talk.{'mp4' if video else 'webm'}", media.talk_pattern, video=video)

    talk = talk_timeline(source)

    # The 0.2 s breath inside the first talk is not silence.
    assert len(talk) == len(media.TALK)
    for (start, end), (expected_start, expected_end) in zip(talk, media.TALK, strict=True):
        assert start == pytest.approx(expected_start, abs=0.3)
        assert end == pytest.approx(expected_end, abs=0.3)
    assert all(round(moment, 2) == moment for segment in talk for moment in segment)


def test_a_silent_recording_has_no_talk(recordings):
    assert talk_timeline(recordings("silent.mp4", media.silent)) == []


def test_a_video_without_sound_has_no_talk(recordings):
    assert talk_timeline(recordings("odd.mp4", media.odd_sized_mp4)) == []


def test_a_fan_hissing_close_to_the_phone_is_not_talk(recordings):
    assert talk_timeline(recordings("fan.m4a", media.fan_noise)) == []


def test_a_damaged_recording_has_no_timeline_but_a_refusal(tmp_path):
    with pytest.raises(MediaRefused, match="cut short"):
        talk_timeline(media.truncated(tmp_path / "upload.mp4"))


TALK = [(0.0, 2.0), (4.5, 6.0), (6.5, 8.0), (20.0, 21.0)]


@pytest.mark.parametrize(
    ("moment", "wait"),
    [
        (1.0, 2.5),  # inside the question: its end to the answer
        (0.0, 2.5),
        (2.0, 2.5),  # on its last instant
        (3.0, 0.5),  # in silence, talk starts within 3 s: that talk is the question
        (7.0, 12.0),  # a question answered after a long wait
        (10.0, 10.0),  # in silence, nothing within 3 s: the silence from the tag
        (20.5, 9.0),  # the last talk: its end to the end of the recording
        (25.0, 5.0),
    ],
)
def test_wait_time_is_the_silence_after_the_question(moment, wait):
    assert wait_time(TALK, moment, duration=30.0) == wait


def test_wait_time_is_rounded_to_a_tenth():
    assert wait_time([(0.0, 1.03), (3.49, 4.0)], 0.5, duration=5.0) == 2.5


def test_wait_time_is_none_without_a_timeline():
    assert wait_time([], 3.0, duration=10.0) is None


def test_wait_time_on_a_recording(recordings):
    source = recordings("talk.webm", media.talk_pattern)
    talk = talk_timeline(source)

    # The question is asked from 0 s to 2 s and answered at 4.5 s; the last talk ends at
    # 6 s and the recording at 7 s.
    assert wait_time(talk, 1.0, media.TALK_PATTERN_SECONDS) == pytest.approx(2.5, abs=0.3)
    assert wait_time(talk, 5.0, media.TALK_PATTERN_SECONDS) == pytest.approx(1.0, abs=0.3)
