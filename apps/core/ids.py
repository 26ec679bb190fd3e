"""The one public id generator: prefixed, unguessable strings such as `ord_1a2b3c4d5e6f`."""
import secrets

ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def new_public_id(prefix: str, length: int = 12) -> str:
    """Return `<prefix>_<length random chars>`; 36**12 ≈ 4.7e18 values keeps collisions negligible."""
    return f"{prefix}_" + "".join(secrets.choice(ID_ALPHABET) for _ in range(length))
