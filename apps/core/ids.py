"""The one public id generator: prefixed, unguessable strings such as `ord_1a2b3c4d5e6f`."""
import secrets

ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
# The largest multiple of the alphabet's size that fits a byte: bytes at or above it are dropped, so every
# character stays equally likely.
_UNBIASED_BELOW = 256 // len(ID_ALPHABET) * len(ID_ALPHABET)


def new_public_id(prefix: str, length: int = 12) -> str:
    """Return `<prefix>_<length random chars>`; 36**12 ≈ 4.7e18 values keeps collisions negligible. One read
    of the OS's random source (a few bytes spare for those dropped), not one per character."""
    chars: list[str] = []
    while len(chars) < length:
        chars += [ID_ALPHABET[byte % len(ID_ALPHABET)] for byte in secrets.token_bytes(length + 4)
                  if byte < _UNBIASED_BELOW]
    return f"{prefix}_" + "".join(chars[:length])
