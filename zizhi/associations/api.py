"""The associations API: one router per area, mounted in zizhi/api.py."""

from ninja import Router

from .activity_api import router as activity_router
from .association_api import router as association_router
from .record_api import router as record_router

router = Router(tags=["associations"])
router.add_router("/", association_router)
router.add_router("/", activity_router)
router.add_router("/", record_router)
