"""The greening app's rows of the permission matrix (tests/test_access_matrix.py uses them).

ROUTES: one `Try` per URL name of the app (pages and API); objects(world): the rows of
community HD that they need, reached from a `Try` as `o.greening`.
"""

from .matrix_base import Try

ROUTES: dict[str, Try] = {}


def objects(world):
    return None
