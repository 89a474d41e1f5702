"""Arithmetic over indicator ids, as written in a form's rules.

An expression such as ``ho_van_hoa * 100`` is parsed once, checked against a
whitelist (names, numbers, + - * /, parentheses) and compiled to a Python
function of one argument: the dict of values at the rule's cell. A missing
value raises KeyError, which the engine reads as "cannot check yet".
"""

from __future__ import annotations

import ast

from forms.schema import Expression

_ALLOWED_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


class ExpressionError(ValueError):
    """The text is not an expression a form may use (message in Vietnamese)."""


def compile_expression(source: str) -> Expression:
    text = source.strip()
    if not text:
        raise ExpressionError("biểu thức trống")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        raise ExpressionError(f"biểu thức “{text}” viết sai cú pháp") from None
    names: list[str] = []
    python = _to_python(tree.body, names)
    function = eval(f"lambda v: {python}", {"__builtins__": {}})  # noqa: S307 - whitelisted above
    return Expression(source=text, names=tuple(dict.fromkeys(names)), evaluate=function)


def _to_python(node: ast.AST, names: list[str]) -> str:
    if isinstance(node, ast.Name):
        names.append(node.id)
        return f"v[{node.id!r}]"
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return repr(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return f"(-{_to_python(node.operand, names)})"
    if isinstance(node, ast.BinOp) and type(node.op) in _ALLOWED_BINOPS:
        op = _ALLOWED_BINOPS[type(node.op)]
        return f"({_to_python(node.left, names)} {op} {_to_python(node.right, names)})"
    shown = ast.unparse(node) if isinstance(node, ast.expr) else type(node).__name__
    raise ExpressionError(f"“{shown}” không được dùng trong biểu thức (chỉ dùng mã chỉ tiêu, số, + - * / và ngoặc)")
