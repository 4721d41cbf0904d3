"""Choosing a unit from a long list: past PICK_LIMIT units a select is searched, not scrolled
(a national account has thousands of communes); what is sent is checked against the list."""

from datetime import date

import pytest

from tuyengiao.concerns.forms_triage import ForwardForm, TriageFilterForm
from tuyengiao.org import forms as org_forms
from tuyengiao.org.queries import units_for

pytestmark = pytest.mark.django_db
OPTIONS = "/units/options/"


def options(client, user, **params) -> str:
    """The <option>s the search answers `user` for `params`."""
    client.force_login(user)
    return client.get(OPTIONS, params).content.decode()


def test_a_short_list_is_a_select_of_every_unit_indented(world):
    form = ForwardForm(units=units_for(world.province_manager))
    html = str(form["responsible"])
    assert 'type="search"' not in html
    assert "Xã Hoà An" in html and "Xã Ngân Sơn" in html
    assert "Chi bộ thôn Nà Pài" not in html  # party cells answer no concern
    assert "\u2003Xã Hoà An" in html  # one level below the province


def test_past_the_limit_the_select_lists_only_the_chosen_unit_beside_a_search_box(
    world, monkeypatch
):
    monkeypatch.setattr(org_forms, "PICK_LIMIT", 2)
    form = TriageFilterForm({"unit": world.commune2.pk}, units=units_for(world.province_manager))
    html = str(form["unit"])
    assert 'type="search"' in html and 'aria-label="Tìm đơn vị để chọn"' in html
    assert "cells=0" in html  # the search leaves party cells out, as the list does
    assert "Xã Ngân Sơn – Tỉnh A" in html  # the chosen one, with its parent
    assert "Xã Hoà An" not in html
    assert '<option value="">Tất cả</option>' in html  # a filter may choose none
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit"] == world.commune2


def test_a_unit_sent_from_outside_the_list_is_refused_either_way(world, monkeypatch):
    units = units_for(world.province_manager)
    due = date(2030, 1, 1).strftime("%d/%m/%Y")
    for limit in (300, 2):
        monkeypatch.setattr(org_forms, "PICK_LIMIT", limit)
        for outside in (world.other_commune, world.cell):  # another province; a party cell
            form = ForwardForm({"responsible": outside.pk, "due_on": due}, units=units)
            assert not form.is_valid()
            assert "responsible" in form.errors
        form = ForwardForm({"responsible": world.office.pk, "due_on": due}, units=units)
        assert form.is_valid(), form.errors


def test_the_search_answers_options_of_the_scope_only(world, client):
    manager = world.province_manager
    body = options(client, manager, q="hoa")
    assert f'<option value="{world.commune.pk}">Xã Hoà An – Tỉnh A</option>' in body
    assert "Hòa Bình" not in body  # Tỉnh B's commune: outside the scope
    assert "1 đơn vị tìm được" in body
    assert "Chi bộ thôn Nà Pài" in options(client, manager, q="chi bo")
    assert "Chi bộ" not in options(client, manager, q="chi bo", cells="0")
    none = options(client, manager, q="khong co")
    assert "Không tìm thấy đơn vị nào." in none and '<option value=""' in none
    assert options(client, manager).count("<option") == 1  # nothing typed yet
    neighbour = options(client, world.neighbour, q="hoa")
    assert "Hoà An" not in neighbour and "Xã Hòa Bình – Tỉnh B" in neighbour


def test_units_no_longer_in_force_are_not_offered(world, client):
    from tuyengiao.org.services import unit_dissolve

    assert "Ngân Sơn" in options(client, world.province_manager, q="ngan son")
    unit_dissolve(actor=None, unit=world.commune2, on=date(2020, 1, 1))
    assert "Ngân Sơn" not in options(client, world.province_manager, q="ngan son")
