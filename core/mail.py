"""The console mail backend of `make run` and `consolemail://`, readable: Django's writes the
message as sent, and a Vietnamese body goes out base64-encoded (Django 6.1), so a set-password
link in the terminal could not be read. This one writes the headers that matter and the text
body as it is."""

from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message):
        lines = [
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
        ]
        if message.cc:
            lines.append(f"Cc: {', '.join(message.cc)}")
        if message.bcc:
            lines.append(f"Bcc: {', '.join(message.bcc)}")
        lines += [f"Subject: {message.subject}", "", str(message.body)]
        for attachment in getattr(message, "attachments", []):
            name = getattr(attachment, "filename", None) or attachment[0]
            lines.append(f"[attachment: {name}]")
        self.stream.write("\n".join(lines) + "\n" + "-" * 79 + "\n")
