from __future__ import annotations

import pytest

from vidgate.domain import InvalidRequest, is_job_id, new_job_id, parse_video_id


def test_new_ids_sort_in_creation_order_even_within_a_millisecond() -> None:
    ids = [new_job_id() for _ in range(2000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(is_job_id(i) for i in ids)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("video_01JD3Z8Q7W6X5V4T3S2R1P0N9M:local", ("video_01JD3Z8Q7W6X5V4T3S2R1P0N9M", "local")),
        ("task:with:colons:runway", ("task:with:colons", "runway")),  # provider ids may hold ':'
    ],
)
def test_parse_splits_on_the_last_colon(value: str, expected: tuple[str, str]) -> None:
    assert tuple(parse_video_id(value)) == expected


@pytest.mark.parametrize("value", ["abc", ":local", "abc:", "", "abc:LOCAL", "abc:../x", "a:" + "p" * 41])
def test_malformed_ids_are_400_with_the_format_in_the_message(value: str) -> None:
    with pytest.raises(InvalidRequest) as err:
        parse_video_id(value)
    assert isinstance(err.value, InvalidRequest)
    assert err.value.code == "invalid_video_id"
    assert "id:provider" in err.value.message or "invalid provider" in err.value.message


@pytest.mark.parametrize(
    "value", ["video_../../etc", "video_01JD3Z8Q7W6X5V4T3S2R1P0N9", "x" * 200, "video_\x00"]
)
def test_only_our_own_ids_count_as_job_ids(value: str) -> None:
    assert not is_job_id(value)
