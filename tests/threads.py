"""Requests released at once from several threads, each on its own database connection."""

import threading

from django.db import connection

THREADS = 4


def together(work, count: int = THREADS) -> list[Exception]:
    """Run `work(index)` in threads released at once, each on its own connection."""
    barrier = threading.Barrier(count)
    errors: list[Exception] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            work(index)
        except Exception as error:  # reported by the test, whatever it is
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors
