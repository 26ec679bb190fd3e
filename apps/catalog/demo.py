"""Demo catalog: merchant `demo`, the seeds' three categories, suppliers, and 60+ products,
including the seeds' own products with their ids and SKUs. Idempotent (update_or_create).

Every product has its own name (adjective × noun pairs are drawn without replacement) and a
description; pictures are the per-category illustrations under static/img/products/, served as their
WebP renditions (see `Product.image_path` and images.py)."""
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q

from .models import Category, Merchant, MerchantMembership, Product, Supplier

CATEGORIES = {
    "general-merchandise": "General merchandise",
    "electronics": "Electronics",
    "consumables": "Consumables",
}
SUPPLIERS = {"Northwind Electronics": 7, "Acme Wholesale": 10, "Pacific Supply Co": 5, "Cable & Co": 4}

# The products the low-stock runbook and the alert samples name, so demo data matches them.
SEED_PRODUCTS = [
    ("prod_monitor_32in", "MON-32-4K-PRO", "32\" 4K Pro Monitor", "449.00", "electronics", "Northwind Electronics",
     "A 32-inch 4K IPS display with true-to-life colour, USB-C power delivery and a height-adjustable stand."),
    ("prod_headphones_nc", "HP-NC-700-BLK", "Noise Cancelling Headphones 700", "249.99", "electronics",
     "Northwind Electronics", "Over-ear wireless headphones with adaptive noise cancelling and 20 hours of play."),
    ("prod_cable_usbc", "CBL-USBC-2M", "USB-C Cable 2 Meter", "12.99", "electronics", "Cable & Co",
     "A braided two-metre USB-C cable that charges at up to 100 W and moves data at 10 Gbit/s."),
]

NOUNS = {
    "general-merchandise": {
        "Water Bottle": "keeps drinks cold for 24 hours and hot for 12, and fits a car cup holder.",
        "Desk Lamp": "gives warm or cool light with three brightness levels and a flexible arm.",
        "Backpack": "has a padded laptop sleeve, water-resistant fabric and a hidden passport pocket.",
        "Notebook": "holds 192 dotted pages of fountain-pen-friendly paper in a lay-flat binding.",
        "Umbrella": "opens with one hand and stands up to gusts with a vented double canopy.",
        "Mug": "is glazed stoneware that holds 350 ml and is safe in the dishwasher and microwave.",
        "Throw Blanket": "is a soft knitted throw, 130 × 170 cm, machine washable.",
    },
    "electronics": {
        "Wireless Mouse": "tracks on almost any surface and runs for months on one AA battery.",
        "Keyboard": "has quiet low-profile keys and pairs with up to three devices.",
        "Webcam": "streams 1080p at 30 fps with automatic light correction and a privacy shutter.",
        "Power Bank": "stores 10,000 mAh and charges a phone twice over USB-C.",
        "Bluetooth Speaker": "plays for 12 hours, shrugs off rain and pairs in seconds.",
        "HDMI Cable": "carries 4K at 60 Hz with HDR in a tangle-free braided jacket.",
    },
    "consumables": {
        "Coffee Beans": "are a 500 g bag of medium-roast single-origin beans with notes of cocoa.",
        "Printer Paper": "is 500 bright-white A4 sheets that feed cleanly through laser and inkjet printers.",
        "Hand Soap": "is a gentle plant-based liquid soap with a fresh citrus scent, 500 ml.",
        "Green Tea": "is 50 pyramid bags of Japanese sencha.",
        "AA Batteries": "are a pack of 12 long-life alkaline cells.",
        "Trail Mix": "is a resealable 400 g bag of nuts, seeds and dried fruit.",
    },
}
# Food takes the reduced rate (VAT) or is untaxed (most US states' groceries); everything else is standard-rated.
REDUCED_RATE_NOUNS = {"Coffee Beans", "Green Tea", "Trail Mix"}
ADJECTIVES = ["Classic", "Pro", "Eco", "Compact", "Deluxe", "Everyday", "Travel", "Premium", "Mini", "Ultra"]
DEMO_PRODUCT_COUNT = 60


# Shipping weights in grams, packaging included: the seed products by id, the generated ones by noun.
SEED_PRODUCT_WEIGHTS = {"prod_monitor_32in": 9800, "prod_headphones_nc": 650, "prod_cable_usbc": 90}
NOUN_WEIGHTS = {
    "Water Bottle": 420, "Desk Lamp": 1600, "Backpack": 1100, "Notebook": 380, "Umbrella": 550, "Mug": 450,
    "Throw Blanket": 1300, "Wireless Mouse": 140, "Keyboard": 780, "Webcam": 260, "Power Bank": 320,
    "Bluetooth Speaker": 900, "HDMI Cable": 180, "Coffee Beans": 560, "Printer Paper": 2600, "Hand Soap": 600,
    "Green Tea": 150, "AA Batteries": 310, "Trail Mix": 440,
}


def _weigh_demo_products() -> None:
    """Give every demo product its plausible shipping weight (so weight-banded rates mean something)."""
    products = list(Product.objects.filter(Q(id__in=SEED_PRODUCT_WEIGHTS) | Q(id__startswith="prod_demo_")))
    for product in products:
        product.weight_grams = SEED_PRODUCT_WEIGHTS.get(product.id) or next(
            (grams for noun, grams in NOUN_WEIGHTS.items() if product.name.endswith(noun)), 500)
    Product.objects.bulk_update(products, ["weight_grams"])


def seed(stdout) -> None:
    merchant, _ = Merchant.objects.update_or_create(slug="demo", defaults={"name": "Vantage Demo Store"})
    Merchant.objects.update_or_create(slug="acme", defaults={"name": "Acme Outlet"})
    categories = {slug: Category.objects.update_or_create(slug=slug, defaults={"name": name})[0]
                  for slug, name in CATEGORIES.items()}
    suppliers = {name: Supplier.objects.update_or_create(name=name, defaults={"typical_lead_time_days": days})[0]
                 for name, days in SUPPLIERS.items()}
    for pid, sku, name, price, category, supplier, description in SEED_PRODUCTS:
        Product.objects.update_or_create(id=pid, defaults={
            "sku": sku, "name": name, "description": description, "price": Decimal(price),
            "category": categories[category], "merchant": merchant, "supplier": suppliers[supplier], "active": True})
    rng = random.Random(4602)  # fixed seed: the same demo shop on every machine
    names = {slug: rng.sample([(adjective, noun) for adjective in ADJECTIVES for noun in nouns], len(nouns) * 4)
             for slug, nouns in NOUNS.items()}  # distinct within the category, hence in the shop
    for index in range(DEMO_PRODUCT_COUNT):
        category = list(CATEGORIES)[index % 3]
        adjective, noun = names[category][index // 3]
        Product.objects.update_or_create(id=f"prod_demo_{index:03d}", defaults={
            "sku": f"DEMO-{index:04d}", "name": f"{adjective} {noun}",
            "description": f"The {adjective.lower()} {noun.lower()} {NOUNS[category][noun]}",
            "price": Decimal(rng.randrange(299, 19999)) / 100,
            "category": categories[category], "merchant": merchant,
            "supplier": suppliers[rng.choice(list(SUPPLIERS))], "active": True,
            "tax_category": "reduced" if noun in REDUCED_RATE_NOUNS else "standard"})
    _weigh_demo_products()
    users = get_user_model()
    if not users.objects.filter(username="admin").exists():
        users.objects.create_superuser("admin", "admin@vantage.example", "admin")
    if not users.objects.filter(username="merchant").exists():
        merchant_user = users.objects.create_user("merchant", "merchant@vantage.example", "merchant")
        MerchantMembership.objects.create(user=merchant_user, merchant=merchant)
    stdout.write(f"catalog: merchant 'demo', {Product.objects.filter(merchant=merchant).count()} products")
