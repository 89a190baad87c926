from django import forms

from coaching.forms import DATE

from .models import Cycle, EvidenceSnapshot, FocusArea, Goal, ProgressPoint, Reflection, Strategy


class CycleStartForm(forms.ModelForm):
    class Meta:
        model = Cycle
        fields = ["title", "focus_area"]
        help_texts = {
            "title": "A few words you will both recognise, e.g. “Checking for understanding”."
        }

    def __init__(self, *args, focus_areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].queryset = focus_areas


class CycleCloseForm(forms.Form):
    outcome = forms.ChoiceField(choices=Cycle.Outcome.choices, widget=forms.RadioSelect)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="What happened, in a few lines, for the teacher's portfolio.",
    )


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = [
            "statement",
            *Goal.PEERS,
            "measure",
            "unit",
            "baseline",
            "target",
            "target_date",
            "strategy",
            "learning_targets",
        ]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
            "learning_targets": forms.Textarea(attrs={"rows": 3}),
            "target_date": DATE,
        }

    def __init__(self, *args, strategies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = strategies


class EvidenceForm(forms.ModelForm):
    class Meta:
        model = EvidenceSnapshot
        fields = ["kind", "taken_on", "students_assessed", "students_proficient"]
        widgets = {"taken_on": DATE}
        help_texts = {"students_assessed": "Counts only: Tandem never records a student's name."}


class ProgressForm(forms.ModelForm):
    class Meta:
        model = ProgressPoint
        fields = ["recorded_on", "value", "source", "note"]
        widgets = {"recorded_on": DATE}


class ReflectionForm(forms.ModelForm):
    class Meta:
        model = Reflection
        fields = ["prompt", "text", "visibility"]
        widgets = {
            "prompt": forms.HiddenInput,
            "text": forms.Textarea(attrs={"rows": 6}),
            "visibility": forms.RadioSelect,
        }
        labels = {"text": "Your reflection", "visibility": "Who can read it"}


class FocusAreaForm(forms.ModelForm):
    class Meta:
        model = FocusArea
        fields = ["name", "position"]
        help_texts = {"position": "Lists are sorted by this number, then by name."}


class StrategyForm(forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["title", "focus_area", "description", "checklist"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "checklist": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, focus_areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].queryset = focus_areas
