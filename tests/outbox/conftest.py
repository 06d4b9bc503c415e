import pytest

from outbox.registry import _handlers, handler


@pytest.fixture
def flaky_kind():
    """A kind whose delivery fails while `state["down"]`; records each delivery."""
    state = {"down": False, "delivered": []}

    @handler("test.flaky")
    def deliver(payload):
        if state["down"]:
            raise ConnectionRefusedError("receiver is down")
        state["delivered"].append(payload)

    yield state
    _handlers.pop("test.flaky", None)
