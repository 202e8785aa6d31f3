from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm


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
        from allyship.models import User

        return User.objects.filter(email__iexact=email, is_active=True)
