"""`manage.py restore PATH [--database-url URL] [--media-root DIR] [--yes]`."""

from django.core.management.base import BaseCommand, CommandError

from accounts import backup


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu của lệnh backup: kiểm tra SHA-256, pg_restore --clean "
        "--if-exists --no-owner vào cơ sở dữ liệu đích, giải nén media. Đích đã có dữ liệu thì "
        "cần --yes. Restore a backup made by `backup`: checksums first, then pg_restore into the "
        "target database and unpack the media; a target that holds data needs --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="thư mục sxsh-backup-… / the backup folder")
        parser.add_argument(
            "--database-url",
            default=None,
            help="cơ sở dữ liệu đích / target database (postgres://…; default: DATABASE_URL)",
        )
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

    def handle(self, *args, path, database_url, media_root, yes, **options):
        try:
            result = backup.restore_backup(
                path, database_url=database_url, media_root=media_root, confirmed=yes
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Đã khôi phục / restored «{result.database}»: {result.tables} tables, "
            f"{result.rows:,} rows (khớp manifest / match the manifest); "
            f"{result.media_files} media files in {result.media_root}."
        )
