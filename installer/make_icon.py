"""Draw the program's icon (resources/icons/verzuimdesk.png and .ico): a register card with a tick.

Run once when the design changes: ``python installer/make_icon.py``. The PNG is the window icon (Qt), the
ICO the Windows program and Start-menu icon (PyInstaller, Inno Setup)."""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "resources" / "icons"
BLUE, WHITE, LINE, GREEN = (47, 109, 181, 255), (255, 255, 255, 255), (190, 205, 225, 255), (46, 139, 87, 255)


def draw(size: int = 256) -> Image.Image:
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    s = size / 256
    d.rounded_rectangle([8 * s, 8 * s, 248 * s, 248 * s], radius=44 * s, fill=BLUE)
    d.rounded_rectangle([52 * s, 44 * s, 204 * s, 212 * s], radius=14 * s, fill=WHITE)  # the register card
    for row in range(4):  # rows of the register
        y = (82 + row * 32) * s
        d.line([72 * s, y, 184 * s, y], fill=LINE, width=max(1, int(6 * s)))
    d.line([96 * s, 150 * s, 124 * s, 180 * s, 186 * s, 104 * s], fill=GREEN, width=max(2, int(18 * s)),
           joint="curve")  # the tick: present
    return img


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw(256)
    big.save(OUT / "verzuimdesk.png")
    big.save(OUT / "verzuimdesk.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])


if __name__ == "__main__":
    main()
