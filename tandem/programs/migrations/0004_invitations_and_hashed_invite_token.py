import hashlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import tandem.programs.models


def hash_existing_tokens(apps, schema_editor):
    """Keep every join link working: store the SHA-256 of each plain-text token."""
    Programme = apps.get_model("programs", "Programme")
    for pk, token in Programme.objects.values_list("pk", "invite_token"):
        Programme.objects.filter(pk=pk).update(
            invite_token_hash=hashlib.sha256(token.encode()).hexdigest()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0003_proposedpair_skipped_open_match_mentee_full"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="programme",
            name="invite_token_hash",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(hash_existing_tokens, migrations.RunPython.noop),
        migrations.RemoveField(model_name="programme", name="invite_token"),
        migrations.AlterField(
            model_name="programme",
            name="invite_token_hash",
            field=models.CharField(
                default=tandem.programs.models.new_invite_token_hash, max_length=64, unique=True
            ),
        ),
        migrations.AddField(
            model_name="programme",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("id", "Indonesian")],
                default=tandem.programs.models.default_language,
                help_text="For people not yet on Tandem whose row gives no language.",
                max_length=8,
                verbose_name="language of invitations",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="source",
            field=models.CharField(
                choices=[
                    ("invite", "Invite link"),
                    ("invitation", "Accepted an invitation"),
                    ("csv", "CSV import"),
                    ("manager", "Added by a manager"),
                ],
                default="invite",
                max_length=10,
            ),
        ),
        migrations.CreateModel(
            name="EnrolmentImport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("rows", models.JSONField(blank=True, default=list)),
                ("status", models.CharField(choices=[("queued", "Waiting to start"), ("running", "Sending invitations"), ("done", "Done"), ("failed", "Failed")], default="queued", max_length=8)),
                ("total", models.PositiveIntegerField(default=0)),
                ("processed", models.PositiveIntegerField(default=0)),
                ("invited", models.PositiveIntegerField(default=0)),
                ("already", models.PositiveIntegerField(default=0)),
                ("error", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("programme", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="imports", to="programs.programme")),
            ],
            options={
                "verbose_name": "enrolment import",
                "verbose_name_plural": "enrolment imports",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="Invitation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("email", models.EmailField(max_length=254, verbose_name="email")),
                ("name", models.CharField(blank=True, max_length=150, verbose_name="name")),
                ("language", models.CharField(choices=[("en", "English"), ("id", "Indonesian")], max_length=8, verbose_name="language")),
                ("role", models.CharField(choices=[("manager", "Programme manager"), ("mentor", "Mentor"), ("mentee", "Mentee")], max_length=8, verbose_name="role")),
                ("token_hash", models.CharField(max_length=64, unique=True)),
                ("status", models.CharField(choices=[("pending", "Waiting for an answer"), ("accepted", "Accepted"), ("declined", "Declined")], default="pending", max_length=8)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("answered_at", models.DateTimeField(blank=True, null=True)),
                ("enrolment_import", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="invitations", to="programs.enrolmentimport")),
                ("invited_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("programme", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="invitations", to="programs.programme")),
                ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="programme_invitations", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "programme invitation",
                "verbose_name_plural": "programme invitations",
                "ordering": ["-created_at", "-pk"],
                "indexes": [models.Index(fields=["email", "status"], name="programs_in_email_c6280a_idx")],
                "constraints": [models.UniqueConstraint(condition=models.Q(("status", "pending")), fields=("programme", "email", "role"), name="programs_one_pending_invitation")],
            },
        ),
    ]
