"""Every dotted Python name in the docs' code spans names something that exists, and
a documented call names the function's parameters.

A name counts when its first part is one of ours: a package or module of the
repository, reached directly (``localdb.repo.get_rows``) or under the package the
docs' sections speak of (``repo.get_rows`` -> ``localdb.repo``, ``lifecycle.apply`` ->
``console.domain.lifecycle``), or ``ctx`` (an ``AppContext``). The rest of the name
must then resolve attribute by attribute (a dataclass field or an annotated
attribute counts). Names whose first part is not ours (Qt, HTTP paths, JSON) and
file names are left alone. A call written out, ``journal.since(session, seq)``,
must give every parameter the function requires and no name it does not take
(``...`` in the arguments: abridged, not checked).
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "docs").glob("*.md"))

#: where a short first part is looked for, in order
PREFIXES = ("", "console.", "console.domain.", "console.domain.model.", "localdb.", "console.operations.",
            "console.sync.", "console.qt.", "views.", "widgets.")
ALIASES = {"ctx": "console.qt.context.AppContext", "S": "console.settings"}
FILE_SUFFIXES = {"py", "md", "ini", "json", "png", "ts", "qm", "db", "txt", "toml", "svg", "html", "js",
                 "log", "pdf", "csv", "mbtiles", "sh", "yml", "yaml", "cfg", "desktop"}
FENCE = re.compile(r"^```([\w-]*)\n(.*?)^```", re.S | re.M)
SPAN = re.compile(r"`([^`\n]+)`")
DOTTED = re.compile(r"(?<![\w./<>-])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?![\w/-])")
CALL = re.compile(r"(?<![\w./<>-])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)\(([^()]*)\)")
ARG = re.compile(r"^\*{0,2}([A-Za-z_]\w*)\s*(?:=.*|:.*)?$")


def code_texts(md: str) -> list[str]:
    texts = [body for lang, body in FENCE.findall(md) if lang in ("", "python", "text")]
    texts += SPAN.findall(FENCE.sub("", md))
    return texts


def dotted_names(text: str) -> list[str]:
    return [n for n in DOTTED.findall(text) if n.rsplit(".", 1)[1] not in FILE_SUFFIXES]


def _module(name: str) -> Any | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            return None  # this is not a module: try it as an attribute
        raise


def _attr(obj: Any, name: str) -> tuple[bool, Any]:
    if hasattr(obj, name):
        return True, getattr(obj, name)
    if isinstance(obj, type):
        fields = {f.name for f in dataclasses.fields(obj)} if dataclasses.is_dataclass(obj) else set()
        annotated = set()
        for klass in obj.__mro__:
            annotated |= set(getattr(klass, "__annotations__", {}))
        if name in fields or name in annotated:
            return True, None  # a field: its value's attributes are not checked
    if isinstance(obj, type(importlib)):
        sub = _module(f"{obj.__name__}.{name}")
        if sub is not None:
            return True, sub
    return False, None


def _root(first: str) -> tuple[Any, str] | None:
    if first in ALIASES:
        if (mod := _module(ALIASES[first])) is not None:
            return mod, ALIASES[first]
        module, _, cls = ALIASES[first].rpartition(".")
        return getattr(importlib.import_module(module), cls), ALIASES[first]
    for prefix in PREFIXES:
        full = prefix + first
        if (mod := _module(full)) is not None:
            return mod, full
        parent = prefix.rstrip(".")
        if parent and (pkg := _module(parent)) is not None and hasattr(pkg, first):
            return getattr(pkg, first), full
    return None


def _resolve(name: str) -> tuple[str | None, Any, Any]:
    """(why not, the object, its owner); all None when the name is not ours."""
    first, *rest = name.split(".")
    root = _root(first)
    if root is None:
        return None, None, None
    obj, where = root
    owner = None
    for part in rest:
        if obj is None:
            return None, None, None
        found, nxt = _attr(obj, part)
        if not found:
            return f"{where} has no {part!r}", None, None
        owner, obj = obj, nxt
        where += "." + part
    return None, obj, owner


def unresolved(name: str) -> str | None:
    """Why ``name`` does not resolve, or None (also None when it is not ours)."""
    return _resolve(name)[0]


def calls(text: str) -> list[tuple[str, str]]:
    return CALL.findall(text)


def bad_call(name: str, args: str) -> str | None:
    """What a documented call ``name(args)`` gets wrong about the parameters, or None."""
    why, fn, owner = _resolve(name)
    if why or fn is None or "..." in args or not callable(fn) or isinstance(fn, type):
        return None
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return None
    if isinstance(owner, type) and isinstance(inspect.getattr_static(owner, name.rsplit(".", 1)[1]),
                                              type(bad_call)):
        params = params[1:]  # a method named on its class: self is not written
    given = []
    for raw in (a.strip() for a in args.split(",") if a.strip()):
        m = ARG.match(raw)
        if m is None:
            return None  # an expression, not a parameter list
        given.append(m.group(1))
    names = {p.name for p in params}
    takes_any = any(p.kind is p.VAR_KEYWORD for p in params)
    takes_more = any(p.kind is p.VAR_POSITIONAL for p in params)
    required = [p.name for p in params if p.default is p.empty
                and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    missing = [n for n in required if n not in given]
    unknown = [g for g in given if g not in names and not (takes_any or takes_more)]
    if missing or unknown:
        return (f"{name}({args}): the function is {name.rsplit('.', 1)[1]}{inspect.signature(fn)}"
                + (f"; missing {missing}" if missing else "") + (f"; no parameter {unknown}" if unknown else ""))
    return None


def test_the_checker_tells_a_real_name_from_a_missing_one():
    assert unresolved("localdb.repo.get_rows") is None
    assert unresolved("repo.get_rows") is None
    assert unresolved("ctx.run_action") is None and unresolved("ctx.store") is None
    assert unresolved("repo.query_tickets") == "localdb.repo has no 'query_tickets'"
    assert unresolved("ctx.no_such_member") is not None
    assert unresolved("QCoreApplication.translate") is None  # not ours
    assert dotted_names("see `console/app.py` and <data>/logs/console.log") == []
    assert bad_call("journal.since", "session, seq") is None
    assert "missing ['session']" in bad_call("journal.since", "seq")
    assert "no parameter ['when']" in bad_call("journal.since", "session, seq, when")
    assert bad_call("localdb.Store.session", "") is None


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_dotted_names_in_the_docs_resolve(doc):
    texts = code_texts(doc.read_text(encoding="utf-8"))
    problems = sorted({f"{name}: {why}" for text in texts
                       for name in dotted_names(text) if (why := unresolved(name))})
    problems += sorted({why for text in texts for name, args in calls(text) if (why := bad_call(name, args))})
    assert not problems, f"{doc.name} names what does not exist:\n" + "\n".join(problems)
