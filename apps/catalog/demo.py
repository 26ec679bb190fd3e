"""Demo catalog: merchant `demo`, the seeds' three categories, suppliers, and 60+ products,
including the seeds' own products with their ids and SKUs. Idempotent (update_or_create)."""
import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from .models import Category, Merchant, MerchantMembership, Product, Supplier

CATEGORIES = {
    "general-merchandise": "General merchandise",
    "electronics": "Electronics",
    "consumables": "Consumables",
}
SUPPLIERS = {"Northwind Electronics": 7, "Acme Wholesale": 10, "Pacific Supply Co": 5, "Cable & Co": 4}

# The products the low-stock runbook and the alert samples name, so demo data matches them.
SEED_PRODUCTS = [
    ("prod_monitor_32in", "MON-32-4K-PRO", "32\" 4K Pro Monitor", "449.00", "electronics", "Northwind Electronics"),
    ("prod_headphones_nc", "HP-NC-700-BLK", "Noise Cancelling Headphones 700", "249.99", "electronics",
     "Northwind Electronics"),
    ("prod_cable_usbc", "CBL-USBC-2M", "USB-C Cable 2 Meter", "12.99", "electronics", "Cable & Co"),
]

NOUNS = {
    "general-merchandise": ["Water Bottle", "Desk Lamp", "Backpack", "Notebook", "Umbrella", "Mug", "Throw Blanket"],
    "electronics": ["Wireless Mouse", "Keyboard", "Webcam", "Power Bank", "Bluetooth Speaker", "HDMI Cable"],
    "consumables": ["Coffee Beans", "Printer Paper", "Hand Soap", "Green Tea", "AA Batteries", "Trail Mix"],
}
ADJECTIVES = ["Classic", "Pro", "Eco", "Compact", "Deluxe", "Everyday", "Travel", "Premium", "Mini", "Ultra"]
DEMO_PRODUCT_COUNT = 60


def seed(stdout) -> None:
    merchant, _ = Merchant.objects.update_or_create(slug="demo", defaults={"name": "Vantage Demo Store"})
    Merchant.objects.update_or_create(slug="acme", defaults={"name": "Acme Outlet"})
    categories = {slug: Category.objects.update_or_create(slug=slug, defaults={"name": name})[0]
                  for slug, name in CATEGORIES.items()}
    suppliers = {name: Supplier.objects.update_or_create(name=name, defaults={"typical_lead_time_days": days})[0]
                 for name, days in SUPPLIERS.items()}
    for pid, sku, name, price, category, supplier in SEED_PRODUCTS:
        Product.objects.update_or_create(id=pid, defaults={
            "sku": sku, "name": name, "price": Decimal(price), "category": categories[category],
            "merchant": merchant, "supplier": suppliers[supplier], "active": True})
    rng = random.Random(4602)  # fixed seed: the same demo shop on every machine
    for index in range(DEMO_PRODUCT_COUNT):
        category = list(CATEGORIES)[index % 3]
        name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS[category])}"
        Product.objects.update_or_create(id=f"prod_demo_{index:03d}", defaults={
            "sku": f"DEMO-{index:04d}", "name": name, "price": Decimal(rng.randrange(299, 19999)) / 100,
            "category": categories[category], "merchant": merchant,
            "supplier": suppliers[rng.choice(list(SUPPLIERS))], "active": True})
    users = get_user_model()
    if not users.objects.filter(username="admin").exists():
        users.objects.create_superuser("admin", "admin@vantage.example", "admin")
    if not users.objects.filter(username="merchant").exists():
        merchant_user = users.objects.create_user("merchant", "merchant@vantage.example", "merchant")
        MerchantMembership.objects.create(user=merchant_user, merchant=merchant)
    stdout.write(f"catalog: merchant 'demo', {Product.objects.filter(merchant=merchant).count()} products")
