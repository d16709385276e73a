# PT-02: Russian formats as Django ships them, with the 24-hour time used in Kazakhstan.
from django.conf.locale.ru.formats import *  # noqa: F403

SHORT_DATETIME_FORMAT = "d.m.Y H:i"
