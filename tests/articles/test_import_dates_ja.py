"""Dates as Japanese pages print them (`articles.importer.dates.find_date`)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from articles.importer.dates import find_date

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
D = datetime.date
T = datetime.time


@pytest.mark.parametrize(
    ("line", "day", "time"),
    [
        ("2025年7月23日", D(2025, 7, 23), None),
        ("２０２５年７月２３日（水）", D(2025, 7, 23), None),
        ("2025年7月23日 14時30分", D(2025, 7, 23), T(14, 30)),
        ("2025年7月23日 14:30", D(2025, 7, 23), T(14, 30)),
        ("2025年7月23日 14時", D(2025, 7, 23), T(14, 0)),
        ("2025年7月23日午後2時30分", D(2025, 7, 23), T(14, 30)),
        ("2025年7月23日午後2時半", D(2025, 7, 23), T(14, 30)),
        ("2025年7月23日午前0時5分", D(2025, 7, 23), T(0, 5)),
        ("2025年7月23日午後0時", D(2025, 7, 23), T(12, 0)),
        ("令和7年7月23日", D(2025, 7, 23), None),
        ("令和7年7月23日 10時05分", D(2025, 7, 23), T(10, 5)),
        ("令和元年5月1日", D(2019, 5, 1), None),
        ("平成31年4月30日", D(2019, 4, 30), None),
        ("2025/07/19 更新", D(2025, 7, 19), None),
        ("2025/7/19 10:05", D(2025, 7, 19), T(10, 5)),
        ("2025.07.19", D(2025, 7, 19), None),
        ("2025/6/26 10:15（最終更新 6/26 12:03）", D(2025, 6, 26), T(10, 15)),
    ],
)
def test_japanese_date_forms(line: str, day: datetime.date, time: datetime.time | None) -> None:
    found = find_date(line)
    assert found is not None
    assert found.day == day
    assert found.time == time


@pytest.mark.parametrize(
    "line",
    [
        "2025年7月23日 14時30分",
        "令和7年7月23日 14時30分",
        "2025/7/19 10:05 配信",
    ],
)
def test_a_japanese_time_without_a_stated_zone_stays_unzoned(line: str) -> None:
    found = find_date(line)
    assert found is not None and found.time is not None
    assert found.zone is None and not found.has_time
    assert "stated without a time zone" in found.describe()
    # Stored as the day at noon UTC, like any date whose instant is not known.
    assert found.to_aware() == datetime.datetime(
        found.day.year, found.day.month, found.day.day, 12, tzinfo=datetime.UTC
    )


def tokyo(year: int, month: int, day: int, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TOKYO)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2025年7月23日 14時30分 JST", tokyo(2025, 7, 23, 14, 30)),
        ("2025年7月23日 14:30（JST）", tokyo(2025, 7, 23, 14, 30)),
        ("令和7年7月23日 14時30分 JST", tokyo(2025, 7, 23, 14, 30)),
        ("日本時間2025年7月23日午前10時", tokyo(2025, 7, 23, 10, 0)),
        ("2025年7月23日（水）10時5分（日本時間）", tokyo(2025, 7, 23, 10, 5)),
        ("2025/7/23 14:30 한국시간", datetime.datetime(2025, 7, 23, 14, 30, tzinfo=SEOUL)),
    ],
)
def test_a_time_stated_with_its_zone_is_aware(line: str, expected: datetime.datetime) -> None:
    found = find_date(line)
    assert found is not None and found.has_time
    assert found.to_aware() == expected
    assert found.to_aware().utcoffset() == datetime.timedelta(hours=9)
    assert found.zone == expected.tzinfo


@pytest.mark.parametrize(
    "line",
    [
        "7月23日",
        "7月23日 14時30分",
        "7/23(水) 9:15配信",
        "23日午後、赤沢氏は会見した",
        "令和元年4月1日",  # the Reiwa era began on 1 May 2019
        "平成32年1月1日",  # and Heisei ended on 30 April 2019
        "令和7年2月30日",
    ],
)
def test_a_date_without_a_year_or_a_valid_era_year_is_no_date(line: str) -> None:
    assert find_date(line) is None


def test_a_duration_in_hours_is_no_time_of_day() -> None:
    found = find_date("2025年7月23日、協議は24時間続いた")
    assert found is not None and found.time is None
    found = find_date("2025年7月23日、協議は12時間に及んだ")
    assert found is not None and found.time is None


def test_the_date_span_covers_the_era_date_and_its_time() -> None:
    line = "更新 令和7年7月23日 14時30分"
    found = find_date(line)
    assert found is not None
    assert line[found.start : found.end] == "令和7年7月23日 14時30分"
