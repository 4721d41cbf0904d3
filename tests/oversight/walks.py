"""For both walks (tests/scope/test_walk.py, tests/test_permissions.py): the routes of the
oversight API and of the oversight pages added with it (conferences, documents), and which
object of `conftest.marked` each takes (`pick`)."""

# API routes with an id → the object of `marked`.
API_OBJECTS = {
    "inspection-plan-detail": "plan",
    "inspection-plan-items": "plan",
    "inspection-detail": "inspection",
    "inspection-announce": "inspection",
    "inspection-self-report": "inspection",
    "inspection-record": "inspection",
    "inspection-record-file": "inspection",
    "inspection-conclude": "inspection",
    "conclusion-detail": "conclusion",
    "recommendation-detail": "recommendation",
    "recommendation-report": "recommendation",
    "recommendation-accept": "recommendation",
    "recommendation-return": "recommendation",
    "recommendation-evidence": "recommendation",
    "conference-detail": "conference",
    "conference-tasks": "conference",
}

# Page routes with an id → the object of `marked`.
PAGE_OBJECTS = {
    "conference_edit": "conference",
    "conference_tasks": "conference",
    "conclusion_docx": "inspection",
    "plan_xlsx": "plan",
}


def pick(objects: dict, name: str):
    """The object `name` of what `marked` made (the conclusion is its inspection's)."""
    if name == "conclusion":
        return objects["inspection"].conclusion
    return objects[name]
