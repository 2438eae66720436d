import gc

from tracker import create_app

app = create_app()

# What the app built at start-up (imports, templates, the URL map) lives as long as the worker:
# frozen, the garbage collector's full passes during a request no longer walk it, which took
# tens of milliseconds off a dashboard built fresh (bench/run.py does the same).
gc.collect()
gc.freeze()
