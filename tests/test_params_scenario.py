"""Params and scenario classes: metadata, validation, clear errors."""

import dataclasses

import pytest

import governor as gv
from governor.params import IDENTIFIABILITY


def test_every_field_documents_unit_bounds_source_and_identifiability():
    table = gv.TRAINED.table()
    assert list(table.index) == list(gv.Params.names())
    for name, row in table.iterrows():
        assert row["unit"], name
        assert row["lower"] < row["upper"], name
        assert row["lower"] <= row["default"] <= row["upper"], name
        assert row["meaning"] and row["source"], name
        assert row["identifiability"] in IDENTIFIABILITY, name


@pytest.mark.parametrize("named", [gv.RECREATIONAL, gv.TRAINED, gv.ELITE])
def test_named_sets_are_valid_values_ordered_by_ability(named):
    assert isinstance(named, gv.Params)
    assert gv.RECREATIONAL.critical_speed_mps < gv.TRAINED.critical_speed_mps < (
        gv.ELITE.critical_speed_mps
    )


def test_out_of_bounds_names_field_and_range():
    with pytest.raises(ValueError, match=r"critical_speed_mps .* outside its range \[1.5, 7.5\]"):
        gv.TRAINED.replace(critical_speed_mps=9.0)
    with pytest.raises(ValueError, match="d_prime_m"):
        gv.Params(d_prime_m=float("nan"))
    with pytest.raises(ValueError, match="v_max_mps"):
        gv.Params(critical_speed_mps=6.0, v_max_mps=5.0)


def test_params_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        gv.TRAINED.critical_speed_mps = 5.0


def test_feedback_defaults_are_truthful_and_changes_validated():
    assert gv.Feedback().is_truthful
    assert not gv.Feedback(distance_scale=1.1).is_truthful
    fb = gv.Feedback(believed_duration_s=600, changes=((600.0, {"believed_duration_s": 1200}),))
    assert fb.segments()[1][1]["believed_duration_s"] == 1200
    with pytest.raises(ValueError, match="unknown field"):
        gv.Feedback(changes=((10.0, {"speed": 3}),))
    with pytest.raises(ValueError, match="increasing"):
        gv.Feedback(changes=((10.0, {"clock_rate": 1.1}), (5.0, {"clock_rate": 1.0})))
    with pytest.raises(ValueError, match="clock_rate"):
        gv.Feedback(clock_rate=0.0)


def test_environment_and_course_validation():
    env = gv.Environment(temperature_c=[15.0, 25.0], time_s=[0.0, 3600.0])
    assert env.temperature_at(1800.0) == pytest.approx(20.0)
    with pytest.raises(ValueError, match="time_s"):
        gv.Environment(temperature_c=[15.0, 25.0])
    with pytest.raises(ValueError, match="relative_humidity"):
        gv.Environment(relative_humidity=1.5)
    course = gv.Course.hill(500.0, 0.05, 1000.0, 5000.0)
    starts, grades = course.grade_arrays()
    assert grades[1] == pytest.approx(0.05) and grades[-1] == 0.0
    from_line = gv.Course.hill(500.0, 0.05, 0.0, 5000.0)  # a climb straight from the start
    starts, grades = from_line.grade_arrays()
    assert starts[0] == 0.0 and grades[0] == pytest.approx(0.05) and grades[-1] == 0.0
    assert from_line.distance_m[-1] == 5000.0
    with pytest.raises(ValueError, match="start_m >= 0"):
        gv.Course.hill(500.0, 0.05, -10.0, 5000.0)
    with pytest.raises(ValueError, match="45 %"):
        gv.Course((0.0, 10.0), (0.0, 8.0))


@pytest.mark.parametrize(
    "protocol, feedback, message",
    [
        (gv.TimeTrial(600), gv.Feedback(pacer_factor=1.02), "pacer_factor applies to a Race"),
        (gv.TimeToExhaustion(5.0), gv.Feedback(endpoint_known=False), "endpoint_known"),
        (gv.TimeTrial(600), gv.Feedback(believed_distance_m=3000), "believed_distance_m"),
        (gv.Race(5000), gv.Feedback(believed_duration_s=900), "believed_duration_s"),
    ],
)
def test_invalid_combinations_get_clear_errors(protocol, feedback, message):
    with pytest.raises(ValueError, match=message):
        gv.simulate(gv.TRAINED, protocol, feedback=feedback)


def test_protocol_validation():
    with pytest.raises(ValueError, match="Race.distance_m"):
        gv.Race(-5)
    with pytest.raises(ValueError, match="exactly one"):
        gv.Segment(60.0, target_rpe=3.0, target_speed_mps=3.0)
    with pytest.raises(ValueError, match="settle_s"):
        gv.FixedRPE(5.0, duration_s=60.0, settle_s=120.0)
    with pytest.raises(ValueError, match="solver"):
        gv.simulate(gv.TRAINED, gv.Race(1000), solver="euler")


def test_each_protocol_carries_its_rule_its_endings_and_its_words():
    from governor.scenario import END_RULES, IMPOSED, MAXIMAL, SCHEDULED
    from governor.simulate import PROTOCOL_TYPES

    examples = {gv.Race: gv.Race(5000.0), gv.TimeTrial: gv.TimeTrial(600.0),
                gv.TimeToExhaustion: gv.TimeToExhaustion(5.0, grade=0.02),
                gv.FixedRPE: gv.FixedRPE(6.0), gv.Training: gv.Training.steady(600.0,
                                                                             target_rpe=3.0)}
    assert set(examples) == set(PROTOCOL_TYPES)
    rules = {gv.Race: MAXIMAL, gv.TimeTrial: MAXIMAL, gv.TimeToExhaustion: IMPOSED,
             gv.FixedRPE: SCHEDULED, gv.Training: SCHEDULED}
    for cls, protocol in examples.items():
        assert protocol.rule == rules[cls]
        assert protocol.ends and set(protocol.ends) <= set(END_RULES)
        packed = protocol.packed()
        assert packed["limit_s"] == protocol.limit_s
        # an effort that ends by itself when its time is up, and only then
        assert (packed["natural_end_s"] == protocol.limit_s) == ("duration" in protocol.ends)
        assert protocol.maximal == (cls in (gv.Race, gv.TimeTrial, gv.TimeToExhaustion))
    assert examples[gv.TimeToExhaustion].description == \
        "time to exhaustion at 5 m/s on a 2 % grade"
    assert examples[gv.Race].label == "Race 5000 m"
    with pytest.raises(ValueError, match="FixedRPE needs the governor"):
        gv.simulate(gv.TRAINED, gv.FixedRPE(6.0), modifiers=gv.Modifiers(governor=False))
