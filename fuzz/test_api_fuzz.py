"""schemathesis over every operation of /api/v1/openapi.json, as three identities.

Run by `make fuzz` (and so by .ci/run), not by `make test`: this folder is outside the
suite's testpaths. Each operation gets at least MAX_EXAMPLES generated requests (valid and
invalid ones, plus schemathesis' boundary cases), and each request is sent three times to
the WSGI app in process: anonymously, with a resident's bearer token and with a community
worker's, so every identity sees every example and the examples are generated once. The
checks: no answer is a server error (5xx) and every documented answer matches its schema.
"""

import os

import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from zizhi.api import api
from zizhi.wsgi import application

MAX_EXAMPLES = int(os.getenv("ZIZHI_FUZZ_EXAMPLES", "100"))
IDENTITIES = ["anonymous", "resident", "worker"]
CHECKS = [not_a_server_error, response_schema_conformance]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = application

FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    # No shrinking (a failure is reported as found) and the same examples on every run.
    phases=[Phase.explicit, Phase.generate],
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@FUZZ_SETTINGS
def test_api(case, tokens, db):
    for identity in IDENTITIES:
        headers = {}
        if identity != "anonymous":
            headers["Authorization"] = f"Bearer {tokens[identity]}"
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except Exception as exc:
            exc.add_note(f"as {identity}")
            raise
