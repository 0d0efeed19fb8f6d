"""Parallel proceedings become one record per review.

The Terms of Reference kept their own list of parallel processes (copied into each new version),
which publication never read, so a prosecution recorded there did not stop publication. Each
process moves into the review's proceedings, which the Terms of Reference and publication now
both read and change:

- a process in the latest version becomes a proceeding; its copies in earlier versions (same kind,
  status, date and notes) are the same fact, and their change history becomes its history;
- a process that a later version dropped, or that was removed from a draft, is kept in the
  proceedings' history as added and then removed, so it stops nothing but is not lost;
- where publication already records a proceeding of the same kind, the process is merged into it:
  its notes are added when they differ, and its own history is kept as a removed record.

"Planned" becomes "Expected" (the word the publication page used for the same status).
"""

from django.db import migrations, models
from django.utils import timezone

STATUS = {"planned": "expected", "ongoing": "ongoing", "concluded": "concluded"}
MOVED = "Moved from the Terms of Reference into the review's one record of proceedings"


def _fields(process) -> dict:
    return {
        "kind": process.kind,
        "status": STATUS.get(process.status, process.status),
        "expected_date": process.expected_date,
        "notes": process.notes,
    }


def _key(process) -> tuple:
    return (process.kind, process.status, process.expected_date, process.notes)


def _copy_history(HistoricalProceeding, rows, *, proceeding_id, review_id, recorded_by_id):
    """Write `rows` (a process's history, oldest first) as the history of `proceeding_id`: the
    first addition stays an addition, a copy into a later version is a change."""
    added = False
    for row in rows:
        kind = row.history_type
        reason = row.history_change_reason
        if kind == "+" and added:
            kind, reason = "~", reason or "Carried into a new version of the Terms of Reference"
        added = added or kind == "+"
        HistoricalProceeding.objects.create(
            id=proceeding_id,
            review_id=review_id,
            recorded_by_id=recorded_by_id,
            description="",
            concluded_on=None,
            history_date=row.history_date,
            history_user_id=row.history_user_id,
            history_type=kind,
            history_change_reason=reason,
            **_fields(row),
        )


def _history_only(Proceeding, HistoricalProceeding, rows, *, review_id, recorded_by_id, why):
    """Keep a process that no longer stands as a proceeding added and then removed, in history
    only (a row is made and deleted to take an id that no live proceeding will reuse)."""
    placeholder = Proceeding.objects.create(
        review_id=review_id, recorded_by_id=recorded_by_id, kind="other", status="expected"
    )
    proceeding_id = placeholder.pk
    placeholder.delete()
    _copy_history(
        HistoricalProceeding,
        rows,
        proceeding_id=proceeding_id,
        review_id=review_id,
        recorded_by_id=recorded_by_id,
    )
    last = rows[-1]
    if last.history_type != "-":
        HistoricalProceeding.objects.create(
            id=proceeding_id,
            review_id=review_id,
            recorded_by_id=recorded_by_id,
            description="",
            concluded_on=None,
            history_date=timezone.now(),
            history_user_id=None,
            history_type="-",
            history_change_reason=why,
            **_fields(last),
        )


def _merge_into(same_kind, process, rows, Proceeding, HistoricalProceeding, recorded_by):
    """Merge a process into the proceeding of its kind that publication already records: its
    notes are added when they differ, and its own history is kept as a removed record."""
    if process.notes and process.notes not in same_kind.notes:
        addition = f"From the Terms of Reference: {process.notes}"
        same_kind.notes = "\n\n".join(n for n in (same_kind.notes, addition) if n)
        same_kind.save(update_fields=["notes"])
        HistoricalProceeding.objects.create(
            id=same_kind.pk,
            review_id=same_kind.review_id,
            recorded_by_id=same_kind.recorded_by_id,
            kind=same_kind.kind,
            description=same_kind.description,
            status=same_kind.status,
            expected_date=same_kind.expected_date,
            concluded_on=same_kind.concluded_on,
            notes=same_kind.notes,
            history_date=timezone.now(),
            history_user_id=None,
            history_type="~",
            history_change_reason="Notes added from the Terms of Reference",
        )
    if rows:
        _history_only(
            Proceeding,
            HistoricalProceeding,
            rows,
            review_id=same_kind.review_id,
            recorded_by_id=recorded_by,
            why=f"Merged into proceeding {same_kind.pk}, recorded for publication",
        )


def move_parallel_processes(apps, schema_editor):
    TermsOfReference = apps.get_model("reviews", "TermsOfReference")
    ParallelProcess = apps.get_model("reviews", "ParallelProcess")
    HistoricalParallelProcess = apps.get_model("reviews", "HistoricalParallelProcess")
    Proceeding = apps.get_model("reviews", "Proceeding")
    HistoricalProceeding = apps.get_model("reviews", "HistoricalProceeding")

    history = {}
    for row in HistoricalParallelProcess.objects.order_by("history_date", "history_id"):
        history.setdefault(row.id, []).append(row)
    terms_of = {t.pk: t for t in TermsOfReference.objects.all()}
    # What publication recorded before the move, the first of each kind per review.
    recorded_for_publication = {}
    for proceeding in Proceeding.objects.order_by("-pk"):
        recorded_for_publication[(proceeding.review_id, proceeding.kind)] = proceeding
    review_ids = {t.review_id for t in terms_of.values()}

    for review_id in sorted(review_ids):
        versions = sorted(
            (t for t in terms_of.values() if t.review_id == review_id), key=lambda t: t.version
        )
        if not versions:
            continue
        latest = versions[-1]
        fallback_user = latest.created_by_id
        # Group each version's processes with their copies in the other versions.
        groups: dict[tuple, list] = {}
        for terms in versions:
            seen: dict[tuple, int] = {}
            for process in ParallelProcess.objects.filter(terms=terms).order_by("pk"):
                key = _key(process)
                seen[key] = seen.get(key, 0) + 1
                groups.setdefault((*key, seen[key]), []).append(process)
        live_ids = set()
        for processes in groups.values():
            ids = [p.pk for p in processes]
            live_ids.update(ids)
            rows = sorted(
                (r for pk in ids for r in history.get(pk, [])),
                key=lambda r: (r.history_date, r.history_id),
            )
            recorded_by = next((r.history_user_id for r in rows if r.history_user_id), None)
            recorded_by = recorded_by or terms_of[processes[0].terms_id].created_by_id
            current = processes[-1]
            if current.terms_id != latest.pk:
                if rows:
                    _history_only(
                        Proceeding,
                        HistoricalProceeding,
                        rows,
                        review_id=review_id,
                        recorded_by_id=recorded_by,
                        why="Not carried into the latest version of the Terms of Reference",
                    )
                continue
            same_kind = recorded_for_publication.get((review_id, current.kind))
            if same_kind is not None:
                _merge_into(same_kind, current, rows, Proceeding, HistoricalProceeding, recorded_by)
                continue
            proceeding = Proceeding.objects.create(
                review_id=review_id,
                recorded_by_id=recorded_by or fallback_user,
                description="",
                concluded_on=None,
                **_fields(current),
            )
            _copy_history(
                HistoricalProceeding,
                rows,
                proceeding_id=proceeding.pk,
                review_id=review_id,
                recorded_by_id=proceeding.recorded_by_id,
            )
            HistoricalProceeding.objects.create(
                id=proceeding.pk,
                review_id=review_id,
                recorded_by_id=proceeding.recorded_by_id,
                description="",
                concluded_on=None,
                history_date=timezone.now(),
                history_user_id=None,
                history_type="~" if rows else "+",
                history_change_reason=MOVED[:100],
                **_fields(current),
            )
        # Processes removed from a draft live in history only: keep them there.
        for pk, rows in history.items():
            if pk in live_ids or terms_of.get(rows[0].terms_id) is None:
                continue
            if terms_of[rows[0].terms_id].review_id != review_id:
                continue
            recorded_by = next((r.history_user_id for r in rows if r.history_user_id), None)
            _history_only(
                Proceeding,
                HistoricalProceeding,
                rows,
                review_id=review_id,
                recorded_by_id=recorded_by or fallback_user,
                why="Removed from the Terms of Reference",
            )


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0011_child_social_care_status'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalproceeding',
            name='kind',
            field=models.CharField(choices=[('criminal', 'Criminal proceedings'), ('coroner', "Coroner's inquest"), ('family_court', 'Family court proceedings'), ('hr', 'HR or disciplinary process'), ('dhr', 'Domestic homicide review'), ('sar', 'Safeguarding adults review'), ('other', 'Other')], max_length=20),
        ),
        migrations.AlterField(
            model_name='proceeding',
            name='kind',
            field=models.CharField(choices=[('criminal', 'Criminal proceedings'), ('coroner', "Coroner's inquest"), ('family_court', 'Family court proceedings'), ('hr', 'HR or disciplinary process'), ('dhr', 'Domestic homicide review'), ('sar', 'Safeguarding adults review'), ('other', 'Other')], max_length=20),
        ),
        migrations.RunPython(move_parallel_processes, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='parallelprocess',
            name='terms',
        ),
        migrations.DeleteModel(
            name='HistoricalParallelProcess',
        ),
        migrations.DeleteModel(
            name='ParallelProcess',
        ),
    ]
