"""The targeting rule language: a small, safe expression language over context attributes.

    region = 'us-east-1' AND percentage < 5
    device IN ('mobile', 'tablet') AND NOT country = 'FR'
    (plan = "pro" OR user.beta = true) AND app_version >= 3.8

Parsed once into a tuple tree (no `eval`, no attribute access on Python objects: only dict
lookups into the evaluation context). `percentage` (alias `random_percentage`) is the unit's
stable bucket for the flag, 0 ≤ percentage < 100. A comparison on a missing attribute is false.
"""
import operator
import re
from collections.abc import Callable
from numbers import Number

from .errors import InvalidRule

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<number>-?\d+(?:\.\d+)?)
    | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    | (?P<op><=|>=|!=|==|=|<|>)
    | (?P<punct>[(),])
    | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
    )""", re.VERBOSE)
_KEYWORDS = {"AND", "OR", "NOT", "IN", "TRUE", "FALSE", "NULL"}
BUCKET_ATTRIBUTES = {"percentage", "random_percentage"}
MAX_RULE_LENGTH = 2000


def _tokenize(text: str) -> list[tuple[str, object]]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise InvalidRule(f"Unexpected character at position {position} in rule {text!r}.")
        position = match.end()
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "number":
            tokens.append(("value", float(value) if "." in value else int(value)))
        elif kind == "string":
            tokens.append(("value", re.sub(r"\\(.)", r"\1", value[1:-1])))
        elif kind == "word" and value.upper() in _KEYWORDS:
            upper = value.upper()
            literal = {"TRUE": True, "FALSE": False, "NULL": None}
            tokens.append(("value", literal[upper]) if upper in literal else ("kw", upper))
        else:
            tokens.append((kind, value))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0

    def peek(self, kind: str, value=None) -> bool:
        if self.index >= len(self.tokens):
            return False
        token_kind, token_value = self.tokens[self.index]
        return token_kind == kind and (value is None or token_value == value)

    def take(self, kind: str, value=None, expected: str = ""):
        if not self.peek(kind, value):
            found = self.tokens[self.index][1] if self.index < len(self.tokens) else "end of rule"
            raise InvalidRule(f"Expected {expected or value or kind} but found {found!r} in rule {self.text!r}.")
        self.index += 1
        return self.tokens[self.index - 1][1]

    def parse(self):
        tree = self.or_expr()
        if self.index != len(self.tokens):
            raise InvalidRule(f"Unexpected {self.tokens[self.index][1]!r} in rule {self.text!r}; "
                              "join conditions with AND / OR.")
        return tree

    def or_expr(self):
        parts = [self.and_expr()]
        while self.peek("kw", "OR"):
            self.index += 1
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else ("or", tuple(parts))

    def and_expr(self):
        parts = [self.not_expr()]
        while self.peek("kw", "AND"):
            self.index += 1
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else ("and", tuple(parts))

    def not_expr(self):
        if self.peek("kw", "NOT"):
            self.index += 1
            return ("not", self.not_expr())
        if self.peek("punct", "("):
            self.index += 1
            inner = self.or_expr()
            self.take("punct", ")")
            return inner
        return self.comparison()

    def comparison(self):
        attribute = self.take("word", expected="an attribute name")
        negate = False
        if self.peek("kw", "NOT"):
            self.index += 1
            negate = True
        if self.peek("kw", "IN"):
            self.index += 1
            self.take("punct", "(")
            values = [self.take("value", expected="a literal value")]
            while self.peek("punct", ","):
                self.index += 1
                values.append(self.take("value", expected="a literal value"))
            self.take("punct", ")")
            return ("in", attribute, tuple(values), negate)
        if negate:
            raise InvalidRule(f"NOT after {attribute!r} must be followed by IN in rule {self.text!r}.")
        op = self.take("op", expected="a comparison operator (=, !=, <, <=, >, >=, IN)")
        return ("cmp", attribute, "=" if op == "==" else op, self.take("value", expected="a literal value"))


def parse(text: str):
    """Parse a rule into its tree; raises `InvalidRule` with a message that says what to fix."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidRule("A rule needs a condition, e.g. region = 'us-east-1' AND percentage < 5.")
    if len(text) > MAX_RULE_LENGTH:
        raise InvalidRule(f"A rule may be at most {MAX_RULE_LENGTH} characters long.")
    return _Parser(text).parse()


_MISSING = object()
_NEVER_EQUAL = object()
_OPERATORS = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
              ">=": operator.ge}


def _lookup(context: dict, attribute: str):
    if attribute in context:
        return context[attribute]
    current = context
    parts = attribute.split(".")
    if parts[0] == "user" and "user" not in context:
        parts = parts[1:]  # LaunchDarkly-style `user.region` reads the flat context
    for part in parts:
        if not isinstance(current, dict) or part not in current:
            return _MISSING
        current = current[part]
    return current


def _is_number(value) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool)


def _compare(actual, op: str, expected) -> bool:
    numbers = _is_number(actual) and _is_number(expected)
    mixed = _is_number(actual) != _is_number(expected) and None not in (actual, expected)
    if mixed and op in ("=", "!="):
        actual, expected = str(actual), str(expected)  # a user_id of 42 matches the literal '42'
    if op == "=":
        return actual == expected
    if op == "!=":
        return actual != expected
    if not numbers and (type(actual) is not type(expected) or not isinstance(actual, str)):
        return False
    if op == "<":
        return actual < expected
    if op == "<=":
        return actual <= expected
    if op == ">":
        return actual > expected
    return actual >= expected


def compile_rule(tree, position: Callable[[dict], float | None]) -> Callable[[dict], bool]:
    """Turn a parsed rule into one function of the context, built once per configuration load so an
    evaluation walks no tree and allocates nothing. `position(context)` is the unit's bucket for the
    rule's flag (None: no unit, so `percentage` is missing); it is only called when the rule reaches
    a `percentage` comparison, which spares the hash whenever an earlier condition already failed."""
    kind = tree[0]
    if kind in ("and", "or"):
        parts = tuple(compile_rule(part, position) for part in tree[1])
        return _all_of(parts) if kind == "and" else _any_of(parts)
    if kind == "not":
        inner = compile_rule(tree[1], position)
        return lambda context: not inner(context)
    if tree[1] in BUCKET_ATTRIBUTES:
        if kind == "cmp" and _is_number(tree[3]):
            return _compile_position_comparison(tree, position)
        lookup = _compile_position_lookup(position)
    else:
        lookup = _compile_lookup(tree[1])
    if kind == "in":
        return _compile_in(tree, lookup)
    return _compile_comparison(tree, lookup)


def _all_of(parts):
    """a AND b AND c as a AND (b AND c): nested closures short-circuit without allocating a generator."""
    first, rest = parts[0], parts[1:]
    if not rest:
        return first
    second = _all_of(rest)
    return lambda context: first(context) and second(context)


def _any_of(parts):
    first, rest = parts[0], parts[1:]
    if not rest:
        return first
    second = _any_of(rest)
    return lambda context: first(context) or second(context)


def _compile_lookup(attribute: str):
    if "." in attribute or attribute == "user":
        return lambda context: _lookup(context, attribute)  # nested paths and the `user.` prefix
    return lambda context: context.get(attribute, _MISSING)


def _as_text(value):
    """How a string attribute compares to the literal `value` with `=` (numbers as their text;
    None and booleans never equal a string)."""
    if isinstance(value, str):
        return value
    return str(value) if _is_number(value) else _NEVER_EQUAL


def _compile_comparison(tree, lookup):
    _, _, op, expected = tree
    if op not in ("=", "!="):
        def compare(context):
            actual = lookup(context)
            return actual is not _MISSING and _compare(actual, op, expected)
        return compare
    # Context attributes are mostly strings: compare those directly, anything else the general way.
    text, equal = _as_text(expected), op == "="

    def compare_equality(context):
        actual = lookup(context)
        if actual.__class__ is str:
            return (actual == text) is equal
        return actual is not _MISSING and _compare(actual, op, expected)
    return compare_equality


def _compile_in(tree, lookup):
    _, _, values, negate = tree
    texts = frozenset(text for text in map(_as_text, values) if text is not _NEVER_EQUAL)

    def is_in(context):
        actual = lookup(context)
        if actual.__class__ is str:
            return (actual in texts) is not negate
        if actual is _MISSING:
            return False
        return any(_compare(actual, "=", value) for value in values) is not negate
    return is_in


def _compile_position_lookup(position):
    def lookup(context):
        actual = position(context)
        return _MISSING if actual is None else actual
    return lookup


def _compile_position_comparison(tree, position):
    """`percentage < 25`: the position is a float, so a number literal compares directly."""
    _, _, op, expected = tree
    compare_numbers = _OPERATORS[op]

    def compare_position(context):
        actual = position(context)
        return actual is not None and compare_numbers(actual, expected)
    return compare_position
