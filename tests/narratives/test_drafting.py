"""The draft is written from the data: every number is a fact of its paragraph, shortcomings
come from the records, a parent's draft lists its children's named shortcomings."""

from datetime import date

from tests.narratives.conftest import QUARTER, TODAY, report_of, sent, work
from tuyengiao.narratives import checking
from tuyengiao.narratives.drafting import draft, section_text, subject


def by_key(sections):
    return {s["key"]: s for s in sections}


def test_the_draft_counts_the_quarter_and_names_the_late(schedule):
    world = schedule
    work(world)
    sections = by_key(draft(world.province_manager, world.province, QUARTER, TODAY))
    assert sections["p1"]["heading"].startswith("Phần thứ nhất")
    assert "QUÝ III/2026" in sections["p1"]["heading"]
    outreach = sections["p1-i-tuyen-truyen-mieng"]
    text = section_text(outreach)
    assert "2 buổi" in text and "200 lượt người nghe" in text
    facts = outreach["paragraphs"][0]["facts"]
    assert facts["sessions"] == 2 and facts["audience"] == 200
    assert outreach["paragraphs"][0]["link"].startswith("/outreach/sessions/?unit=")
    shortcomings = section_text(sections["p1-ii-data"])
    assert world.commune2.name in shortcomings and "Nhiệm vụ khác" in shortcomings
    # Part two: what falls due next quarter
    assert "PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ IV/2026" in sections["p2"]["heading"]
    assert "Tổ chức hội nghị báo cáo viên" in section_text(sections["p2-due"])
    assert subject(QUARTER) == (
        "Kết quả công tác tuyên giáo và dân vận quý III/2026 và phương hướng, nhiệm vụ quý IV/2026"
    )


def test_a_drafted_text_has_no_flag_and_a_changed_number_is_flagged(schedule):
    world = schedule
    work(world)
    for s in draft(world.province_manager, world.province, QUARTER, TODAY):
        assert checking.flags({**s, "text": section_text(s)}) == [], s["key"]
    outreach = by_key(draft(world.province_manager, world.province, QUARTER, TODAY))[
        "p1-i-tuyen-truyen-mieng"
    ]
    edited = {**outreach, "text": section_text(outreach).replace("200 lượt", "250 lượt")}
    found = checking.flags(edited)
    assert len(found) == 1 and "250" in found[0].reason


def test_the_parent_lists_each_childs_named_shortcomings_and_who_sent(schedule):
    world = schedule
    work(world)
    sent(world.province_manager, world.commune2, date(2026, 10, 9))  # late (due 05/10)
    sections = by_key(draft(world.province_manager, world.province, QUARTER, TODAY))
    children = section_text(sections["p1-ii-children"])
    assert "1/2 đơn vị cấp dưới đã gửi báo cáo (0 đúng hạn, 1 trễ hạn)" in children
    # the child's headline, quoted with its numbers as facts (no flag), not its items
    assert f"- {world.commune2.name}:\n+ 1 đơn vị thực hiện trễ hạn" in children
    assert "Việc A" not in children and "Nhiệm vụ khác" not in children
    section = sections["p1-ii-children"]
    assert checking.flags({**section, "text": section_text(section)}) == []
    rows = sections["p1-ii-children"]["tables"][0]["rows"]
    assert [world.commune2.name, "Hoàn thành trễ hạn", "09/10/2026", "12-BC/ĐU"] in rows
    assert report_of(world.commune).is_sent is False


def test_the_draft_reads_a_bounded_number_of_queries(schedule, django_assert_max_num_queries):
    """One grouped read per family of facts, whatever the number of children."""
    world = schedule
    work(world)
    with django_assert_max_num_queries(45):
        draft(world.province_manager, world.province, QUARTER, TODAY)
