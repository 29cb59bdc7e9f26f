"""Running writers at the same moment, for the PostgreSQL concurrency tests."""

import threading

from django.db import connection


def at_once(fn, items) -> list[Exception]:
    """Run fn(item) for every item in its own thread, all released together; the errors."""
    start = threading.Barrier(len(items))
    errors = []

    def run(item):
        try:
            start.wait(timeout=30)
            fn(item)
        except Exception as exc:  # noqa: BLE001 - asserted by the caller
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors
