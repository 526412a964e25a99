"""Demo people: the duty roster with the day's command chain, and login accounts.

The demo street runs 三班二运转 (the grid-centre plan: "值班员7名（每2人一组，1名机动）…
晚上23:00至次日上午7:00，转接属地派出所负责实时图像监控"): three crews of a shift leader and two
officers rotate over the day and evening shifts, a floater (机动) joins the day shift, and
the night is nobody's in the hall: its video watch goes to the police station
(``DUTY_PATTERN``, sent to every desk as the street's duty pattern).
"""

from __future__ import annotations

import datetime as dt
import random

SH = dt.timezone(dt.timedelta(hours=8))
SHIFTS = ("day", "evening", "night")  # 07-15, 15-23, 23-07 Asia/Shanghai
STAFFED = ("day", "evening")          # 三班二运转: the night is handed to the police station
#: the street's duty pattern (console.domain.roster.pattern_from_dict reads it)
DUTY_PATTERN = {
    "kind": "three_crews_two_shifts", "night_station": "上钢新村派出所",
    "officers_per_shift": 2, "crews": 3, "floaters": 1,
    "shifts": [{"name": "day", "start": "07:00", "end": "15:00"},
               {"name": "evening", "start": "15:00", "end": "23:00"},
               {"name": "night", "start": "23:00", "end": "07:00", "staffed": False}],
}
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红娟建国志文辉斌波宁琳婷雪晨昊宇浩然佳怡欣悦嘉俊峰"

DEMO_USERS = (("officer1", "officer"), ("officer2", "officer"), ("officer3", "officer"),
              ("officer4", "officer"), ("leader1", "shift_leader"), ("leader2", "shift_leader"),
              ("commander1", "commander"), ("commander2", "commander"), ("admin1", "admin"))
DEMO_PIN = "1234"


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        n = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))
        if n not in used:
            used.add(n)
            return n


class People:
    """Everyone on the hall's roster, deterministic from the seed."""

    def __init__(self, seed: int):
        rng = random.Random(f"people:{seed}")
        used: set[str] = set()
        self.persons: dict[str, dict] = {}

        def add(pid, role):
            self.persons[pid] = {"id": pid, "name": _name(rng, used), "role": role,
                                 "phone": f"13{rng.randrange(0, 10)}{rng.randrange(10**7, 10**8)}"}
            return pid
        for uid, role in DEMO_USERS:
            add(uid, role)
        self.commanders = ["commander1", "commander2"] + [add(f"p-cmd{i}", "commander") for i in range(3, 8)]
        leaders = ["leader1", "leader2"] + [add(f"p-ldr{i}", "shift_leader") for i in range(3, 5)]
        officers = ["officer1", "officer2", "officer3", "officer4"] + \
            [add(f"p-off{i:02d}", "officer") for i in range(5, 17)]
        # four teams (班组) of one leader and four officers (the generated history's desks);
        # the roster's three crews (每2人一组) are the first three teams' leader and first
        # two officers, and the floater (1名机动) the fourth team's first officer
        self.teams = [(leaders[i], officers[i * 4:(i + 1) * 4]) for i in range(4)]
        self.crews = [(leader, offs[:2]) for leader, offs in self.teams[:3]]
        self.floater = self.teams[3][1][0]

    def users(self) -> list[dict]:
        """Login accounts (simulator.accounts adds their KDF salt and state): everyone on
        the roster has one, so whoever is on duty can log in and act (the demo's first
        accounts, DEMO_USERS, come first)."""
        return [{"id": pid, "name": p["name"], "role": p["role"]} for pid, p in self.persons.items()]

    def roster(self, first: dt.date, last: dt.date) -> list[dict]:
        out = []
        day = first
        while day <= last:
            k = day.toordinal()
            # the day's command chain (指挥长 → 常务副指挥长 → 副指挥长): three street leaders
            n = len(self.commanders)
            for i, role in enumerate(("commander", "executive_deputy", "deputy")):
                out.append(self._entry(day, "all", role, self.persons[self.commanders[(k + i) % n]]))
            for si, shift in enumerate(STAFFED):   # three crews over two staffed shifts
                leader, officers = self.crews[(k + si) % 3]
                out.append(self._entry(day, shift, "shift_leader", self.persons[leader]))
                for o in officers:
                    out.append(self._entry(day, shift, "officer", self.persons[o]))
            out.append(self._entry(day, "day", "officer", self.persons[self.floater]))
            day += dt.timedelta(days=1)
        return out

    @staticmethod
    def _entry(day: dt.date, shift: str, role: str, p: dict) -> dict:
        return {"id": f"{day.isoformat()}:{shift}:{role}:{p['id']}", "date": day.isoformat(),
                "shift": shift, "role": role, "person_id": p["id"], "name": p["name"],
                "phone": p["phone"]}
