"""Attachments in an S3-compatible bucket, end to end against a real S3 server: moto's, run in
a thread of the test process on 127.0.0.1. The storage the settings build from
TANDEM_ATTACHMENTS_S3_* stores a file's bytes in the bucket (private, never a public URL),
Tandem's access-checked view streams them back to the pair, and deleting the attachment
removes the object."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.urls import reverse

from tandem.attachments import services
from tandem.attachments.tests.helpers import PDF, settings_with, upload
from tandem.matching.tests.helpers import require

pytestmark = pytest.mark.django_db(transaction=True)

require("storages")
require("moto")
import boto3  # noqa: E402
from moto import server as moto_server  # noqa: E402

BUCKET = "tandem-files"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def s3_endpoint(monkeypatch) -> Iterator[str]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port())
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_storage(s3_endpoint, monkeypatch, settings) -> Iterator[object]:
    """STORAGES["attachments"] exactly as settings.py builds it for an S3 bucket."""
    conf = settings_with(
        monkeypatch,
        TANDEM_ATTACHMENTS_S3_BUCKET=BUCKET,
        TANDEM_ATTACHMENTS_S3_ENDPOINT=s3_endpoint,
        TANDEM_ATTACHMENTS_S3_REGION="us-east-1",
        TANDEM_ATTACHMENTS_S3_ACCESS_KEY="AKIATANDEMTEST",
        TANDEM_ATTACHMENTS_S3_SECRET_KEY="tandem-test-secret",
    )
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="AKIATANDEMTEST",
        aws_secret_access_key="tandem-test-secret",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "attachments": conf["STORAGES"]["attachments"]}
    storages._storages.pop("attachments", None)  # built again from the new settings
    try:
        yield client
    finally:
        storages._storages.pop("attachments", None)


def test_a_file_goes_to_the_bucket_and_back_through_tandem_only(
    s3_storage, thing_kind, mentee, mentor_client, outsider_client, csrf_client_for
):
    client = s3_storage
    attachment = services.attachment_add(
        kind=thing_kind, object_id=1, by=mentee, upload=upload("Laporan.pdf")
    )
    assert type(services.storage()).__name__ == "S3Storage"
    # The bytes are in the bucket, under the stored name, and nowhere on the local disk.
    stored = client.get_object(Bucket=BUCKET, Key=attachment.stored_name)
    assert stored["Body"].read() == PDF
    local = Path(settings.DATA_DIR) / "attachments" / attachment.stored_name
    assert not local.exists()
    # Private: the object grants nobody but its owner.
    grants = client.get_object_acl(Bucket=BUCKET, Key=attachment.stored_name)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    assert all("AllUsers" not in str(g["Grantee"]) for g in grants)

    url = reverse("attachments:download", args=[attachment.pk])
    response = mentor_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert outsider_client.get(url).status_code == 404

    # Deleting the attachment removes the object once the deletion commits.
    delete = reverse("attachments:delete", args=[attachment.pk])
    assert csrf_client_for(mentee).post(delete).status_code == 302
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    assert [o["Key"] for o in listed] == []
