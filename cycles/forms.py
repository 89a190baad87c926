from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.text import Form, ModelForm
from coaching.forms import DATE
from core.translated import TranslationsFormMixin

from .models import (
    SURVEY_QUESTIONS,
    Cycle,
    EvidenceSnapshot,
    FocusArea,
    Goal,
    ProgressPoint,
    Reflection,
    Strategy,
)


class CycleStartForm(ModelForm):
    class Meta:
        model = Cycle
        fields = ["title", "focus_area"]
        labels = {"title": _("Title"), "focus_area": _("Focus area")}
        help_texts = {
            "title": _("A few words you will both recognise, e.g. “Checking for understanding”.")
        }

    def __init__(self, *args, focus_areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].queryset = focus_areas


class CycleCloseForm(Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Cycle.Outcome.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("What happened, in a few lines, for the teacher's portfolio."),
    )


class GoalForm(ModelForm):
    """What is asked first (the statement, and how progress is measured) and what may come
    later, in the same form: the template shows the later part folded away."""

    FIRST = ["statement", "measure", "unit"]
    LATER = [*Goal.PEERS, "baseline", "target", "target_date", "strategy", "learning_targets"]

    class Meta:
        model = Goal
        fields = [
            "statement",
            "measure",
            "unit",
            *Goal.PEERS,
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
        labels = {
            "statement": _("Statement"),
            "measure": _("How progress is measured"),
            "unit": _("Unit of the measure"),
            # Translators: the figure the goal starts from (línea base).
            "baseline": _("Baseline"),
            # Translators: the figure the goal aims to reach, not the goal itself.
            "target": _("Target"),
            "target_date": _("Target date"),
            "strategy": _("Strategy"),
        }
        help_texts = {
            "measure": _("What you will both look at, e.g. “exit tickets showing the method”."),
            "unit": _("“%”, or what is counted, e.g. “students”."),
        }

    # A goal is a sentence or two, its learning targets a short list: the limits keep a
    # paste of a whole document off the cycle page, as the note box's limit does.
    LONGEST = {"statement": 1000, "learning_targets": 2000}

    def __init__(self, *args, strategies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = strategies
        for name, longest in self.LONGEST.items():
            field = self.fields[name]
            field.max_length = longest
            field.validators.append(MaxLengthValidator(longest))
            field.widget.attrs["maxlength"] = str(longest)

    def first_fields(self):
        return [self[name] for name in self.FIRST]

    def later_fields(self):
        return [self[name] for name in self.LATER]

    def later_open(self) -> bool:
        """Unfolded when something there needs reading: an error, or a value already set."""
        return any(self[name].errors for name in self.LATER) or any(
            self[name].value() not in (None, "", False) for name in self.LATER
        )


class EvidenceForm(ModelForm):
    class Meta:
        model = EvidenceSnapshot
        fields = ["kind", "taken_on", "students_assessed", "students_proficient"]
        widgets = {"taken_on": DATE}
        labels = {
            # Translators: pre-assessment or post-assessment of the students.
            "kind": _("Kind"),
            # Translators: the day the students' evidence was gathered.
            "taken_on": _("Taken on"),
            "students_assessed": _("Students assessed"),
            "students_proficient": _("Students proficient"),
        }
        help_texts = {"students_assessed": _("Counts only: Tandem never records a student's name.")}


class ProgressForm(ModelForm):
    class Meta:
        model = ProgressPoint
        fields = ["recorded_on", "value", "source", "note"]
        widgets = {"recorded_on": DATE}
        labels = {
            "value": _("Value"),
            # Translators: where a progress figure comes from (la fuente).
            "source": _("Source"),
            "note": _("Note"),
        }

    def __init__(self, *args, goal=None, **kwargs):
        super().__init__(*args, **kwargs)
        goal = goal or getattr(self.instance, "goal", None)
        if goal is not None:
            # A value means nothing without what it measures: the form says both.
            self.fields["value"].label = gettext("Value, in %(unit)s") % {"unit": goal.unit}
            self.fields["value"].help_text = gettext("What it measures: %(measure)s.") % {
                "measure": goal.measure
            }


class ReflectionForm(ModelForm):
    class Meta:
        model = Reflection
        fields = ["prompt", "text", "visibility"]
        widgets = {
            "prompt": forms.HiddenInput,
            "text": forms.Textarea(attrs={"rows": 6}),
            "visibility": forms.RadioSelect,
        }
        labels = {"text": _("Your reflection"), "visibility": _("Who can read it")}


class FocusAreaForm(TranslationsFormMixin, ModelForm):
    class Meta:
        model = FocusArea
        fields = ["name", "position"]
        labels = {"name": _("Name"), "position": _("Position")}
        help_texts = {"position": _("Lists are sorted by this number, then by name.")}


class StrategyForm(TranslationsFormMixin, ModelForm):
    class Meta:
        model = Strategy
        fields = ["title", "focus_area", "description", "checklist"]
        labels = {
            "title": _("Title"),
            "focus_area": _("Focus area"),
            "description": _("Description"),
            "checklist": _("Checklist"),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "checklist": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, focus_areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].queryset = focus_areas


class SurveyForm(Form):
    """The teacher's few words about the coaching: three questions and a comment."""

    comment = forms.CharField(
        label=_("Anything you would like your coach to hear? (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
        help_text=_(
            "Shown to your coach and their lead only among other teachers' comments, "
            "in alphabetical order, with no name or date. Leave out anything that would tell "
            "them it was you."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        questions = {
            name: forms.ChoiceField(
                label=text,
                choices=list(labels.items()),
                widget=forms.RadioSelect,
                error_messages={
                    "required": gettext("Choose an answer, or leave the survey with “No thanks”.")
                },
            )
            for name, text, labels in SURVEY_QUESTIONS
        }
        self.fields = {**questions, **self.fields}
