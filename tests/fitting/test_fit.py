"""Fitting: parameter recovery from synthetic logs, honesty, baselines, effort detection."""

import importlib

import numpy as np
import pandas as pd
import pytest

import governor as gv
from governor.fitting import critical_speed_from_curve, detect_effort, synthetic_log
from governor.fitting.data import window_speed_mps

fit_module = importlib.import_module("governor.fitting.fit")
heart_module = importlib.import_module("governor.fitting.heart")

TRUTH = gv.TRAINED.replace(critical_speed_mps=4.6, d_prime_m=230.0, reserve_margin=0.3,
                           heart_rate_tau_rise_s=35.0, heart_rate_tau_fall_s=55.0)
INTERVALS = gv.Training.intervals(5, 180.0, 120.0, work_speed_mps=5.2, warmup_s=600.0,
                                  cooldown_s=600.0)


@pytest.fixture(scope="module")
def athlete_logs():
    """Four races and an interval session of one runner, with GPS-like speed noise
    (AR(1), 0.15 m/s), heart-rate noise (2 bpm) and, in the intervals, a pause."""
    races = [synthetic_log(TRUTH, gv.Race(d), seed=i)
             for i, d in enumerate((1500.0, 3000.0, 5000.0, 10000.0))]
    session = synthetic_log(TRUTH, INTERVALS, seed=9, pause_at_s=1500.0, pause_s=60.0)
    return races + [session]


#: Where the fits start: far enough from the truth that recovery means something.
START = gv.TRAINED.replace(reserve_margin=0.12, heart_rate_tau_rise_s=20.0,
                           heart_rate_tau_fall_s=25.0)


@pytest.fixture(scope="module")
def athlete_fit(athlete_logs):
    return gv.fit(athlete_logs, params=START, effort=["race"] * 4 + ["intervals"],
                  temperature_c=20.0)


def test_recovers_an_athletes_parameters(athlete_fit):
    """Recovery targets: CS within 3 %, D'0 within 15 %, heart-rate time
    constants within 15 %, governor margin within 25 %, from an athlete's logs."""
    fitted = athlete_fit.params_
    assert athlete_fit.success, athlete_fit.message
    assert fitted.critical_speed_mps == pytest.approx(TRUTH.critical_speed_mps, rel=0.03)
    assert fitted.d_prime_m == pytest.approx(TRUTH.d_prime_m, rel=0.15)
    assert fitted.heart_rate_tau_rise_s == pytest.approx(TRUTH.heart_rate_tau_rise_s, rel=0.15)
    assert fitted.heart_rate_tau_fall_s == pytest.approx(TRUTH.heart_rate_tau_fall_s, rel=0.15)
    assert fitted.reserve_margin == pytest.approx(TRUTH.reserve_margin, rel=0.25)
    # and they moved there from a start well outside those tolerances
    assert START.reserve_margin < 0.5 * TRUTH.reserve_margin
    assert START.heart_rate_tau_fall_s < 0.5 * TRUTH.heart_rate_tau_fall_s


def test_errors_and_correlations_are_reported(athlete_fit):
    for name in athlete_fit.varied:
        assert np.isfinite(athlete_fit.stderr_[name]) and athlete_fit.stderr_[name] > 0
    corr = athlete_fit.correlation_
    assert list(corr.index) == list(athlete_fit.varied)
    assert np.allclose(np.diag(corr.to_numpy()), 1.0)
    assert athlete_fit.rmse_speed_ < 0.3
    assert athlete_fit.rmse_heart_rate_ < 4.0


def test_the_governor_explains_a_governed_race_better_than_no_governor(athlete_fit):
    table = athlete_fit.baselines_
    assert table.index[0] == "governor"
    assert table.loc["governor", "aic"] < table.loc["constant_pace", "aic"] - 10
    # scored on the races only (an interval session's speed is its intent, a covariate),
    # and every baseline converged or says it did not
    assert table.loc["governor", "aic"] < table.loc["cs_d_prime_no_governor", "aic"] - 10
    assert table["converged"].all(), table


def test_wrong_model_fits_a_governed_race_worse(athlete_logs):
    """Governor off (all-out CS/D') against the governed model, on the same races."""
    result = gv.fit(athlete_logs[:4], effort="race", temperature_c=20.0)
    table = result.baselines_
    assert table.loc["governor", "aic"] < table.loc["cs_d_prime_no_governor", "aic"] - 50
    assert table.loc["governor", "rmse_speed_mps"] < table.loc[
        "cs_d_prime_no_governor", "rmse_speed_mps"]


def test_one_training_log_informs_heart_rate_only(athlete_logs):
    result = gv.fit(athlete_logs[4], effort="training", temperature_c=20.0,
                    params=TRUTH.replace(heart_rate_tau_rise_s=28.0, heart_rate_tau_fall_s=40.0))
    assert set(result.varied) == set(fit_module.HEART_PARAMS)
    assert result.params_.critical_speed_mps == TRUTH.critical_speed_mps  # held
    # within 20 %: the intent read from the noisy log (10-s means) lags the runner's
    # changes of pace, and the heart-rate terms absorb it (with the true terms, heart rate
    # along the fitted trajectory misses the log by 2.3 bpm RMS, along the true one by 2.1)
    assert result.params_.heart_rate_tau_rise_s == pytest.approx(35.0, rel=0.2)
    assert result.params_.heart_rate_tau_fall_s == pytest.approx(55.0, rel=0.2)


def test_a_failed_fit_says_so(athlete_logs, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("solver exploded")
    monkeypatch.setattr(fit_module, "least_squares", broken)
    monkeypatch.setattr(heart_module, "least_squares", broken)
    result = gv.fit(athlete_logs[4], effort="training", temperature_c=20.0)
    assert not result.success
    assert "failed" in result.message
    assert result.params_ is None  # never the starting guess as if it were an answer
    with pytest.raises(ValueError, match="no fitted model"):
        result.simulate()
    assert all(np.isnan(v) for v in result.stderr_.values())
    assert "FAILED" in result.report()


def test_nothing_to_identify_is_a_failed_fit_with_a_reason(athlete_logs):
    no_hr = athlete_logs[4].copy()
    no_hr["heart_rate_bpm"] = np.nan
    result = gv.fit(no_hr, effort="training")
    assert not result.success and "nothing these logs can identify" in result.message


def test_report_summary_simulate_and_plot(athlete_logs):
    import matplotlib.pyplot as plt

    result = gv.fit(athlete_logs[2], effort="race", temperature_c=20.0)
    text = result.report()
    for name in result.varied:
        assert name in text
    assert "held at the given values" in text and "baselines" in text
    summary = result.summary()
    assert all(isinstance(v, int | float | str | bool) for v in summary.values())
    assert summary["critical_speed_mps"] == result.params_.critical_speed_mps
    sim = result.simulate()
    assert sim.distance_m == pytest.approx(result.logs[0].distance_m[-1])
    axes = result.plot().axes   # the Figure's six panels; the speeds drawn as pace [s/km]
    assert len(axes) == 6
    with np.errstate(divide="ignore"):
        pace = 1000.0 / result.logs[0].speed_mps
    np.testing.assert_allclose(axes[0].lines[0].get_ydata(), pace)
    plt.close("all")


def test_standard_errors_cover_the_truth_on_one_race(athlete_logs):
    """Honest uncertainty: on a single noisy race the truth lies within three standard
    errors of each fitted value (errors inflated for the autocorrelated GPS noise), and
    the errors are informative: under 20 % of the value, or under half of it for D' and
    the margin, which one race hardly separates (a larger D' held back by a larger margin
    runs much the same race)."""
    result = gv.fit(athlete_logs[1], effort="race", temperature_c=20.0)
    assert result.success
    for name, within in (("critical_speed_mps", 0.2), ("d_prime_m", 0.5),
                         ("reserve_margin", 0.5), ("heart_rate_tau_rise_s", 0.2)):
        error = abs(getattr(result.params_, name) - getattr(TRUTH, name))
        assert error <= 3.0 * result.stderr_[name], name
        assert result.stderr_[name] < within * getattr(result.params_, name), name
    # and one race is said to be a weak design for D' against the margin
    assert any("one race" in w for w in result.warnings)


def test_effort_detection():
    race = synthetic_log(TRUTH, gv.Race(5000.0), seed=3)
    session = synthetic_log(TRUTH, INTERVALS, seed=4)
    easy = synthetic_log(TRUTH, gv.Training.steady(1800.0, target_rpe=3.0), seed=5)
    hr_max = TRUTH.heart_rate_max_bpm
    assert detect_effort(race, hr_max) == "race"
    assert detect_effort(session, hr_max) == "intervals"
    assert detect_effort(easy, hr_max) == "training"
    # without heart rate a steady easy run cannot be told from a race
    no_hr = easy.assign(heart_rate_bpm=np.nan)
    assert detect_effort(no_hr, hr_max) == "race"
    result = gv.fit(race)
    assert result.logs[0].effort == "race" and result.logs[0].effort_detected
    assert "effort detected" in result.report()


def test_critical_speed_from_a_mean_maximal_curve():
    durations = np.array([60.0, 180.0, 300.0, 600.0, 1200.0, 1800.0])
    speeds = 4.5 + 250.0 / durations
    cs, d_prime = critical_speed_from_curve(durations, speeds)
    assert cs == pytest.approx(4.5) and d_prime == pytest.approx(250.0)
    assert critical_speed_from_curve(durations[:2], speeds[:2]) is None


def test_bad_arguments_are_clear(athlete_logs):
    with pytest.raises(ValueError, match="effort must be one of"):
        gv.fit(athlete_logs[0], effort="jog")
    with pytest.raises(ValueError, match="unknown parameter"):
        gv.fit(athlete_logs[0], effort="race", vary=["speed"])
    with pytest.raises(ValueError, match="one effort"):
        gv.fit(athlete_logs[:2], effort=["race"])
    with pytest.raises(ValueError, match="expected an Activity"):
        gv.fit(pd.DataFrame({"x": [1]}))


def test_races_of_one_length_warn_that_d_prime_and_margin_are_confounded(athlete_logs,
                                                                         athlete_fit):
    twins = [athlete_logs[2], synthetic_log(TRUTH, gv.Race(5000.0), seed=42)]
    result = gv.fit(twins, effort="race", temperature_c=20.0)
    assert any("hard to separate" in w for w in result.warnings)
    assert not any("hard to separate" in w for w in athlete_fit.warnings)


def test_sample_logs_efforts_are_detected():
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "data" / "logs"
    expected = {"easy-run": "training", "tempo-run": "training",
                "intervals-5x3min": "intervals", "race-10k": "race", "race-10k-hot": "race"}
    for name, effort in expected.items():
        activity = gv.read_log(data / f"governor-sample-{name}.tcx")
        assert detect_effort(activity, gv.TRAINED.heart_rate_max_bpm) == effort, name


def test_hilly_training_log_is_compared_in_grade_adjusted_speed():
    """On a hilly course the model runs the log's intent in flat-equivalent terms, so it
    cannot drift onto the wrong hills: the speed fits and heart-rate kinetics come back."""
    hills = gv.Course.from_profile(np.arange(0.0, 12_000.0, 100.0),
                                   25.0 * np.sin(np.arange(0.0, 12_000.0, 100.0) / 400.0))
    log = synthetic_log(TRUTH, gv.Training.intervals(4, 240.0, 120.0, work_speed_mps=4.9),
                        course=hills, seed=7)
    result = gv.fit(log, params=START, effort="training", temperature_c=20.0)
    assert result.success
    gas = result.logs[0].speed_mps
    constant_pace = float(np.sqrt(np.mean((gas - gas.mean()) ** 2)))
    assert result.rmse_speed_ < 0.5 * constant_pace
    assert result.params_.heart_rate_tau_rise_s == pytest.approx(35.0, rel=0.15)
    assert result.params_.heart_rate_tau_fall_s == pytest.approx(55.0, rel=0.2)


def test_a_fit_where_nothing_moves_fails(athlete_logs):
    """v_max does not act on a training run below it: nothing to fit, so no answer."""
    result = gv.fit(athlete_logs[4], effort="training", vary=["v_max_mps"])
    assert not result.success and result.params_ is None
    assert "v_max_mps" in result.message


def test_a_pause_in_a_race_does_not_spoil_the_fit():
    plain = synthetic_log(TRUTH, gv.Race(5000.0), seed=11)
    paused = synthetic_log(TRUTH, gv.Race(5000.0), seed=11, pause_at_s=500.0, pause_s=90.0)
    a = gv.fit(plain, effort="race", temperature_c=20.0, with_baselines=False)
    b = gv.fit(paused, effort="race", temperature_c=20.0, with_baselines=False)
    assert b.rmse_speed_ < 1.2 * a.rmse_speed_
    assert b.params_.critical_speed_mps == pytest.approx(a.params_.critical_speed_mps,
                                                          rel=0.01)


def test_a_log_without_elevation_or_heart_rate_columns(athlete_logs):
    bare = athlete_logs[2].drop(columns=["elevation_m", "heart_rate_bpm"])
    result = gv.fit(bare, effort="race", temperature_c=20.0)
    assert result.success
    assert set(result.varied) == {"critical_speed_mps", "d_prime_m", "reserve_margin"}


def test_the_same_run_as_gpx_and_csv_gets_comparable_weights(tmp_path):
    """Speed derived from smoothed GPS positions (GPX) has autocorrelated noise that a
    running-median estimate reads at about half its size, and residuals smaller than the
    CSV copy's but correlated over more samples. The fit weights each log's speed by its
    own residuals' size and autocorrelation time (its effective observations), so the same
    run counts about as much in either format."""
    from governor.fitting.data import prepare, robust_noise
    from governor.fitting.synthetic import _recorded, _write

    log = synthetic_log(TRUTH, gv.Race(3000.0), seed=12)
    frame = _recorded(log, pd.Timestamp("2026-04-06 07:30:00", tz="UTC"))
    weight, sigma, first_pass, n = {}, {}, {}, {}
    for suffix in ("gpx", "csv"):
        _write(frame, tmp_path / f"race.{suffix}")
        activity = gv.read_log(tmp_path / f"race.{suffix}")
        result = gv.fit(activity, effort="race", temperature_c=15.0, with_baselines=False)
        fitted = result.logs[0]
        sigma[suffix] = fitted.speed_sigma
        n[suffix] = fitted.speed_mps.size - fitted.scored_from
        weight[suffix] = n[suffix] / fitted.speed_weight_sigma**2  # the log's information
        first_pass[suffix] = robust_noise(prepare(activity, effort="race").speed_mps)
    assert n["gpx"] == pytest.approx(n["csv"], rel=0.02)
    assert weight["gpx"] / weight["csv"] == pytest.approx(1.0, rel=0.25)
    # by the residuals' size alone the GPX copy would count far more per sample, and by
    # the running-median estimate alone several times more
    assert (sigma["csv"] / sigma["gpx"]) ** 2 > 1.4
    assert (first_pass["csv"] / first_pass["gpx"]) ** 2 > 2.5


def test_a_log_alone_fits_the_same_whatever_its_residuals_autocorrelation():
    """Weighting a log by its autocorrelation time divides all its residuals by one number
    more: alone, its fit, errors and intervals are those of the weighting by noise alone."""
    import dataclasses

    from governor.fitting.data import prepare
    from governor.fitting.fit import _Problem

    log = prepare(synthetic_log(TRUTH, gv.Race(3000.0), seed=5), effort="race",
                  temperature_c=20.0)
    names = ("critical_speed_mps", "d_prime_m")
    plain = _Problem(TRUTH, names, [log], heart=False, scale_taus=[4.0])
    weighted = _Problem(TRUTH, names, [dataclasses.replace(log, speed_tau=4.0)],
                        heart=False, scale_taus=[1.0])
    for u in ([0.4, 0.3, 0.5], [0.45, 0.2, 0.6]):
        u = np.array(u)
        np.testing.assert_allclose(weighted(u), plain(u) / 2.0, rtol=1e-12)


def test_window_speed_is_distance_over_a_centred_window():
    t = np.arange(0.0, 301.0)
    d = np.where(t < 150.0, 3.0 * t, 450.0 + 5.0 * (t - 150.0))
    frame = pd.DataFrame({"elapsed_s": t, "distance_m": d})
    v = window_speed_mps(frame, 60.0)
    assert v[60] == pytest.approx(3.0) and v[240] == pytest.approx(5.0)
    assert v[150] == pytest.approx(4.0)          # half of the window on each side
    assert v[0] == pytest.approx(3.0)            # the window is cut at the ends


def test_a_long_fast_stretch_is_not_a_repetition():
    # three 10-min tempo blocks are a progression run, not intervals; three 3-min reps are
    def run(block_s):
        speed = []
        for _ in range(3):
            speed += [3.0] * 300 + [4.2] * block_s
        speed += [3.0] * 300
        n = len(speed)
        idx = pd.date_range("2026-01-01", periods=n, freq="1s", tz="UTC")
        v = np.asarray(speed)
        return pd.DataFrame({"elapsed_s": np.arange(n, dtype=float),
                             "distance_m": np.cumsum(v), "speed_mps": v,
                             "heart_rate_bpm": np.full(n, np.nan), "grade": np.zeros(n),
                             "moving": np.ones(n, dtype=bool)}, index=idx)
    assert detect_effort(run(180)) == "intervals"
    assert detect_effort(run(600)) == "training"


def test_progress_shows_the_simulations_and_stage_and_changes_nothing(capfd, monkeypatch):
    log = synthetic_log(TRUTH, gv.Race(3000.0), seed=3)
    quiet = gv.fit(log, params=START, effort="race", temperature_c=20.0)
    # into a file (stderr captured) no bar: it would write a line at every redraw
    gv.fit(log, params=START, effort="race", temperature_c=20.0, progress=True)
    assert capfd.readouterr().err == ""
    monkeypatch.setattr(fit_module, "_interactive", lambda stream: True)  # a terminal
    shown = gv.fit(log, params=START, effort="race", temperature_c=20.0, progress=True)
    err = capfd.readouterr().err
    assert "simulations" in err and "fit: searching" in err
    for name in quiet.varied:
        assert getattr(shown.params_, name) == getattr(quiet.params_, name)
    assert fit_module._PROGRESS.get() is None, "the bar is gone once the fit returns"
