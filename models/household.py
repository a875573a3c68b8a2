"""Households: who lives where, how to reach them, and what makes them vulnerable."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import db
from .roster import Language, Place


class Risk(enum.StrEnum):
    """A household's health-risk colour, as some places mark them: red high, yellow middle, green low."""

    red = "red"
    yellow = "yellow"
    green = "green"


NEEDS = ("elderly_alone", "disabled", "pregnant", "seriously_ill", "child_in_difficulty", "unvaccinated_60")


class Household(db.Model):
    """A herder household of the roster: its head, place and position, language, needs, risk and paired contact."""

    __tablename__ = "household"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    head_name: Mapped[str] = mapped_column(String(100))
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    language: Mapped[Language] = mapped_column(default=Language.zh)  # what they hear on the voice line
    sms_language: Mapped[Language | None]  # what they are texted, when it differs (many elders read only Chinese)
    needs: Mapped[str] = mapped_column(String(200), default="")  # ';'-separated NEEDS
    risk: Mapped[Risk | None]
    contact_phone: Mapped[str | None] = mapped_column(String(20))  # the paired contact (包联): a member, or not
    contact_name: Mapped[str | None] = mapped_column(String(100))  # names a paired contact who is not a member
    # When the township leader was told the household was overdue twice in a row: told once until reached again.
    overdue_told_at: Mapped[datetime | None]

    place: Mapped[Place] = relationship()
    phones: Mapped[list["HouseholdPhone"]] = relationship(
        back_populates="household", cascade="all, delete-orphan"
    )

    @property
    def text_language(self) -> str:
        """The language the household's SMS are written in: sms_language, else language."""
        return str(self.sms_language or self.language)

    @property
    def need_list(self) -> list[str]:
        """The household's needs (NEEDS values), in roster order."""
        return [need for need in self.needs.split(";") if need]

    @property
    def on_register(self) -> bool:
        """On the register of vulnerable residents: any need, or risk red or yellow (design.md)."""
        return bool(self.need_list) or self.risk in (Risk.red, Risk.yellow)


class HouseholdPhone(db.Model):
    """A phone the household calls or texts from, by which an inbound call or SMS is matched to it."""

    __tablename__ = "household_phone"
    __table_args__ = (UniqueConstraint("household_id", "phone"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    phone: Mapped[str] = mapped_column(String(20), index=True)

    household: Mapped[Household] = relationship(back_populates="phones")
