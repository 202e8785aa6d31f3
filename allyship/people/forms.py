"""The CSV upload form of the people import."""

from django import forms
from django.core.exceptions import ValidationError

from allyship.people.csv_file import MAX_BYTES


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 CSV with the columns email, name, department, manager_email, role, "
        "active. Up to 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError("The file is larger than 10 MB.")
        return upload
