"""Demo data of the mediation app (called by `zizhi demo` after the registry's)."""


def logins() -> list:
    return []


def build(subdistrict, password_hash) -> dict:
    return {}
