from django import forms
from django.core.validators import RegexValidator

from accounts.validators import CONTROL_CHARACTERS

from .models import Observation, SeatLayout, SeatTap, Tally

# What a one-line field may not hold: it is shown on one line, in lists and in exports.
one_line = RegexValidator(
    CONTROL_CHARACTERS,
    inverse_match=True,
    message="Line breaks and control characters cannot be used here.",
    code="control_characters",
)


class CycleChoiceField(forms.ModelChoiceField):
    # The coach's own cycles, by the teachers observed and the cycle's title (a cycle's name
    # elsewhere carries no words of it). Members come prefetched with the cycles.
    def label_from_instance(self, cycle):
        teachers = cycle.partnership.teacher_names
        return f"{teachers} · {cycle.title}" if teachers else cycle.title


class ObservationStartForm(forms.ModelForm):
    class Meta:
        model = Observation
        fields = ["subject", "grade", "period"]
        help_texts = {"subject": "The lesson's context, e.g. “Maths: fractions”."}

    def __init__(self, *args, cycles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cycles is not None:
            # Started from the coach home: choose which cycle this lesson belongs to.
            self.fields = {
                "cycle": CycleChoiceField(
                    queryset=cycles,
                    label="Whose lesson",
                    # Nothing chosen for the coach: observing the wrong teacher is worse
                    # than one more tap.
                    empty_label="Choose whom you observe",
                    error_messages={"invalid_choice": "Choose one of your open cycles."},
                ),
                **self.fields,
            }


class NoteForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    noted_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)
    look_for = forms.UUIDField(required=False, widget=forms.HiddenInput)


class TallyForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    # A look-for's counter carries the look-for's words (up to 200); a new tally's box holds 60.
    label = forms.CharField(label="New tally", max_length=200)
    count = forms.IntegerField(
        min_value=0, max_value=Tally.MAX_COUNT, initial=0, widget=forms.HiddenInput
    )


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = Observation
        fields = ["strengths", "wonderings", "next_steps"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}
        help_texts = {
            "strengths": "What worked, in what students did and said.",
            "wonderings": "Questions, not judgements: “I wonder what would happen if…”.",
        }


class ResponseForm(forms.Form):
    text = forms.CharField(
        label="Your answer (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


class FeedGoalForm(forms.Form):
    value = forms.DecimalField(max_digits=8, decimal_places=2, label="Value for the goal")
    what = forms.CharField(
        max_length=200,
        label="What it measures",
        help_text="Saved as the progress point's note.",
    )


class LookForTemplateForm(forms.Form):
    name = forms.CharField(
        max_length=80, validators=[one_line], help_text="e.g. “Student discourse”."
    )
    description = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="When it helps, and for whom.",
    )


class LookForRowForm(forms.Form):
    section = forms.CharField(
        max_length=80,
        required=False,
        validators=[one_line],
        help_text="Look-fors with the same section go together.",
    )
    description = forms.CharField(
        label="What would be seen",
        max_length=200,
        validators=[one_line],
        help_text="Describe it without judging, e.g. “students explain their reasoning”.",
    )
    counted = forms.BooleanField(label="Count it (a tally counter)", required=False)
    prompt = forms.CharField(
        max_length=200, required=False, validators=[one_line], help_text="A question to notice by."
    )


LookForRows = forms.formset_factory(LookForRowForm, extra=3, can_delete=True, max_num=60)


class TemplateImportForm(forms.Form):
    file = forms.FileField(
        label="Template file (JSON)", help_text="A file exported from Tandem's look-for library."
    )


class LookForChoiceForm(forms.Form):
    """The look-fors a person picks for the cycle's next lessons, by origin key."""

    picks = forms.MultipleChoiceField(
        label="Look-fors",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "A look-for ticked is not offered here: look at the list again."
        },
    )
    own = forms.CharField(
        label="Or in your own words",
        max_length=200,
        required=False,
        validators=[one_line],
        help_text="Something else you would like your coach to look for.",
    )

    def __init__(self, *args, options, waiting, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(key, option["description"]) for key, option in options.items()]
        choices += [(c.origin, c.description) for c in waiting if c.origin not in options]
        self.fields["picks"].choices = choices


class LookForAddForm(forms.Form):
    description = forms.CharField(label="Add a look-for", max_length=200, validators=[one_line])
    counted = forms.BooleanField(label="Count it", required=False)


class SeatLayoutForm(forms.Form):
    layout = forms.UUIDField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        label="Class", max_length=60, validators=[one_line], help_text="e.g. “Period 3 maths”."
    )
    rows = forms.IntegerField(min_value=1, max_value=SeatLayout.MAX_SIDE, initial=5)
    columns = forms.IntegerField(min_value=1, max_value=SeatLayout.MAX_SIDE, initial=6)
    gaps = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "A place with no seat must be inside the room."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        side = range(SeatLayout.MAX_SIDE)
        self.fields["gaps"].choices = [(f"{r}-{c}", f"{r}-{c}") for r in side for c in side]


class SeatTapForm(forms.Form):
    client_id = forms.UUIDField()
    row = forms.IntegerField(min_value=0, max_value=SeatLayout.MAX_SIDE - 1)
    column = forms.IntegerField(min_value=0, max_value=SeatLayout.MAX_SIDE - 1)
    kind = forms.ChoiceField(choices=SeatTap.Kind.choices, required=False)
    tapped_at = forms.DateTimeField(required=False)


class SeatUntapForm(forms.Form):
    client_id = forms.UUIDField()
