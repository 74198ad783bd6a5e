"""Race prediction: parsing, courses from route files, the forecast, the interval's
calibration on simulated runners, what-ifs and the command line."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import governor as gv
from governor.cli import main
from governor.io.clean import haversine_m
from governor.predict import (
    RESULTS_TEMPERATURE_C,
    fit_results,
    parse_results,
    race_day_cv,
    race_distance_m,
    riegel_time_s,
    smyth_marathon_time_s,
)
from governor.units import parse_duration_s

SHARED_LOGS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "logs"

RESULTS = {"10k": "41:30", "half": "1:32:10"}


# ---- parsing ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, metres", [
    ("5k", 5000.0), ("10K", 10000.0), ("half", 21097.5), ("Half-Marathon", 21097.5),
    ("marathon", 42195.0), ("mile", 1609.344), ("10000", 10000.0), (10000, 10000.0),
    ("10km", 10000.0), ("13.1mi", 13.1 * 1609.344), ("1500m", 1500.0),
])
def test_race_names_and_distances(text, metres):
    assert race_distance_m(text) == pytest.approx(metres)


@pytest.mark.parametrize("text", ["marathonx", "10 parsecs", "", "5", "200km"])
def test_unknown_or_out_of_range_races_are_refused(text):
    with pytest.raises(ValueError, match="race"):
        race_distance_m(text)


@pytest.mark.parametrize("text, seconds", [
    ("41:30", 2490.0), ("1:32:10", 5530.0), ("3:05:00", 11100.0), ("59.5", 59.5),
    ("0:41:30", 2490.0), ("12:49.8", 769.8),
])
def test_times(text, seconds):
    assert parse_duration_s(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["4x:30", "41:70", "1:60:00", "", "1::2", "-5:00", "1:2:3:4"])
def test_not_a_time(text):
    with pytest.raises(ValueError, match="not a time"):
        parse_duration_s(text)


def test_results_parsed_checked_and_sorted():
    out = parse_results(["half=1:32:10", "10k=41:30"])
    assert list(out) == [10000.0, 21097.5] and out[10000.0] == 2490.0
    with pytest.raises(ValueError, match="implausibly fast"):
        parse_results({"10k": "24:00"})  # faster than the world record
    with pytest.raises(ValueError, match="walking"):
        parse_results({"5k": "2:00:00"})
    with pytest.raises(ValueError, match="DISTANCE=TIME"):
        parse_results(["10k 41:30"])


def test_riegel():
    assert riegel_time_s(42195.0, {21097.5: 5530.0}) == pytest.approx(5530.0 * 2.0 ** 1.06)
    # the nearest result in log distance is used
    assert riegel_time_s(21097.5, {5000.0: 1200.0, 10000.0: 2490.0}) == pytest.approx(
        2490.0 * 2.10975 ** 1.06)


# ---- courses from route files -----------------------------------------------------------
def _route_gpx(path, points, *, kind="rte"):
    inner = "rtept" if kind == "rte" else "trkpt"
    body = "".join(f'<{inner} lat="{lat:.7f}" lon="{lon:.7f}"><ele>{ele:.1f}</ele></{inner}>'
                   for lat, lon, ele in points)
    wrap = (f"<rte><name>test</name>{body}</rte>" if kind == "rte"
            else f"<trk><trkseg>{body}</trkseg></trk>")
    path.write_text('<?xml version="1.0"?><gpx version="1.1" creator="test" '
                    f'xmlns="http://www.topografix.com/GPX/1/1">{wrap}</gpx>')
    return path


def _points(n=200, step_deg=0.0002, climb_m=40.0):
    lat = 45.0 + step_deg * np.arange(n)
    lon = np.full(n, 7.0)
    half = n // 2
    ele = np.concatenate([np.linspace(100.0, 100.0 + climb_m, half),
                          np.linspace(100.0 + climb_m, 100.0, n - half)])
    return list(zip(lat, lon, ele, strict=True)), lat, lon


@pytest.mark.parametrize("kind", ["rte", "trk"])
def test_course_from_a_route_without_times(tmp_path, kind):
    pts, lat, lon = _points()
    path = _route_gpx(tmp_path / "route.gpx", pts, kind=kind)
    course = gv.Course.from_log(path)
    length = float(np.sum(haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])))
    # kept every 50 m from the start and at its end: the route's length
    assert course.length_m == pytest.approx(length, abs=1e-6)
    # a single 40 m climb and descent: smoothing keeps its height to a few metres
    assert course.climb_m == pytest.approx(40.0, abs=4.0)
    assert max(course.elevation_m) - min(course.elevation_m) == pytest.approx(40.0, abs=4.0)


def test_route_of_several_pieces_takes_the_longest(tmp_path):
    pts, _, _ = _points(200)
    far = [(lat + 1.0, lon, ele) for lat, lon, ele in pts[:50]]  # 111 km away
    path = _route_gpx(tmp_path / "two.gpx", pts + far, kind="trk")
    from governor.io.route import read_route

    route = read_route(path)
    assert route["distance_m"].iloc[-1] == pytest.approx(199 * 22.24, rel=0.01)
    assert "longest" in route.attrs["notes"][0]


def test_route_without_points_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "empty.gpx"
    path.write_text('<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
                    '<wpt lat="1" lon="2"/></gpx>')
    with pytest.raises(gv.LogError, match="empty.gpx.*neither track points nor route"):
        gv.Course.from_log(path)


@pytest.mark.shared_data
def test_course_from_shared_files():
    if not (SHARED_LOGS / "MANIFEST.csv").is_file():
        pytest.skip(f"shared test data not found at {SHARED_LOGS}")
    # a track with (almost) no times: read for its positions alone
    cerknica = gv.Course.from_log(SHARED_LOGS / "gpxpy__cerknicko-without-times.gpx")
    assert cerknica.length_m > 1000.0
    # the same 14 km run as GPX and as FIT gives the same course
    gpx = gv.Course.from_log(SHARED_LOGS / "sportslib__fr945-run-14km-hr.gpx")
    fit = gv.Course.from_log(SHARED_LOGS / "sportslib__fr945-run-14km-hr.fit")
    assert gpx.length_m == pytest.approx(fit.length_m, rel=0.02)
    assert gpx.climb_m == pytest.approx(fit.climb_m, rel=0.1)


def test_course_from_an_activity_read_already():
    act = gv.fitting.synthetic_log(gv.TRAINED, gv.Race(3000.0),
                                   course=gv.Course.hill(500.0, 0.05, 1000.0, 3000.0), seed=1)
    course = gv.Course.from_log(act)
    assert course.climb_m == pytest.approx(25.0, abs=3.0)


# ---- weather ----------------------------------------------------------------------------
def test_forecast():
    env = gv.Environment.from_forecast(22, humidity=60, wind_kmh=20, sky="clear",
                                       warming_c_per_h=1.5)
    assert env.relative_humidity == pytest.approx(0.6)
    assert env.temperature_at(3600.0) == pytest.approx(23.5)
    assert env.solar_w_m2 == 800.0
    # 20 km/h at 10 m: 3.7 m/s at a runner's height, as a headwind of about 0.8 m/s
    assert 0.6 < env.wind_mps < 1.0
    calm = gv.Environment.from_forecast(22, humidity=0.6)
    assert calm.wind_mps == 0.0 and calm.relative_humidity == pytest.approx(0.6)
    warm = gv.Environment.from_forecast(15, finish_temperature_c=21, duration_s=3 * 3600.0)
    assert warm.temperature_at(1.5 * 3600.0) == pytest.approx(18.0)
    with pytest.raises(ValueError, match="duration_s"):
        gv.Environment.from_forecast(15, finish_temperature_c=21)
    with pytest.raises(ValueError, match="sky"):
        gv.Environment.from_forecast(15, sky="stormy")


# ---- the prediction ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def marathon():
    return gv.predict(RESULTS, "marathon")


def test_prediction_from_results(marathon):
    p = marathon
    lo, hi = p.interval_s
    assert lo < p.finish_time_s < hi
    # a recreational runner slows more over a marathon than Riegel's 1.06 allows
    # (Vickers & Vertosick 2016): the prediction is slower than Riegel from the half
    assert p.finish_time_s > p.riegel_s * 1.005
    assert p.riegel_s == pytest.approx(5530.0 * 2.0 ** 1.06)
    # splits add up to the finish, one per km and the last 195 m
    assert len(p.splits) == 43
    assert p.splits["split_s"].sum() == pytest.approx(p.finish_time_s, abs=1.0)
    assert p.plan["elapsed_s"].iloc[-1] == pytest.approx(p.finish_time_s, abs=1.0)
    miles = p.pacing_plan("imperial")
    assert len(miles) == 27 and miles["pace"].str.endswith("/mile").all()
    text = p.report()
    for needle in ("Riegel", "CS/D'", "95 % interval", "assumed", "/km"):
        assert needle in text
    assert "45 km/week" in text  # what is assumed without a weekly volume is said


def test_weekly_volume_moves_the_marathon_far_more_than_the_5k():
    low = gv.predict(RESULTS, "marathon", weekly_km=25.0)
    high = gv.predict(RESULTS, "marathon", weekly_km=90.0)
    # Tanda 2011's volume term: 140 (e^-0.1325 - e^-0.477) s/km ~ 36 s/km between them
    assert low.finish_time_s - high.finish_time_s > 300.0
    assert low.params.durability_loss_per_h > high.params.durability_loss_per_h
    five_low = gv.predict(RESULTS, "5k", weekly_km=25.0)
    five_high = gv.predict(RESULTS, "5k", weekly_km=90.0)
    # with the same half marathon, the more durable runner owes less of it to speed: their
    # 5 km is a little slower, by far less than the marathon moves
    gap_5k = five_high.finish_time_s - five_low.finish_time_s
    assert 0.0 <= gap_5k < 0.03 * five_low.finish_time_s


def test_smyth_relation():
    # a runner of CS 5.04 m/s runs a marathon near 150 min at 93 % of CS
    t = smyth_marathon_time_s(42195.0 / (150 * 60.0) / 0.93)
    assert t == pytest.approx(150 * 60.0, rel=1e-3)
    assert smyth_marathon_time_s(4.0, weekly_km=90.0) < smyth_marathon_time_s(4.0)


def test_one_result_leans_on_the_prior_and_says_so():
    p = gv.predict({"10k": "45:00"}, "half")
    assert math.isnan(p.cs_model_s)  # one result: no CS/D' line
    assert any("prior" in a for a in p.assumptions)
    assert p.interval_s[1] / p.interval_s[0] > 1.1


def test_three_results_give_held_back_errors():
    rf = fit_results({"5k": "19:40", "10k": "41:30", "half": "1:32:10"})
    assert len(rf.loo_errors) == 3 and np.all(np.isfinite(rf.loo_errors))
    assert rf.scale >= 1.0


def test_course_heat_and_feedback_act():
    flat = gv.predict(gv.TRAINED, "10k")
    hilly = gv.predict(gv.TRAINED, "10k", course=gv.Course.hill(2000.0, 0.04, 3000.0, 10000.0))
    hot = gv.predict(gv.TRAINED, "10k", environment=gv.Environment(temperature_c=32.0))
    assert hilly.finish_time_s > flat.finish_time_s + 10.0
    assert hot.finish_time_s > flat.finish_time_s + 10.0
    # parameters taken as exact: the interval is the race-to-race variability alone
    assert flat.sd_log == pytest.approx(race_day_cv(10000.0))
    assert flat.splits["climb_m"].sum() == 0.0
    assert hilly.splits["climb_m"].sum() == pytest.approx(80.0, abs=8.0)


def test_prediction_from_a_fit():
    truth = gv.TRAINED.replace(critical_speed_mps=4.6, d_prime_m=230.0, reserve_margin=0.3)
    log = gv.fitting.synthetic_log(truth, gv.Race(10_000.0), seed=3)
    result = gv.fit(log, effort="race", temperature_c=20.0)
    p = gv.predict(result, "half")
    truth_t = gv.simulate(truth, gv.Race(21097.5),
                          environment=gv.Environment(temperature_c=RESULTS_TEMPERATURE_C)
                          ).finish_time_s
    assert p.interval_s[0] < truth_t < p.interval_s[1]
    assert p.sd_parts["parameters"] > 0.0
    assert p.results and math.isfinite(p.riegel_s)


def test_compare(marathon):
    table = marathon.compare()
    assert len(table) == 7
    base = table.loc["governor's plan", "finish_time_s"]
    assert base == pytest.approx(marathon.finish_time_s)
    # a pacer believed to be the runner's best pulls them faster (Stone et al. 2012)
    assert table.loc["pacer 2 % fast", "finish_time_s"] < base
    warmer = [i for i in table.index if i.endswith("°C")]
    cool, warm = sorted(warmer, key=lambda s: float(s.split()[0]))
    assert table.loc[cool, "finish_time_s"] < table.loc[warm, "finish_time_s"]
    # a plan the reserve cannot hold is cut: a 15 % fast first half costs time
    reckless = marathon.compare({"reckless": {"pacing": ("first_half", 1.15)}})
    assert reckless.loc["reckless", "vs_plan_s"] > 60.0
    with pytest.raises(ValueError, match="unknown pacing"):
        marathon.compare({"x": {"pacing": "negative"}})


def test_plot_returns_the_figure(marathon):
    import matplotlib.figure

    fig = gv.predict(gv.TRAINED, "10k",
                     course=gv.Course.hill(2000.0, 0.04, 3000.0, 10000.0)).plot()
    assert isinstance(fig, matplotlib.figure.Figure)


# ---- the interval's calibration on simulated runners -----------------------------------
def test_prediction_from_two_shorter_results_covers_simulated_runners():
    """Runners drawn around the recreational set (CS 3.4-5.0 m/s, D' ~ 200 +/- 60 m,
    margin 0.10-0.45, durability 0.025-0.07 /h), their results and the race to predict
    each varied by a race-to-race variability (log-normal, :func:`race_day_cv`): the half
    from a 5 km and a 10 km, the marathon from a 10 km and a half. The nominal 95 %
    interval holds at least 14 of 16 (measured on 30 runners: 59 of 60); and it is not
    vacuous: the median |z| is under 1 and the mean interval under +/- 15 %."""
    rng = np.random.default_rng(11)
    env = gv.Environment(temperature_c=RESULTS_TEMPERATURE_C)
    covered, zs, widths = 0, [], []
    for _ in range(8):
        p = gv.RECREATIONAL.replace(
            critical_speed_mps=float(rng.uniform(3.4, 5.0)),
            d_prime_m=float(np.clip(rng.normal(200.0, 60.0), 80.0, 400.0)),
            reserve_margin=float(rng.uniform(0.10, 0.45)),
            durability_loss_per_h=float(rng.uniform(0.025, 0.07)))

        def noisy(d, p=p):
            t = gv.simulate(p, gv.Race(d), environment=env).finish_time_s
            return t * math.exp(rng.normal(0.0, race_day_cv(d)))

        for given, target in (((5000.0, 10000.0), 21097.5), ((10000.0, 21097.5), 42195.0)):
            pred = gv.predict({d: noisy(d) for d in given}, target)
            truth = noisy(target)
            covered += pred.interval_s[0] <= truth <= pred.interval_s[1]
            zs.append(abs(math.log(truth / pred.finish_time_s)) / pred.sd_log)
            widths.append(pred.interval_s[1] / pred.finish_time_s - 1.0)
    assert covered >= 14
    assert np.median(zs) < 1.0
    assert np.mean(widths) < 0.15


# ---- command line -----------------------------------------------------------------------
def test_cli_predict(tmp_path, capsys):
    plan = tmp_path / "plan.csv"
    code = main(["predict", "--results", "10k=41:30", "half=1:32:10", "--race", "marathon",
                 "--temperature", "18", "--miles", "--plan", str(plan)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Predicted marathon" in out and "/mile" in out and "Riegel" in out
    table = pd.read_csv(plan)
    assert len(table) == 27 and table["elapsed_s"].iloc[-1] > 3 * 3600


def test_cli_predict_from_a_fit_table(tmp_path, capsys):
    fits = tmp_path / "fits.csv"
    pd.DataFrame({"level": ["log", "athlete"], "athlete": ["me", "me"],
                  "status": ["ok", "ok"], "critical_speed_mps": [4.5, 4.6],
                  "d_prime_m": [210.0, 220.0]}).to_csv(fits, index=False)
    assert main(["predict", "--fits", str(fits), "--athlete", "me", "--race", "10000"]) == 0
    assert "Predicted 10 km" in capsys.readouterr().out
    assert main(["predict", "--fits", str(fits), "--athlete", "you", "--race", "10k"]) == 2
    assert "no athlete 'you'; it has me" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["--results", "10k=41:30", "--race", "marathonx"], "unknown race 'marathonx'"),
    (["--results", "10k=4x:30", "--race", "marathon"], "is not a time"),
    (["--results", "10k=21:30", "--race", "marathon"], "implausibly fast"),
    (["--race", "10k"], "give --results or --fits"),
    (["--results", "10k=41:30", "--race", "5k", "--course", "/nope/route.gpx"],
     "route.gpx: file not found"),
    (["--results", "10k=41:30", "--race", "5k", "--sky", "stormy"], "sky must be"),
])
def test_cli_predict_errors_are_one_line(args, message, capsys):
    assert main(["predict", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert err.startswith("governor predict: error:")
