from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from allyship.models import User


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with an email address; the email is the username."""

    username = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class InvitePasswordResetForm(PasswordResetForm):
    """People added by an import have no password yet: the reset email lets them set one."""

    def get_users(self, email: str):

        return User.objects.filter(email__iexact=email, is_active=True)


def form_error_status(request) -> int:
    """The status for a form shown again with errors: htmx 2 does not swap 4xx responses by
    default, so it gets 200; a plain post gets 400."""
    return 200 if getattr(request, "htmx", False) else 400


def add_validation_error(form: forms.Form, error) -> None:
    """Show a service's ValidationError on the form: on its field when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
