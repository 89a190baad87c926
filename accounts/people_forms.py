from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Membership
from .text import Form

ROLE_CHOICES = [
    (Membership.Role.TEACHER, gettext_lazy("Teacher")),
    (Membership.Role.COACH, gettext_lazy("Coach")),
    (Membership.Role.LEAD_COACH, gettext_lazy("Lead coach (supports this school's coaches)")),
    (Membership.Role.SCHOOL_ADMIN, gettext_lazy("School administrator")),
]
# A lead coach of every school of the district: held at the district, as its administrators'.
DISTRICT_LEAD = "district_lead"


class SchoolChoiceMixin:
    def limit_schools(self, schools):
        self.fields["school"].queryset = schools
        first_two = list(schools[:2])
        if len(first_two) == 1:
            # One school: nothing to choose.
            self.fields["school"].initial = first_two[0]
            self.fields["school"].widget = forms.HiddenInput()


class RoleForm(SchoolChoiceMixin, Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=ROLE_CHOICES)
    school = forms.ModelChoiceField(
        label=gettext_lazy("School"),
        queryset=None,
        empty_label=None,
        help_text=gettext_lazy(
            "For a district administrator or district lead coach: any school of the district."
        ),
    )

    def __init__(self, *args, schools, district_admin=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_schools(schools)
        if district_admin:
            # Only district administrators appoint district administrators.
            self.fields["role"].choices = [
                *ROLE_CHOICES,
                (DISTRICT_LEAD, _("Lead coach for the whole district")),
                (Membership.Role.DISTRICT_ADMIN, _("District administrator")),
            ]
        else:
            self.fields["school"].help_text = ""

    def clean(self):
        data = super().clean()
        data["district_wide"] = data.get("role") == DISTRICT_LEAD
        if data["district_wide"]:
            data["role"] = Membership.Role.LEAD_COACH
        return data


class InviteForm(RoleForm):
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    field_order = ["full_name", "email", "role", "school"]


class SearchForm(Form):
    q = forms.CharField(required=False, max_length=100)


class RosterForm(SchoolChoiceMixin, Form):
    school = forms.ModelChoiceField(label=gettext_lazy("School"), queryset=None, empty_label=None)
    roster = forms.FileField(
        label=gettext_lazy("Roster (CSV)"),
        help_text=gettext_lazy(
            # Translators: the roles are read in English ("coach", "teacher", "school
            # administrator"): keep those three words as they are.
            "Three columns: name, e-mail, role (coach, teacher or school administrator). "
            "Nothing is imported unless every row is right."
        ),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_schools(schools)

    def clean_roster(self):
        upload = self.cleaned_data["roster"]
        # About 100,000 rows: a whole district's staff, with room to spare.
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB; split it."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Save the file as UTF-8 CSV and try again.")) from None
