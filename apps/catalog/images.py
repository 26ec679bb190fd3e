"""Product pictures: which illustration a product shows, the bitmap renditions of each illustration, and
the `<img>` attributes (src, srcset, sizes, width, height) a page needs to show one in a given layout.

The illustrations are drawn once as SVG (static/img/products/<name>.svg) and rendered to WebP at the widths
below by `python -m devtools.render_product_images`; the renditions are committed next to them, so pages
serve plain static files and the browser picks the smallest one that is sharp for its screen.

No Django imports here: the rendering script reads the same widths and file names.
"""
from dataclasses import dataclass

ILLUSTRATED_CATEGORIES = frozenset({"electronics", "general-merchandise", "consumables"})
ILLUSTRATION_DIR = "img/products"


def illustration_path(category_slug: str) -> str:
    """The SVG a product of this category shows (a static path), or the neutral one."""
    name = category_slug if category_slug in ILLUSTRATED_CATEGORIES else "default"
    return f"{ILLUSTRATION_DIR}/{name}.svg"


@dataclass(frozen=True)
class Shape:
    """A crop of the 4:3 drawings and the pixel widths it is rendered at."""

    name: str
    aspect: tuple[int, int]  # width, height
    widths: tuple[int, ...]  # ascending

    def height(self, width: int) -> int:
        return width * self.aspect[1] // self.aspect[0]


# 240 serves phone grids and desktop cards at 1x, 480 their 2x and the phone detail page, 720 the desktop detail
# page at 1x, 960 its 2x. The square crop is the order summary's 3.5rem thumbnail at 1x, 2x and 3x.
LANDSCAPE = Shape("landscape", (4, 3), (240, 480, 720, 960))
SQUARE = Shape("square", (1, 1), (56, 112, 168))
SHAPES = (LANDSCAPE, SQUARE)


def rendition_path(image_path: str, shape: Shape, width: int) -> str:
    """`img/products/electronics.svg` → `img/products/electronics-480w.webp` (or `…-square-112w.webp`)."""
    stem = image_path.removesuffix(".svg")
    crop = "" if shape is LANDSCAPE else f"-{shape.name}"
    return f"{stem}{crop}-{width}w.webp"


@dataclass(frozen=True)
class Layout:
    """Where a picture sits on a page: its crop, the `sizes` hint matching the CSS (static/css/site.css and
    checkout.css) and the width/height attributes that reserve its box before it loads."""

    shape: Shape
    sizes: str
    width: int
    height: int


# Each `sizes` is the width the CSS draws the picture at (main: 64rem wide at most, 1rem padding), rounded up so the
# browser never picks a rendition narrower than its box.
LAYOUTS = {
    # .product-grid: two columns up to 43rem (card ≈ 50vw - 1.5rem), three up to 57rem, then four of at most 236px.
    "grid": Layout(LANDSCAPE, "(max-width: 43rem) calc(50vw - 1.25rem), (max-width: 57rem) 33vw, 15rem", 480, 360),
    # .category-grid: one column up to 21rem, two up to 30rem, then tiles of 9rem to 14rem.
    "tile": Layout(LANDSCAPE, "(max-width: 21rem) calc(100vw - 2rem), (max-width: 30rem) calc(50vw - 1.5rem), 14rem",
                   480, 360),
    # .product-detail: full width on phones, the 3fr of a 3fr 2fr grid (2.5rem gap) from 48rem, 571px at most.
    "detail": Layout(LANDSCAPE, "(min-width: 64rem) 36rem, (min-width: 48rem) calc(60vw - 2.7rem), "
                                "calc(100vw - 2rem)", 480, 360),
    # .summary-line img: a 3.5rem square.
    "thumbnail": Layout(SQUARE, "3.5rem", 56, 56),
}


@dataclass(frozen=True)
class ProductImage:
    """What an `<img>` of a product picture says; paths are static paths (pass them through `static`)."""

    src: str
    srcset: tuple[tuple[str, int], ...]  # (static path, pixel width), narrowest first
    sizes: str
    width: int
    height: int


def product_image(*, image_path: str, layout: str) -> ProductImage:
    """The renditions of `image_path` (a product's or category's `image_path`; empty means the neutral
    picture) for one of `LAYOUTS`. `src`, for browsers that ignore srcset, is the middle width (the narrower
    of two middle ones: 480 px landscape, 112 px square)."""
    if layout not in LAYOUTS:
        raise ValueError(f"Unknown product image layout {layout!r}; use one of {', '.join(LAYOUTS)}.")
    spec = LAYOUTS[layout]
    path = image_path or illustration_path("")
    srcset = tuple((rendition_path(path, spec.shape, width), width) for width in spec.shape.widths)
    return ProductImage(src=srcset[(len(srcset) - 1) // 2][0], srcset=srcset, sizes=spec.sizes,
                        width=spec.width, height=spec.height)
