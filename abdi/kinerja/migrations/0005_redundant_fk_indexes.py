# Drops four single-column foreign-key indexes that a composite index already leads with
# (see the models' comments). The database side only drops (or, reversed, recreates) the
# indexes by name: AlterField would also drop and re-add each foreign key, which re-checks
# every row of the table.

import django.db.models.deletion
from django.db import migrations, models

INDEXES = [
    ("kinerja_consequence_employee_id_928d94a2", "kinerja_consequence", "employee_id"),
    ("kinerja_consequence_year_id_436c49f1", "kinerja_consequence", "year_id"),
    ("kinerja_periodevaluation_employee_id_b9548541", "kinerja_periodevaluation", "employee_id"),
    ("kinerja_periodevaluation_year_id_10fc9d12", "kinerja_periodevaluation", "year_id"),
]


class Migration(migrations.Migration):

    dependencies = [
        ('kinerja', '0004_evaluation_predicate_unindexed'),
        ('organisations', '0002_position_kind_staff_label'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")',
                )
                for name, table, column in INDEXES
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='consequence',
                    name='employee',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='consequences', to='organisations.employee', verbose_name='employee'),
                ),
                migrations.AlterField(
                    model_name='consequence',
                    name='year',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='kinerja.performanceyear', verbose_name='performance year'),
                ),
                migrations.AlterField(
                    model_name='periodevaluation',
                    name='employee',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='evaluations', to='organisations.employee', verbose_name='employee'),
                ),
                migrations.AlterField(
                    model_name='periodevaluation',
                    name='year',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='evaluations', to='kinerja.performanceyear', verbose_name='performance year'),
                ),
            ],
        ),
    ]
