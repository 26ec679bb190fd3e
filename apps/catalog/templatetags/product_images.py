"""`{% product_image image_path "grid" lazy=True %}`: a product picture as an `<img>` with its WebP renditions
(`srcset`, `sizes` for the layout, width/height), the same markup on every page that shows one. Layouts and
renditions are defined in `apps.catalog.images`."""
from django import template

from ..images import product_image as product_image_renditions

register = template.Library()


@register.inclusion_tag("catalog/_product_image.html")
def product_image(image_path: str, layout: str, lazy: bool = False, alt: str = "") -> dict:
    """`lazy` for pictures below the fold only: a lazy picture in the first screen loads late. `alt` stays
    empty where the product's name is next to the picture (it would be read twice)."""
    return {"image": product_image_renditions(image_path=image_path, layout=layout), "lazy": lazy, "alt": alt}
