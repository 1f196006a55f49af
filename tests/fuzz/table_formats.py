"""Structure-aware strategies for tables: edge lists, contacts and conversations CSV,
LinkedIn, Google Contacts, node labels and SNAP ego-network files."""

from __future__ import annotations

import functools

from hypothesis import strategies as st

from .pools import EMAILS, URLS, emails, names, phones, pick, urls
from .strategies import (
    Case,
    csv_bytes,
    hostile_number,
    hostile_text,
    lines_bytes,
    timestamp_text,
)


# ============================================================================ CSV formats
def _col(name: str, cells: st.SearchStrategy[str]) -> tuple[str, st.SearchStrategy[str]]:
    return name, cells


@functools.cache
@functools.cache
def _ids() -> st.SearchStrategy[str]:
    return hostile_text(realistic=("1", "2", "3", "ada", "bo", "0", "-1", "1.0", "01", *EMAILS))


EDGE_HEADERS = (
    ("source", "target", "weight", "timestamp", "sign"),
    ("Source", "Target", "Weight", "Type"),
    ("src", "dst", "rating", "time"),
    ("from", "to", "value", "date"),
    ("Id", "Label"),
    ("u", "v", "w", "ts", "extra"),
)


@functools.cache
@st.composite
def edgelist_bytes(draw: st.DrawFn) -> bytes:
    header = draw(st.sampled_from(EDGE_HEADERS))
    kinds = {
        "weight": hostile_number(),
        "w": hostile_number(),
        "value": hostile_number(),
        "rating": hostile_number(),
        "Weight": hostile_number(),
        "sign": hostile_number(),
        "timestamp": timestamp_text(),
        "time": timestamp_text(),
        "ts": timestamp_text(),
        "date": timestamp_text(),
        "Type": hostile_text(realistic=("Directed", "Undirected", "Mixed")),
    }
    columns = [_col(name, kinds.get(name, _ids())) for name in header]
    preamble = draw(
        st.lists(
            pick(
                "% asym positive",
                "% sym unweighted",
                "# undirected",
                "# directed",
                "% bip",
                "#",
                "%",
            ),
            max_size=2,
        )
    )
    delimiters = (",", ";", "\t", " ", "  ")
    return draw(csv_bytes(columns, delimiters=delimiters, preamble=preamble, max_rows=8))


def edgelist_case(name: str = "edges.csv") -> st.SearchStrategy[Case]:
    files = pick(name, "edges.txt", "edges.tsv", "out.trust", "graph.edges")
    return st.builds(lambda n, d: Case(((n, d),), (n,)), files, edgelist_bytes())


@functools.cache
@st.composite
def contacts_bytes(draw: st.DrawFn) -> bytes:
    columns = [
        _col("id", _ids()),
        _col("name", names()),
        _col("email", emails()),
        _col("phone", phones()),
        _col("url", urls()),
        _col("identifiers", hostile_text(realistic=("a@x.com;+15550100100", "|", ";;"))),
        _col("company", hostile_text()),
        _col("position", hostile_text()),
        _col("connected_on", timestamp_text()),
        _col("source", hostile_text()),
        _col(draw(pick("Display Name", "E-Mail", "Phone Number", "contact_id")), names()),
    ]
    return draw(csv_bytes(columns))


@functools.cache
@st.composite
def conversations_bytes(draw: st.DrawFn) -> bytes:
    recipients = hostile_text(
        realistic=(
            "bo@example.org",
            "a;b",
            "bo@example.org;cy@example.net",
            ";",
            "ada@example.com",
        )
    )
    columns = [
        _col(draw(pick("timestamp", "time", "date", "datetime")), timestamp_text()),
        _col(draw(pick("sender", "from")), _ids()),
        _col(draw(pick("recipients", "recipient", "to")), recipients),
        _col("channel", hostile_text(realistic=("dm", "group", "channel", "email"))),
        _col("conversation_id", _ids()),
        _col("n_chars", hostile_number()),
        _col("content", hostile_text()),
    ]
    return draw(csv_bytes(columns))


@functools.cache
def contacts_case() -> st.SearchStrategy[Case]:
    return st.builds(lambda d: Case((("contacts.csv", d),), ("contacts.csv",)), contacts_bytes())


@functools.cache
def conversations_case() -> st.SearchStrategy[Case]:
    return st.builds(
        lambda d: Case((("conversations.csv", d),), ("conversations.csv",)), conversations_bytes()
    )


_LINKEDIN_PREAMBLE = (
    "Notes:",
    '"When exporting your connection data, you may notice that some '
    'of the email addresses are missing."',
    "",
)


@functools.cache
@st.composite
def linkedin_connections_bytes(draw: st.DrawFn) -> bytes:
    columns = [
        _col("First Name", names()),
        _col("Last Name", names()),
        _col("URL", urls()),
        _col("Email Address", emails()),
        _col("Company", hostile_text()),
        _col("Position", hostile_text()),
        _col(
            "Connected On",
            hostile_text(
                realistic=("15 Mar 2024", "01-Jul-25", "31 Feb 2024", "01-Jul-00", "0 Jan 0")
            ),
        ),
    ]
    return draw(csv_bytes(columns, delimiters=(",",), preamble=_LINKEDIN_PREAMBLE))


@functools.cache
@st.composite
def linkedin_messages_bytes(draw: st.DrawFn) -> bytes:
    columns = [
        _col("CONVERSATION ID", _ids()),
        _col("CONVERSATION TITLE", hostile_text()),
        _col("FROM", names()),
        _col("SENDER PROFILE URL", urls()),
        _col("TO", names()),
        _col("RECIPIENT PROFILE URLS", hostile_text(realistic=(";".join(URLS[:2]), ";"))),
        _col(
            "DATE",
            hostile_text(
                realistic=(
                    "2024-03-14 09:05:12 UTC",
                    "9999-12-31 23:59:59 UTC",
                    "2024-02-30 25:00:00 UTC",
                )
            ),
        ),
        _col("SUBJECT", hostile_text()),
        _col(
            "CONTENT",
            hostile_text(
                realistic=("Message request accepted", "A LinkedIn member left the conversation.")
            ),
        ),
        _col("FOLDER", hostile_text(realistic=("INBOX", "ARCHIVE", "SENT"))),
        _col("ATTACHMENTS", hostile_text()),
    ]
    return draw(csv_bytes(columns, delimiters=(",",)))


@functools.cache
@st.composite
def linkedin_case(draw: st.DrawFn) -> Case:
    files = []
    if draw(st.booleans()):
        files.append(("Connections.csv", draw(linkedin_connections_bytes())))
    if not files or draw(st.booleans()):
        files.append(("messages.csv", draw(linkedin_messages_bytes())))
    entry = draw(st.sampled_from(["", *(rel for rel, _ in files)]))
    return Case(tuple(files), (entry,))


@functools.cache
@st.composite
def google_contacts_bytes(draw: st.DrawFn) -> bytes:
    number = draw(st.one_of(pick("1", "2", "3"), hostile_number()))
    multi = hostile_text(
        realistic=(
            "ada@example.com ::: ada.work@example.org",
            " ::: ",
            ":::",
            "* myContacts ::: * starred",
        )
    )
    legacy = [
        _col("Name", names()),
        _col("Given Name", names()),
        _col("Family Name", names()),
        _col("Group Membership", multi),
        _col("E-mail 1 - Type", hostile_text()),
        _col("E-mail 1 - Value", multi),
        _col(f"E-mail {number} - Value", multi),
        _col("Phone 1 - Type", hostile_text()),
        _col("Phone 1 - Value", phones()),
        _col("Organization 1 - Name", hostile_text()),
    ]
    current = [
        _col("First Name", names()),
        _col("Middle Name", names()),
        _col("Last Name", names()),
        _col("Nickname", names()),
        _col("Labels", multi),
        _col("E-mail 1 - Label", multi),
        _col("E-mail 1 - Value", multi),
        _col(f"Phone {number} - Value", phones()),
        _col("Birthday", hostile_text(realistic=("--03-01", "1990-02-30"))),
        _col("Organization Name", hostile_text()),
    ]
    return draw(csv_bytes(draw(pick(legacy, current)), delimiters=(",",), header=True))


@functools.cache
def google_contacts_case() -> st.SearchStrategy[Case]:
    return st.builds(
        lambda d: Case((("contacts.csv", d),), ("contacts.csv",)), google_contacts_bytes()
    )


@functools.cache
@st.composite
def node_labels_bytes(draw: st.DrawFn) -> bytes:
    columns = [_col("node", _ids()), _col("label", hostile_text(realistic=("1", "21", "a b")))]
    return draw(csv_bytes(columns, delimiters=(" ", "\t", ",", ";"), extra_columns=False))


@functools.cache
def node_labels_case() -> st.SearchStrategy[Case]:
    return st.builds(lambda d: Case((("labels.txt", d),), ("labels.txt",)), node_labels_bytes())


# ----------------------------------------------------------------------------- SNAP ego
@functools.cache
@st.composite
def snap_ego_files(draw: st.DrawFn) -> tuple[tuple[str, bytes], ...]:
    files = []
    for ego in draw(
        st.lists(
            pick("0", "107", "-1", "abc", "1e5", "00", "٣"), min_size=1, max_size=2, unique=True
        )
    ):
        node = _ids()
        edges = draw(st.lists(st.tuples(node, node).map(" ".join), max_size=6))
        files.append((f"{ego}.edges", draw(lines_bytes(edges))))
        if draw(st.booleans()):
            circles = draw(
                st.lists(
                    st.lists(node, max_size=4).map(lambda ms: "\t".join(["circle0", *ms])),
                    max_size=3,
                )
            )
            files.append((f"{ego}.circles", draw(lines_bytes(circles))))
        if draw(st.booleans()):
            feat = draw(
                st.lists(
                    st.lists(pick("0", "1", "2", "x", "-1"), max_size=4).map(" ".join), max_size=3
                )
            )
            files.append((f"{ego}.feat", draw(lines_bytes(feat))))
            files.append((f"{ego}.egofeat", draw(lines_bytes(feat[:1]))))
            names_ = draw(
                st.lists(hostile_text(realistic=("0 gender;anonymized feature 77", "1 x", "a b")))
            )
            files.append((f"{ego}.featnames", draw(lines_bytes(names_))))
    return tuple(files)


@functools.cache
def snap_ego_case() -> st.SearchStrategy[Case]:
    return snap_ego_files().map(lambda files: Case(files, ("",)))
