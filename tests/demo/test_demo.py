"""`make demo` loads the demo province and its accounts; each persona opens on its own page."""

from tuyengiao.deadlines.models import Obligation
from tuyengiao.demo.build import build_demo
from tuyengiao.org.models import User

PERSONAS = {  # username: where the home page takes them
    "admin": "/",
    "tinh.quanly": "/",
    "tinh.chuyenvien": "/",
    "xa.nganson": "/",
    "xa.quanly": "/",
    "chibo.xem": "/",
    "ctv.nganson": "/concerns/new/",
}


def test_the_demo_loads_every_persona_and_a_year_of_work(client, db):
    # On whatever day the clock says: CI runs the suite again with the clock moved.
    accounts = build_demo()
    assert [account.username for account, _user in accounts] == list(PERSONAS)
    assert Obligation.objects.count() > 10_000
    assert Obligation.objects.filter(done_on__isnull=True).exists()
    # outreach: speakers with sessions, some idle, some ending soon; models replicated
    from tuyengiao.outreach import queries as outreach
    from tuyengiao.outreach.models import Exemplar, OutreachSession, Replication

    manager = User.objects.get(username="tinh.quanly")
    assert OutreachSession.objects.count() > 100
    assert outreach.idle_speakers(manager, manager.unit).exists()
    assert outreach.terms_ending(manager, manager.unit).exists()
    assert Exemplar.objects.count() >= 16 and Replication.objects.exists()
    for username, lands_on in PERSONAS.items():
        client.force_login(User.objects.get(username=username))
        response = client.get("/", follow=True)
        assert response.status_code == 200, username
        assert response.request["PATH_INFO"] == lands_on, username
    # Loading it again reuses what exists.
    build_demo()
    assert User.objects.filter(username__in=PERSONAS).count() == len(PERSONAS)
