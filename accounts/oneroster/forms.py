from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..text import Form
from .reading import MAX_PACKAGE_BYTES


class PackageForm(Form):
    package = forms.FileField(
        label=gettext_lazy("OneRoster 1.2 package (ZIP)"),
        help_text=gettext_lazy(
            "The ZIP your student information system exports: manifest.csv, orgs.csv, "
            "users.csv, roles.csv, academicSessions.csv. Nothing changes until you apply it."
        ),
    )

    def clean_package(self):
        upload = self.cleaned_data["package"]
        if upload.size > MAX_PACKAGE_BYTES:
            raise forms.ValidationError(
                _("The package is larger than %(megabytes)s MB.")
                % {"megabytes": MAX_PACKAGE_BYTES // 2**20}
            )
        return upload
