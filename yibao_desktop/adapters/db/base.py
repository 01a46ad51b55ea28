"""Declarative base with named constraints and the optimistic-locking version column."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """All tables; constraint names are fixed so Alembic batch migrations on SQLite work."""

    metadata = MetaData(naming_convention=NAMING)


class Versioned:
    """An editable record: `version` catches a stale edit from another clerk (optimistic locking)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, nullable=False, server_default=func.current_timestamp(), onupdate=func.current_timestamp()
    )

    @declared_attr.directive
    def __mapper_args__(cls):  # noqa: N805 - SQLAlchemy directive
        return {"version_id_col": cls.__table__.c.version}
