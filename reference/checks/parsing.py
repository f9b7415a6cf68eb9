"""Turn a student's formula into a SymPy expression without evaluating code.

``sympy.sympify`` and ``parse_expr`` call ``eval`` on the text, so a string
such as ``"__import__('os').system(...)"`` would run. Here SymPy's tokenizer
transformations only rewrite the text (``2x`` -> ``2*x``, ``x^2`` -> ``x**2``);
the result is read with :func:`ast.parse` and every node is checked against a
whitelist while we build the expression ourselves. Sizes, nesting and integer
powers are bounded before anything is built, so ``9**9**9**9`` is refused
instead of hanging the grader.
"""

from __future__ import annotations

import ast
import io
import keyword
import math
import numbers
import re
import tokenize
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.parsing.sympy_parser import (
    auto_number,
    auto_symbol,
    function_exponentiation,
    implicit_multiplication,
    stringify_expr,
)

__all__ = ["FUNCTIONS", "ParseError", "UnknownNameError", "parse_expression"]

#: Functions a student may use, by the names they may type.
FUNCTIONS: dict[str, Callable[..., sp.Expr]] = {
    "exp": sp.exp,
    "log": sp.log,
    "ln": sp.log,
    "sqrt": sp.sqrt,
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "sec": sp.sec,
    "csc": sp.csc,
    "cot": sp.cot,
    "asin": sp.asin,
    "acos": sp.acos,
    "atan": sp.atan,
    "arcsin": sp.asin,
    "arccos": sp.acos,
    "arctan": sp.atan,
    "sinh": sp.sinh,
    "cosh": sp.cosh,
    "tanh": sp.tanh,
    "sech": sp.sech,
    "csch": sp.csch,
    "coth": sp.coth,
    "acot": sp.acot,
    "arccot": sp.acot,
    "asinh": sp.asinh,
    "acosh": sp.acosh,
    "atanh": sp.atanh,
    "arcsinh": sp.asinh,
    "arccosh": sp.acosh,
    "arctanh": sp.atanh,
    "Abs": sp.Abs,
    "abs": sp.Abs,
    "sign": sp.sign,
}
#: How many arguments a function takes (1 unless listed).
ARITY: dict[str, tuple[int, ...]] = {"log": (1, 2), "ln": (1, 2)}
CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "E": sp.E, "e": sp.E}

MAX_EXPONENT = 1000
MAX_DIGITS = 10_000
MAX_NODES = 2_000
MAX_DEPTH = 200
MAX_PARENS = 40
MAX_SYMPY_NODES = 20_000

_TRANSFORMS = (auto_symbol, auto_number, implicit_multiplication, function_exponentiation)
_CONSTRUCTORS = {"Symbol": sp.Symbol, "Function": sp.Function, "Integer": sp.Integer,
                 "Float": sp.Float, "Rational": sp.Rational}  # fmt: skip
_ALLOWED_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 +-*/^()._,")
_REPLACE = {
    "\u2212": "-", "\u2013": "-", "\u00d7": "*", "\u22c5": "*", "\u00b7": "*",
    "\u00f7": "/", "\u03c0": "pi", "\u00b2": "^2", "\u00b3": "^3",
    "\t": " ", "\n": " ", "\r": " ", "\u00a0": " ",
}  # fmt: skip
_NODE_WORDS = {
    ast.Attribute: "attribute access ('.')",
    ast.Subscript: "indexing ('[ ]')",
    ast.Lambda: "a lambda",
    ast.Compare: "a comparison",
    ast.BoolOp: "'and' / 'or'",
    ast.List: "a list",
    ast.Tuple: "a tuple (check the commas)",
    ast.Dict: "a dictionary",
    ast.Set: "a set",
    ast.ListComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.IfExp: "'if ... else'",
    ast.NamedExpr: "':='",
}


class ParseError(ValueError):
    """The text is not a formula we accept; the message is for the student."""


class UnknownNameError(ParseError):
    """The formula uses a name that is neither a variable nor a known function."""

    def __init__(self, message: str, name: str, *, function: bool = False) -> None:
        super().__init__(message)
        self.name = name
        self.function = function


def parse_expression(
    text_or_expr: Any,
    *,
    variables: Iterable[str] = ("x",),
    functions: Mapping[str, Callable[..., sp.Expr]] | None = None,
    max_length: int = 2000,
) -> sp.Expr:
    """Read a student's formula (text, SymPy expression or number) safely.

    ``variables`` are the symbol names allowed; ``e`` means Euler's number
    unless it is one of them, and ``ln`` is ``log``. ``functions`` adds
    allowed functions to :data:`FUNCTIONS`. Raises :class:`ParseError` with a
    student-friendly message; never evaluates the text.

    >>> parse_expression("3x^2 - 4x")
    3*x**2 - 4*x
    >>> parse_expression("1/(1+e^-x)")
    1/(1 + exp(-x))
    """
    return _parse(text_or_expr, tuple(variables), functions, max_length, strict=True)


def _parse(
    obj: Any,
    variables: tuple[str, ...],
    functions: Mapping[str, Callable[..., sp.Expr]] | None,
    max_length: int,
    strict: bool,
) -> sp.Expr:
    if isinstance(obj, sp.Basic):
        return _validate_sympy(obj)
    if isinstance(obj, sp.MatrixBase | np.ndarray):
        raise ParseError("Expected a single formula, got a matrix or an array.")
    if isinstance(obj, bool | np.bool_):
        raise ParseError("Expected a formula, got a True/False value.")
    if isinstance(obj, numbers.Number | np.number):
        return _from_number(obj)
    if isinstance(obj, str):
        return _Reader(variables, functions, strict).read(obj, max_length)
    kind = {list: "a list", tuple: "a tuple", dict: "a dictionary", set: "a set"}.get(
        type(obj), f"a {type(obj).__name__}"
    )
    raise ParseError(
        f"Expected a formula (text such as '3*x**2' or a SymPy expression), got {kind}."
    )


def _from_number(value: Any) -> sp.Expr:
    if isinstance(value, numbers.Integral):
        return sp.Integer(int(value))
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, numbers.Real):
        f = float(value)
        if not math.isfinite(f):
            raise ParseError("Your answer is not a finite number.")
        return sp.Float(f)
    raise ParseError("Complex numbers are not accepted here.")


def _validate_sympy(expr: sp.Basic) -> sp.Expr:
    if isinstance(expr, sp.MatrixBase | sp.MatrixExpr):
        raise ParseError("Expected a single formula, got a matrix.")
    # A Symbol is both an Expr and a Boolean: only non-Expr Booleans are conditions.
    if isinstance(expr, sp.logic.boolalg.Boolean) and not isinstance(expr, sp.Expr):
        raise ParseError(
            "Expected a formula, got an equation or a condition; give only the expression."
        )
    if not isinstance(expr, sp.Expr):
        raise ParseError(f"Expected a formula, got a SymPy {type(expr).__name__}.")
    for count, node in enumerate(sp.preorder_traversal(expr)):
        if count > MAX_SYMPY_NODES:
            raise ParseError("Your expression is too large to check.")
        if isinstance(node, AppliedUndef):
            raise ParseError(f"Your expression uses an unknown function '{node.func}'.")
        if isinstance(node, sp.Derivative | sp.Integral | sp.Limit | sp.Sum | sp.Product):
            raise ParseError(
                f"Your expression contains an unevaluated {type(node).__name__}; "
                "call .doit() on it."
            )
    if expr.has(sp.zoo, sp.nan):
        raise ParseError("Your expression is undefined (a division by zero?).")
    return expr


def _describe(node: ast.AST) -> str:
    for kind, word in _NODE_WORDS.items():
        if isinstance(node, kind):
            return word
    return type(node).__name__


class _Reader:
    """One use: normalise, tokenise, check the AST and build the expression."""

    def __init__(
        self,
        variables: tuple[str, ...],
        functions: Mapping[str, Callable[..., sp.Expr]] | None,
        strict: bool,
    ) -> None:
        for v in variables:
            if not isinstance(v, str) or not v.isidentifier() or v.startswith("_"):
                raise ValueError(f"bad variable name {v!r}")
        self.variables = variables
        self.functions = dict(FUNCTIONS)
        self.functions.update(functions or {})
        self.constants = {k: v for k, v in CONSTANTS.items() if k not in variables}
        self.strict = strict
        self.text = ""

    # -- text level -------------------------------------------------------
    def read(self, text: str, max_length: int) -> sp.Expr:
        if len(text) > max_length:
            raise ParseError(
                f"Your answer is too long ({len(text)} characters; the limit is {max_length})."
            )
        for old, new in _REPLACE.items():
            text = text.replace(old, new)
        text = text.strip()
        self.text = text
        if not text:
            raise ParseError("Your answer is empty.")
        self._check_characters(text)
        self._check_parentheses(text)
        text = text.replace("^", "**")
        self._check_function_calls(text)
        local = {v: sp.Symbol(v) for v in self.variables}
        glob: dict[str, Any] = dict(_CONSTRUCTORS)
        glob.update(self.functions)
        glob.update(self.constants)
        try:
            code = stringify_expr(text, local, glob, _TRANSFORMS)
            tree = ast.parse(code.strip(), mode="eval")
        except (SyntaxError, tokenize.TokenError, ValueError, TypeError, IndexError) as exc:
            raise ParseError(self._syntax_message()) from exc
        self._check_size(tree)
        expr = self._build(tree.body)
        if not isinstance(expr, sp.Expr):
            raise ParseError("Your answer is not a formula.")
        if expr.has(sp.zoo, sp.nan):
            raise ParseError("Your expression is undefined (a division by zero?).")
        return expr

    def _check_characters(self, text: str) -> None:
        for ch in text:
            if ch in _ALLOWED_CHARS:
                continue
            if ch in "=<>":
                raise ParseError(
                    "Your answer looks like an equation or comparison; give only the expression "
                    "(no '=', '<' or '>')."
                )
            if ch == "|":
                raise ParseError("Write absolute values as abs(...), not with '|'.")
            if ch == "!":
                raise ParseError("Factorials ('!') are not accepted here.")
            if ch in "[]{}":
                raise ParseError(f"Use round parentheses only; '{ch}' is not accepted.")
            raise ParseError(f"Unexpected character {ch!r} in your answer.")

    def _check_parentheses(self, text: str) -> None:
        depth = 0
        for i, ch in enumerate(text):
            if ch == "(":
                depth += 1
                if depth > MAX_PARENS:
                    raise ParseError("Your answer has too many nested parentheses.")
            elif ch == ")":
                depth -= 1
                if depth < 0:
                    raise ParseError(
                        f"Unbalanced parentheses: the ')' at position {i + 1} has no matching '('."
                    )
        if depth:
            raise ParseError(f"Unbalanced parentheses: {depth} '(' not closed.")

    def _check_function_calls(self, text: str) -> None:
        try:
            skip = (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)
            toks = [
                t
                for t in tokenize.generate_tokens(io.StringIO(text).readline)
                if t.type not in skip
            ]
        except (tokenize.TokenError, SyntaxError, ValueError) as exc:
            raise ParseError(self._syntax_message()) from exc
        singles = self._singles()
        for i, tok in enumerate(toks):
            if tok.type != tokenize.NAME or tok.string in self.variables:
                continue
            nxt = toks[i + 1].string if i + 1 < len(toks) else ""
            if tok.string not in self.functions:
                known = tok.string in self.constants or all(c in singles for c in tok.string)
                if nxt == "(" and not known and not keyword.iskeyword(tok.string):
                    raise self._unknown(tok.string, call=True)
                continue
            j = i + 1
            if nxt == "**" and j + 1 < len(toks) and toks[j + 1].string == "-":
                raise ParseError(
                    f"Write inverse functions by name (e.g. asin(x)), not as {tok.string}^-1."
                )
            if j + 1 < len(toks) and toks[j].string == "**" and toks[j + 1].type == tokenize.NUMBER:
                j += 2  # sin^2(x)
            if j >= len(toks) or toks[j].string != "(":
                raise ParseError(
                    f"Write the argument of {tok.string} in parentheses, e.g. {tok.string}(x)."
                )

    def _singles(self) -> list[str]:
        names = [*self.variables, *self.constants]
        return [n for n in names if len(n) == 1]

    def _syntax_message(self) -> str:
        t = self.text.rstrip()
        if t and t[-1] in "+-*/^,.":
            return f"Your answer is incomplete: it ends with {t[-1]!r}."
        if t and t[0] in "*/^,":
            return f"Your answer cannot start with {t[0]!r}."
        if re.search(r"[+\-*/^]\s*[*/^]", t.replace("**", "^")):
            return "Your answer has two operators in a row."
        if re.search(r"\(\s*\)", t):
            return "Your answer has empty parentheses '()'."
        if re.search(r"\b(import|lambda|for|in|if|else|def|class|return|not|and|or|is)\b", t):
            return "Your answer must be a formula, not Python code."
        return (
            "Your answer could not be read as a formula: check for a missing operator or operand."
        )

    def _check_size(self, tree: ast.AST) -> None:
        stack = [(tree, 0)]
        count = 0
        while stack:
            node, depth = stack.pop()
            count += 1
            if count > MAX_NODES:
                raise ParseError("Your answer is too long to check.")
            if depth > MAX_DEPTH:
                raise ParseError("Your answer is nested too deeply to check.")
            stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))

    # -- AST level --------------------------------------------------------
    def _build(self, node: ast.AST) -> sp.Expr:
        if isinstance(node, ast.BinOp):
            left, right = self._build(node.left), self._build(node.right)
            op = node.op
            if isinstance(op, ast.Add):
                return left + right
            if isinstance(op, ast.Sub):
                return left - right
            if isinstance(op, ast.Mult):
                _guard_product(left, right)
                return left * right
            if isinstance(op, ast.Div):
                return left / right
            if isinstance(op, ast.Pow):
                _guard_power(left, right)
                return left**right
            raise ParseError(f"The operator {type(op).__name__} is not accepted here.")
        if isinstance(node, ast.UnaryOp):
            operand = self._build(node.operand)
            if isinstance(node.op, ast.USub):
                return -operand
            if isinstance(node.op, ast.UAdd):
                return operand
            raise ParseError("Only '+' and '-' may stand in front of a term.")
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ParseError("Your answer contains something that is not a number or a name.")
            return _from_number(value)
        if isinstance(node, ast.Name):
            return self._name(node.id)
        if isinstance(node, ast.Call):
            return self._call(node)
        raise ParseError(
            f"Your answer contains {_describe(node)}, which is not accepted in a formula."
        )

    def _literal_args(self, node: ast.Call) -> list[Any]:
        if node.keywords or not node.args:
            raise ParseError("Your answer could not be read as a formula.")
        out = []
        for a in node.args:
            if not isinstance(a, ast.Constant) or isinstance(a.value, bool):
                raise ParseError("Your answer could not be read as a formula.")
            if not isinstance(a.value, int | str):
                raise ParseError("Your answer could not be read as a formula.")
            out.append(a.value)
        return out

    def _call(self, node: ast.Call) -> sp.Expr:
        func = node.func
        if isinstance(func, ast.Name) and func.id in ("Integer", "Float", "Rational"):
            args = self._literal_args(node)
            if any(
                isinstance(a, str) and not re.fullmatch(r"[0-9_.eE+-]{1,2100}", a) for a in args
            ):
                raise ParseError("Your answer contains a malformed number.")
            try:
                return _CONSTRUCTORS[func.id](*args)
            except (ValueError, TypeError) as exc:
                raise ParseError("Your answer contains a malformed number.") from exc
        if isinstance(func, ast.Name) and func.id == "Symbol":
            args = self._literal_args(node)
            if len(args) != 1 or not isinstance(args[0], str):
                raise ParseError("Your answer could not be read as a formula.")
            return self._name(args[0])
        if (
            isinstance(func, ast.Call)
            and isinstance(func.func, ast.Name)
            and func.func.id == "Function"
        ):
            args = self._literal_args(func)
            name = str(args[0])
            raise self._unknown(name, call=True)
        if isinstance(func, ast.Name) and func.id in self.functions:
            if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
                raise ParseError(f"{func.id}(...) takes only plain arguments.")
            allowed = ARITY.get(func.id, (1,))
            if len(node.args) not in allowed:
                n = " or ".join(map(str, allowed))
                raise ParseError(f"{func.id} takes {n} argument(s), got {len(node.args)}.")
            args = [self._build(a) for a in node.args]
            try:
                return self.functions[func.id](*args)
            except (ValueError, TypeError) as exc:
                raise ParseError(f"{func.id}(...) could not be applied to that argument.") from exc
        if isinstance(func, ast.Name):
            raise self._unknown(func.id, call=True)
        raise ParseError("Your answer could not be read as a formula.")

    def _name(self, name: str) -> sp.Expr:
        if name in self.variables:
            return sp.Symbol(name)
        if name in self.constants:
            return self.constants[name]
        if name in self.functions:
            raise ParseError(f"Write the argument of {name} in parentheses, e.g. {name}(x).")
        if name.startswith("_") or "__" in name:
            raise ParseError(f"The name '{name}' is not allowed in a formula.")
        singles = self._singles()
        if len(name) <= 12 and singles and all(ch in singles for ch in name):
            out: sp.Expr = sp.Integer(1)
            for ch in name:  # "xy" means x*y when x and y are variables
                out = out * self._name(ch)
            return out
        if not self.strict and name.isidentifier():
            return sp.Symbol(name)
        raise self._unknown(name, call=False)

    def _unknown(self, name: str, *, call: bool) -> ParseError:
        if name.startswith("_") or "__" in name:
            return ParseError(f"The name '{name}' is not allowed in a formula.")
        m = re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", self.text)
        where = f" at position {m.start() + 1}" if m else ""
        hint = ""
        for f in sorted(self.functions, key=len, reverse=True):
            rest = name[len(f) :]
            if name.startswith(f) and rest and (rest in self.variables or rest in self.constants):
                hint = f"; did you mean {f}({rest})?"
                break
        else:
            if call and name not in self.functions:
                hint = " (not a function we know; use '*' for multiplication)"
        if call:
            return UnknownNameError(f"Unknown function '{name}'{where}{hint}.", name, function=True)
        allowed = ", ".join(self.variables)
        return UnknownNameError(
            f"Unknown name '{name}'{where}{hint or f' (the variables are: {allowed})'}.", name
        )


def _magnitude_digits(value: sp.Expr) -> float:
    """About how many decimal digits a rational number has (numerator and denominator)."""
    if isinstance(value, sp.Rational):
        return 0.30103 * (int(value.p).bit_length() + int(value.q).bit_length())
    return 0.0


def _guard_product(left: sp.Expr, right: sp.Expr) -> None:
    if _magnitude_digits(left) + _magnitude_digits(right) > 10 * MAX_DIGITS:
        raise ParseError("A number in your answer is too large.")


def _guard_power(base: sp.Expr, exponent: sp.Expr) -> None:
    if not exponent.is_number:
        return
    try:
        mag = abs(complex(exponent.evalf(15)))
    except (TypeError, ValueError, OverflowError) as exc:
        raise ParseError("An exponent in your answer is not a usable number.") from exc
    if not math.isfinite(mag) or mag > MAX_EXPONENT:
        raise ParseError(f"An exponent in your answer is too large (limit {MAX_EXPONENT}).")
    if isinstance(base, sp.Rational) and _magnitude_digits(base) * mag > MAX_DIGITS:
        raise ParseError("A power in your answer produces a number too large to check.")
