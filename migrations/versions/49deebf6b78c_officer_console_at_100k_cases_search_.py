"""officer console at 100k cases: search terms and covering indexes

Revision ID: 49deebf6b78c
Revises: 60b80f273458
Create Date: 2026-11-29 03:17:04.879688

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '49deebf6b78c'
down_revision = '60b80f273458'
branch_labels = None
depends_on = None

OVERALL_STOPPED = {
    'sqlite_where': sa.text("name = 'overall' AND is_running IS 0"),
    'postgresql_where': sa.text("name = 'overall' AND is_running IS false"),
}
RUNNING = {'sqlite_where': sa.text('is_running IS 1'), 'postgresql_where': sa.text('is_running IS true')}
BATCH = 5000


def _backfill_search_terms():
    """Terms for the cases already there, in batches by id (the same words the case services write)."""
    from talentcase.cases.search import terms_of

    bind = op.get_bind()
    cases = sa.table(
        'cases',
        sa.column('id', sa.Integer),
        sa.column('reference', sa.String),
        sa.column('full_name', sa.String),
        sa.column('chinese_name', sa.String),
        sa.column('passport_number', sa.String),
    )
    terms = sa.table('case_search_terms', sa.column('term', sa.String), sa.column('case_id', sa.Integer))
    last_id = 0
    while True:
        rows = bind.execute(
            sa.select(cases.c.id, cases.c.reference, cases.c.full_name, cases.c.chinese_name, cases.c.passport_number)
            .where(cases.c.id > last_id)
            .order_by(cases.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        values = [
            {'term': term, 'case_id': case_id}
            for case_id, reference, full_name, chinese_name, passport in rows
            for term in terms_of(reference, full_name or '', chinese_name or '', passport or '')
        ]
        if values:
            bind.execute(sa.insert(terms), values)
        last_id = rows[-1][0]


def upgrade():
    op.create_table('case_search_terms',
    sa.Column('term', sa.String(length=100).with_variant(sa.String(length=100, collation='C'), 'postgresql'), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_search_terms_case_id_cases')),
    sa.PrimaryKeyConstraint('term', 'case_id', name=op.f('pk_case_search_terms'))
    )
    with op.batch_alter_table('case_search_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_search_terms_case_id'), ['case_id'], unique=False)
    _backfill_search_terms()

    with op.batch_alter_table('case_clocks', schema=None) as batch_op:
        batch_op.drop_index('ix_case_clocks_overall_stopped', **OVERALL_STOPPED)
        batch_op.create_index('ix_case_clocks_overall_stopped', ['stopped_on', 'started_on', 'state', 'case_id', 'name', 'is_running'], unique=False, **OVERALL_STOPPED)
        batch_op.drop_index('ix_case_clocks_running_due', **RUNNING)
        batch_op.create_index('ix_case_clocks_running_due', ['due_on', 'at_risk_on', 'is_paused', 'name', 'case_id', 'is_running'], unique=False, **RUNNING)
        batch_op.create_index('ix_case_clocks_case_next_due', ['case_id', 'is_running', 'is_paused', 'due_on'], unique=False)

    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.create_index('ix_case_events_case_officer', ['case_id', 'actor_role', 'id'], unique=False)

    # The officer who acted last, from the log (the officers' events index above serves the lookup per case).
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_officer_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE cases SET last_officer_id = (SELECT e.actor_id FROM case_events e WHERE e.case_id = cases.id "
        "AND e.actor_role = 'officer' ORDER BY e.id DESC LIMIT 1)"
    )

    # The next-due-date sort key, from the cached clock rows (as sla.services.refresh_clocks writes it from now on).
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_order_on', sa.Date(), server_default='9999-12-31', nullable=False))
    op.execute(
        "UPDATE cases SET due_order_on = (SELECT min(c.due_on) FROM case_clocks c WHERE c.case_id = cases.id "
        "AND c.is_running = true AND c.is_paused = false) "
        "WHERE EXISTS (SELECT 1 FROM case_clocks c WHERE c.case_id = cases.id "
        "AND c.is_running = true AND c.is_paused = false)"
    )

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_due_order', ['due_order_on', 'id'], unique=False)
        batch_op.create_index('ix_cases_name_order', ['full_name', 'id'], unique=False)
        batch_op.create_index('ix_cases_opened_order', ['opened_on', 'id'], unique=False)
        batch_op.create_index('ix_cases_last_officer', ['last_officer_id'], unique=False)
        batch_op.create_index('ix_cases_status_submitted', ['status', 'submitted_on', 'paused_party'], unique=False)
        batch_op.create_index('ix_cases_area_status_company', ['tech_area', 'status', 'company_id'], unique=False)
        batch_op.create_index('ix_cases_quota_place', ['quota_id', 'quota_place'], unique=False)
        batch_op.create_index('ix_cases_id_company_status', ['id', 'company_id', 'status'], unique=False)


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_id_company_status')
        batch_op.drop_index('ix_cases_quota_place')
        batch_op.drop_index('ix_cases_area_status_company')
        batch_op.drop_index('ix_cases_status_submitted')
        batch_op.drop_index('ix_cases_last_officer')
        batch_op.drop_index('ix_cases_opened_order')
        batch_op.drop_index('ix_cases_name_order')
        batch_op.drop_index('ix_cases_due_order')
        batch_op.drop_column('due_order_on')
        batch_op.drop_column('last_officer_id')

    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index('ix_case_events_case_officer')

    with op.batch_alter_table('case_clocks', schema=None) as batch_op:
        batch_op.drop_index('ix_case_clocks_case_next_due')
        batch_op.drop_index('ix_case_clocks_running_due', **RUNNING)
        batch_op.create_index('ix_case_clocks_running_due', ['due_on'], unique=False, **RUNNING)
        batch_op.drop_index('ix_case_clocks_overall_stopped', **OVERALL_STOPPED)
        batch_op.create_index('ix_case_clocks_overall_stopped', ['stopped_on'], unique=False, **OVERALL_STOPPED)

    with op.batch_alter_table('case_search_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_search_terms_case_id'))

    op.drop_table('case_search_terms')
