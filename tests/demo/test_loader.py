"""The LLR demo loads on both dialects, and its figures are the source documents' figures."""

from __future__ import annotations

from sqlalchemy import select

from placeplan.areas.models import Area
from placeplan.budget import service as budget
from placeplan.core.actor import Actor, operator
from placeplan.demo.loader import load_demo
from placeplan.people.models import User
from placeplan.people.service import principal_for
from placeplan.plans.models import Plan, SignOffStep


def test_demo_loads_once_with_the_documents_figures(sessions):
    assert load_demo(sessions)["loaded"] is True
    assert load_demo(sessions)["loaded"] is False  # a second load changes nothing
    with sessions() as s:
        # Seed 003, Table 2: registered patients by place.
        patients = {a.gss_code: a.registered_patients for a in s.scalars(select(Area))}
        assert patients == {"E06000016": 413_074, "E10000018": 688_401, "E06000017": 40_035}
        plan = s.scalars(select(Plan).where(Plan.key == "leics-bcf-2025-26")).one()
        view = budget.view(s, operator(), plan.id)
        # Seed 000's spend table, to the pound.
        assert view.summary.total_pence == 78_073_138_00
        assert [(c.key, c.total_pence, c.new_pence) for c in view.summary.categories] == [
            ("acute", 2_045_173_00, 867_192_00),
            ("intermediate_care_and_discharge", 19_604_623_00, 2_395_100_00),
            ("community_and_prevention", 56_423_342_00, 675_129_00),
        ]
        assert not budget.rules.blocking(view.findings)
        # The plan states 72.4% for community and prevention; its own figures give 72.27%.
        flagged = {f.what: c.agrees for f, c in view.stated if c is not None}
        assert flagged["share:community_and_prevention"] is False
        assert flagged["share:intermediate_care_and_discharge"] is True  # "25%" for 25.11%
        # Seed 002: the 2021-22 plan's HWB sign-off on 25 November 2021 was only planned.
        old = s.scalars(select(Plan).where(Plan.key == "leics-bcf-2021-22")).one()
        hwb = [
            st
            for st in s.scalars(select(SignOffStep).where(SignOffStep.plan_id == old.id))
            if st.body is not None and st.body.key == "leics-hwb"
        ]
        assert [(str(st.planned_date), st.decision) for st in hwb] == [("2021-11-25", None)]


def test_the_demo_capacity_model_comes_with_a_finished_run_and_its_prediction(sessions):
    from placeplan.capacity import service as capacity
    from placeplan.demo.loader import DEMO_RUN_REPLICATIONS

    load_demo(sessions)
    with sessions() as s:
        plan = s.scalars(select(Plan).where(Plan.key == capacity.DEMO_PLAN_KEY)).one()
        (model,) = capacity.list_models(s, operator(), plan.id)
        (run,) = capacity.runs_of(s, operator(), model.id)
        assert (run.status, run.replications, run.seed) == ("finished", DEMO_RUN_REPLICATIONS, 1)
        (predicted,) = capacity.predicted_metrics(s, operator(), plan.id)
        assert predicted["run_id"] == run.id
        # the ICB analyst builds and runs models (issue 13): an editor of the demo's model
        analyst = s.scalars(select(User).where(User.username == "analyst@icb.demo")).one()
        actor = Actor(name="analyst", principal=principal_for(s, analyst))
        assert capacity.model_overview(s, actor, model.id).can_edit
