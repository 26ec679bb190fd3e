"""The targeting rule language: a small, safe expression language over context attributes.

    region = 'us-east-1' AND percentage < 5
    device IN ('mobile', 'tablet') AND NOT country = 'FR'
    (plan = "pro" OR user.beta = true) AND app_version >= 3.8

Parsed once into a tuple tree (no `eval`, no attribute access on Python objects: only dict
lookups into the evaluation context). `percentage` (alias `random_percentage`) is the unit's
stable bucket for the flag, 0 ≤ percentage < 100. A comparison on a missing attribute is false.
"""
import re
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


def _lookup(context: dict, attribute: str, bucket: float | None):
    if attribute in BUCKET_ATTRIBUTES:
        return _MISSING if bucket is None else bucket
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


def matches(tree, context: dict, bucket: float | None = None) -> bool:
    """Evaluate a parsed rule against a context; `bucket` is the unit's percentage for this flag."""
    kind = tree[0]
    if kind == "and":
        return all(matches(part, context, bucket) for part in tree[1])
    if kind == "or":
        return any(matches(part, context, bucket) for part in tree[1])
    if kind == "not":
        return not matches(tree[1], context, bucket)
    actual = _lookup(context, tree[1], bucket)
    if actual is _MISSING:
        return False
    if kind == "in":
        found = any(_compare(actual, "=", value) for value in tree[2])
        return found != tree[3]
    return _compare(actual, tree[2], tree[3])


def uses_bucket(tree) -> bool:
    """Whether the rule reads `percentage` (so evaluation needs a unit id)."""
    if tree[0] in ("and", "or"):
        return any(uses_bucket(part) for part in tree[1])
    if tree[0] == "not":
        return uses_bucket(tree[1])
    return tree[1] in BUCKET_ATTRIBUTES
