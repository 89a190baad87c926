from django import forms

from accounts.text import Form, ModelForm
from coaching.forms import DATE

from .models import Competency, GrowthMeeting


class GoalForm(Form):
    competency = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="None: in my own words only",
        help_text="From your district's list of coaching competencies.",
    )
    goal = forms.CharField(
        label="Growth goal",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For the coach's own practice, e.g. “Ask more open questions than I give "
        "suggestions in debriefs.”",
    )

    def __init__(self, *args, competencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = competencies


class ReflectionForm(Form):
    text = forms.CharField(
        label="Reflection", max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    shared = forms.BooleanField(
        label="Share with my lead coach",
        required=False,
        help_text="Unticked, it is yours alone. You can share it, or take it back, later.",
    )


class MeetingForm(Form):
    kind = forms.ChoiceField(choices=GrowthMeeting.Kind.choices)
    held_on = forms.DateField(label="Date", widget=DATE)
    notes = forms.CharField(
        max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class StepForm(Form):
    text = forms.CharField(label="Next step", max_length=300)
    due_on = forms.DateField(label="By (optional)", required=False, widget=DATE)


class AnswerForm(Form):
    answer = forms.CharField(
        label="Your answer", max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class OfferForm(Form):
    coach = forms.ModelChoiceField(
        queryset=None,
        empty_label=None,
        help_text="Coaches at your schools. The coach decides whether to accept.",
    )

    def __init__(self, *args, coaches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches


class CompetencyForm(ModelForm):
    class Meta:
        model = Competency
        fields = ["name", "description", "position"]
        help_texts = {"position": "Lists are sorted by this number, then by name."}
