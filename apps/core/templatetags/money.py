"""`{{ amount|money }}` / `{{ amount|money:currency }}`: an amount as a shopper reads it (`$12,499.50`),
through `apps.core.money.format_money`, the same helper emails use."""
from django import template

from apps.core.money import format_money

register = template.Library()


@register.filter(name="money")
def money(amount, currency: str = "USD") -> str:
    if amount is None or amount == "":
        return ""
    return format_money(amount, currency or "USD")
