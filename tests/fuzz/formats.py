"""Structure-aware hypothesis strategies, one per input format (one namespace).

Each strategy draws a document of the right shape with realistic values (so the reader
gets past its format checks), with hostile values mixed in at the leaves; JSON documents
are then mutated at any level (:func:`~fuzz.strategies.mutate_json`). The shapes follow
``../shared/FORMATS.md``; every identifier is synthetic.
"""

from __future__ import annotations

from .graph_formats import compact_case, gexf_case, graphml_case, node_link_case
from .json_formats import messenger_case, slack_case, telegram_case, twitter_case
from .table_formats import (
    contacts_case,
    conversations_case,
    edgelist_case,
    google_contacts_case,
    linkedin_case,
    node_labels_case,
    snap_ego_case,
)
from .text_formats import maildir_case, mbox_case, vcard_case, whatsapp_case

__all__ = [
    "compact_case",
    "contacts_case",
    "conversations_case",
    "edgelist_case",
    "gexf_case",
    "google_contacts_case",
    "graphml_case",
    "linkedin_case",
    "maildir_case",
    "mbox_case",
    "messenger_case",
    "node_labels_case",
    "node_link_case",
    "slack_case",
    "snap_ego_case",
    "telegram_case",
    "twitter_case",
    "vcard_case",
    "whatsapp_case",
]
