"""The dispatch suggestion (智能派单) and past cases (案例派单), below Qt."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain import dispatch_advice as adv

NOW = 1_795_300_000.0


def _row(i: int, dept: str, *, micro: str = "M001", days_ago: float = 5, text: str = "小区门口井盖缺失",
         rework: int = 0) -> dict:
    closed = NOW - days_ago * 86400
    return {"id": f"t{i}", "number": f"HP{i:05d}", "department_id": dept, "grid_micro": micro,
            "description": text, "address": "", "clock_start": closed - 6 * 3600, "created_at": closed - 7 * 3600,
            "closed_at": closed, "closed_on_time": True, "rework_count": rework}


def test_with_no_past_case_the_matrix_leads_and_says_so():
    ranked = adv.rank("D01", [], loads={"D01": 3}, on_time={"D01": 0.9})
    assert [s.department_id for s in ranked] == ["D01"]
    assert ranked[0].reasons[0].startswith("责任矩阵") and "按期结案率 90%" in ranked[0].reasons[-1]


def test_past_cases_here_outweigh_a_stale_matrix():
    rows = [_row(i, "D07") for i in range(4)] + [_row(9, "D01", micro="M002", days_ago=200)]
    cases = adv.cases_from_rows(rows, description="井盖缺失", micro_grid="M001", now=NOW)
    ranked = adv.rank("D01", cases, loads={}, on_time={})
    assert ranked[0].department_id == "D07" and ranked[1].department_id == "D01"
    assert "5 件中 4 件由其办结" in ranked[0].reasons[0] and "平均用时 6 小时" in ranked[0].reasons[0]


def test_one_old_reworked_case_elsewhere_does_not_beat_the_matrix():
    cases = adv.cases_from_rows([_row(1, "D07", micro="M002", days_ago=300, rework=1)],
                                description="井盖缺失", micro_grid="M001", now=NOW)
    assert cases[0].reworked and not cases[0].same_place
    ranked = adv.rank("D01", cases, loads={}, on_time={})
    assert ranked[0].department_id == "D01"
    assert "返工 1 件" in ranked[1].reasons[0]


def test_similar_text_counts_more():
    assert adv.similarity("小区门口井盖缺失", "井盖缺失") > adv.similarity("小区门口井盖缺失", "路灯不亮")
    assert adv.similarity("", "井盖") == 0.0
    near, far = adv.cases_from_rows([_row(1, "D02", text="井盖缺失"), _row(2, "D03", text="路灯不亮")],
                                    description="井盖缺失", micro_grid="M001", now=NOW)
    assert near.department_id == "D02" and near.weight > far.weight


@settings(max_examples=80, deadline=None)
@given(matrix=st.sampled_from([None, "D01", "D02"]),
       depts=st.lists(st.sampled_from(["D01", "D02", "D03", "D04"]), max_size=12),
       loads=st.dictionaries(st.sampled_from(["D01", "D02", "D03", "D04"]), st.integers(0, 500)))
def test_the_suggestion_names_only_the_matrix_or_a_department_that_closed_a_case(matrix, depts, loads):
    cases = adv.cases_from_rows([_row(i, d, days_ago=i) for i, d in enumerate(depts)],
                                description="井盖", micro_grid="M001", now=NOW)
    ranked = adv.rank(matrix, cases, loads=loads, on_time={})
    allowed = set(depts) | ({matrix} if matrix else set())
    assert {s.department_id for s in ranked} == allowed
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)
    assert all(s.reasons for s in ranked)
