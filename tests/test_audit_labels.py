"""Every audit action code a service writes has a description in some module's manifest.

The codes are found in the sources (not in a run), so a code on a path no test reaches is
still checked: ``audit.record("x.y", ...)`` literals, and a variable or an f-string whose values
come from the enclosing function's literals, its parameter's default, or the literal arguments
of the calls to that function anywhere in the code.
"""

from __future__ import annotations

import ast
from pathlib import Path

from coordination.audit_labels import actions

ROOT = Path(__file__).resolve().parents[1]
SKIP = {".venv", "tests", "migrations", "bench", "node_modules", "static", "templates"}


def _sources() -> dict[Path, ast.Module]:
    found = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in SKIP or rel.parts[0].startswith("."):
            continue
        found[rel] = ast.parse(path.read_text(encoding="utf-8"))
    return found


def _is_record(call: ast.Call) -> bool:
    f = call.func
    return isinstance(f, ast.Attribute) and f.attr == "record" and \
        isinstance(f.value, ast.Name) and f.value.id == "audit"


def _functions(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def _call_name(call: ast.Call) -> str | None:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


class Resolver:
    def __init__(self, trees):
        self.trees = trees
        #: function name -> [(call, the function the call is in)]
        self.calls: dict[str, list] = {}
        for tree in trees.values():
            for fn in _functions(tree):
                for node in ast.walk(fn):
                    if isinstance(node, ast.Call) and _call_name(node):
                        self.calls.setdefault(_call_name(node), []).append((node, fn))
        self.seen: set = set()

    def param_values(self, fn, name: str) -> set[str]:
        args = fn.args
        positional = [a.arg for a in args.posonlyargs + args.args]
        values = set()
        defaults = dict(zip([a.arg for a in args.args][::-1], args.defaults[::-1], strict=False))
        defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d})
        if isinstance(defaults.get(name), ast.Constant):
            values.add(defaults[name].value)
        index = positional.index(name) if name in positional else None
        if (fn.name, name) in self.seen:  # recursion
            return values
        self.seen.add((fn.name, name))
        for call, caller in self.calls.get(fn.name, []):
            for kw in call.keywords:
                if kw.arg == name:
                    values |= self.literals(kw.value, caller)
            if index is not None and len(call.args) > index:
                values |= self.literals(call.args[index], caller)
        self.seen.discard((fn.name, name))
        return values

    def literals(self, node, fn) -> set[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return self.literals(node.body, fn) | self.literals(node.orelse, fn)
        if isinstance(node, ast.Name) and fn is not None:
            names = [a.arg for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs]
            if node.id in names:
                return self.param_values(fn, node.id)
            values = set()
            for sub in ast.walk(fn):
                if isinstance(sub, ast.Assign) and any(
                        isinstance(t, ast.Name) and t.id == node.id for t in sub.targets):
                    values |= self.literals(sub.value, fn)
            return values
        if isinstance(node, ast.JoinedStr) and fn is not None:
            results = {""}
            for part in node.values:
                options = self.literals(part.value, fn) if isinstance(part, ast.FormattedValue) \
                    else self.literals(part, fn)
                results = {r + o for r in results for o in options}
            return results
        return set()


def written_codes() -> dict[str, str]:
    """code -> the file that writes it."""
    trees = _sources()
    resolver = Resolver(trees)
    codes: dict[str, str] = {}
    for rel, tree in trees.items():
        for fn in _functions(tree):
            for node in ast.walk(fn):
                if isinstance(node, ast.Call) and _is_record(node) and node.args:
                    found = resolver.literals(node.args[0], fn)
                    assert found, f"{rel}:{node.lineno}: cannot tell which audit code this writes"
                    for code in found:
                        codes.setdefault(code, str(rel))
    return codes


def test_every_written_action_code_has_a_description(app):
    codes = written_codes()
    assert {"user.invite", "minutes.adopt", "owes.plan_create", "auth.password_reset"} <= set(codes)
    with app.test_request_context():
        declared = actions()
        missing = {code: path for code, path in codes.items() if code not in declared}
        assert not missing, f"audit codes without a description in a manifest: {missing}"
        assert all(str(label) for label in declared.values())


def test_descriptions_are_polish(app):
    with app.test_request_context(headers={"Accept-Language": "pl"}):
        from flask_babel import force_locale

        with force_locale("pl"):
            assert str(actions()["minutes.adopt"]) == "Przyjęcie protokołu"
