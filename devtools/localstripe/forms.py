"""Stripe's request encoding: `application/x-www-form-urlencoded` with bracketed nesting
(`metadata[cart_id]=..`, `payment_method_types[0]=card`), decoded into dicts and lists."""
import re
from urllib.parse import parse_qsl

_PART = re.compile(r"\[([^\]]*)\]")


def _insert(target: dict, keys: list[str], value: str) -> None:
    for index, key in enumerate(keys):
        last = index == len(keys) - 1
        if last:
            target[key] = value
            return
        target = target.setdefault(key, {})


def _listify(value):
    """Dicts whose keys are all digits (or empty, from `a[]=`) were lists on the client side."""
    if isinstance(value, dict):
        converted = {key: _listify(item) for key, item in value.items()}
        if converted and all(key.isdigit() for key in converted):
            return [converted[key] for key in sorted(converted, key=int)]
        return converted
    return value


def decode_form(body: str) -> dict:
    result: dict = {}
    counters: dict[str, int] = {}
    for raw_key, value in parse_qsl(body, keep_blank_values=True):
        head = raw_key.split("[", 1)[0]
        parts = [head] + _PART.findall(raw_key[len(head):])
        # `a[]=x&a[]=y` → explicit indexes so they do not overwrite each other
        for position, part in enumerate(parts):
            if part == "":
                prefix = "/".join(parts[:position])
                parts[position] = str(counters.get(prefix, 0))
                counters[prefix] = counters.get(prefix, 0) + 1
        _insert(result, parts, value)
    return _listify(result)
