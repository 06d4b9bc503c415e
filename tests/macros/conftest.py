from tests.tickets.conftest import (  # noqa: F401  -- the same users and ticket helper
    college_a,
    college_b,
    desk,
    make_ticket,
    teacher_a,
)
