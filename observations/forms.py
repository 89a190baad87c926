from django import forms

from .models import Observation, Tally


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


class TallyForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    label = forms.CharField(label="New tally", max_length=60)
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
