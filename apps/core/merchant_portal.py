"""The merchant portal: a second AdminSite at /merchant/ that shows a merchant only its own objects.

Register a model on `merchant_site` with a `MerchantScopedAdmin` subclass naming `merchant_field`
(the lookup from the model to its merchant, e.g. "product__merchant"); the queryset, lookups and
saves are limited to the signed-in user's merchant. Catalog, inventory and returns all register
here, so the site lives in core; a portal user's merchant is their catalog membership, read
through the user's `merchant_membership` relation (no import of the catalog's models).

The portal has its own login: merchant members are not staff, so the admin's login form (which
refuses non-staff accounts) would shut them out. Staff without a membership are refused here and
keep using /admin/.
"""
from django import forms
from django.contrib import admin
from django.contrib.auth.forms import AuthenticationForm


def merchant_id_for_user(user) -> int | None:
    """The merchant a portal user belongs to, or None (anonymous users, staff without a membership)."""
    membership = getattr(user, "merchant_membership", None)
    return membership.merchant_id if membership else None


class MerchantAuthenticationForm(AuthenticationForm):
    """Signs in an active user who belongs to a merchant, staff or not."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "not_a_merchant": "This account is not a member of any merchant. Ops staff sign in at /admin/; "
                          "ask your store's owner to add you as a member.",
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if merchant_id_for_user(user) is None:
            raise forms.ValidationError(self.error_messages["not_a_merchant"], code="not_a_merchant")


class MerchantAdminSite(admin.AdminSite):
    site_header = "Vantage merchant portal"
    site_title = "Merchant portal"
    index_title = "Your store"
    login_form = MerchantAuthenticationForm

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_active and merchant_id_for_user(user) is not None)


class MerchantScopedAdmin(admin.ModelAdmin):
    merchant_field = "merchant"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(**{self.merchant_field + "_id": merchant_id_for_user(request.user)})

    def has_module_permission(self, request) -> bool:
        return True

    def has_view_permission(self, request, obj=None) -> bool:
        return True

    def has_change_permission(self, request, obj=None) -> bool:
        return True

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


merchant_site = MerchantAdminSite(name="merchant")
