import uuid

from django import forms
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.text import Form, ModelForm
from core.translated import (
    add_translation_fields,
    other_languages,
    translation_field_name,
    translations_from,
)

from .models import (
    CommentBankPhrase,
    LookFor,
    LookForTemplate,
    Observation,
    SeatLayout,
    SeatTap,
    Tally,
)


class CycleChoiceField(forms.ModelChoiceField):
    # The coach's own cycles, by the teachers observed and the cycle's title (a cycle's name
    # elsewhere carries no words of it). Members come prefetched with the cycles.
    def label_from_instance(self, cycle):
        teachers = cycle.partnership.teacher_names
        return f"{teachers} · {cycle.title}" if teachers else cycle.title


class ObservationStartForm(ModelForm):
    class Meta:
        model = Observation
        fields = ["subject", "grade", "period"]
        labels = {
            "subject": _("Subject"),
            # Translators: the students' grade level (e.g. "4th grade"), never a mark.
            "grade": pgettext_lazy("grade level", "Grade"),
            # Translators: the class period of the school day (e.g. "3rd period").
            "period": pgettext_lazy("school day", "Period"),
        }
        help_texts = {"subject": _("The lesson's context, e.g. “Maths: fractions”.")}

    def __init__(self, *args, cycles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cycles is not None:
            # Started from the coach home: choose which cycle this lesson belongs to.
            self.fields = {
                "cycle": CycleChoiceField(
                    queryset=cycles,
                    label=_("Whose lesson"),
                    # Nothing chosen for the coach: observing the wrong teacher is worse
                    # than one more tap.
                    empty_label=_("Choose whom you observe"),
                    error_messages={"invalid_choice": _("Choose one of your open cycles.")},
                ),
                **self.fields,
            }


class NoteForm(Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    noted_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)
    look_for = forms.UUIDField(required=False, widget=forms.HiddenInput)


class TallyForm(Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    # A look-for's counter carries the look-for's words (up to 200); a new tally's box holds 60.
    label = forms.CharField(label=_("New tally"), max_length=200)
    count = forms.IntegerField(
        min_value=0, max_value=Tally.MAX_COUNT, initial=0, widget=forms.HiddenInput
    )


class NoteUndoForm(Form):
    """The capture page's "Undo" of a note it sent: the note's own client id."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)


class NoteEditForm(Form):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    look_for = forms.TypedChoiceField(
        label=_("Look-for"), required=False, coerce=uuid.UUID, empty_value=None
    )

    def __init__(self, *args, look_fors=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(f.pk), f.description) for f in look_fors]
        if choices:
            # Translators: the note is tagged with no look-for.
            self.fields["look_for"].choices = [("", pgettext("no look-for", "None")), *choices]
        else:
            del self.fields["look_for"]


class TallyEditForm(Form):
    label = forms.CharField(label=_("Name"), max_length=200)
    count = forms.IntegerField(
        label=pgettext_lazy("tally", "Count"), min_value=0, max_value=Tally.MAX_COUNT
    )


class FeedbackForm(ModelForm):
    class Meta:
        model = Observation
        fields = ["strengths", "wonderings", "next_steps"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}
        labels = {
            "strengths": _("Strengths"),
            "wonderings": _("Wonderings"),
            "next_steps": _("Next steps"),
        }
        help_texts = {
            "strengths": _("What worked, in what students did and said."),
            "wonderings": _("Questions, not judgements: “I wonder what would happen if…”."),
        }


class CommentBankPhraseForm(ModelForm):
    class Meta:
        model = CommentBankPhrase
        fields = ["kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2, "maxlength": 1000})}
        labels = {"kind": _("Use it for")}
        help_texts = {"text": _("In your own words, as you would write it to a teacher.")}

    def clean_text(self):
        text = self.cleaned_data["text"]
        if len(text) > 1000:
            raise forms.ValidationError(gettext("Keep a phrase under 1,000 characters."))
        return text


class ResponseForm(Form):
    text = forms.CharField(
        label=_("Your reply (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


class FeedGoalForm(Form):
    value = forms.DecimalField(max_digits=8, decimal_places=2, label=_("Value for the goal"))
    unit = forms.CharField(max_length=30, label=_("Unit of the figure"))

    def __init__(self, *args, goal=None, **kwargs):
        super().__init__(*args, **kwargs)
        if goal is not None:
            # Typed in by hand, a figure is in the goal's own unit: the form says which.
            self.fields["unit"].initial = goal.unit
            self.fields["unit"].widget = forms.HiddenInput()
            self.fields["value"].label = gettext("Value, in %(unit)s") % {"unit": goal.unit}
            self.fields["value"].help_text = gettext("What it measures: %(measure)s.") % {
                "measure": goal.measure
            }

    what = forms.CharField(
        max_length=200,
        label=_("What it measures"),
        help_text=_("Saved as the progress point's note."),
    )


class LookForTemplateForm(Form):
    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("e.g. “Student discourse”."))
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("When it helps, and for whom."),
    )

    def __init__(self, *args, translations=None, **kwargs):
        super().__init__(*args, **kwargs)
        add_translation_fields(self, LookForTemplate.TRANSLATED, translations or {})

    def translations(self) -> dict:
        return translations_from(self.cleaned_data, LookForTemplate.TRANSLATED)

    def words(self) -> dict:
        """What `look_for_template_save` takes from this form."""
        return {
            "name": self.cleaned_data["name"],
            "description": self.cleaned_data["description"],
            "translations": self.translations(),
        }


class LookForRowForm(Form):
    section = forms.CharField(
        # Translators: a part of a look-for template, grouping look-fors.
        label=pgettext_lazy("part of a template", "Section"),
        max_length=80,
        required=False,
        help_text=_("Look-fors with the same section go together."),
    )
    description = forms.CharField(
        label=_("What would be seen"),
        max_length=200,
        help_text=_("Describe it without judging, e.g. “students explain their reasoning”."),
    )
    counted = forms.BooleanField(label=_("Count it (a tally counter)"), required=False)
    prompt = forms.CharField(
        # Translators: a question the coach keeps in mind while watching for the look-for.
        label=pgettext_lazy("look-for", "Prompt"),
        max_length=200,
        required=False,
        help_text=_("A question to notice by."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_translation_fields(self, LookFor.TRANSLATED, self.initial.get("translations") or {})

    def translation_fields(self) -> list:
        """The row's words in other languages, for the editor to lay out after the English."""
        return [
            self[translation_field_name(field, code)]
            for field in LookFor.TRANSLATED
            for code, _name in other_languages()
        ]


LookForRows = forms.formset_factory(LookForRowForm, extra=3, can_delete=True, max_num=60)


class TemplateImportForm(Form):
    file = forms.FileField(
        label=_("Template file (JSON)"),
        help_text=_("A file exported from Tandem's look-for library."),
    )


class LookForChoiceForm(Form):
    """The look-fors a person picks for the cycle's next lessons, by origin key."""

    picks = forms.MultipleChoiceField(
        label=_("Look-fors"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("A look-for ticked is not offered here: look at the list again.")
        },
    )
    own = forms.CharField(
        label=_("Or in your own words"),
        max_length=200,
        required=False,
        help_text=_("Something else you would like your coach to look for."),
    )

    def __init__(self, *args, options, waiting, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(key, option["description"]) for key, option in options.items()]
        choices += [(c.origin, c.description) for c in waiting if c.origin not in options]
        self.fields["picks"].choices = choices


class LookForAddForm(Form):
    description = forms.CharField(label=_("Add a look-for"), max_length=200)
    counted = forms.BooleanField(label=_("Count it"), required=False)


class SeatLayoutForm(Form):
    layout = forms.UUIDField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        # Translators: a class of students (a group taught together).
        label=pgettext_lazy("group of students", "Class"),
        max_length=60,
        help_text=_("e.g. “Period 3 maths”."),
    )
    rows = forms.IntegerField(
        label=_("Rows"), min_value=1, max_value=SeatLayout.MAX_SIDE, initial=5
    )
    columns = forms.IntegerField(
        label=_("Columns"), min_value=1, max_value=SeatLayout.MAX_SIDE, initial=6
    )
    gaps = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("A place with no seat must be inside the room.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        side = range(SeatLayout.MAX_SIDE)
        self.fields["gaps"].choices = [(f"{r}-{c}", f"{r}-{c}") for r in side for c in side]


class SeatTapForm(Form):
    client_id = forms.UUIDField()
    row = forms.IntegerField(min_value=0, max_value=SeatLayout.MAX_SIDE - 1)
    column = forms.IntegerField(min_value=0, max_value=SeatLayout.MAX_SIDE - 1)
    kind = forms.ChoiceField(choices=SeatTap.Kind.choices, required=False)
    tapped_at = forms.DateTimeField(required=False)


class SeatUntapForm(Form):
    client_id = forms.UUIDField()
