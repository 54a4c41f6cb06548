"""`manage.py restore PATH [--media-root DIR] [--yes]`: into the database of DATABASE_URL only."""

from django.core.management.base import BaseCommand, CommandError

from ops.backup_format import BackupError
from ops.backup_restore import restore_backup


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu của lệnh backup vào cơ sở dữ liệu của DATABASE_URL: kiểm tra "
        "chữ ký manifest (BACKUP_HMAC_KEY) và SHA-256, giải mã nếu cần "
        "(BACKUP_AGE_IDENTITY_FILE), pg_restore --clean --if-exists --no-owner, giải nén media. "
        "Đích đã có dữ liệu thì cần --yes. Từ chối bản sao lưu của phiên bản mới hơn và đích có "
        "dữ liệu ở phiên bản lược đồ khác; báo các migration cần chạy sau khi khôi phục bản cũ "
        "hơn. Restore a backup made by `backup` into the database of "
        "DATABASE_URL (no option names a database or a password): signature and checksums "
        "first, then decrypt, pg_restore and unpack the media; a target that holds data needs "
        "--yes. A backup from a newer release, or a target holding data on another schema "
        "version, is refused; after restoring an older backup the pending migrations are listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="thư mục sxsh-backup-… / the backup folder")
        parser.add_argument(
            "--media-root",
            default=None,
            help="thư mục media đích / target media folder (default: MEDIA_ROOT)",
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="xác nhận ghi đè đích đã có dữ liệu / confirm replacing a target that holds data",
        )

    def handle(self, *args, path, media_root, yes, **options):
        try:
            result = restore_backup(path, media_root=media_root, confirmed=yes)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Đã khôi phục / restored «{result.database}»: {result.tables} tables, "
            f"{result.rows:,} rows (khớp manifest / match the manifest); "
            f"{result.media_files} media files in {result.media_root}."
        )
        if result.pending:
            # The restore itself succeeded (exit 0); the schema is older than the code's.
            names = ", ".join(result.pending)
            self.stdout.write(
                self.style.WARNING(
                    f"CHÚ Ý: bản sao lưu thuộc phiên bản cũ hơn mã nguồn; còn "
                    f"{len(result.pending)} migration chưa áp dụng: {names}. Chạy ngay "
                    "python manage.py migrate trước khi mở lại portal.\n"
                    f"WARNING: the backup is from an older release; {len(result.pending)} "
                    f"migrations are not applied: {names}. Run python manage.py migrate now, "
                    "before starting the portal again."
                )
            )
