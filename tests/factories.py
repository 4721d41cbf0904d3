"""Factories for tests: units go through the service so that their paths are allocated."""

from datetime import date

import factory

from tuyengiao.deadlines.models import Obligation, ObligationKind
from tuyengiao.org.models import Kind, Role, Unit, User
from tuyengiao.org.services import unit_create


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    parent = None
    kind = Kind.COMMITTEE
    code = ""

    @classmethod
    def _create(cls, model_class, *, parent=None, name, kind, code="", level=None, **kwargs):
        return unit_create(actor=None, parent=parent, name=name, kind=kind, code=code, level=level)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.STAFF
    unit = factory.SubFactory(UnitFactory)
    password = factory.PostGenerationMethodCall("set_password", "Mat-khau-2026")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ObligationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Obligation

    unit = factory.SubFactory(UnitFactory)
    unit_path = factory.LazyAttribute(lambda o: o.unit.path)
    kind = ObligationKind.TASK
    title = factory.Sequence(lambda n: f"Việc số {n}")
    due_on = date(2026, 6, 30)
    done_on = None


def send(directive, sender, receivers, plan, sent_on):
    """Send a directive down as the system would (no actor), for tests that need it sent."""
    from tuyengiao.directives.services import directive_send

    return directive_send(
        actor=None,
        directive=directive,
        sender=sender,
        receivers=receivers,
        plan=plan,
        sent_on=sent_on,
    )
