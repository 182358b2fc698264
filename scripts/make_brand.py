"""Draw the integration's brand images (our own simple artwork) into custom_components/vitrea/brand.

A rounded wall-key plate with a stylised "V" and a status LED. Run once after changing the
artwork: ``.venv/bin/python scripts/make_brand.py``.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = Path(__file__).resolve().parent.parent / "custom_components" / "vitrea" / "brand"
ACCENT = (0, 150, 214, 255)
SUPERSAMPLE = 4


def plate(size: int, *, dark: bool) -> Image.Image:
    """A square icon: a key plate, a "V" and a lit LED."""
    scale = size * SUPERSAMPLE
    image = Image.new("RGBA", (scale, scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    margin = scale // 16
    face = (40, 44, 52, 255) if dark else (245, 247, 250, 255)
    edge = (90, 96, 108, 255) if dark else (200, 206, 214, 255)
    draw.rounded_rectangle(
        (margin, margin, scale - margin, scale - margin),
        radius=scale // 5,
        fill=face,
        outline=edge,
        width=scale // 40,
    )
    stroke = scale // 11
    top, bottom = scale * 0.28, scale * 0.70
    draw.line(
        [(scale * 0.30, top), (scale * 0.5, bottom), (scale * 0.70, top)],
        fill=ACCENT,
        width=stroke,
        joint="curve",
    )
    led = scale // 24
    centre = (scale // 2, int(scale * 0.82))
    draw.ellipse((centre[0] - led, centre[1] - led, centre[0] + led, centre[1] + led), fill=ACCENT)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def logo(height: int, *, dark: bool) -> Image.Image:
    """A landscape logo: the icon followed by three smaller key plates."""
    icon = plate(height, dark=dark)
    image = Image.new("RGBA", (height * 3, height), (0, 0, 0, 0))
    image.paste(icon, (0, 0), icon)
    small = plate(height * 2 // 3, dark=dark)
    for index in range(3):
        x = height + index * (height * 2 // 3)
        image.paste(small, (x, height // 6), small)
    return image


def main() -> None:
    """Write every brand file."""
    BRAND.mkdir(parents=True, exist_ok=True)
    for dark, prefix in ((False, ""), (True, "dark_")):
        plate(256, dark=dark).save(BRAND / f"{prefix}icon.png", optimize=True)
        plate(512, dark=dark).save(BRAND / f"{prefix}icon@2x.png", optimize=True)
        logo(128, dark=dark).save(BRAND / f"{prefix}logo.png", optimize=True)
        logo(256, dark=dark).save(BRAND / f"{prefix}logo@2x.png", optimize=True)


if __name__ == "__main__":
    main()
