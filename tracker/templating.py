"""The app's Jinja environment: Flask's, with a quicker road to the values of a plain dict; and
compiling every template when a worker starts."""

from __future__ import annotations

from flask.templating import Environment as FlaskEnvironment

# Names a dict answers as attributes (items, get, …): those keep Jinja's way (the method wins).
_DICT_ATTRIBUTES = frozenset(dir(dict))


class Environment(FlaskEnvironment):
    """``row.name`` on a dict row, as Jinja reads it, without its detour.

    Jinja first tries ``getattr(row, "name")``, which for a dict raises and catches an
    AttributeError, and only then ``row["name"]``; the dashboard's tables read thousands of
    fields of dict rows (``tracker.tables.records``) a request. For a plain dict and a name that
    is no attribute of dict, the getattr can only fail, so the value (or Jinja's undefined) is
    looked up at once; everything else goes Jinja's way."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def compile_templates(app) -> int:
    """Compile every template of ``app`` now; how many. Jinja compiles a template on its first
    use: about a second of CPU for all of them, paid by the first requests after each start of
    each worker, just when everyone logs in after a release. ``wsgi.py`` calls this before the
    worker takes requests."""
    names = app.jinja_env.list_templates(extensions=("html", "txt"))
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)
