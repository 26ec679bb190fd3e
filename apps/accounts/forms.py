"""allauth's forms, worded like the shop's other forms (labels, no placeholders). Shoppers sign in with
their email address; staff and the demo merchant may type their username in the same field."""
from allauth.account.forms import LoginForm, ResetPasswordForm, ResetPasswordKeyForm, SignupForm


class ShopLabelsMixin:
    labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.label = self.labels.get(name, field.label)
            field.widget.attrs.pop("placeholder", None)


class ShopLoginForm(ShopLabelsMixin, LoginForm):
    labels = {"login": "Email address"}


class ShopSignupForm(ShopLabelsMixin, SignupForm):
    labels = {"email": "Email address", "password2": "Password confirmation"}


class ShopResetPasswordForm(ShopLabelsMixin, ResetPasswordForm):
    labels = {"email": "Email address"}


class ShopResetPasswordKeyForm(ShopLabelsMixin, ResetPasswordKeyForm):
    labels = {"password1": "New password", "password2": "New password confirmation"}
