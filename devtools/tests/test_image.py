"""The development servers stay out of the production image."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_docker_image_leaves_devtools_out():
    ignored = {line.strip().strip("/") for line in (ROOT / ".dockerignore").read_text().splitlines()}

    assert "devtools" in ignored
