"""Daily tasks that ran: one row per task and local day, so a task runs once a day whatever the number of workers."""
from datetime import date, datetime

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import db


class DailyRun(db.Model):
    """A daily task (the register's round, the leaders' digest) that has run for one local day."""

    __tablename__ = "daily_run"
    task: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    at: Mapped[datetime]
