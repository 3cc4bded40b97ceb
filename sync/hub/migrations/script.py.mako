"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import sync.hub.types
% if message == "results":
from sync.hub import word_search
% endif
${imports if imports else ""}

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}
% if message == "results":
    # Not in the models (PostgreSQL only, needs an extension): sync/hub/word_search.py.
    word_search.create_trigram_indexes(op.get_bind())
% endif


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
