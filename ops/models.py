from django.db import models


class Heartbeat(models.Model):
    """Last time a process (worker, beat) proved it was alive; shown on /healthz."""

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()

    class Meta:
        # Moved from accounts (issue 12) without moving its table: state-only migrations.
        db_table = "accounts_heartbeat"

    def __str__(self):
        return f"{self.name} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
