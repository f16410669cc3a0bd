"""What a web process does once, after loading the application and before serving."""

import gc

from django.urls import get_resolver


def settle() -> None:
    """Load every view, then put every object alive out of the garbage collector's reach.

    A web process holds some 265,000 objects once Django, the apps and their views are loaded,
    and they live as long as the process. CPython's full collection walks them all, every
    so many requests, holding the interpreter's lock: 94–101 ms measured on the SKP pages
    (docs/deploy.md §11, ninth round), during which no thread of the process serves.
    ``gc.freeze()`` moves them to the permanent generation, which collections skip; what
    the requests allocate is collected as before.
    """
    get_resolver().url_patterns  # noqa: B018 - imports every URLconf and view module
    gc.collect()
    gc.freeze()
