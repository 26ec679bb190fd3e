"""Ops admin and merchant-portal registrations for the catalog."""
from django.contrib import admin

from apps.core.merchant_portal import MerchantScopedAdmin, merchant_site

from .models import Category, Merchant, MerchantApiToken, MerchantMembership, Product, Supplier


@admin.register(Merchant)
class MerchantAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "created_at")
    search_fields = ("slug", "name")


@admin.register(MerchantMembership)
class MerchantMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "merchant")


@admin.register(MerchantApiToken)
class MerchantApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "merchant", "label", "created_at", "revoked_at")
    readonly_fields = ("token_hash", "prefix", "created_at")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("slug", "name")


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ("name", "typical_lead_time_days")


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("id", "sku", "name", "price", "currency", "category", "merchant", "active")
    list_filter = ("active", "category", "merchant", "tax_category")
    search_fields = ("id", "sku", "name")


class MerchantProductAdmin(MerchantScopedAdmin):
    list_display = ("id", "sku", "name", "price", "currency", "category", "active")
    search_fields = ("id", "sku", "name")
    fields = ("id", "sku", "name", "description", "price", "currency", "category", "supplier", "tax_category",
              "active")
    readonly_fields = ("id", "sku")


merchant_site.register(Product, MerchantProductAdmin)
