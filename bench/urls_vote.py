"""URLconf for bench/vote.py only: the app's URLs plus two bench-only views.

- POST /bench/insert/  inserts one row (table bench_row, made by bench/vote.py): the floor,
  a minimal Django view doing one write through the same server, middleware and database.
- POST /bench/ballot/<poll>/  a stand-in ballot endpoint (bearer token -> do_cast_ballot),
  used only while neither the API ballot route nor the poll-vote page exists.
"""

import json

from django.db import connection
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from zizhi.urls import urlpatterns as app_urlpatterns


@csrf_exempt
def insert_one(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_row (n) VALUES (%s) RETURNING id", [len(request.body)])
        row_id = cursor.fetchone()[0]
    return JsonResponse({"id": row_id}, status=201)


@csrf_exempt
def ballot(request, poll_id):
    from django.core.exceptions import ValidationError

    from zizhi.accounts.api_auth import bearer_auth
    from zizhi.governance import actions
    from zizhi.governance.models import Poll

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    user = bearer_auth.authenticate(request, token)
    if user is None:
        return JsonResponse({"detail": "unauthorized"}, status=401)
    poll = Poll.objects.select_related("item__meeting__body").get(pk=poll_id)
    choice = json.loads(request.body)["choice"]
    key = request.headers.get("Idempotency-Key", "")
    try:
        b = actions.do_cast_ballot(poll, choice, actor=user, idempotency_key=key)
    except actions.AlreadyVoted:
        return JsonResponse({"detail": "already voted"}, status=409)
    except ValidationError as exc:
        return JsonResponse({"detail": " ".join(exc.messages)}, status=400)
    return JsonResponse({"id": b.pk, "choice": b.choice}, status=201)


urlpatterns = [
    path("bench/insert/", insert_one),
    path("bench/ballot/<int:poll_id>/", ballot),
    *app_urlpatterns,
]
