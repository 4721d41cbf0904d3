import pytest

from tests.factories import ObligationFactory
from tuyengiao.deadlines.models import Obligation
from tuyengiao.org.context import abilities
from tuyengiao.org.models import Role, Unit, User
from tuyengiao.org.scope import Action, can, outside_office, restrict, roles_for


def test_a_user_sees_only_their_subtree(world):
    visible = set(restrict(Unit.objects.all(), world.commune_staff))
    assert visible == {world.commune, world.cell, world.cell2}
    assert world.province not in visible
    assert set(restrict(Unit.objects.all(), world.neighbour)).isdisjoint(
        set(Unit.objects.subtree(world.province))
    )


def test_scope_applies_to_obligations_and_accounts(world):
    mine = ObligationFactory(unit=world.cell)
    theirs = ObligationFactory(unit=world.other_cell)
    assert list(restrict(Obligation.objects.all(), world.commune_staff)) == [mine]
    assert list(restrict(Obligation.objects.all(), world.neighbour)) == [theirs]
    assert set(restrict(User.objects.all(), world.province_manager, Action.MANAGE_USERS)) == {
        world.province_manager,
        world.province_admin,
        world.commune_staff,
        world.cell_viewer,
        world.collaborator,
    }


def test_roles_decide_the_actions(world):
    assert can(world.cell_viewer, Action.VIEW)
    assert not can(world.cell_viewer, Action.CHANGE)
    assert can(world.commune_staff, Action.CHANGE)
    assert not can(world.commune_staff, Action.MANAGE_USERS)
    assert can(world.province_manager, Action.MANAGE_USERS)
    assert not can(world.province_manager, Action.ADMINISTER)
    assert can(world.province_admin, Action.ADMINISTER)
    assert not restrict(Unit.objects.all(), world.cell_viewer, Action.CHANGE).exists()


def test_an_inactive_or_unattached_account_sees_nothing(world):
    world.commune_staff.is_active = False
    assert not restrict(Unit.objects.all(), world.commune_staff).exists()
    loose = User.objects.create(username="loose")
    assert not restrict(Unit.objects.all(), loose).exists()


def test_a_collaborator_only_reports_concerns(world):
    collaborator = world.collaborator
    assert can(collaborator, Action.REPORT_CONCERN)
    assert [a for a in Action if can(collaborator, a)] == [Action.REPORT_CONCERN]
    assert not restrict(Unit.objects.all(), collaborator).exists()  # reads no unit page
    # ... but reports for their commune and the cells below it.
    assert set(restrict(Unit.objects.all(), collaborator, Action.REPORT_CONCERN)) == {
        world.commune,
        world.cell,
        world.cell2,
    }
    assert outside_office(collaborator)
    for office in (world.cell_viewer, world.commune_staff, world.province_admin):
        assert not outside_office(office)


def test_the_new_actions_follow_the_roles(world):
    assert can(world.province_admin, Action.DEFINE)
    assert not can(world.province_manager, Action.DEFINE)
    for user in (world.commune_staff, world.province_manager, world.province_admin):
        assert can(user, Action.TRIAGE) and can(user, Action.ACT_ON_OBLIGATIONS)
    for user in (world.cell_viewer, world.collaborator):
        assert not can(user, Action.TRIAGE) and not can(user, Action.ACT_ON_OBLIGATIONS)


def test_roles_for_gives_sql_the_policys_roles(world):
    assert roles_for(Action.ACT_ON_OBLIGATIONS) == {Role.STAFF, Role.MANAGER, Role.ADMINISTRATOR}
    assert roles_for(Action.TRIAGE) == {Role.STAFF, Role.MANAGER, Role.ADMINISTRATOR}
    assert roles_for(Action.DEFINE) == {Role.ADMINISTRATOR}
    assert Role.COLLABORATOR in roles_for(Action.REPORT_CONCERN)
    assert Role.COLLABORATOR not in roles_for(Action.VIEW)
    # The same answer as `can` for every role and action, for an account with a unit.
    for role in Role.values:
        user = User(username=role, role=role, unit=world.commune)
        for action in Action:
            assert can(user, action) == (role in roles_for(action)), (role, action)


def test_templates_ask_the_same_policy(rf, world):
    request = rf.get("/")
    request.user = world.province_manager
    may = abilities(request)["may"]
    assert may.view and may.manage_users and not may.define
    request.user = world.collaborator
    may = abilities(request)["may"]
    assert may.report_concern and not may.view
    with pytest.raises(AttributeError):
        may.no_such_action  # noqa: B018 - a template would show it as false
