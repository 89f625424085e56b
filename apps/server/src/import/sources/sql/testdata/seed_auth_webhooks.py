"""Writes, with the reference's own store code, a tracking database holding webhooks (secrets encrypted with the key
in MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY) and a basic-auth database with users and permissions.

Usage: seed_auth_webhooks.py TRACKING_DB_PATH AUTH_DB_PATH
"""
import sys

from mlflow.entities.webhook import WebhookAction, WebhookEntity, WebhookEvent
from mlflow.server.auth.sqlalchemy_store import SqlAlchemyStore as AuthStore
from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore as RegistryStore
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore as TrackingStore

tracking_uri = f"sqlite:///{sys.argv[1]}"
TrackingStore(tracking_uri, "/tmp/unused-artifacts")
registry = RegistryStore(tracking_uri)
event = WebhookEvent(WebhookEntity.MODEL_VERSION, WebhookAction.CREATED)
registry.create_webhook("signed", "http://127.0.0.1:9/hook", [event], description="has a secret", secret="s3cr3t")
registry.create_webhook("plain", "http://127.0.0.1:9/plain", [event])
gone = registry.create_webhook("gone", "http://127.0.0.1:9/gone", [event])
registry.delete_webhook(gone.webhook_id)

auth = AuthStore()
auth.init_db(f"sqlite:///{sys.argv[2]}")
auth.create_user("admin", "admin-password-1", is_admin=True)
auth.create_user("alice", "alice-password-1")
auth.create_experiment_permission("1", "alice", "EDIT")
auth.create_registered_model_permission("reg-model", "alice", "READ")
