"""Validation-rule expressions over indicator codes, e.g. "HV_CHITIEU * 1.5" (no Django).

An expression is arithmetic (+ - * / and parentheses) over numbers and indicator codes. It is
parsed with Python's own parser and only those nodes are accepted, so nothing else can run.
"""

from __future__ import annotations

import ast
import operator
import re
from decimal import Decimal, InvalidOperation

CODE = re.compile(r"[A-Z][A-Z0-9_]{0,31}")  # an indicator code (models.validate_code)
# The signs people type (and the messages name) as Python spells them.
_SIGNS = str.maketrans({",": ".", "\u2212": "-", "\u00d7": "*", "\u00f7": "/", ":": "/"})

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: None}
COMPARE = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class ExpressionError(ValueError):
    pass


def parse(expression: str) -> ast.expr:
    text = expression.strip().translate(_SIGNS)
    if not text:
        raise ExpressionError("Biểu thức đang trống.")
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError:
        raise ExpressionError(f'Biểu thức "{expression}" không đúng cú pháp.') from None
    for node in ast.walk(tree):
        allowed = (ast.BinOp, ast.UnaryOp, ast.Constant, ast.Name, ast.Load, ast.USub, ast.UAdd)
        if isinstance(node, ast.operator) and type(node) in _BINARY:
            continue
        if not isinstance(node, allowed):
            raise ExpressionError(
                f'Biểu thức "{expression}" chỉ được dùng mã chỉ tiêu, số và + − × ÷ ( ).'
            )
        if isinstance(node, ast.Constant) and type(node.value) not in (int, float):
            raise ExpressionError(f'Biểu thức "{expression}" chứa giá trị không phải số.')
        if isinstance(node, ast.Name) and not CODE.fullmatch(node.id):
            raise ExpressionError(
                f'"{node.id}" không phải mã chỉ tiêu: mã gồm chữ in hoa không dấu, chữ số và '
                f"dấu gạch dưới, bắt đầu bằng chữ."
            )
    return tree


def codes(expression: str) -> list[str]:
    """The indicator codes an expression names, in order of first appearance."""
    names = [node for node in ast.walk(parse(expression)) if isinstance(node, ast.Name)]
    names.sort(key=lambda node: node.col_offset)  # ast.walk goes breadth first
    return list(dict.fromkeys(node.id for node in names))


def evaluate(expression: str, values: dict[str, Decimal | None], missing_as_zero: bool):
    """The value of the expression, or None when a value it needs is missing (and not zero)
    or it divides by zero."""

    def walk(node):
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name):
            value = values.get(node.id)
            if value is None and missing_as_zero:
                return Decimal(0)
            return value
        if isinstance(node, ast.UnaryOp):
            inner = walk(node.operand)
            return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
        left, right = walk(node.left), walk(node.right)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Div):
            try:
                return left / right if right else None
            except InvalidOperation:
                return None
        return _BINARY[type(node.op)](left, right)

    return walk(parse(expression))


def check(
    left: str, op: str, right: str, missing: str, values: dict[str, Decimal | None]
) -> bool | None:
    """True if the rule holds, False if it is broken, None if it is skipped for missing values.

    `missing` is "skip_if_any", "skip_if_all" or "never_skip" (missing counts as zero).
    """
    names = codes(left) + codes(right)
    present = [values.get(code) is not None for code in names]
    if op == "both":
        has_left = any(values.get(c) is not None for c in codes(left))
        has_right = any(values.get(c) is not None for c in codes(right))
        return has_left == has_right
    if missing == "skip_if_any" and not all(present):
        return None
    if missing == "skip_if_all" and not any(present):
        return None
    a = evaluate(left, values, missing_as_zero=missing != "skip_if_any")
    b = evaluate(right, values, missing_as_zero=missing != "skip_if_any")
    if a is None or b is None:
        return None
    return COMPARE[op](a, b)
