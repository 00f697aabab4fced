import numpy as np
import pytest

from athlos.activities import metrics
from athlos.activities.streams import DeviceTotals, ParsedActivity, Streams
from tests.activities.tracks import T0, line_track


def activity(time, lat, lon, sport="run", **columns) -> ParsedActivity:  # type: ignore[no-untyped-def]
    streams = Streams.from_columns(time, {"lat": lat, "lon": lon, **columns})
    return ParsedActivity(sport=sport, start_time=float(time[0]), streams=streams, file_format="gpx")


def test_geodesic_matches_wgs84_arcs() -> None:
    lat = np.linspace(0.0, 1.0, 1001)
    # meridian arc from 0° to 1° on WGS84: 110 574.4 m; 1° of longitude on the equator: 111 319.5 m
    assert metrics.segment_distances(lat, np.zeros_like(lat)).sum() == pytest.approx(110_574.4, abs=1.0)
    lon = np.linspace(0.0, 1.0, 1001)
    assert metrics.segment_distances(np.zeros_like(lon), lon).sum() == pytest.approx(111_319.5, abs=1.0)
    # across the antimeridian it goes the short way
    assert metrics.geodesic(np.array([0.0]), np.array([179.9]), np.array([0.0]), np.array([-179.9]))[
        0
    ] == pytest.approx(22_263.9, abs=1.0)


def test_moving_time_leaves_out_stops_and_gaps() -> None:
    rng = np.random.default_rng(1)
    # 600 s running, 120 s standing (GPS jitter of a few metres), 600 s running, then a 300 s gap
    speeds = [3.0] * 600 + [0.0] * 120 + [3.0] * 600
    time, lat, lon = line_track(speeds)
    jitter = rng.normal(0, 2.0, time.shape) / 111_132.0
    lat = lat + jitter
    time2, lat2, lon2 = line_track([3.0] * 300, lat0=float(lat[-1]))
    time = np.concatenate((time, time2[1:] + time[-1] - time2[0] + 300))
    lat = np.concatenate((lat, lat2[1:]))
    lon = np.concatenate((lon, lon2[1:]))
    summary = metrics.summarize(activity(time, lat, lon))
    assert summary["elapsed_time_s"] == pytest.approx(1320 + 300 + 300, abs=1)
    assert summary["moving_time_s"] == pytest.approx(1500, rel=0.03)
    assert summary["source"] == "computed"


def test_elevation_gain_ignores_noise_and_keeps_hills() -> None:
    rng = np.random.default_rng(2)
    time = T0 + np.arange(3600.0)
    hills = 50 * (1 - np.cos(np.linspace(0, 10 * 2 * np.pi, time.shape[0])))  # ten 100 m hills
    gain, loss = metrics.elevation_gain_loss(time, 300 + hills + rng.normal(0, 0.5, time.shape))
    assert gain == pytest.approx(1000, rel=0.05)
    assert loss == pytest.approx(1000, rel=0.05)
    flat_gain, _ = metrics.elevation_gain_loss(time, 300 + rng.normal(0, 0.5, time.shape))
    assert flat_gain < 5
    spike = np.full(time.shape, 200.0)
    spike[1000] = 114.0  # a barometer glitch
    assert metrics.elevation_gain_loss(time, spike) == (0.0, 0.0)


def test_best_efforts_find_the_fastest_stretch() -> None:
    # 12 km at 4 m/s with a faster 1 km (5 m/s) in the middle
    speeds = [4.0] * 1500 + [5.0] * 200 + [4.0] * 1250
    time, lat, lon = line_track(speeds)
    distance = metrics.cumulative_distance(Streams.from_columns(time, {"lat": lat, "lon": lon}))
    efforts = metrics.best_efforts(time, distance)
    scale = distance[-1] / 12_000.0  # our geodesic vs the flat-earth step of the fixture
    assert efforts["1k"] == pytest.approx(200 * scale, rel=0.01)
    assert efforts["400m"] == pytest.approx(80 * scale, rel=0.01)
    assert efforts["5k"] == pytest.approx(200 + 4000 / 4.0, rel=0.01)
    assert efforts["10k"] == pytest.approx(200 + 9000 / 4.0, rel=0.01)
    assert "half_marathon" not in efforts


def test_splits_per_km_and_mile() -> None:
    time, lat, lon = line_track([4.0] * 625)  # about 2.5 km
    summary = metrics.summarize(activity(time, lat, lon))
    km = summary["splits"]["km"]
    assert [s["index"] for s in km] == [1, 2, 3]
    assert km[0]["distance_m"] == 1000.0
    assert km[0]["pace_s_per_km"] == pytest.approx(250, rel=0.01)
    assert km[-1]["distance_m"] == pytest.approx(summary["distance_m"] - 2000, abs=0.2)
    assert len(summary["splits"]["mile"]) == 2
    assert summary["best_efforts"]["1k"] == pytest.approx(250, rel=0.01)


def test_power_average_normalized_and_best() -> None:
    time = T0 + np.arange(3601.0)
    steady = np.full(time.shape, 200.0)
    intervals = np.where((np.arange(time.shape[0]) // 60) % 2 == 0, 300.0, 100.0)
    assert metrics.normalized_power(metrics.power_per_second(time, steady)) == pytest.approx(200)
    per_second = metrics.power_per_second(time, intervals)
    assert per_second.mean() == pytest.approx(200, rel=0.01)
    assert metrics.normalized_power(per_second) > 220
    best = metrics.best_power(per_second)
    assert set(best) == {"5min", "20min", "60min"}
    assert best["5min"] == pytest.approx(220, rel=0.02)


def test_device_totals_lead_unless_from_points() -> None:
    time, lat, lon = line_track([3.0] * 600)
    parsed = activity(time, lat, lon, heart_rate=np.full(time.shape, 150.0))
    parsed.device = DeviceTotals(distance_m=1850.0, timer_time_s=610.0, elapsed_time_s=620.0, calories=140)
    device = metrics.summarize(parsed)
    assert device["source"] == "device"
    assert device["distance_m"] == 1850.0
    assert device["moving_time_s"] == 610.0
    assert device["calories"] == 140
    assert device["computed"]["distance_m"] == pytest.approx(1800, rel=0.01)
    assert device["avg_heart_rate"] == 150.0  # not recorded by the device: computed
    points = metrics.summarize(parsed, from_points=True)
    assert points["source"] == "computed"
    assert points["distance_m"] == pytest.approx(1800, rel=0.01)
    assert points["calories"] == round(9.8 * 70 * points["moving_time_s"] / 3600)
    assert points["start_time"] == "2024-05-04T07:30:00Z"


def test_no_positions_uses_recorded_distance_or_signal() -> None:
    time = T0 + np.arange(601.0)
    parsed = ParsedActivity(
        sport="virtual_ride",
        start_time=T0,
        streams=Streams.from_columns(time, {"distance": np.arange(601.0) * 8, "power": np.full(601, 180.0)}),
        file_format="fit",
    )
    summary = metrics.summarize(parsed, from_points=True)
    assert summary["distance_m"] == 4800.0
    assert summary["moving_time_s"] == 600.0
    assert summary["best_efforts"]["power_5min"] == 180.0
    empty = ParsedActivity(sport="yoga", start_time=T0, streams=Streams.from_columns(time), file_format="gpx")
    assert metrics.summarize(empty)["moving_time_s"] == 600.0


def test_recorded_distance_comes_before_positions_unless_it_goes_back() -> None:
    # A trainer's distance under positions drawn 20 % short, as on a virtual map.
    time, lat, lon = line_track([8.0] * 600)
    lat = lat[0] + (lat - lat[0]) * 0.8
    recorded = np.arange(601.0) * 10.0
    traced = metrics.cumulative_distance(Streams.from_columns(time, {"lat": lat, "lon": lon}))[-1]
    streams = Streams.from_columns(time, {"lat": lat, "lon": lon, "distance": recorded})
    assert metrics.cumulative_distance(streams)[-1] == 6000.0
    assert metrics.cumulative_distance(streams, use_recorded=False)[-1] == traced
    reset = recorded.copy()
    reset[300:] -= 3000.0  # a device that restarted its count half-way
    streams = Streams.from_columns(time, {"lat": lat, "lon": lon, "distance": reset})
    assert metrics.cumulative_distance(streams)[-1] == traced
    alone = Streams.from_columns(time, {"distance": reset})  # nothing else to count with
    assert metrics.cumulative_distance(alone)[-1] == 3000.0  # the highest count, never going back


def test_a_break_in_recording_is_a_pause_unless_crossed_at_pace() -> None:
    # 1 Hz running at 3 m/s; the watch pauses for 120 s while the runner walks 40 m (0.33 m/s),
    # then loses its signal for 60 s in a tunnel at full pace.
    time, lat, lon = line_track([3.0] * 600)
    walk = 40.0 / 111_132.0
    time2, lat2, lon2 = line_track([3.0] * 600, lat0=float(lat[-1]) + walk)
    tunnel = 180.0 / 111_132.0
    time3, lat3, lon3 = line_track([3.0] * 300, lat0=float(lat2[-1]) + tunnel)
    time = np.concatenate((time, time2 + 600 + 120, time3 + 1200 + 120 + 60))
    lat, lon = np.concatenate((lat, lat2, lat3)), np.concatenate((lon, lon2, lon3))
    summary = metrics.summarize(activity(time, lat, lon))
    assert summary["moving_time_s"] == pytest.approx(600 + 600 + 60 + 300, abs=2)
    scale = metrics.segment_distances(lat[:601], lon[:601]).sum() / 1800.0  # geodesic vs the fixture
    assert summary["distance_m"] == pytest.approx((1800 + 1800 + 180 + 900) * scale, rel=0.002)


def test_standing_still_adds_no_jitter_to_the_distance() -> None:
    rng = np.random.default_rng(3)
    speeds = [3.0] * 300 + [0.0] * 300 + [3.0] * 300
    time, lat, lon = line_track(speeds)
    drift = np.cumsum(rng.normal(0, 0.05, time.shape)) / 111_132.0  # a slowly wandering fix
    standing = np.zeros(time.shape, dtype=bool)
    standing[300:601] = True
    summary = metrics.summarize(activity(time, np.where(standing, lat + drift, lat), lon))
    assert summary["distance_m"] == pytest.approx(1800, rel=0.005)
    assert summary["moving_time_s"] == pytest.approx(600, rel=0.05)


def test_climb_threshold_follows_the_pace_and_pauses_do_not_climb() -> None:
    assert metrics.climb_threshold(8.0) == 1.0  # a bike crosses a 1.5 m swing in seconds
    assert metrics.climb_threshold(2.0) == 3.0  # on foot, that is minutes of barometer wander
    assert metrics.climb_threshold(None) == metrics.ELEVATION_HYSTERESIS_M
    time = T0 + np.arange(1200.0)
    bumps = 0.75 * (1 - np.cos(np.linspace(0, 20 * 2 * np.pi, time.shape[0])))  # twenty 1.5 m swings
    assert metrics.elevation_gain_loss(time, 100 + bumps, pace_mps=8.0)[0] == pytest.approx(30, rel=0.2)
    assert metrics.elevation_gain_loss(time, 100 + bumps, pace_mps=2.5)[0] < 5
    # the barometer reads 12 m higher after a 20-minute pause: weather, not a climb
    altitude = np.where(np.arange(1200) < 600, 100.0, 112.0)
    paused = np.zeros(1199, dtype=bool)
    paused[599] = True
    assert metrics.elevation_gain_loss(time, altitude, paused=paused) == (0.0, 0.0)
    assert metrics.elevation_gain_loss(time, altitude)[0] == pytest.approx(12, abs=0.5)


def test_pool_swim_rests_count_like_the_device_counts_them() -> None:
    # lengths of 25 m recorded as the distance reached at each wall, with rests between sets
    time = T0 + np.arange(1201.0)
    distance = np.full(time.shape, np.nan)
    walls = [30, 60, 90, 120, 400, 430, 460, 490, 900, 930]
    distance[walls] = 25.0 * np.arange(1, len(walls) + 1)
    parsed = ParsedActivity(
        sport="pool_swim",
        start_time=T0,
        streams=Streams.from_columns(time, {"distance": distance}),
        file_format="fit",
    )
    summary = metrics.summarize(parsed, from_points=True)
    assert summary["distance_m"] == 250.0
    assert summary["moving_time_s"] == 1200.0


@pytest.mark.parametrize("step_s", [1.0, 5.0])
def test_gps_altitude_scatter_is_smoothed_away_and_hills_stay(step_s: float) -> None:
    rng = np.random.default_rng(4)
    time = T0 + np.arange(0, 3600.0, step_s)
    hills = 15 * (1 - np.cos(np.linspace(0, 10 * 2 * np.pi, time.shape[0])))  # ten 30 m hills
    for pace in (3.0, 8.0):
        scatter = rng.normal(0, 2.0, time.shape)  # GPS altitude: metres from one fix to the next
        gain, loss = metrics.elevation_gain_loss(time, 300 + hills + scatter, pace_mps=pace)
        assert gain == pytest.approx(300, rel=0.05)
        assert loss == pytest.approx(300, rel=0.05)
        flat_gain, _ = metrics.elevation_gain_loss(time, 300 + scatter, pace_mps=pace)
        assert flat_gain < 5
