"""What the API fuzz (fuzz/, `make fuzz`) found, each kept as a small, fast test."""

import sys
from collections import defaultdict

import pydantic

from zizhi.api import api

API = "/api/v1"


def _api_models():
    """Every pydantic model of the routers' modules, by its class name."""
    found = defaultdict(set)
    for name, module in list(sys.modules.items()):
        if not name.startswith("zizhi.") or module is None:
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, pydantic.BaseModel)
                and value.__module__ == name
            ):
                found[value.__name__].add(f"{name}.{value.__qualname__}")
    return found


def test_every_api_schema_has_a_name_of_its_own():
    """The OpenAPI document names a component after its class; two classes of one name
    (StepOut of matters and of suggestions, EntryOut of the ledger and of the Moral Bank...)
    share one entry, so the document described one app's answers with the other's fields."""
    assert api  # every router imported
    clashes = {name: paths for name, paths in _api_models().items() if len(paths) > 1}
    assert clashes == {}


def test_openapi_components_describe_their_own_answers(client):
    """The matter's steps and the suggestion's steps, the ledger's entries and the Moral
    Bank's, are each documented with their own fields."""
    components = client.get(f"{API}/openapi.json").json()["components"]["schemas"]
    fields = {name: set(schema.get("properties", {})) for name, schema in components.items()}
    assert {"move", "from_state", "to_state"} <= fields["StepOut"]
    assert {"status", "status_label"} <= fields["SuggestionStepOut"]
    assert {"direction", "amount_fen", "counterparty"} <= fields["EntryOut"]
    assert {"number", "kind", "lines"} <= fields["BankEntryOut"]
