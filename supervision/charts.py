"""Bar charts drawn on the server as inline SVG: no script, no CDN, they work offline and
print. The geometry is computed here; the template only writes the elements."""

from dataclasses import dataclass
from decimal import Decimal

LABEL_WIDTH = 230
LABEL_CHARS = 18
BAR_AREA = 420
VALUE_WIDTH = 70
ROW_HEIGHT = 22
BAR_HEIGHT = 14


@dataclass
class Bar:
    label: str
    value: Decimal
    width: float
    y: int
    url: str = ""
    muted: bool = False

    @property
    def text_y(self):
        return self.y + BAR_HEIGHT - 3

    @property
    def value_x(self):
        return LABEL_WIDTH + self.width + 6


@dataclass
class Chart:
    title: str
    bars: list
    maximum: Decimal

    @property
    def width(self):
        return LABEL_WIDTH + BAR_AREA + VALUE_WIDTH

    @property
    def height(self):
        return max(len(self.bars), 1) * ROW_HEIGHT + 8

    label_width = LABEL_WIDTH
    bar_height = BAR_HEIGHT

    @property
    def label_x(self):
        return LABEL_WIDTH - 6


def _shorten(label):
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_chart(title, rows, maximum):
    """rows: (label, value, url, muted); bar lengths relative to `maximum` (≥ the values)."""
    rows = list(rows)
    top = max([Decimal(maximum), *[Decimal(row[1]) for row in rows], Decimal(1)])
    bars = [
        Bar(
            label=_shorten(str(label)),
            value=value,
            width=round(float(max(Decimal(value), Decimal(0)) / top) * BAR_AREA, 1),
            y=4 + index * ROW_HEIGHT,
            url=url or "",
            muted=muted,
        )
        for index, (label, value, url, muted) in enumerate(rows)
    ]
    return Chart(title=title, bars=bars, maximum=top)
