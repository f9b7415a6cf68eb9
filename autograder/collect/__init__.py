"""Bring a class's submissions into nbgrader's ``submitted/`` layout.

Sources (:mod:`.sources`) turn a folder, an LMS zip download or the nbgrader
exchange into :class:`~.sources.Incoming` items; :mod:`.store` files them,
keeping every older submission and listing everything it could not match.
"""

from .sources import (
    Incoming,
    Rejected,
    detect,
    from_exchange,
    from_folder,
    from_lms_zip,
    read,
)
from .store import CollectReport, store

__all__ = [
    "CollectReport",
    "Incoming",
    "Rejected",
    "detect",
    "from_exchange",
    "from_folder",
    "from_lms_zip",
    "read",
    "store",
]
