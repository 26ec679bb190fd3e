"""Forms of the shopper pages. They only parse input; the rules (stock, prices, address formats)
stay in the services and in the API serializers the pages share with REST clients."""
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm


class CartLineForm(forms.Form):
    """Add `quantity` (default 1) of a product to the cart."""

    product_id = forms.CharField(max_length=64)
    quantity = forms.IntegerField(min_value=1, max_value=999, required=False)

    def clean_quantity(self) -> int:
        quantity = self.cleaned_data.get("quantity")
        return 1 if quantity is None else quantity

    def first_error(self) -> str:
        for name, errors in self.errors.items():
            return f"{'Quantity' if name == 'quantity' else 'Product'}: {errors[0]}"
        return "Check the form and try again."


class CartQuantityForm(CartLineForm):
    """Set a line's quantity; 0 removes it."""

    quantity = forms.IntegerField(min_value=0, max_value=999, required=False)


USERNAME_MAX_LENGTH = 150  # the email becomes the username, whose column is this long


class GuestConversionForm(UserCreationForm):
    """Turn a guest order into an account: the email is the order's (never taken from the post), only the
    password is asked. The account is created by `apps.accounts.public.account_signup_with_verification`."""

    email = forms.EmailField(label="Email address", max_length=254, widget=forms.HiddenInput())

    class Meta:
        model = get_user_model()
        fields = ("email",)

    def __init__(self, *args, order_email: str, **kwargs):
        data = kwargs.get("data") or (args[0] if args else None)
        if data is not None:
            data = data.copy()
            data["email"] = order_email
            kwargs["data"] = data
            args = ()
        super().__init__(*args, **kwargs)
        self.initial["email"] = order_email

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if len(email) > USERNAME_MAX_LENGTH:
            raise forms.ValidationError(f"Accounts need an email address of at most {USERNAME_MAX_LENGTH} characters.")
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email already exists. Sign in instead.")
        return email
