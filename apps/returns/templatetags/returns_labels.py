"""`{{ ret.status|return_status }}`, `{{ item.reason|return_reason }}`: the words of
`apps.returns.presentation` in the returns pages."""
from django import template

from ..presentation import reason_label, status_label

register = template.Library()
register.filter("return_status", status_label)
register.filter("return_reason", reason_label)
