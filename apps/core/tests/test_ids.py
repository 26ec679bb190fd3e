"""new_public_id: the prefix, then `length` characters of the id alphabet, every character equally likely."""
from collections import Counter

from apps.core.ids import ID_ALPHABET, new_public_id


def test_an_id_is_the_prefix_and_length_characters_of_the_alphabet():
    for length in (1, 12, 40):
        public_id = new_public_id("ord", length)
        prefix, _, body = public_id.partition("_")
        assert prefix == "ord" and len(body) == length and set(body) <= set(ID_ALPHABET)


def test_every_character_is_equally_likely():
    # 144,000 characters: 4,000 expected of each, standard deviation ~62 (the bounds are ~4.8 of them); taking
    # every byte modulo 36 would give the first four characters ~4,500
    counts = Counter("".join(new_public_id("x", 36)[2:] for _ in range(4000)))
    assert set(counts) == set(ID_ALPHABET)
    assert all(3_700 <= count <= 4_300 for count in counts.values()), counts


def test_ids_do_not_repeat():
    assert len({new_public_id("ord") for _ in range(10_000)}) == 10_000
