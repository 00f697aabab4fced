"""Bus messages that pack many events: one type each, in order, bounded, named by their content."""

from __future__ import annotations

import pytest

from athlos.core.events import Event
from athlos.core.events.jetstream import message_id, packed_messages
from athlos.core.events.outbox import PACK_BYTES, PACK_EVENTS, unpack


def test_events_are_packed_by_type_in_order_and_come_back_whole() -> None:
    events = [
        Event(type=f"probe.{'ab'[n % 2]}", key=str(n), payload={"n": n}) for n in range(2 * PACK_EVENTS + 7)
    ]
    messages = list(packed_messages(events))

    assert all(len(unpack(data)) <= PACK_EVENTS for _, data in messages)
    for event_type in ("probe.a", "probe.b"):
        sent = [event for event in events if event.type == event_type]
        received = [event for kind, data in messages if kind == event_type for event in unpack(data)]
        assert received == sent


def test_large_payloads_are_split_until_each_message_fits() -> None:
    events = [Event(type="probe.big", key=str(n), payload={"blob": "x" * 50_000}) for n in range(20)]
    messages = [data for _, data in packed_messages(events)]

    assert len(messages) > 1
    assert all(len(data) <= PACK_BYTES for data in messages)
    assert [event for data in messages for event in unpack(data)] == events


def test_a_single_event_message_still_decodes() -> None:
    event = Event(type="probe.one", key="k", payload={"a": [1, 2]})
    assert unpack(event.to_message()) == [event]


@pytest.mark.parametrize("data", [b"[]", b"{}", b"not json", b"[1]"])
def test_a_message_without_events_is_refused(data: bytes) -> None:
    with pytest.raises((ValueError, KeyError, TypeError)):
        unpack(data)


def test_the_message_id_names_the_content() -> None:
    first, second = (Event(type="probe.a", key=str(n), payload={}) for n in range(2))
    ((_, both),) = packed_messages([first, second])
    ((_, again),) = packed_messages([first, second])
    ((_, alone),) = packed_messages([first])

    # Republished after a crash: the same id, dropped by the server. Other events: another id.
    assert message_id(both) == message_id(again)
    assert message_id(both) != message_id(alone)
