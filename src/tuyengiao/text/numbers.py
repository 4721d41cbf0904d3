"""Numbers in Vietnamese format: '.' groups thousands and ',' marks decimals."""

import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

Number = int | float | Decimal

# Whitespace people (and spreadsheets) put between thousands: space, no-break space,
# thin space and narrow no-break space.
_SPACES = " \u00a0\u2009\u202f"
_SHAPE = re.compile(r"[0-9](?:[., ]?[0-9])*")
_TO_SPACE = str.maketrans(dict.fromkeys(_SPACES, " "))
_SWAP_SEPARATORS = str.maketrans({",": ".", ".": ","})
_SIGNS = {"-": "-", "\u2212": "-", "+": ""}


def _to_decimal(value: Number) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"Expected a number, got {type(value).__name__}")
    # repr() gives the shortest float literal, so 2.675 rounds like the 2.675 users see.
    result = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not result.is_finite():
        raise ValueError(f"Cannot format {value!r}")
    return result


def _format_decimal(value: Decimal, decimals: int) -> str:
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + decimals + 2)
        rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = rounded.copy_abs()  # no "-0,00"
    english = f"{rounded:,.{decimals}f}"
    return english.translate(_SWAP_SEPARATORS)


def format_number(value: Number | None, decimals: int = 0) -> str:
    """Format ``value`` Vietnamese style: 24193 -> "24.193", (98.3216, 2) -> "98,32".

    Rounds half up (away from zero, so -2.5 -> "-3"); None gives "".
    """
    if value is None:
        return ""
    return _format_decimal(_to_decimal(value), decimals)


def format_percent(value: Number | None, decimals: int = 2) -> str:
    """Format ``value`` (already in percent) with a % sign: 98.3216 -> "98,32%"."""
    if value is None:
        return ""
    return format_number(value, decimals) + "%"


def format_rate(numerator: Number | None, denominator: Number | None, decimals: int = 2) -> str:
    """Format numerator/denominator as a percentage; "" when either is missing or it is x/0."""
    if numerator is None or denominator is None:
        return ""
    den = _to_decimal(denominator)
    if den.is_zero():
        return ""
    with localcontext() as ctx:
        ctx.prec = 50
        percent = _to_decimal(numerator) * 100 / den
    return _format_decimal(percent, decimals) + "%"


def _is_grouped(integer: str, sep: str) -> bool:
    """True when ``integer`` is digits grouped by ``sep`` in threes, like 1.234.567."""
    first, *rest = integer.split(sep)
    return (
        bool(rest)
        and 1 <= len(first) <= 3
        and not first.startswith("0")
        and all(len(group) == 3 for group in rest)
    )


def _split(body: str) -> tuple[str, str, str | None]:
    """Return (integer part, fraction part, thousands separator) or raise ValueError."""
    dots, commas = body.count("."), body.count(",")
    thousands: str | None
    if " " in body:
        if dots + commas > 1:
            raise ValueError
        thousands = " "
        decimal = "," if commas else "." if dots else None
    elif dots and commas:
        decimal = "," if body.rfind(",") > body.rfind(".") else "."
        thousands = "." if decimal == "," else ","
    elif commas:
        decimal, thousands = (",", None) if commas == 1 else (None, ",")
    elif dots:
        # A lone dot is a decimal point unless it sits before exactly three digits:
        # people type "3.14" but "1.500" means one thousand five hundred.
        if dots == 1 and not _is_grouped(body, "."):
            decimal, thousands = ".", None
        else:
            decimal, thousands = None, "."
    else:
        decimal = thousands = None

    integer, _, fraction = body.partition(decimal) if decimal else (body, "", "")
    if (decimal and decimal in fraction) or (thousands and thousands in fraction):
        raise ValueError
    if thousands and thousands in integer and not _is_grouped(integer, thousands):
        raise ValueError
    return integer, fraction, thousands


def parse_number(text: str) -> Decimal:
    """Read a number as people type it: "24.193", "98,32", "1 234", "98,32%", "3.14".

    '.' before groups of exactly three digits and spaces are thousands separators;
    otherwise a single '.' or ',' is the decimal point. With both, the last one is.
    """
    error = ValueError(f'Không đọc được số "{text.strip()}". Hãy nhập như 24.193 hoặc 98,32.')
    s = text.strip().translate(_TO_SPACE)
    if s.endswith("%"):
        s = s[:-1].rstrip()
    sign = _SIGNS.get(s[:1])
    if sign is not None:
        s = s[1:]
    if not _SHAPE.fullmatch(s):
        raise error
    try:
        integer, fraction, thousands = _split(s)
    except ValueError:
        raise error from None
    if thousands:
        integer = integer.replace(thousands, "")
    return Decimal(f"{sign or ''}{integer}.{fraction}" if fraction else f"{sign or ''}{integer}")
