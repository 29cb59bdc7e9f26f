"""The JSON API under /api/v1/ (django-ninja); each app adds its router."""

from ninja import NinjaAPI

api = NinjaAPI(title="Zizhi API", version="1", urls_namespace="api")
