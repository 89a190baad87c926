import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.text import Form

from .models import VideoComment

MOMENT = re.compile(r"^(?:(\d{1,2}):)?(\d{1,3}):(\d{1,2}(?:\.\d+)?)$")
LONGEST = 24 * 60 * 60


class MomentField(forms.CharField):
    """A moment of the video, typed as people say it ("1:05", "1:02:30") or in seconds.

    Checked as the text typed (its length, its characters), then read as seconds: the
    length check of a CharField given the number once failed every comment with a 500."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        match = MOMENT.match(value)
        try:
            if match:
                hours, minutes, seconds = match.groups()
                moment = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
            else:
                moment = float(value)
        except ValueError:
            moment = None
        if moment is None or not 0 <= moment <= LONGEST or moment != moment:
            raise ValidationError(_("Give a moment as minutes and seconds, such as 4:05."))
        return moment


class VideoStartForm(Form):
    """What the recorder sends before the first piece of a recording (static/js/video/)."""

    client_id = forms.UUIDField()
    cycle = forms.UUIDField()
    title = forms.CharField(max_length=120)
    size = forms.IntegerField(
        min_value=1,
        max_value=2**62,
        error_messages={
            "min_value": _("This file is empty."),
            "invalid": _("Give the file's size."),
        },
    )
    # When the coach records: whose lesson, that they agreed, and which observation.
    teacher = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    consent = forms.BooleanField(required=False)
    observation = forms.UUIDField(required=False)


class VideoShareForm(Form):
    with_coach = forms.BooleanField(required=False, label=_("My coach"))
    with_team = forms.BooleanField(required=False, label=_("My team"))
    clip_start = MomentField(required=False, label=_("Clip from"), max_length=12)
    clip_end = MomentField(
        required=False,
        # Translators: the clip's end, after "Clip from" (as in "Clip from 4:05 to 6:30").
        label=pgettext_lazy("end of a clip", "to"),
        max_length=12,
    )

    def __init__(self, *args, team: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not team:
            del self.fields["with_team"]


class VideoCommentForm(Form):
    # Translators: the moment of the video a comment is about (as in "At 4:05").
    moment = MomentField(max_length=12, label=pgettext_lazy("moment of a video", "At"))
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=VideoComment.Kind.choices,
        initial=VideoComment.Kind.COMMENT,
    )
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    look_for = forms.ModelChoiceField(queryset=None, required=False, label=_("Look-for"))

    def __init__(self, *args, look_fors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["look_for"].queryset = look_fors
        self.fields["look_for"].label_from_instance = lambda look_for: look_for.description
        if not look_fors.exists():
            del self.fields["look_for"]
