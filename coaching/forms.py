from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.selectors import teachers_at
from accounts.text import Form, ModelForm
from core import widgets

from .models import (
    DEFAULT_AGREEMENT,
    ActivityEntry,
    Meeting,
    NextStep,
    Partnership,
    PartnershipMember,
)
from .selectors import MEMBERS_WITH_TEACHERS, teachers_partnered_with

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TeacherChoiceField(forms.ModelMultipleChoiceField):
    # Teacher id to the status of their place in one of the coach's open partnerships.
    partnered: dict[int, str] = {}

    def label_from_instance(self, teacher):
        status = self.partnered.get(teacher.pk)
        if status == PartnershipMember.Status.ACCEPTED:
            return gettext("%(teacher)s · already in a partnership with you") % {"teacher": teacher}
        if status == PartnershipMember.Status.INVITED:
            return gettext("%(teacher)s · invited by you, not yet answered") % {"teacher": teacher}
        return str(teacher)

    def _check_values(self, value):
        # SQLite's driver cannot even compare an id past 64 bits (it raises); no such
        # teacher exists anyway, so say so like for any other unknown id.
        for pk in value:
            try:
                too_big = abs(int(pk)) >= 2**63
            except (TypeError, ValueError):
                continue
            if too_big:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class PartnershipInviteForm(Form):
    teachers = TeacherChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label=_("Teachers"),
        help_text=_("One teacher, or several for a team partnership."),
        error_messages={"required": _("Choose at least one teacher to invite.")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        required=False,
        help_text=_("For a team, e.g. “Grade 3 team”. Optional."),
    )
    agreement = forms.CharField(
        label=_("Agreement"),
        widget=forms.Textarea(attrs={"rows": 5}),
        # The default agreement in the coach's language: what they send is what is kept.
        initial=_(DEFAULT_AGREEMENT),
        help_text=_("The confidentiality norms the teacher reads before accepting."),
    )

    def __init__(self, *args, school, coach, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = teachers_at(school).exclude(pk=coach.pk)
        self.fields["teachers"].partnered = teachers_partnered_with(coach, school)


class MeetingForm(ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "starts_at", "duration_minutes", "agenda"]
        labels = {
            # Translators: the kind of meeting (planning, debrief, reflecting, other).
            "kind": pgettext_lazy("meeting", "Kind"),
            "agenda": _("Agenda"),
        }
        widgets = {"starts_at": DATETIME, "agenda": forms.Textarea(attrs={"rows": 4})}


class MeetingUpdateForm(MeetingForm):
    class Meta(MeetingForm.Meta):
        fields = [*MeetingForm.Meta.fields, "notes"]
        labels = {**MeetingForm.Meta.labels, "notes": _("Notes")}
        widgets = {**MeetingForm.Meta.widgets, "notes": forms.Textarea(attrs={"rows": 6})}


class MeetingChoiceField(forms.ModelChoiceField):
    # By kind and day as people say them ("Debrief, Tue Nov 24"), not the record's own name.
    def label_from_instance(self, meeting):
        day = timezone.localtime(meeting.starts_at)
        # Translators: a meeting offered in a list: its kind, then its day and time.
        return pgettext("meeting choice", "%(kind)s, %(when)s") % {
            "kind": meeting.get_kind_display(),
            "when": date_format(day, gettext("D M j, g:i a")),
        }


class NextStepForm(ModelForm):
    class Meta:
        model = NextStep
        fields = ["text", "owner", "due_on", "meeting"]
        labels = {"text": _("Next step"), "owner": _("Whose step")}
        widgets = {"due_on": DATE}
        field_classes = {"meeting": MeetingChoiceField}

    def __init__(self, *args, partnership: Partnership, for_teacher: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = partnership.meetings.all()
        self.fields["meeting"].required = False
        self.fields["meeting"].label = gettext("From meeting (optional)")
        if for_teacher:
            # Teachers add steps of their own only.
            del self.fields["owner"]


class CoachNoteForm(Form):
    text = forms.CharField(
        label=_("New note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000
    )


class PartnershipChoiceField(forms.ModelChoiceField):
    # The coach's own partnerships, by their teachers and team title. (A partnership's
    # name elsewhere says only when it began: see Partnership.__str__.)
    def label_from_instance(self, partnership):
        return partnership.label or str(partnership)


class ActivityEntryForm(ModelForm):
    # The quick form's one-tap lengths: most coaching time is logged in these.
    quick_minutes = (15, 30, 45, 60)

    class Meta:
        model = ActivityEntry
        fields = ["date", "minutes", "kind", "partnership", "note"]
        labels = {
            "date": _("Date"),
            "minutes": _("Minutes"),
            # Translators: the kind of activity logged (a coaching conversation, co-teaching…).
            "kind": pgettext_lazy("activity", "Kind"),
            "partnership": _("With whom (optional)"),
            "note": _("Note"),
        }
        field_classes = {"partnership": PartnershipChoiceField}
        widgets = {
            "date": forms.DateInput(
                attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"
            ),
            "minutes": forms.NumberInput(attrs={"min": 1, "max": 1440, "class": "form-control"}),
            "kind": widgets.Select(attrs={"class": "form-select"}),
            "partnership": widgets.Select(attrs={"class": "form-select"}),
            "note": forms.TextInput(attrs={"class": "form-control"}),
        }

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["partnership"]
        field.required = False
        if isinstance(partnerships, QuerySet):
            field.queryset = partnerships.prefetch_related(MEMBERS_WITH_TEACHERS)
        else:
            # Partnerships the page already holds (the coach home): offered without another
            # query. A post is still checked against the database.
            field.queryset = Partnership.objects.filter(pk__in=[p.pk for p in partnerships])
            field.widget.choices = [
                ("", field.empty_label),
                *((p.pk, field.label_from_instance(p)) for p in partnerships),
            ]
        if self.instance.pk is None:
            self.fields["kind"].initial = ActivityEntry.Kind.CONVERSATION
