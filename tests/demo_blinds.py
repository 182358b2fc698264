"""The blinds of the demo house, and how fast the blind tests make them travel.

Shared by the simulator's blind tests (``tests/simulator``) and the library's
(``tests/vbox``): each has its own ``sim`` fixture, a simulator whose blinds take ``TRAVEL``.
"""

TRAVEL = 1.0
"""Seconds from closed to fully open: a position report every 0.1 s, 10 % apart."""

# Blinds of the demo house: (node, key).
CLOSED = (11, 0)
OPEN = (4, 0)
PART_WAY = (4, 1)  # at 40
