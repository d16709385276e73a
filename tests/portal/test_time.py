"""PT-03: Asia/Almaty from tzdata, aware datetimes."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone


def test_pt03_time_zone_is_almaty_with_aware_datetimes():
    """PT-03: TIME_ZONE Asia/Almaty, USE_TZ on, now() is aware."""
    assert settings.TIME_ZONE == "Asia/Almaty"
    assert settings.USE_TZ is True
    assert timezone.is_aware(timezone.now())


def test_pt03_offset_comes_from_tzdata_not_a_fixed_value():
    """PT-03: UTC+6 before 1 March 2024, UTC+5 since (the 2024 change), so no fixed offset is used."""
    after = timezone.localtime(datetime(2026, 11, 23, 4, 0, tzinfo=UTC))
    before = timezone.localtime(datetime(2023, 11, 23, 4, 0, tzinfo=UTC))
    assert after.utcoffset() == timedelta(hours=5)
    assert after.hour == 9
    assert before.utcoffset() == timedelta(hours=6)
