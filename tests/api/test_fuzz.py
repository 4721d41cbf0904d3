"""Schema fuzzing: every operation of the API, as schemathesis generates requests from the
served schema, valid and invalid, as a province manager of a small populated world.

Nothing may answer 5xx; every answer matches the schema (status documented, content type, body);
every error is JSON in the documented shape, in Vietnamese. Bounded and derandomized, so that CI
is quick and reproducible: FUZZ_EXAMPLES=2000 runs it much harder by hand.
"""

import contextlib
import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.clock import on_day

from .conftest import error_problems

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def strategy_for(operation, ids, mode):
    """Requests for one operation; a detail operation gets the ids that exist as often as
    random ones (random ids mostly find nothing)."""
    strategies = [operation.as_strategy(generation_mode=mode)]
    if "{id}" in operation.path:
        prefix = operation.path.split("{id}")[0]
        strategies += [
            operation.as_strategy(generation_mode=mode, path_parameters={"id": pk})
            for pk in ids.get(prefix, [])
        ]
    return st.one_of(strategies)


def fuzz(operation, strategy, auth) -> list[str]:
    problems = []

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        # Each request in its own savepoint, rolled back: every example sees the same world.
        with transaction.atomic():
            try:
                response = case.call_and_validate(headers=auth, checks=CHECKS)
            except (AssertionError, FailureGroup) as exc:  # schemathesis' failures
                problems.append(f"{case.method} {case.formatted_path}: {str(exc)[:800]}")
                response = None
            transaction.set_rollback(True)
        if response is not None and 400 <= response.status_code < 500:
            try:
                body = response.json()
            except ValueError:
                body = response.text[:200]
            problems.extend(
                f"{case.method} {case.formatted_path}: {p}"
                for p in error_problems(
                    response.status_code, response.headers.get("content-type", [""])[0], body
                )
            )

    with contextlib.suppress(Unsatisfiable):  # nothing to make invalid: no parameter, no body
        run()
    return problems


@pytest.mark.fuzz
@pytest.mark.django_db
@on_day("2026-11-20")  # the oversight objects of the world were made that month
def test_every_operation_answers_as_its_schema_says(populated, in_process_requests):
    auth = {"Authorization": f"Token {populated.token}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", get_wsgi_application(), headers=auth
    )
    problems, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            problems += fuzz(operation, strategy_for(operation, populated.ids, mode), auth)
    assert operations >= 20
    assert not problems, "\n".join(dict.fromkeys(problems))
