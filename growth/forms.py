from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.text import Form, ModelForm
from coaching.forms import DATE
from core.translated import TranslationsFormMixin

from .models import Competency, GrowthMeeting


class GoalForm(Form):
    competency = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Competency"),
        empty_label=_("None: in my own words only"),
        help_text=_("From your district's list of coaching competencies."),
    )
    goal = forms.CharField(
        label=_("Growth goal"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For the coach's own practice, e.g. “Ask more open questions than I give "
            "suggestions in debriefs.”"
        ),
    )

    def __init__(self, *args, competencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = competencies


class ReflectionForm(Form):
    text = forms.CharField(
        label=_("Reflection"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    shared = forms.BooleanField(
        label=_("Share with my lead coach"),
        required=False,
        help_text=_("Unticked, it is yours alone. You can share it, or take it back, later."),
    )


class MeetingForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=GrowthMeeting.Kind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    notes = forms.CharField(
        label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class StepForm(Form):
    text = forms.CharField(label=_("Next step"), max_length=300)
    # Translators: the date a next step is due by.
    due_on = forms.DateField(label=_("By (optional)"), required=False, widget=DATE)


class AnswerForm(Form):
    answer = forms.CharField(
        label=_("Your answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class OfferForm(Form):
    coach = forms.ModelChoiceField(
        queryset=None,
        empty_label=None,
        label=_("Coach"),
        help_text=_("Coaches at your schools. The coach decides whether to accept."),
    )

    def __init__(self, *args, coaches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches


class CompetencyForm(TranslationsFormMixin, ModelForm):
    class Meta:
        model = Competency
        fields = ["name", "description", "position"]
        labels = {"name": _("Name"), "description": _("Description"), "position": _("Position")}
        help_texts = {"position": _("Lists are sorted by this number, then by name.")}
