import gc

from tracker import create_app
from tracker.templating import compile_templates

app = create_app()
compile_templates(app)

# What the app built at start-up (imports, the compiled templates, the URL map) lives as long as
# the worker: frozen, the garbage collector's full passes during a request no longer walk it,
# which took tens of milliseconds off a dashboard built fresh (bench/run.py does the same).
gc.collect()
gc.freeze()
