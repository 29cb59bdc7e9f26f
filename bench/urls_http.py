"""URLconf for bench/http_mix.py only: the app's URLs plus the floor, GET /bench/floor/: a bare
Django view that does one small read (the first community's name, one SQL statement) and
answers it as a tiny text, through the same server, middleware and database as the pages."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from zizhi.urls import urlpatterns as app_urlpatterns


def floor(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM registry_community ORDER BY id LIMIT 1")
        row = cursor.fetchone()
    return HttpResponse(row[0] if row else "", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/floor/", floor), *app_urlpatterns]
