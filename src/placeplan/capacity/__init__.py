"""Intermediate care demand and capacity: a seeded, continuous-time simulation of discharge and
step-up pathways, with an analytic Erlang C helper and capacity sizing, and the capacity models
kept with a plan.

    domain/    the pure engine (scenario, arrivals, distributions, engine, kernels, statistics,
               sizing, erlang, timeline, report)
    models.py  capacity models and their runs (tables)
    service/   stored models, runs (and the background runner), sizing, comparison, predictions
    present/   display formatting, charts (SVG), CSV rows, read schemas
    pages.py, api.py, cli.py

    from placeplan.capacity.domain import run, report, size, erlang_c
    from placeplan.capacity.io.scenario import load_scenario

    scenario = load_scenario("capacity_llr.yaml")
    result = run(scenario, replications=1000, seed=1)
    doc = report.as_dict(result)            # what `placeplan capacity run --format json` prints
"""
