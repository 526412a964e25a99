"""Plausible new tickets: channel mix, category by channel, place, words, reporter."""

from __future__ import annotations

import itertools
import random
import struct
import uuid
import zlib

from console.domain import category_rules, devices, lifecycle, timelimits
from console.domain.model import Channel, Priority, Ticket
from simulator import catalogue, geo
from simulator.roster import _SURNAMES

# hour-of-day weights (Asia/Shanghai): quiet nights, morning and afternoon peaks
HOURLY = (0.25, 0.15, 0.1, 0.1, 0.12, 0.25, 0.6, 1.1, 1.6, 1.9, 1.9, 1.6,
          1.2, 1.4, 1.7, 1.8, 1.7, 1.5, 1.3, 1.3, 1.2, 0.9, 0.6, 0.4)
HOURLY_MEAN = sum(HOURLY) / 24
CHANNELS = ((Channel.HOTLINE_12345, 40), (Channel.GRID_INSPECTOR, 25), (Channel.VIDEO_AI, 8),
            (Channel.DEPT_PATROL, 6), (Channel.JOINT_STATION, 5), (Channel.IOT_ALARM, 4),
            (Channel.HOTLINE_12319, 4), (Channel.SELF_FOUND, 5), (Channel.LEADER, 2), (Channel.MEDIA, 1))
_VIDEO_CODES = ("14001", "14002", "14003", "14004", "14005", "11001", "11003", "14007", "13003")
_IOT_CODES = ("15003", "15004", "15005", "15006", "01001", "01002", "01006", "16005")
SENSOR_CATEGORY = devices.SENSOR_CATEGORY
_SPECS = list(catalogue.CATALOGUE)
_SPEC_CUM = list(itertools.accumulate(s.weight for s in _SPECS))
_CHANNEL_LIST = [c for c, _ in CHANNELS]
_CHANNEL_CUM = list(itertools.accumulate(w for _, w in CHANNELS))
_DESC = ("{addr}附近发现{what}，影响市容和通行，请尽快处理。", "市民反映：{addr}{what}问题已持续数日，要求处置。",
         "巡查发现{addr}存在{what}情况，已拍照取证。", "{addr}{what}，存在安全隐患，请相关部门到场。")


def hour_weight(hour: int) -> float:
    return HOURLY[hour % 24] / HOURLY_MEAN


def rand_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


#: a share of the hotline's and the inspectors' work comes in the street plan's other ways
_OTHER_WAYS = ((Channel.GRASSROOTS, 0.05), (Channel.DEPUTY_RECEPTION, 0.015), (Channel.CITIZEN_VISIT, 0.02),
               (Channel.ONLINE_MEDIA, 0.02), (Channel.THIRD_PARTY, 0.015))


_WAY_IN_NOTE = {Channel.GRASSROOTS: "居委会直报：", Channel.DEPUTY_RECEPTION: "人大代表社区接待中反映：",
                Channel.CITIZEN_VISIT: "市民巡访发现：", Channel.ONLINE_MEDIA: "网络媒体反映：",
                Channel.THIRD_PARTY: "第三方监督发现："}


def _other_way_in(channel: Channel, created_at: float) -> Channel:
    """Some hotline and inspection tickets came in another way: decided from the creation
    instant (no draw from the history's random stream, so the rest of a seeded history is
    what it was)."""
    if channel not in (Channel.HOTLINE_12345, Channel.GRID_INSPECTOR):
        return channel
    u = random.Random(f"way-in:{created_at!r}").random()
    for other, share in _OTHER_WAYS:
        if u < share:
            return other
        u -= share
    return channel


def pick_spec(rng: random.Random, channel: Channel) -> catalogue.CatSpec:
    if channel == Channel.VIDEO_AI:
        return catalogue.BY_CODE[rng.choice(_VIDEO_CODES)]
    if channel == Channel.IOT_ALARM:
        return catalogue.BY_CODE[rng.choice(_IOT_CODES)]
    return rng.choices(_SPECS, cum_weights=_SPEC_CUM)[0]


def address(rng: random.Random) -> str:
    return f"{rng.choice(geo.ROADS)}{rng.randrange(1, 1200)}号"


def ticket_fields(street: geo.Street, rng: random.Random, created_at: float,
                  channel: Channel | None = None, spec: catalogue.CatSpec | None = None,
                  where: tuple[float, float, dict] | None = None) -> dict:
    """The fields of a plausible new ticket (for ``lifecycle.new_ticket``)."""
    if channel is None:
        channel = _other_way_in(rng.choices(_CHANNEL_LIST, cum_weights=_CHANNEL_CUM)[0], created_at)
    spec = spec or pick_spec(rng, channel)
    cat = spec.category
    lat, lon, grids = where or street.random_point(rng)
    r = rng.random()
    prio = Priority.CRITICAL if r < 0.03 else Priority.URGENT if r < 0.15 else Priority.NORMAL
    addr = address(rng)
    hotline = channel in (Channel.HOTLINE_12345, Channel.HOTLINE_12319)
    return dict(
        id=rand_uuid(rng), channel=channel, category_kind=cat.kind, category_code=cat.code,
        category_name=cat.small_name, big_code=cat.big_code, big_name=cat.big_name, priority=prio,
        lat=lat, lon=lon, address=addr, grids=grids,
        description=_WAY_IN_NOTE.get(channel, "") + rng.choice(_DESC).format(addr=addr, what=cat.small_name),
        reporter_name=(rng.choice(_SURNAMES) + rng.choice(("先生", "女士"))) if hotline else "",
        reporter_phone=f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}" if hotline else "",
        created_at=created_at, limit_hours=timelimits.limit_for(cat, prio), limit_mode=cat.limit_mode)


def new_ticket(street: geo.Street, rng: random.Random, created_at: float,
               channel: Channel | None = None, spec: catalogue.CatSpec | None = None,
               where: tuple[float, float, dict] | None = None) -> Ticket:
    t = lifecycle.new_ticket(**ticket_fields(street, rng, created_at, channel, spec, where))
    # 重点监管 from intake for a dangerous category, as for a desk's create (category_rules)
    cat = catalogue.BY_CODE.get(t.category_code)
    return category_rules.at_intake(t, cat is not None and cat.dangerous)


def tiny_png(rgb: tuple[int, int, int], w: int = 64, h: int = 48) -> bytes:
    """A small solid-colour PNG: stands in for a scene photo."""
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


