"""Render the product illustrations (static/img/products/*.svg) to the WebP renditions pages serve.

Run once after drawing or changing an illustration, then commit the .webp files it writes:

    .venv/bin/python -m devtools.render_product_images

Debian's Chromium (driven by Playwright, never a downloaded browser) rasterises each SVG at every width of
`apps.catalog.images.SHAPES`, straight at the target size so edges are anti-aliased for that size rather than
shrunk from a larger bitmap; the square crop is the centre of the drawing, as the order summary's CSS
(`object-fit: cover`) showed it. Pillow encodes the PNG screenshots as WebP at quality 80 (the drawings are
flat colours, so the files stay a few kilobytes). Prints each file written and its size.
"""
import argparse
import base64
import io
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apps.catalog.images import ILLUSTRATION_DIR, SHAPES, rendition_path  # noqa: E402

STATIC = ROOT / "static"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WEBP_QUALITY = 80
# The drawing fills the viewport, cropped to the viewport's shape around its centre.
PAGE = """<!doctype html><html><head><style>html, body {{ margin: 0; height: 100%; overflow: hidden; }}
img {{ display: block; width: 100vw; height: 100vh; object-fit: cover; }}</style></head>
<body><img src="data:image/svg+xml;base64,{svg}" alt=""></body></html>"""


def render(page, svg: bytes, width: int, height: int) -> bytes:
    """The SVG rasterised at width × height as WebP bytes."""
    page.set_viewport_size({"width": width, "height": height})
    page.set_content(PAGE.format(svg=base64.b64encode(svg).decode()))
    page.wait_for_function("document.images[0].complete && document.images[0].naturalWidth > 0")
    png = page.screenshot(type="png")
    out = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(out, "WEBP", quality=WEBP_QUALITY, method=6)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    sources = sorted((STATIC / ILLUSTRATION_DIR).glob("*.svg"))
    if not sources:
        raise SystemExit(f"No SVG illustrations under {STATIC / ILLUSTRATION_DIR}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(device_scale_factor=1)
        for source in sources:
            image_path = f"{ILLUSTRATION_DIR}/{source.name}"
            for shape in SHAPES:
                for width in shape.widths:
                    target = STATIC / rendition_path(image_path, shape, width)
                    target.write_bytes(render(page, source.read_bytes(), width, shape.height(width)))
                    print(f"{target.relative_to(ROOT)}  {width}x{shape.height(width)}  {target.stat().st_size} B")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
