"""The street plan's ways in (人大代表和政协委员社区接待, 市民巡访, 网络媒体, 第三方监督, 基层直报)
are channels the platform sends and the desk files and filters by, like any other."""

from __future__ import annotations

import collections
import random

from console.domain.model import Channel
from simulator import factory, geo


def test_the_platform_sends_every_way_in_and_the_rest_of_a_seeded_history_stays():
    street = geo.build_street(1)
    seen = collections.Counter()
    for i in range(4000):
        f = factory.ticket_fields(street, random.Random(i), 1_795_300_000.0 + i * 97.0)
        seen[f["channel"]] += 1
        if f["channel"] == Channel.GRASSROOTS:
            assert f["description"].startswith("居委会直报：")
    for way in (Channel.GRASSROOTS, Channel.DEPUTY_RECEPTION, Channel.CITIZEN_VISIT, Channel.ONLINE_MEDIA,
                Channel.THIRD_PARTY):
        assert seen[way] > 10, way
    assert seen[Channel.HOTLINE_12345] > seen[Channel.GRASSROOTS] > seen[Channel.THIRD_PARTY]
    # the category, place and the rest come from the same random draws as before
    a = factory.ticket_fields(street, random.Random(5), 1_795_300_000.0, channel=Channel.HOTLINE_12345)
    b = factory.ticket_fields(street, random.Random(5), 1_795_300_000.0, channel=Channel.GRASSROOTS)
    assert (a["category_code"], a["lat"], a["id"]) == (b["category_code"], b["lat"], b["id"])


def test_the_queue_filters_and_the_intake_form_offer_the_new_ways_in(qtbot, tmp_path):
    from PySide6.QtWidgets import QApplication

    from console.qt import i18n
    from views import labels as L

    offered = dict(L.choices(Channel))
    assert {Channel.GRASSROOTS.value, Channel.DEPUTY_RECEPTION.value, Channel.THIRD_PARTY.value} <= set(offered)
    app = QApplication.instance()
    i18n.install(app, "zh_CN", cache_dir=tmp_path / "qm")
    try:
        assert L.channel_label(Channel.GRASSROOTS.value) == "基层直报"
        assert L.channel_label(Channel.DEPUTY_RECEPTION.value) == "人大代表和政协委员社区接待"
    finally:
        i18n.install(app, "en", cache_dir=tmp_path / "qm")
