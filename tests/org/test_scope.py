from tests.factories import ObligationFactory
from tuyengiao.deadlines.models import Obligation
from tuyengiao.org.models import Unit, User
from tuyengiao.org.scope import Action, can, restrict


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
