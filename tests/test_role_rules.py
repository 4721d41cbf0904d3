"""Role rules live in org/scope.py alone: no module outside org/ and no template compares a role.

Code asks `can(user, Action.X)`, templates `may.x`, and a query that picks people by role in SQL
takes the roles from `roles_for(Action.X)`. The demo modules may name roles: they give the demo's
accounts their roles and decide nothing by them. The planted snippets show each check failing.
"""

import ast
import re
from pathlib import Path

import pytest

import tuyengiao
from tuyengiao.org.models import Role
from tuyengiao.org.scope import Action

SRC = Path(tuyengiao.__file__).parent
ROLE_NAMES = frozenset(Role.values)
ROLE_LOOKUP = re.compile(r"(^|__)role(__\w+)?$")  # role=, role__in=, unit__users__role__in=
POLICY = "roles_for"


def _is_policy_call(node) -> bool:
    func = getattr(node, "func", None)
    return isinstance(node, ast.Call) and POLICY in (
        getattr(func, "id", ""),
        getattr(func, "attr", ""),
    )


def _names_a_role(node) -> bool:
    """`x.role`, `getattr(x, "role")`, a role spelled out ("collaborator", Role.STAFF), or a
    tuple, list or set of them."""
    if isinstance(node, ast.Attribute):
        return node.attr == "role" or (isinstance(node.value, ast.Name) and node.value.id == "Role")
    if isinstance(node, ast.Call):
        func = node.func
        return (
            isinstance(func, ast.Name)
            and func.id == "getattr"
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value == "role"
        )
    if isinstance(node, ast.Constant):
        return node.value in ROLE_NAMES
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_names_a_role(element) for element in node.elts)
    return False


def _imported(node: ast.ImportFrom) -> set[str]:
    return {alias.name for alias in node.names}


def python_violations(source: str, *, demo: bool = False) -> list[str]:
    """Where a module outside org/ decides by role."""
    tree = ast.parse(source)
    # Names bound to the policy's answer (RECIPIENT_ROLES = roles_for(...)) may filter by role.
    derived = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and _is_policy_call(node.value)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        if isinstance(node, ast.Compare):
            if any(_names_a_role(side) for side in (node.left, *node.comparators)):
                found.append(f"line {line}: compares a role")
        elif isinstance(node, ast.Call):
            if _names_a_role(node) and not demo:
                found.append(f"line {line}: reads a role with getattr")
            for keyword in node.keywords:
                if not keyword.arg or not ROLE_LOOKUP.search(keyword.arg):
                    continue
                value = keyword.value
                policy = _is_policy_call(value) or getattr(value, "id", None) in derived
                if "__" in keyword.arg and not policy:
                    found.append(f"line {line}: filters by role ({keyword.arg}) not from roles_for")
                elif isinstance(value, ast.Constant) and value.value in ROLE_NAMES:
                    found.append(f"line {line}: writes a role out ({keyword.arg}={value.value!r})")
        elif isinstance(node, ast.Attribute) and node.attr == "is_superuser":
            found.append(f"line {line}: checks is_superuser (the policy's to say)")
        elif isinstance(node, ast.Name) and node.id == "Role" and not demo:
            found.append(f"line {line}: uses Role outside org/")
        elif isinstance(node, ast.ImportFrom) and not demo and "Role" in _imported(node):
            found.append(f"line {line}: imports Role outside org/")
    return found


TEMPLATE_TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
ROLE_IN_TAG = [
    (re.compile(r"\.role\b"), "reads a role"),
    (re.compile(r"\bis_superuser\b"), "checks is_superuser"),
    (re.compile(r"""["'](%s)["']""" % "|".join(sorted(ROLE_NAMES))), "names a role"),
]


def template_violations(text: str) -> list[str]:
    found = []
    for tag in TEMPLATE_TAG.findall(text):
        found += [f"{what}: {tag}" for pattern, what in ROLE_IN_TAG if pattern.search(tag)]
    return found


def _modules():
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC)
        if relative.parts[0] == "org" or "migrations" in relative.parts:
            continue  # org/ owns the policy (and its account pages assign roles)
        yield relative, path


def test_no_module_outside_org_compares_a_role():
    found = {
        str(relative): problems
        for relative, path in _modules()
        if (problems := python_violations(path.read_text(), demo=relative.parts[0] == "demo"))
    }
    assert found == {}


def test_no_template_compares_a_role():
    found = {
        str(path.relative_to(SRC)): problems
        for path in sorted(SRC.rglob("*.html"))
        if (problems := template_violations(path.read_text()))
    }
    assert found == {}


def test_templates_ask_only_actions_that_exist():
    """`may.<action>` of an unknown action would be silently false."""
    asked = {
        name
        for path in SRC.rglob("*.html")
        for tag in TEMPLATE_TAG.findall(path.read_text())
        for name in re.findall(r"\bmay\.(\w+)", tag)
    }
    assert asked and asked <= {action.value for action in Action}


@pytest.mark.parametrize(
    "snippet",
    [
        'if request.user.role == "collaborator":\n    pass',
        "if user.role != Role.VIEWER:\n    pass",
        'allowed = user.role in ("manager", "administrator")',
        'ok = getattr(user, "role", None) == Role.COLLABORATOR',
        'ok = "staff" == user.role',
        "User.objects.filter(role__in=(Role.STAFF, Role.MANAGER))",
        "User.objects.filter(role__in=OFFICE)",
        'Obligation.objects.filter(unit__users__role="staff")',
        'User.objects.filter(role="manager")',
        "ok = actor.is_superuser or actor.may",
        "from tuyengiao.org.models import Role",
        "ROLES = (Role.STAFF,)",
    ],
)
def test_a_planted_role_comparison_is_found(snippet):
    assert python_violations(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "if can(user, Action.DEFINE):\n    pass",
        "User.objects.filter(role__in=roles_for(Action.TRIAGE))",
        "WHO = roles_for(Action.ACT_ON_OBLIGATIONS)\nq.filter(unit__users__role__in=WHO)",
        "label = user.get_role_display()",
        'report.state == "new"',
    ],
)
def test_what_asks_the_policy_is_not_flagged(snippet):
    assert python_violations(snippet) == []


def test_demo_data_may_give_roles_but_not_decide_by_them():
    assert python_violations('User(username="ctv", role=Role.COLLABORATOR)', demo=True) == []
    assert python_violations('if user.role == "staff":\n    pass', demo=True)


@pytest.mark.parametrize(
    "snippet",
    [
        '{% if user.role != "collaborator" %}<a href="/deadlines/">x</a>{% endif %}',
        "{% if user.is_superuser %}x{% endif %}",
        "{% if request.user.role == 'manager' %}x{% endif %}",
        '{% include "x.html" with who="administrator" %}',
    ],
)
def test_a_planted_template_role_comparison_is_found(snippet):
    assert template_violations(snippet)


def test_templates_asking_the_policy_are_not_flagged():
    text = '{% if may.view %}<a role="navigation">x</a>{% endif %}{{ user.get_role_display }}'
    assert template_violations(text) == []
