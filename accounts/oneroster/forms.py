from django import forms

from ..text import Form
from .reading import MAX_PACKAGE_BYTES


class PackageForm(Form):
    package = forms.FileField(
        label="OneRoster 1.2 package (ZIP)",
        help_text=(
            "The ZIP your student information system exports: manifest.csv, orgs.csv, "
            "users.csv, roles.csv, academicSessions.csv. Nothing changes until you apply it."
        ),
    )

    def clean_package(self):
        upload = self.cleaned_data["package"]
        if upload.size > MAX_PACKAGE_BYTES:
            raise forms.ValidationError(
                f"The package is larger than {MAX_PACKAGE_BYTES // 2**20} MB."
            )
        return upload
