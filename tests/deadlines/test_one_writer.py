"""Obligations have one writer: only `deadlines/` creates, changes and deletes them.

Every module of the project outside `deadlines/` is parsed (not grepped) and must not write
`Obligation`: no construction, no write through its manager, a queryset or a related manager
(create, bulk_create, update, bulk_update, delete, get_or_create, update_or_create), no
`.save()` or `.delete()` on an obligation, and no handing the model itself to other code that
could write it (a generic "update many" helper). Reads are fine. The checker is tested on
planted violations, so that it can fail.
"""

import ast
from pathlib import Path

import pytest

import tuyengiao

PACKAGE = Path(tuyengiao.__file__).parent
WRITER = PACKAGE / "deadlines"

WRITES = frozenset(
    {
        "save",
        "delete",
        "create",
        "bulk_create",
        "update",
        "bulk_update",
        "get_or_create",
        "update_or_create",
        "_raw_delete",
        "_insert",
        "_update",
    }
)
# What may be given the model class itself: they only read it.
READERS_OF_THE_MODEL = frozenset({"isinstance", "issubclass", "get_for_model", "get_for_models"})
MODEL = "Obligation"


def _is_model_lookup(node: ast.AST) -> bool:
    """`apps.get_model("deadlines", "Obligation")` or `apps.get_model("deadlines.Obligation")`."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    if node.func.attr != "get_model":
        return False
    names = [a.value for a in node.args if isinstance(a, ast.Constant)]
    return MODEL in names or "deadlines.Obligation" in names


class _Checker(ast.NodeVisitor):
    """Collects the writes of one module, with their line numbers.

    Which names are the model: its imports (aliases included) and `apps.get_model` results.
    Which expressions are obligations or querysets of them: anything reached from the model,
    from an attribute or a name that says "obligation" (`step.obligation`, `unit.obligations`,
    `obligation`), or from a name bound to one of those in the same function.
    """

    def __init__(self):
        self.models: set[str] = set()
        self.scopes: list[set[str]] = [set()]
        self.found: list[str] = []

    # Names ------------------------------------------------------------------------------------

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name == MODEL:
                self.models.add(alias.asname or alias.name)
        self.generic_visit(node)

    def _bind(self, target: ast.AST, value: ast.AST) -> None:
        if _is_model_lookup(value) and isinstance(target, ast.Name):
            self.models.add(target.id)
        elif self._is_obligation(value):
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    self.scopes[-1].add(name.id)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._bind(target, node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value)
        self.generic_visit(node)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._bind(node.target, node.value)
        self.generic_visit(node)

    def visit_For(self, node: ast.For) -> None:
        self._bind(node.target, node.iter)
        self.generic_visit(node)

    def visit_comprehension(self, node: ast.comprehension) -> None:
        self._bind(node.target, node.iter)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.scopes.append(set(self.scopes[0]))
        self.generic_visit(node)
        self.scopes.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def _is_model(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.models
        if isinstance(node, ast.Attribute):
            return node.attr == MODEL
        return _is_model_lookup(node)

    def _is_obligation(self, node: ast.AST) -> bool:
        """Whether the expression is (or is reached from) the model, an obligation or a
        queryset of them: walks down the chain of attributes, calls and subscripts."""
        while True:
            if self._is_model(node):
                return True
            if isinstance(node, ast.Name):
                return "obligation" in node.id.lower() or node.id in self.scopes[-1]
            if isinstance(node, ast.Attribute):
                if "obligation" in node.attr.lower() and not node.attr.endswith("_id"):
                    return True
                node = node.value
            elif isinstance(node, ast.Call):
                node = node.func
            elif isinstance(node, ast.Subscript):
                node = node.value
            else:
                return False

    # Writes -----------------------------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if self._is_model(func):
            self.found.append(f"line {node.lineno}: constructs an Obligation")
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in WRITES
            and self._is_obligation(func.value)
        ):
            self.found.append(f"line {node.lineno}: .{func.attr}() on obligations")
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in READERS_OF_THE_MODEL:
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                if self._is_model(arg):
                    self.found.append(f"line {node.lineno}: hands the Obligation model to {name}")
        self.generic_visit(node)


def writes_of_obligation(source: str) -> list[str]:
    """Where `source` (a module's text) writes obligations, as 'line N: what'."""
    checker = _Checker()
    checker.visit(ast.parse(source))
    return checker.found


def modules_outside_deadlines() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if WRITER not in p.parents)


def test_no_module_outside_deadlines_writes_obligations():
    modules = modules_outside_deadlines()
    assert len(modules) > 50  # the walk found the project, not an empty folder
    found = {
        str(path.relative_to(PACKAGE)): writes
        for path in modules
        if (writes := writes_of_obligation(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "only deadlines/services.py writes obligations: call it instead"


IMPORT = "from tuyengiao.deadlines.models import Obligation\n"

PLANTED = {
    "create": IMPORT + "Obligation.objects.create(unit=unit, title='x')",
    "bulk_create": IMPORT + "Obligation.objects.bulk_create(items, batch_size=2000)",
    "queryset update": IMPORT + "Obligation.objects.filter(pk=1).update(done_on=day)",
    "bulk_update": IMPORT + "Obligation.objects.bulk_update(rows, ['done_on'])",
    "queryset delete": IMPORT + "Obligation.objects.filter(unit=u).exclude(kind='r').delete()",
    "get_or_create": IMPORT + "Obligation.objects.get_or_create(unit=u)",
    "update_or_create": IMPORT + "Obligation.objects.update_or_create(unit=u)",
    "construction": IMPORT + "item = Obligation(unit=u, title='x')",
    "aliased import": "from tuyengiao.deadlines.models import Obligation as Owed\n"
    "Owed.objects.all().delete()",
    "module attribute": "from tuyengiao.deadlines import models\n"
    "models.Obligation.objects.update(done_on=None)",
    "apps.get_model": "def merge(target):\n"
    "    Ob = apps.get_model('deadlines', 'Obligation')\n"
    "    Ob.objects.filter(unit=u).update(unit=target)",
    "apps.get_model inline": "apps.get_model('deadlines.Obligation').objects.all().delete()",
    "instance save": "def record(step):\n"
    "    step.obligation.done_on = step.done_on\n"
    "    step.obligation.save(update_fields=['done_on'])",
    "instance delete through a name": "def reroute(concern):\n"
    "    old = concern.obligation\n"
    "    old.delete()",
    "instances of a queryset": IMPORT + "for item in Obligation.objects.filter(unit=u):\n"
    "    item.save()",
    "related manager": "unit.obligations.create(title='x')",
    "related queryset": "unit.obligations.filter(done_on=None).update(done_on=day)",
    "model handed to a helper": IMPORT + "_update_many(Obligation, ['done_on'], rows)",
}


@pytest.mark.parametrize("source", PLANTED.values(), ids=PLANTED.keys())
def test_the_checker_catches_a_planted_write(source):
    assert writes_of_obligation(source) != []


READS = {
    "filters and states": IMPORT + "Obligation.objects.filter(unit=u).in_state(s).count()",
    "a subquery": IMPORT + "Report.objects.filter(obligation__in=Obligation.objects.all())",
    "another model's write naming the field": "Report.objects.filter(obligation__isnull=True)"
    ".update(state='draft')",
    "an instance read": "def due(step):\n    return step.obligation.state_on(today)",
    "pointing a record to its obligation": "def link(concern, o):\n"
    "    concern.obligation = o\n    concern.save()",
    "the deadlines services": "obligations_delete(actor=a, obligations=[o], verb='reroute')",
    "a type check": IMPORT + "assert isinstance(x, Obligation)",
    "the content type": IMPORT + "ContentType.objects.get_for_model(Obligation)",
    "an id": "Concern.objects.filter(pk=c.obligation_id).update(state='x')",
}


@pytest.mark.parametrize("source", READS.values(), ids=READS.keys())
def test_the_checker_lets_reads_pass(source):
    assert writes_of_obligation(source) == []


def test_the_checker_names_the_line():
    source = IMPORT + "\n\nObligation.objects.bulk_create(items)\n"
    assert writes_of_obligation(source) == ["line 4: .bulk_create() on obligations"]
