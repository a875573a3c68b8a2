"""The roster: places, teams and their people, vehicles and duty shifts, leaders."""
import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import db


class PlaceKind(enum.StrEnum):
    """What a place is: a township, or a gacha (village) or community within one."""

    township = "township"
    gacha = "gacha"
    community = "community"


class MemberRole(enum.StrEnum):
    """A team member's role: captain (the grid worker), member, doctor (counts for medical requests), driver."""

    captain = "captain"
    member = "member"
    doctor = "doctor"
    driver = "driver"


class MemberKind(enum.StrEnum):
    """Who a member is in the township's team ledger (团队统计表); optional in the roster."""

    cadre = "cadre"  # 嘎查干部
    grid_worker = "grid_worker"  # 网格员
    party_member = "party_member"  # 党员中心户
    first_secretary = "first_secretary"  # 驻村第一书记
    doctor = "doctor"  # 村医
    volunteer = "volunteer"  # 志愿者


class LeaderRole(enum.StrEnum):
    """A leader's role: it sets what they see on the dashboard and which escalations they are texted."""

    gacha_secretary = "gacha_secretary"
    township_leader = "township_leader"
    admin = "admin"  # sees and acts on every place; never texted on escalations (those go by place)
    market_regulator = "market_regulator"  # receives price-gouging and fake-goods reports for their place


class Language(enum.StrEnum):
    """A language a person hears or reads: Mongolian in the traditional script (mn, as Inner Mongolia writes it),
    Mongolian in Cyrillic (mn-Cyrl, for the few who read it) or Chinese (zh). Stored by member name."""

    mn = "mn"
    mn_cyrl = "mn-Cyrl"
    zh = "zh"


class Place(db.Model):
    """A township, gacha or community of the roster, with its parent, its point and its contact-card number."""

    __tablename__ = "place"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_mn: Mapped[str | None] = mapped_column(String(200))  # the Mongolian name (traditional script)
    kind: Mapped[PlaceKind]
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    # The gacha number printed on contact cards, keyed by unknown callers on the voice line ("301").
    short_number: Mapped[str | None] = mapped_column(String(8), unique=True)

    parent: Mapped["Place | None"] = relationship(remote_side=[id])

    def lineage(self) -> list["Place"]:
        """This place and its ancestors, nearest first (gacha, then township)."""
        chain, place = [], self
        while place is not None and place not in chain:
            chain.append(place)
            place = place.parent
        return chain


class Team(db.Model):
    """A warm-service team of the roster: its place, the base it sets out from, its members and vehicles."""

    __tablename__ = "team"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_mn: Mapped[str | None] = mapped_column(String(200))  # the Mongolian name (traditional script)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"))
    base_lat: Mapped[float]
    base_lon: Mapped[float]

    place: Mapped[Place] = relationship()
    members: Mapped[list["Member"]] = relationship(back_populates="team", order_by="Member.id")
    vehicles: Mapped[list["Vehicle"]] = relationship(back_populates="team")


class Member(db.Model):
    """A team member of the roster: their phone (how their replies are recognised), team, role and language."""

    __tablename__ = "member"
    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    # Indexed: a team's members are read per offer, and the ranking asks which nearby teams have a doctor.
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    role: Mapped[MemberRole]
    kind: Mapped[MemberKind | None]
    language: Mapped[Language] = mapped_column(default=Language.zh)  # what they hear on the voice line
    sms_language: Mapped[Language | None]  # what they are texted, when it differs from what they hear

    team: Mapped[Team] = relationship(back_populates="members")

    @property
    def text_language(self) -> str:
        """The language the member's SMS are written in: sms_language, else language."""
        return str(self.sms_language or self.language)

    @property
    def actor_name(self) -> str:
        """How the member is named on a request's timeline: name and team."""
        return f"{self.name}（{self.team.name}）"


class Leader(db.Model):
    """A gacha secretary, township leader or admin: signs in to the dashboard; the first two hear of escalations."""

    __tablename__ = "leader"
    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"))
    role: Mapped[LeaderRole]
    language: Mapped[Language] = mapped_column(default=Language.zh)  # what they hear on the voice line
    sms_language: Mapped[Language | None]  # what they are texted, when it differs from what they hear
    # The dashboard password (werkzeug hash); None until the leader sets one after a first SMS-code sign-in.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    password_failures: Mapped[int] = mapped_column(default=0)  # wrong passwords in a row
    password_locked_until: Mapped[datetime | None]
    # Part of every dashboard session's id: raised at sign-out and at a new password, so each older cookie,
    # copied or not, signs nobody in.
    session_version: Mapped[int] = mapped_column(default=0)
    # Sign-in lock-outs (too many wrong passwords, or codes asked for too often) within a day of each other:
    # from the second, the leader is told by SMS.
    lockouts: Mapped[int] = mapped_column(default=0)
    last_lockout_at: Mapped[datetime | None]

    place: Mapped[Place] = relationship()

    @property
    def text_language(self) -> str:
        """The language the leader's SMS are written in: sms_language, else language."""
        return str(self.sms_language or self.language)


class Vehicle(db.Model):
    """A team's emergency vehicle, by plate; a team is sent only when its duty shift has one."""

    __tablename__ = "vehicle"
    id: Mapped[int] = mapped_column(primary_key=True)
    plate: Mapped[str] = mapped_column(String(20), unique=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    kind: Mapped[str] = mapped_column(String(40))
    seats: Mapped[int]

    team: Mapped[Team] = relationship(back_populates="vehicles")


# Who is on a shift (the roster's shifts.member_phones); a shift with nobody listed has the whole team on it.
shift_member = Table(
    "duty_shift_member", db.metadata,
    Column("shift_id", ForeignKey("duty_shift.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("member.id", ondelete="CASCADE"), primary_key=True),
)


class DutyShift(db.Model):
    """A period when a team is on emergency duty, with the vehicle it has and the cadre who leads it."""

    __tablename__ = "duty_shift"
    # A team cannot start two shifts at the same moment: this is the shift's key on re-import.
    __table_args__ = (UniqueConstraint("team_id", "starts_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicle.id"))
    lead_member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))

    team: Mapped[Team] = relationship()
    vehicle: Mapped[Vehicle | None] = relationship()
    lead: Mapped[Member | None] = relationship()
    listed_members: Mapped[list[Member]] = relationship(secondary=shift_member, order_by="Member.id")

    @property
    def on_duty(self) -> list[Member]:
        """The members on this shift: those the roster lists for it, or the whole team when it lists nobody."""
        return list(self.listed_members) or list(self.team.members)

    @classmethod
    def covering(cls, now: datetime):
        """Select the shifts that cover the moment `now`."""
        return select(cls).where(cls.starts_at <= now, cls.ends_at > now)
