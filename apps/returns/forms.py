"""Forms of the shopper pages (the API's serializers do the same job for JSON clients)."""
from django import forms

from apps.checkout.public import OrderInfo

from .models import ReturnReason
from .presentation import REASON_CHOICES


class OrderLookupForm(forms.Form):
    order_id = forms.CharField(max_length=64, label="Order number", help_text="Starts with ord_")
    email = forms.EmailField(required=False, label="Email used at checkout")
    confirmation_token = forms.CharField(max_length=64, required=False, label="Confirmation code",
                                         help_text="Starts with cnf_, from your confirmation email")


class ReturnItemsForm(forms.Form):
    """One quantity and reason field pair per order line that can still be returned."""

    def __init__(self, *args, order: OrderInfo, returnable: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = []
        for line in order.lines:
            available = returnable.get(line.line_id, 0)
            if available <= 0:
                continue
            self.fields[f"qty_{line.line_id}"] = forms.TypedChoiceField(
                label=f"{line.name} (bought {line.quantity})", coerce=int, initial=0,
                choices=[(n, str(n)) for n in range(available + 1)])
            self.fields[f"reason_{line.line_id}"] = forms.ChoiceField(label="Reason", choices=REASON_CHOICES,
                                                                 initial=ReturnReason.NO_LONGER_NEEDED)
            self.lines.append((line, self[f"qty_{line.line_id}"], self[f"reason_{line.line_id}"]))

    def chosen(self) -> list[tuple[str, int, str]]:
        picked = [(line.line_id, self.cleaned_data[f"qty_{line.line_id}"], self.cleaned_data[f"reason_{line.line_id}"])
                  for line, _, _ in self.lines if self.cleaned_data[f"qty_{line.line_id}"] > 0]
        return picked

    def clean(self):
        cleaned = super().clean()
        if self.lines and not any(cleaned.get(f"qty_{line.line_id}") for line, _, _ in self.lines):
            raise forms.ValidationError("Choose at least one item to return.")
        return cleaned
