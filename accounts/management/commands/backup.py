"""`manage.py backup [--output DIR]`: pg_dump of the database, the media files and a manifest."""

from django.core.management.base import BaseCommand, CommandError

from accounts import backup


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu PostgreSQL (pg_dump --format=custom), thư mục media và "
        "manifest.json (số dòng mỗi bảng, SHA-256 mỗi tệp) vào thư mục "
        "sxsh-backup-<thời điểm UTC>/ (mặc định dưới var/backups/). Back up the PostgreSQL "
        "database, the media files and a manifest into a timestamped folder. PostgreSQL only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=None,
            help="thư mục chứa bản sao lưu / folder to write the backup in (default var/backups)",
        )

    def handle(self, *args, output, **options):
        try:
            path = backup.create_backup(output)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = backup.verify_backup(path)
        database = manifest["database"]
        self.stdout.write(
            f"Đã sao lưu / backed up «{database['name']}»: {len(database['tables'])} tables, "
            f"{database['rows']:,} rows; {manifest['media']['files']} media files."
        )
        self.stdout.write(str(path))
